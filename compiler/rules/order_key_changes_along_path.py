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
    stream orders { partition_key: order_id }
    queue billing { fifo: true group_by: customer_id }
    route orders -> billing
    ```

    ## Use instead
    ```evt
    stream orders { partition_key: customer_id }
    queue billing { fifo: true group_by: customer_id }
    route orders -> billing
    ```
    """

    code = "ORD003"
    name = "order-key-changes-along-path"
    category = Category.ORDERING
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
