from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import duration_text
from evtc.rules.base import Rule, RuleContext


class StreamConsumerCanBlockShard(Rule):
    """A stream consumer whose failures block the shard until the records expire.

    ## What it does
    Reports a route from a stream to a function with neither `retries` nor `max_age`.

    ## Why is this bad?
    Lambda retries a failing batch until it succeeds or its records expire, and processes
    nothing else from that shard meanwhile: one poison record stops every key on the
    shard for up to the stream's retention, then vanishes. Ordered consumers make this
    worse, since no later record may overtake it.

    ## Example
    ```evt
    route orders -> billing
    ```

    ## Use instead
    ```evt
    route orders -> billing { retries: 3 max_age: 1h bisect: true dead_letter: billing_failures }
    ```
    """

    code = "ORD005"
    name = "stream-consumer-can-block-shard"
    category = Category.ORDERING
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        for route in t.routes:
            stream, consumer = t.component(route.source), t.component(route.target)
            if not isinstance(stream, ir.Stream) or not isinstance(consumer, ir.Function):
                continue
            if route.retries is None and route.max_age is None:
                yield self.report(
                    route.span,
                    f"a failing batch blocks its shard of '{stream.name}' for up to {duration_text(stream.retention)} "
                    f"(no `retries` or `max_age` on this route)",
                    "bound the retries (`retries: 3` or `max_age: 1h`) and add a `dead_letter` for what is given up",
                )
