from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.rules._common import duration_text
from evtc.rules.base import Option, Rule, RuleContext


class VisibilityTimeoutBelowFunctionTimeout(Rule):
    """A queue's `visibility_timeout` below six times its consumer's `timeout`.

    ## What it does
    Reports a route from a queue to a function when the queue's visibility timeout is
    less than `factor` (default 6, AWS's recommendation) times the function's timeout
    plus the route's batching window.

    ## Why is this bad?
    When a message becomes visible again while the first invocation is still working (or
    being retried after throttling), a second invocation processes it too: duplicate
    processing, and receives used up towards the dead letter for nothing.

    ## Example
    ```evt
    event JobQueued { job_id: string }
    source api: app { emits: [JobQueued] }
    queue jobs { visibility_timeout: 30s max_receives: 5 dead_letter: jobs_dlq }
    queue jobs_dlq { retention: 14d }
    function worker { handler: "worker:run" timeout: 1m }
    route api.JobQueued -> jobs
    route jobs -> worker
    ```

    ## Use instead
    ```evt
    event JobQueued { job_id: string }
    source api: app { emits: [JobQueued] }
    queue jobs { visibility_timeout: 6m max_receives: 5 dead_letter: jobs_dlq }
    queue jobs_dlq { retention: 14d }
    function worker { handler: "worker:run" timeout: 1m }
    route api.JobQueued -> jobs
    route jobs -> worker
    ```
    """

    code = "DLV005"
    name = "visibility-timeout-below-function-timeout"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.WARNING
    options: ClassVar[dict[str, Option]] = {
        "factor": Option(6, "visibility timeout needed, in multiples of the function timeout")
    }

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        factor = float(ctx.options["factor"])
        for route in t.routes:
            q, f = t.component(route.source), t.component(route.target)
            if not isinstance(q, ir.Queue) or not isinstance(f, ir.Function):
                continue
            needed = factor * f.timeout + (route.batching_window or 0.0)
            if q.visibility_timeout < needed:
                yield self.report(
                    q.span_of("visibility_timeout"),
                    f"visibility_timeout of '{q.name}' is {duration_text(q.visibility_timeout)}, below {factor:g} x "
                    f"the timeout of '{f.name}' ({duration_text(f.timeout)}): messages can be processed twice",
                    f"set `visibility_timeout: {duration_text(needed)}` or more",
                    (Related(f.span_of("timeout"), f"'{f.name}' timeout"),),
                )
