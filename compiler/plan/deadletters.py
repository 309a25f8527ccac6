"""Dead-letter queues a delivering service cannot use, as a plan problem (LIM010).

EventBridge (a rule's target) and EventBridge Scheduler dead-letter to a standard SQS
queue only; an SNS subscription redrives to a queue of its topic's kind (FIFO for a FIFO
topic, standard for a standard one). Sources: Amazon EventBridge User Guide, 'Using
dead-letter queues to process undelivered events'; EventBridge Scheduler User Guide,
'Configuring a dead-letter queue'; Amazon SNS Developer Guide, 'Amazon SNS dead-letter
queues (DLQs)' (checked 2026-12).
"""

from __future__ import annotations

from evtc import ir
from evtc.diagnostics import Diagnostic
from evtc.plan.model import Retry
from evtc.plan.problems import ROUTE_NOT_DEPLOYABLE

_STANDARD_ONLY = {"eventbridge": "EventBridge", "scheduler": "EventBridge Scheduler"}


def dead_letter_problem(t: ir.Topology, route: ir.Route, delivery: Retry) -> Diagnostic | None:
    """Why the delivering service cannot use the route's delivery dead letter, if it cannot."""
    queue = t.component(delivery.dead_letter) if delivery.dead_letter else None
    if not isinstance(queue, ir.Queue):
        return None
    prop = "delivery_dead_letter" if route.delivery_dead_letter == queue.name else "dead_letter"
    written = route.prop(prop)
    span = written.value_span if written is not None else route.span
    if delivery.by in _STANDARD_ONLY and queue.fifo:
        service = _STANDARD_ONLY[delivery.by]
        return ROUTE_NOT_DEPLOYABLE.at(
            span,
            f"{service} dead-letters undelivered events to a standard SQS queue only, and '{queue.name}' is FIFO",
            f"point `{prop}` at a standard queue",
        )
    topic = t.component(route.source)
    if delivery.by == "sns" and isinstance(topic, ir.Topic) and topic.fifo != queue.fifo:
        kind, other = ("FIFO", "standard") if topic.fifo else ("standard", "FIFO")
        return ROUTE_NOT_DEPLOYABLE.at(
            span,
            f"a subscription of the {kind} topic '{topic.name}' redrives to a {kind} queue, and '{queue.name}' is {other}",
            f"point `{prop}` at a {kind} queue",
        )
    return None
