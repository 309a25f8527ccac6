from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import duration_text
from evtc.rules.base import Rule, RuleContext


class StreamConsumerCanBlockShard(Rule):
    """A stream consumer whose failures block the shard until the records expire.

    ## What it does
    Reports a route out of a stream with neither `retries` nor `max_age`: a function's
    event source mapping, or a pipe into a store or router (an EventBridge pipe, whose
    `maximumRetryAttempts` and record age default to unbounded).

    ## Why is this bad?
    Lambda and EventBridge Pipes retry a failing batch until it succeeds or its records
    expire, and process nothing else from that shard meanwhile: one poison record stops
    every key on the shard for up to the stream's retention, then vanishes. A pipe fails
    too, whenever its target refuses a record (too large, throttled, a key it may not
    use). Ordered consumers make this worse, since no later record may overtake it.

    ## Example
    ```evt
    event OrderPlaced { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    stream orders { partition_key: order_id }
    function billing { handler: "billing:handle" }
    route checkout.OrderPlaced -> orders
    route orders -> billing
    ```

    ## Use instead
    ```evt
    event OrderPlaced { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    stream orders { partition_key: order_id }
    function billing { handler: "billing:handle" }
    queue billing_failures { retention: 24h }
    route checkout.OrderPlaced -> orders
    route orders -> billing { retries: 3 max_age: 1h bisect: true dead_letter: billing_failures }
    ```
    """

    code = "ORD005"
    name = "stream-consumer-can-block-shard"
    category = Category.ORDERING
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        for route in t.routes:
            stream, target = t.component(route.source), t.component(route.target)
            if not isinstance(stream, ir.Stream) or target is None or isinstance(target, ir.Endpoint):
                continue
            if route.retries is None and route.max_age is None:
                what = (
                    "a failing batch" if isinstance(target, ir.Function) else f"a record that '{target.name}' refuses"
                )
                yield self.report(
                    route.span,
                    f"{what} is retried without end and blocks its shard of '{stream.name}' for up to "
                    f"{duration_text(stream.retention)} (no `retries` or `max_age` on this route)",
                    "bound the retries (`retries: 3` or `max_age: 1h`) and add a `dead_letter` for what is given up",
                )
