from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.rules.base import Rule, RuleContext


class RouteOfUndeclaredEvent(Rule):
    """A route from `component.Event` where the component does not declare that event.

    ## What it does
    Reports a route whose source is an emitter that does not list the event in `emits`.

    ## Why is this bad?
    The route wires up a flow that the emitter never agreed to produce: either a typo, or
    a permission for a component to publish events it is not the authority for, which
    makes the event's provenance spoofable.

    ## Example
    ```evt
    event OrderPlaced { order_id: string }
    event PaymentTaken { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    queue payments { max_receives: 5 dead_letter: payments_dlq }
    queue payments_dlq { retention: 14d }
    function ledger { handler: "ledger:apply" }
    route checkout.PaymentTaken -> payments
    route payments -> ledger
    route checkout.OrderPlaced -> payments
    ```

    ## Use instead
    ```evt
    event OrderPlaced { order_id: string }
    event PaymentTaken { order_id: string }
    source checkout: app { emits: [OrderPlaced, PaymentTaken] }
    queue payments { max_receives: 5 dead_letter: payments_dlq }
    queue payments_dlq { retention: 14d }
    function ledger { handler: "ledger:apply" }
    route checkout.PaymentTaken -> payments
    route payments -> ledger
    route checkout.OrderPlaced -> payments
    ```
    """

    code = "SEC002"
    name = "route-of-undeclared-event"
    category = Category.SECURITY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        for route in t.routes:
            source = t.component(route.source)
            if route.event is None or not isinstance(source, ir.EMITTERS) or t.event(route.event) is None:
                continue
            if route.event not in source.emits:
                declared = ", ".join(source.emits) or "nothing"
                yield self.report(
                    route.source_span,
                    f"'{source.name}' does not declare that it emits {route.event} (it emits {declared})",
                    f"add {route.event} to the `emits` of '{source.name}', or route an event it emits",
                    (Related(source.span, f"'{source.name}' is declared here"),),
                )
