from __future__ import annotations

from collections.abc import Iterator

from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.rules._common import duration_text, item_span
from evtc.rules.base import Rule, RuleContext


class DeadLetterRetentionTooShort(Rule):
    """A dead-letter queue whose retention is not longer than its source queue's.

    ## What it does
    Reports a standard queue's `dead_letter` whose `retention` is shorter than or equal to
    the retention of the queue that sends it messages. (A FIFO queue's dead letter resets
    the enqueue time, so FIFO queues are exempt.)

    ## Why is this bad?
    SQS keeps a message's original enqueue time when it moves to the dead-letter queue,
    so a message that failed late arrives there already near its expiry and can vanish
    before anyone looks at it.

    ## Example
    ```evt
    event JobQueued { job_id: string }
    source api: app { emits: [JobQueued] }
    queue jobs { retention: 4d max_receives: 5 dead_letter: jobs_dlq }
    queue jobs_dlq { retention: 4d }
    function worker { handler: "worker:run" }
    route api.JobQueued -> jobs
    route jobs -> worker
    ```

    ## Use instead
    ```evt
    event JobQueued { job_id: string }
    source api: app { emits: [JobQueued] }
    queue jobs { retention: 4d max_receives: 5 dead_letter: jobs_dlq }
    queue jobs_dlq { retention: 14d }
    function worker { handler: "worker:run" }
    route api.JobQueued -> jobs
    route jobs -> worker
    ```
    """

    code = "DLV003"
    name = "dead-letter-retention-too-short"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for q, dlq in ctx.redrives():
            if not q.fifo and dlq.retention <= q.retention:
                yield self.report(
                    item_span(q, "dead_letter"),
                    f"dead letter '{dlq.name}' keeps messages {duration_text(dlq.retention)}, not longer than "
                    f"'{q.name}' ({duration_text(q.retention)}): failed messages can expire before anyone sees them",
                    f"give '{dlq.name}' a longer retention, such as `retention: 14d`",
                    (Related(dlq.span_of("retention"), f"'{dlq.name}' retention"),),
                )
