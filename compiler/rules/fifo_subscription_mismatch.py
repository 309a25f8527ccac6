from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules.base import Rule, RuleContext, related


class FifoSubscriptionMismatch(Rule):
    """A route between FIFO and standard services that AWS refuses to create.

    ## What it does
    Reports the routes AWS rejects at deploy time: a FIFO topic delivering to a function
    or an endpoint (SNS FIFO delivers only to SQS queues), a standard topic delivering to
    a FIFO queue, and an S3 bucket notifying a FIFO queue or topic.

    ## Why is this bad?
    `evtc check` passes and the local runtime delivers, but `pulumi up` fails when AWS
    refuses the subscription or the bucket notification: the file describes a topology
    that cannot exist.

    ## Example
    ```evt
    event PaymentTaken { account_id: string }
    source checkout: app { emits: [PaymentTaken] }
    topic payments { fifo: true }
    function ledger { handler: "ledger:apply" }
    route checkout.PaymentTaken -> payments
    route payments -> ledger { dead_letter: ledger_failures }
    queue ledger_failures { retention: 14d }
    ```

    ## Use instead
    ```evt
    event PaymentTaken { account_id: string }
    source checkout: app { emits: [PaymentTaken] }
    topic payments { fifo: true }
    queue ledger_jobs { fifo: true group_by: account_id max_receives: 5 dead_letter: ledger_dlq }
    queue ledger_dlq { fifo: true retention: 14d }
    function ledger { handler: "ledger:apply" }
    route checkout.PaymentTaken -> payments
    route payments -> ledger_jobs
    route ledger_jobs -> ledger
    ```
    """

    code = "DLV018"
    name = "fifo-subscription-mismatch"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        for route in t.routes:
            source, target = t.component(route.source), t.component(route.target)
            if source is None or target is None:
                continue
            problem = _problem(source, target)
            if problem is not None:
                message, hint = problem
                yield self.report(route.span, message, hint, related(target.span, f"'{target.name}' is declared here"))


def _problem(source: ir.Component, target: ir.Component) -> tuple[str, str] | None:
    fifo_target = bool(getattr(target, "fifo", False))
    if isinstance(source, ir.Topic) and source.fifo and isinstance(target, ir.CONSUMERS):
        return (
            f"FIFO topic '{source.name}' cannot deliver to {target.keyword} '{target.name}': SNS FIFO topics "
            "deliver only to SQS queues, and AWS rejects the subscription",
            f"put a FIFO queue between '{source.name}' and '{target.name}'",
        )
    if isinstance(source, ir.Topic) and not source.fifo and isinstance(target, ir.Queue) and fifo_target:
        return (
            f"standard topic '{source.name}' cannot deliver to FIFO queue '{target.name}': AWS rejects the subscription",
            f"make '{source.name}' a FIFO topic (`fifo: true`), or '{target.name}' a standard queue",
        )
    if isinstance(source, ir.Source) and source.kind == "s3" and fifo_target:
        return (
            f"S3 bucket notifications cannot go to FIFO {target.keyword} '{target.name}': AWS rejects the "
            "notification configuration",
            f"make '{target.name}' standard, or notify a standard queue and move the events on from there",
        )
    return None
