from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.rules._common import duration_text
from evtc.rules.base import Rule, RuleContext


class MessagesExpireBeforeDelivery(Rule):
    """A queue that deletes every message before its consumer can receive it.

    ## What it does
    Reports a queue whose `delay` is at least its `retention`, and a route out of a queue
    whose `batching_window`, added to the queue's delay, is at least that retention.

    ## Why is this bad?
    SQS counts retention from the moment a message is sent. A delayed message becomes
    visible only after `delay`, and Lambda holds received messages for up to the batching
    window: when that is as long as the retention, SQS deletes every message first. Nothing
    fails and nothing is dead-lettered; the consumer simply never gets an event.

    ## Example
    ```evt
    event Reminder { id: string }
    source api: app { emits: [Reminder] }
    queue reminders { delay: 15m retention: 1m max_receives: 5 dead_letter: reminders_dlq }
    queue reminders_dlq { retention: 14d }
    function sender { handler: "reminders:send" }
    route api.Reminder -> reminders
    route reminders -> sender
    ```

    ## Use instead
    ```evt
    event Reminder { id: string }
    source api: app { emits: [Reminder] }
    queue reminders { delay: 15m retention: 4d max_receives: 5 dead_letter: reminders_dlq }
    queue reminders_dlq { retention: 14d }
    function sender { handler: "reminders:send" }
    route api.Reminder -> reminders
    route reminders -> sender
    ```
    """

    code = "DLV014"
    name = "messages-expire-before-delivery"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t, reported = ctx.topology, set()
        for hop in ctx.analysis.hops.values():
            queue = t.component(hop.route.source)
            if not isinstance(queue, ir.Queue):
                continue
            for drop in hop.drops:
                if drop.kind == "undeliverable" and drop.span not in reported:
                    reported.add(drop.span)  # NOTE: a delay too long for every route is one finding
                    yield self.report(
                        drop.span,
                        drop.reason,
                        f"keep '{queue.name}' messages longer than they wait: a `retention` above "
                        f"{duration_text(queue.delay + (hop.route.batching_window or 0.0))} (up to 14d), "
                        "or a shorter `delay` or `batching_window`",
                        (Related(queue.span_of("retention"), f"the retention of '{queue.name}'"),),
                    )
