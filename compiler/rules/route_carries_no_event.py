from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules.base import Rule, RuleContext


class RouteCarriesNoEvent(Rule):
    """A route that no event can ever reach.

    ## What it does
    Reports a route out of a store or router that nothing feeds, or whose event type
    qualifier names an event that never arrives there.

    ## Why is this bad?
    The route is dead wiring: the consumer behind it waits for events that cannot come,
    usually because a route into the store is missing or misspelt.

    ## Example
    ```evt
    queue jobs { max_receives: 5 dead_letter: jobs_dlq }
    queue jobs_dlq { retention: 14d }
    function worker { handler: "worker:run" }
    route jobs -> worker
    ```

    ## Use instead
    ```evt
    event JobQueued { job_id: string }
    source api: app { emits: [JobQueued] }
    queue jobs { max_receives: 5 dead_letter: jobs_dlq }
    queue jobs_dlq { retention: 14d }
    function worker { handler: "worker:run" }
    route api.JobQueued -> jobs
    route jobs -> worker
    ```
    """

    code = "DLV010"
    name = "route-carries-no-event"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        for route in t.routes:
            source, target = t.component(route.source), t.component(route.target)
            if source is None or target is None or isinstance(source, ir.EMITTERS):
                continue  # emitters' own routes are checked by SEC002 and the resolver
            if not ctx.graph.carried.get(route.id):
                yield self.report(
                    route.span,
                    f"no event ever reaches this route: nothing is routed into '{source.name}'"
                    if not ctx.graph.routes_into(source.id)
                    else f"no {route.event or 'event'} ever arrives at '{source.name}'",
                    f"route events into '{source.name}', or remove this route",
                )
