from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import change_stream, item_span
from evtc.rules.base import Rule, RuleContext


class ConcurrencyAboveShardCount(Rule):
    """A stream consumer's `concurrency` above what the stream's shards allow.

    ## What it does
    Reports a function fed only by streams whose `concurrency` is higher than the total
    number of their shards, and says what the effective concurrency is.

    ## Why is this bad?
    Lambda reads each shard with one invocation at a time (to keep order), so the extra
    reserved concurrency is never used: it is capacity taken from the rest of the account
    and a capacity plan built on a number that cannot happen.

    ## Example
    ```evt
    event OrderPlaced { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    stream orders { shards: 4 partition_key: order_id retention: 7d }
    queue billing_failures { retention: 7d }
    function billing { handler: "billing:handle" concurrency: 20 }
    route checkout.OrderPlaced -> orders
    route orders -> billing { retries: 3 dead_letter: billing_failures }
    ```

    ## Use instead
    ```evt
    event OrderPlaced { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    stream orders { shards: 20 partition_key: order_id retention: 7d }
    queue billing_failures { retention: 7d }
    function billing { handler: "billing:handle" concurrency: 20 }
    route checkout.OrderPlaced -> orders
    route orders -> billing { retries: 3 dead_letter: billing_failures }
    ```
    """

    code = "ORD004"
    name = "concurrency-above-shard-count"
    category = Category.ORDERING
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        for f in ctx.components(ir.Function):
            feeds = [t.component(r.source) for r in ctx.graph.routes_into(f.id)]
            if f.concurrency is None or not feeds or not all(isinstance(s, ir.Stream) for s in feeds):
                continue
            streams = [s for s in dict.fromkeys(feeds) if isinstance(s, ir.Stream)]
            if any(change_stream(t, s) for s in streams):
                continue  # AWS sizes a table's change stream; its shard count is not ours to know
            shards = sum(s.shards for s in streams)
            if f.concurrency > shards:
                yield self.report(
                    item_span(f, "concurrency"),
                    f"'{f.name}' has concurrency {f.concurrency}, but its streams have {shards} shard(s): "
                    f"at most {shards} run at once",
                    f"set `concurrency: {shards}` or raise the shard count",
                )
