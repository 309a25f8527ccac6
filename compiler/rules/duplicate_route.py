from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.frontend.unparse import filter_text
from evtc.rules._common import line_of
from evtc.rules.base import Rule, RuleContext, related


class DuplicateRoute(Rule):
    """Two routes with the same source, event, target and filter.

    ## What it does
    Reports every route that repeats an earlier one: the same `FROM` (with the same event
    type, if any), the same `TO` and the same `when` filter, whatever their properties.

    ## Why is this bad?
    A repeated route is never what the author meant, and it does one of two things. Where
    AWS keeps one resource per pair (an SNS subscription per topic and endpoint, an event
    source mapping per store and function), both routes become that one resource and the
    second does nothing, while a reader counts two deliveries. Everywhere else (a
    publish, an EventBridge rule) each route is its own resource, and every event is
    delivered twice.

    ## Example
    ```evt
    event OrderPlaced { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    topic orders {}
    queue billing_jobs { max_receives: 5 dead_letter: billing_dlq }
    queue billing_dlq { retention: 14d }
    function billing { handler: "billing:handle" }
    route checkout.OrderPlaced -> orders
    route orders -> billing_jobs
    route orders -> billing_jobs
    route billing_jobs -> billing
    ```

    ## Use instead
    ```evt
    event OrderPlaced { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    topic orders {}
    queue billing_jobs { max_receives: 5 dead_letter: billing_dlq }
    queue billing_dlq { retention: 14d }
    function billing { handler: "billing:handle" }
    route checkout.OrderPlaced -> orders
    route orders -> billing_jobs
    route billing_jobs -> billing
    ```
    """

    code = "DLV015"
    name = "duplicate-route"
    category = Category.DELIVERY
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        first: dict[tuple[str, str | None, str, str | None], ir.Route] = {}
        for route in ctx.topology.routes:
            earlier = first.setdefault(route_key(route), route)
            if earlier is not route:
                yield self.report(
                    route.span,
                    f"this route repeats the one on {line_of(earlier.span, route.span)}: {_effect(ctx, earlier, route)}",
                    "remove one of the two routes",
                    related(earlier.span, "the same route first here"),
                )


def route_key(route: ir.Route) -> tuple[str, str | None, str, str | None]:
    """What makes two routes the same route: their ends, event type and filter."""
    return (route.source, route.event, route.target, filter_text(route.when) if route.when else None)


def _effect(ctx: RuleContext, first: ir.Route, second: ir.Route) -> str:
    a, b = ctx.plan.of(first), ctx.plan.of(second)
    if a is not None and b is not None and a.resource == b.resource:
        return f"AWS carries both with one {_RESOURCES.get(a.carrier, 'resource')}, so this one does nothing"
    return "each event is delivered twice, once per route"


_RESOURCES = {"sns-subscription": "SNS subscription", "esm": "event source mapping"}
