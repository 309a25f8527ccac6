from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import item_span
from evtc.rules.base import Rule, RuleContext


class QueueDeadLettersIntoItself(Rule):
    """A queue whose `dead_letter` is the queue itself.

    ## What it does
    Reports a queue that names itself as its own dead-letter queue.

    ## Why is this bad?
    A message that exhausts its receives is "moved" back into the queue it came from: it
    is received again, fails again, and nothing ever sets it aside. The poison message
    is retried until its retention ends and then lost, exactly what a dead letter is
    there to prevent.

    ## Example
    ```evt
    event JobQueued { job_id: string }
    source api: app { emits: [JobQueued] }
    queue jobs { max_receives: 5 dead_letter: jobs }
    function worker { handler: "worker:run" }
    route api.JobQueued -> jobs
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

    code = "DLV019"
    name = "queue-dead-letters-into-itself"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for queue in ctx.components(ir.Queue):
            if queue.dead_letter == queue.name:
                yield self.report(
                    item_span(queue, "dead_letter"),
                    f"queue '{queue.name}' is its own dead letter: failed messages come straight back and are "
                    "never set aside",
                    f"declare a separate queue, such as `queue {queue.name}_dlq {{ retention: 14d }}`, and use it "
                    "as the dead letter",
                )
