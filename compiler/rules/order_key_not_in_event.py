from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.frontend.fields import field_type
from evtc.rules._common import item_span
from evtc.rules.base import Rule, RuleContext


class OrderKeyNotInEvent(Rule):
    """A stream's `partition_key` or a FIFO queue's `group_by` that some event lacks.

    ## What it does
    Reports a key field that is missing from an event type that can arrive at the stream
    or FIFO queue.

    ## Why is this bad?
    An event without the key cannot be put on the right shard or message group: the put
    fails, or every such event lands in one group, and the order the key promised is gone.

    ## Example
    ```evt
    event OrderPlaced { order_id: string customer_id: string }
    event OrderImported { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    source importer: app { emits: [OrderImported] }
    stream orders { partition_key: customer_id retention: 7d }
    queue billing_failures { retention: 7d }
    function billing { handler: "billing:handle" }
    route checkout.OrderPlaced -> orders
    route importer.OrderImported -> orders
    route orders -> billing { retries: 3 dead_letter: billing_failures }
    ```

    ## Use instead
    ```evt
    event OrderPlaced { order_id: string customer_id: string }
    event OrderImported { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    source importer: app { emits: [OrderImported] }
    stream orders { partition_key: order_id retention: 7d }
    queue billing_failures { retention: 7d }
    function billing { handler: "billing:handle" }
    route checkout.OrderPlaced -> orders
    route importer.OrderImported -> orders
    route orders -> billing { retries: 3 dead_letter: billing_failures }
    ```
    """

    code = "ORD002"
    name = "order-key-not-in-event"
    category = Category.ORDERING
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        for c in ctx.components(ir.Stream, ir.Queue):
            prop = "partition_key" if isinstance(c, ir.Stream) else "group_by"
            key = getattr(c, prop)
            if key is None:
                continue
            events = [e for e in (t.event(n) for n in sorted(ctx.graph.events_at(c.id))) if e is not None]
            missing = [e.name for e in events if field_type(e, tuple(key.split("."))) is None]
            if missing:
                yield self.report(
                    item_span(c, prop),
                    f"{prop} '{key}' of '{c.name}' is not a field of {', '.join(missing)}",
                    f"key '{c.name}' by a field every event on it has, or add '{key}' to {', '.join(missing)}",
                )
