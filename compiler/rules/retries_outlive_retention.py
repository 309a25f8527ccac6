from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import duration_text
from evtc.rules.base import Rule, RuleContext


class RetriesOutliveRetention(Rule):
    """Retries whose worst case takes longer than the store keeps the events.

    ## What it does
    For each queue and stream consumer with bounded retries, multiplies the attempts by
    the time each one can take (a queue's visibility timeout, a function's timeout, a
    route's `max_age`) and reports when that is longer than the store's retention.

    ## Why is this bad?
    The events expire while they are still being retried, so they never reach the dead
    letter meant to catch them: the retry policy promises a safety net that is not there.

    ## Example
    ```evt
    event JobQueued { job_id: string }
    source api: app { emits: [JobQueued] }
    queue jobs { visibility_timeout: 12h retention: 1d max_receives: 5 dead_letter: jobs_dlq }
    queue jobs_dlq { retention: 14d }
    function worker { handler: "worker:run" timeout: 15m }
    route api.JobQueued -> jobs
    route jobs -> worker
    ```

    ## Use instead
    ```evt
    event JobQueued { job_id: string }
    source api: app { emits: [JobQueued] }
    queue jobs { visibility_timeout: 12h retention: 4d max_receives: 5 dead_letter: jobs_dlq }
    queue jobs_dlq { retention: 14d }
    function worker { handler: "worker:run" timeout: 15m }
    route api.JobQueued -> jobs
    route jobs -> worker
    ```
    """

    code = "DLV011"
    name = "retries-outlive-retention"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        for hop in ctx.analysis.hops.values():
            store = t.component(hop.route.source)
            if not isinstance(store, ir.STORES) or hop.needed == float("inf") or hop.needed <= store.retention:
                continue
            span = store.span_of("retention") if isinstance(store, ir.Queue) else hop.route.span
            yield self.report(
                span,
                f"retries on '{store.name}' -> '{hop.route.target}' can take {duration_text(hop.needed)}, "
                f"but '{store.name}' keeps events only {duration_text(store.retention)}",
                f"raise the retention of '{store.name}' or bound the retries (fewer receives, a shorter timeout or `max_age`)",
            )
