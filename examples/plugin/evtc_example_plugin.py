"""An example evtc rule plugin: events may leave the company only to allow-listed domains.

Codes carry the category like the built-ins; the 9xx numbers are left to organisations.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import urlparse

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules import Option, Rule, RuleContext
class EndpointOutsideAllowlist(Rule):
    """An https endpoint on a domain the organisation has not approved.

    ## What it does
    Reports an `endpoint NAME: https` whose URL host is not one of `allowed_domains`
    (or a subdomain of one).

    ## Why is this bad?
    Events leave the company: every partner that receives them needs a data-processing
    agreement, and security wants to know where data goes before it does.

    ## Example
    ```evt
    endpoint partner: https { url: "https://hooks.unknown.example/ingest" }
    ```

    ## Use instead
    ```evt
    endpoint partner: https { url: "https://hooks.partner.example.com/ingest" }
    ```
    """

    code = "SEC901"
    name = "endpoint-outside-allowlist"
    category = Category.SECURITY
    severity = Severity.ERROR
    options: ClassVar[dict[str, Option]] = {
        "allowed_domains": Option(["example.com"], "domains (and their subdomains) endpoints may use")
    }

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        allowed = [d.lower() for d in ctx.options["allowed_domains"]]
        for endpoint in ctx.components(ir.Endpoint):
            host = (urlparse(endpoint.url or "").hostname or "").lower()
            if endpoint.kind == "https" and host and not any(host == d or host.endswith("." + d) for d in allowed):
                yield self.report(
                    endpoint.span_of("url"),
                    f"endpoint '{endpoint.name}' sends events to {host}, which is not an approved domain",
                    f"use an approved partner domain ({', '.join(allowed)}) or get {host} approved",
                )
