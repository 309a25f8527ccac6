from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import item_span
from evtc.rules.base import Rule, RuleContext


class UnroutedEvent(Rule):
    """An emitted event type that no route takes anywhere.

    ## What it does
    Reports each event type in an emitter's `emits` with no route from that emitter.

    ## Why is this bad?
    The emitter publishes into the void: either a route is missing (and a consumer is
    waiting for events that never come) or the declaration is stale.

    ## Example
    ```evt
    event OrderPlaced { order_id: string }
    event OrderCancelled { order_id: string }
    source checkout: app { emits: [OrderPlaced, OrderCancelled] }
    queue orders { max_receives: 5 dead_letter: orders_dlq }
    queue orders_dlq { retention: 14d }
    function billing { handler: "billing:handle" }
    route orders -> billing
    route checkout.OrderPlaced -> orders
    ```

    ## Use instead
    ```evt
    event OrderPlaced { order_id: string }
    event OrderCancelled { order_id: string }
    source checkout: app { emits: [OrderPlaced, OrderCancelled] }
    queue orders { max_receives: 5 dead_letter: orders_dlq }
    queue orders_dlq { retention: 14d }
    function billing { handler: "billing:handle" }
    route orders -> billing
    route checkout.OrderPlaced -> orders
    route checkout.OrderCancelled -> orders
    ```
    """

    code = "DLV008"
    name = "unrouted-event"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        routed = {ref for refs in ctx.graph.carried.values() for ref in refs}
        for c in ctx.components(*ir.EMITTERS):
            for event in dict.fromkeys(c.emits):
                if t.event(event) is not None and (c.name, event) not in routed:
                    yield self.report(
                        item_span(c, "emits"),
                        f"'{c.name}' emits {event}, but no route takes it anywhere",
                        f"add `route {c.name}.{event} -> <store, router or consumer>`, or remove {event} from `emits`",
                    )
