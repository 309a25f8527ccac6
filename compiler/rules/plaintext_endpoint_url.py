from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import item_span
from evtc.rules.base import Rule, RuleContext


class PlaintextEndpointUrl(Rule):
    """An https endpoint whose URL is plain `http://`.

    ## What it does
    Reports an `endpoint NAME: https` whose `url` does not start with `https://`.

    ## Why is this bad?
    Events leave AWS unencrypted and unauthenticated: anyone on the path can read or
    change them. SNS also cannot verify the receiver.

    ## Example
    ```evt
    endpoint partner: https { url: "http://partner.example.com/hook" }
    ```

    ## Use instead
    ```evt
    endpoint partner: https { url: "https://partner.example.com/hook" }
    ```
    """

    code = "SEC010"
    name = "plaintext-endpoint-url"
    category = Category.SECURITY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for endpoint in ctx.components(ir.Endpoint):
            url = endpoint.url
            if endpoint.kind == "https" and url is not None and not url.lower().startswith("https://"):
                yield self.report(
                    item_span(endpoint, "url"),
                    f"endpoint '{endpoint.name}' would receive events over plain text ({url})",
                    "use an https:// URL",
                )
