from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.plan.carriers import table_streams
from evtc.rules._common import item_span
from evtc.rules.base import Rule, RuleContext


class IneffectiveOrderKey(Rule):
    """A constant or random `partition_key` that does not do what it says.

    ## What it does
    Reports a stream of several shards keyed by a constant (`partition_key: "all"`), and a
    constant or `random` key on a table's change stream.

    ## Why is this bad?
    A constant key puts every record on one shard: total order, at the price of that one
    shard's throughput, while the stream pays for the others, which stay idle. A table's
    change stream is sharded by DynamoDB, by the table's own key: a key written on it
    changes nothing, so whatever order or spread it promised does not happen.

    ## Example
    ```evt
    event Reading { sensor: string value: number }
    source sensors: app { emits: [Reading] }
    stream readings { partition_key: "all" shards: 4 }
    queue failures { retention: 1d }
    function store { handler: "store:handle" }
    route sensors.Reading -> readings
    route readings -> store { retries: 3 dead_letter: failures }
    ```

    ## Use instead
    ```evt
    event Reading { sensor: string value: number }
    source sensors: app { emits: [Reading] }
    stream readings { partition_key: "all" shards: 1 }
    queue failures { retention: 1d }
    function store { handler: "store:handle" }
    route sensors.Reading -> readings
    route readings -> store { retries: 3 dead_letter: failures }
    ```
    """

    code = "ORD006"
    name = "ineffective-order-key"
    category = Category.ORDERING
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        tables = table_streams(ctx.topology)
        for stream in ctx.components(ir.Stream):
            written = stream.key_constant is not None or stream.key_random
            if stream.name in tables and written:
                yield self.report(
                    item_span(stream, "partition_key"),
                    f"'{stream.name}' is the change stream of table '{tables[stream.name]}': DynamoDB shards it by "
                    "the table's key, so this partition_key has no effect",
                    "remove it, or name the table's key field (`partition_key: <field>`)",
                )
            elif stream.key_constant is not None and stream.shards > 1:
                yield self.report(
                    item_span(stream, "partition_key"),
                    f"every record of '{stream.name}' goes to one shard (a constant key): "
                    f"{stream.shards - 1} of its {stream.shards} shards stay idle",
                    "use `shards: 1`, or key it by a field (order per value) or `random` (no order) to spread the load",
                )
