from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import dead_letter_names, duration_text
from evtc.rules.base import Rule, RuleContext


class QueueWithoutDeadLetter(Rule):
    """A consumed queue without a `dead_letter` (and without `on_exhausted: drop`).

    ## What it does
    Reports a queue that some route consumes but that has no dead-letter queue. Queues
    that are themselves dead letters are exempt, and so is an explicit
    `on_exhausted: drop`.

    ## Why is this bad?
    A message that keeps failing (a poison message) is received again and again until
    its retention ends, then deleted without a trace: the loss is silent, and the retries
    cost money and block capacity all the while.

    ## Example
    ```evt
    event JobQueued { job_id: string }
    source api: app { emits: [JobQueued] }
    queue jobs { retention: 4d }
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

    code = "DLV001"
    name = "queue-without-dead-letter"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        dead_letters = dead_letter_names(ctx.topology)
        for q in ctx.components(ir.Queue):
            if q.dead_letter or q.on_exhausted == "drop" or q.name in dead_letters:
                continue
            if ctx.graph.routes_from(q.id):
                yield self.report(
                    q.span,
                    f"queue '{q.name}' has no dead_letter: messages that keep failing are lost silently "
                    f"when its retention ({duration_text(q.retention)}) ends",
                    f"add `max_receives: 5` and `dead_letter: {q.name}_dlq` (a queue with a longer retention), "
                    "or `on_exhausted: drop` if losing them is fine",
                )
