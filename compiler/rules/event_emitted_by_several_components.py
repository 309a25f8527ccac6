from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.rules._common import item_span, names
from evtc.rules.base import Rule, RuleContext


class EventEmittedBySeveralComponents(Rule):
    """An event type declared in the `emits` of more than one component.

    ## What it does
    Reports an event type that two or more sources or functions say they emit.

    ## Why is this bad?
    A consumer can no longer tell who produced an event, so provenance is spoofable: any
    of the emitters can publish what looks like another's event (a "credit $100,000"
    slipped into the stream). Each event type should have exactly one authority.

    ## Example
    ```evt
    event OrderPlaced { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    source backoffice: app { emits: [OrderPlaced] }
    queue orders { max_receives: 5 dead_letter: orders_dlq }
    queue orders_dlq { retention: 14d }
    function billing { handler: "billing:handle" }
    route orders -> billing
    route checkout.OrderPlaced -> orders
    route backoffice.OrderPlaced -> orders
    ```

    ## Use instead
    ```evt
    event OrderPlaced { order_id: string }
    event OrderImported { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    source backoffice: app { emits: [OrderImported] }
    queue orders { max_receives: 5 dead_letter: orders_dlq }
    queue orders_dlq { retention: 14d }
    function billing { handler: "billing:handle" }
    route orders -> billing
    route checkout.OrderPlaced -> orders
    route backoffice.OrderImported -> orders
    ```
    """

    code = "SEC001"
    name = "event-emitted-by-several-components"
    category = Category.SECURITY
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        emitters: dict[str, list[ir.Component]] = {}
        for c in ctx.components(*ir.EMITTERS):
            for event in dict.fromkeys(c.emits):
                emitters.setdefault(event, []).append(c)
        for event, found in emitters.items():
            if len(found) < 2:
                continue
            first, *others = found
            for other in others:
                yield self.report(
                    item_span(other, "emits"),
                    f"event {event} is emitted by {names([c.name for c in found])}, so its provenance can be spoofed",
                    f"give each emitter its own event type, or let only one component emit {event}",
                    (Related(item_span(first, "emits"), f"'{first.name}' also emits {event}"),),
                )
