from __future__ import annotations

from collections.abc import Iterator

from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.rules.base import Rule, RuleContext


class OrderKeyChangesAlongPath(Rule):
    """An event ordered by one key, then re-keyed by another further down the path.

    ## What it does
    Reports a stream `partition_key` or FIFO `group_by` that differs from the key an
    earlier stream or FIFO queue on the same path ordered the event by.

    ## Why is this bad?
    Order per the new key only holds if it held before; events with the same new key but
    different old keys were in different lanes and can arrive in any order.

    ## Example
    ```evt
    event OrderPlaced { order_id: string customer_id: string }
    source checkout: app { emits: [OrderPlaced] }
    stream orders { partition_key: order_id retention: 7d }
    queue billing_jobs { fifo: true group_by: customer_id max_receives: 5 dead_letter: billing_dlq }
    queue billing_dlq { fifo: true retention: 14d }
    queue pipe_failures { retention: 7d }
    function billing { handler: "billing:handle" }
    route checkout.OrderPlaced -> orders
    route orders -> billing_jobs { retries: 3 dead_letter: pipe_failures }
    route billing_jobs -> billing
    ```

    ## Use instead
    ```evt
    event OrderPlaced { order_id: string customer_id: string }
    source checkout: app { emits: [OrderPlaced] }
    stream orders { partition_key: customer_id retention: 7d }
    queue billing_jobs { fifo: true group_by: customer_id max_receives: 5 dead_letter: billing_dlq }
    queue billing_dlq { fifo: true retention: 14d }
    queue pipe_failures { retention: 7d }
    function billing { handler: "billing:handle" }
    route checkout.OrderPlaced -> orders
    route orders -> billing_jobs { retries: 3 dead_letter: pipe_failures }
    route billing_jobs -> billing
    ```
    """

    code = "ORD003"
    name = "order-key-changes-along-path"
    category = Category.ORDERING
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen = set()
        for flow in ctx.analysis.flows.values():
            for facts in flow.reach.values():
                for (before, where, span), (after, here, here_span) in zip(facts.keys, facts.keys[1:]):
                    if before == after or here_span in seen:
                        continue
                    seen.add(here_span)
                    yield self.report(
                        here_span,
                        f"'{here}' orders {facts.event} by {after}, but '{where}' before it ordered them by {before}",
                        f"key both by the same field ({before} or {after})",
                        (Related(span, f"'{where}' is keyed by {before} here"),),
                    )
