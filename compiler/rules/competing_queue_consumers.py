from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import line_of, names
from evtc.rules.base import Rule, RuleContext, related


class CompetingQueueConsumers(Rule):
    """A queue read by more than one route: consumers that compete for its messages.

    ## What it does
    Reports every consumer of a queue after the first one: a second function (or pipe)
    reading the same queue, with or without `when` filters. Several routes from one
    queue to one function are fine: AWS carries them with one event source mapping and
    their filters merged. A route back into the queue itself is DLV020's.

    ## Why is this bad?
    A queue gives each message to one receiver. Two event source mappings on one queue
    take turns: each consumer gets only part of the messages. Worse, a mapping with a
    filter deletes the messages its filter rejects, so a message meant for one consumer is
    thrown away when the other one receives it. Each consumer silently loses part of its
    events, while the local runtime and the file suggest both see them all.

    ## Example
    ```evt
    event OrderPlaced { order_id: string country: string }
    source checkout: app { emits: [OrderPlaced] }
    queue orders { max_receives: 5 dead_letter: orders_dlq }
    queue orders_dlq { retention: 14d }
    function billing { handler: "billing:handle" }
    function shipping { handler: "shipping:handle" }
    route checkout.OrderPlaced -> orders
    route orders -> billing
    route orders -> shipping when country == "DE"
    ```

    ## Use instead
    ```evt
    event OrderPlaced { order_id: string country: string }
    source checkout: app { emits: [OrderPlaced] }
    topic orders {}
    queue billing_jobs { max_receives: 5 dead_letter: jobs_dlq }
    queue shipping_jobs { max_receives: 5 dead_letter: jobs_dlq }
    queue jobs_dlq { retention: 14d }
    function billing { handler: "billing:handle" }
    function shipping { handler: "shipping:handle" }
    route checkout.OrderPlaced -> orders
    route orders -> billing_jobs
    route orders -> shipping_jobs when country == "DE"
    route billing_jobs -> billing
    route shipping_jobs -> shipping
    ```
    """

    code = "DLV016"
    name = "competing-queue-consumers"
    category = Category.DELIVERY
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        out: dict[str, dict[str, ir.Route]] = {}  # queue → its first route to each consumer
        for route in t.routes:
            if route.source != route.target and t.component(route.target) is not None:
                out.setdefault(route.source, {}).setdefault(route.target, route)
        for queue in ctx.components(ir.Queue):
            routes = list(out.get(queue.name, {}).values())
            targets = [r.target for r in routes]
            for route in routes[1:]:
                yield self.report(
                    route.span,
                    f"queue '{queue.name}' already has a consumer ({line_of(routes[0].span, route.span)}): each message goes to "
                    f"one of {names(targets)} only, and a mapping deletes the messages its filter rejects, "
                    "so each consumer silently loses part of its events",
                    f"publish to a topic and give each consumer its own queue, or merge the consumers of '{queue.name}'",
                    related(routes[0].span, "the first consumer of the queue"),
                )
