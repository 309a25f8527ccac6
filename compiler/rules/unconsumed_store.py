from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import dead_letter_names
from evtc.rules.base import Rule, RuleContext


class UnconsumedStore(Rule):
    """A queue, stream, topic or bus that nothing consumes.

    ## What it does
    Reports a store or router with no route out of it. Dead-letter queues are exempt:
    people, not routes, read them; so are external ones (`queue NAME: external`), whose
    consumers belong to their owner.

    ## Why is this bad?
    Events go in and never come out: they expire unseen (a queue, a stream) or are
    discarded at once (a topic or bus without subscribers), while the producer believes
    they were delivered.

    ## Example
    ```evt
    event OrderPlaced { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    queue audit_jobs { max_receives: 5 dead_letter: audit_dlq }
    queue audit_dlq { retention: 14d }
    route checkout.OrderPlaced -> audit_jobs
    ```

    ## Use instead
    ```evt
    event OrderPlaced { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    queue audit_jobs { max_receives: 5 dead_letter: audit_dlq }
    queue audit_dlq { retention: 14d }
    function auditor { handler: "audit:record" }
    route checkout.OrderPlaced -> audit_jobs
    route audit_jobs -> auditor
    ```
    """

    code = "DLV007"
    name = "unconsumed-store"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        dead_letters = dead_letter_names(ctx.topology)
        # NOTE: routes out of an external producer are rules on the bus its events arrive on
        ruled = {p.bus for p in ctx.components(ir.Source) if p.external and p.bus and ctx.graph.routes_from(p.id)}
        for c in ctx.components(*ir.STORES, *ir.ROUTERS):
            if c.external or c.name in dead_letters or c.name in ruled or ctx.graph.routes_from(c.id):
                continue
            fate = "expire unread" if isinstance(c, ir.STORES) else "are discarded"
            yield self.report(
                c.span,
                f"nothing consumes {c.keyword} '{c.name}': events sent to it {fate}",
                f"route '{c.name}' to a consumer, or remove it",
            )
