from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.plan.wire import PAYLOAD
from evtc.plan.wireproblems import payload_holders
from evtc.rules.base import Rule, RuleContext


class EnvelopeStrippedBeforeFunction(Rule):
    """One of evtc's own functions receives events whose envelope a hop stripped.

    ## What it does
    Reports a route into a function of the topology (not an `external` one) that hands it
    the payload alone: the route says `wire: payload`, or it leaves a queue or topic that
    holds payloads because a route into it said so.

    ## Why is this bad?
    evtc's envelope carries what the payload does not: the event's id, type, source
    (provenance), time and partition key. Without it `evtc.records` cannot read the event
    (it raises, on AWS and locally), deduplication by id and ordering by key have nothing to
    go on, and a function fed several types cannot tell them apart. `wire: payload` is for
    consumers owned elsewhere, which expect the bare JSON.

    ## Example
    ```evt
    event OrderPlaced { id: string }
    source checkout: app { emits: [OrderPlaced] }
    bus shop {}
    queue orders { max_receives: 3 dead_letter: orders_dlq }
    queue orders_dlq { retention: 14d }
    function billing { handler: "billing:run" }
    route checkout -> shop
    route shop -> orders { wire: payload }
    route orders -> billing
    ```

    ## Use instead
    ```evt
    event OrderPlaced { id: string }
    source checkout: app { emits: [OrderPlaced] }
    bus shop {}
    queue orders { max_receives: 3 dead_letter: orders_dlq }
    queue orders_dlq { retention: 14d }
    function billing { handler: "billing:run" }
    route checkout -> shop
    route shop -> orders
    route orders -> billing
    ```
    """

    code = "DLV023"
    name = "envelope-stripped-before-function"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        holders = payload_holders(ctx.topology)
        for route in ctx.topology.routes:
            target = ctx.topology.component(route.target)
            if not isinstance(target, ir.Function) or target.external:
                continue
            if route.wire != PAYLOAD and route.source not in holders:
                continue
            where = route.prop("wire")
            yield self.report(
                where.span if where is not None and route.wire == PAYLOAD else route.span,
                f"'{route.target}' receives payloads without evtc's envelope over '{route.source} -> {route.target}': "
                "`evtc.records` cannot read them, and it sees no event id, type or source (no deduplication by "
                "id, no ordering by key)",
                "keep `wire: envelope` on the hops into evtc's own functions; strip it only toward consumers "
                "owned elsewhere (an `external` function, another team's queue)",
            )
