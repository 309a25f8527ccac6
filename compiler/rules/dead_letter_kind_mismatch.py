from __future__ import annotations

from collections.abc import Iterator

from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.rules._common import item_span
from evtc.rules.base import Rule, RuleContext


class DeadLetterKindMismatch(Rule):
    """A FIFO queue with a standard dead-letter queue, or the other way round.

    ## What it does
    Reports a queue whose `dead_letter` is not of the same kind (FIFO or standard).

    ## Why is this bad?
    SQS requires the dead-letter queue of a FIFO queue to be FIFO, and of a standard queue
    to be standard: the deployment fails.

    ## Example
    ```evt
    event PaymentTaken { account_id: string }
    source checkout: app { emits: [PaymentTaken] }
    queue payments { fifo: true group_by: account_id max_receives: 5 dead_letter: payments_dlq }
    queue payments_dlq { retention: 14d }
    function ledger { handler: "ledger:apply" }
    route checkout.PaymentTaken -> payments
    route payments -> ledger
    ```

    ## Use instead
    ```evt
    event PaymentTaken { account_id: string }
    source checkout: app { emits: [PaymentTaken] }
    queue payments { fifo: true group_by: account_id max_receives: 5 dead_letter: payments_dlq }
    queue payments_dlq { fifo: true retention: 14d }
    function ledger { handler: "ledger:apply" }
    route checkout.PaymentTaken -> payments
    route payments -> ledger
    ```
    """

    code = "DLV004"
    name = "dead-letter-kind-mismatch"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for q, dlq in ctx.redrives():
            if dlq.fifo != q.fifo:
                kind, other = ("FIFO", "standard") if q.fifo else ("standard", "FIFO")
                yield self.report(
                    item_span(q, "dead_letter"),
                    f"'{q.name}' is a {kind} queue but its dead letter '{dlq.name}' is a {other} queue",
                    f"make '{dlq.name}' {'`fifo: true`' if q.fifo else 'a standard queue (no `fifo`)'}",
                    (Related(dlq.span, f"'{dlq.name}' is declared here"),),
                )
