from __future__ import annotations

from collections.abc import Iterator

from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules.base import Rule, RuleContext


class RouteToItself(Rule):
    """A route from a component to itself.

    ## What it does
    Reports a route whose `FROM` and `TO` name the same component (`route q -> q`).

    ## Why is this bad?
    Every event the component receives is sent straight back into it, forever: a queue
    feeding itself never empties, a topic subscribed to itself loops at full speed. It
    is always a typo for another component's name.

    ## Example
    ```evt
    event JobQueued { job_id: string }
    source api: app { emits: [JobQueued] }
    queue jobs { max_receives: 5 dead_letter: jobs_dlq }
    queue jobs_dlq { retention: 14d }
    function worker { handler: "worker:run" }
    route api.JobQueued -> jobs
    route jobs -> jobs
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

    code = "DLV020"
    name = "route-to-itself"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for route in ctx.topology.routes:
            if route.source == route.target and ctx.topology.component(route.source) is not None:
                yield self.report(
                    route.target_span,
                    f"this route sends everything '{route.source}' receives back into '{route.source}', forever",
                    "route it to the component that should receive the events",
                )
