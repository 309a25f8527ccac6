from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.analysis import Break
from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.rules.base import Rule, RuleContext


class OrderedConsumerBehindUnorderedHop(Rule):
    """A consumer with `ordered: true` behind a hop that loses order.

    ## What it does
    Follows every path into each function with `ordered: true` and reports the first hop
    that loses order: a standard queue or topic, an event bus, a stream spread over
    several shards without a `partition_key`, a key that changes along the way, an event
    type arriving from several emitters or along several paths.

    ## Why is this bad?
    The consumer's logic assumes order (a state machine, a running balance): applied out
    of order, an `OrderCancelled` before its `OrderPlaced` corrupts state silently, and
    only under load.

    ## Example
    ```evt
    queue payments {}
    function ledger { handler: "ledger:apply" ordered: true }
    route checkout.PaymentTaken -> payments
    route payments -> ledger
    ```

    ## Use instead
    ```evt
    queue payments { fifo: true group_by: account_id }
    function ledger { handler: "ledger:apply" ordered: true }
    route checkout.PaymentTaken -> payments
    route payments -> ledger
    ```
    """

    code = "ORD001"
    name = "ordered-consumer-behind-unordered-hop"
    category = Category.ORDERING
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen: set[tuple[str, str, str]] = set()
        for facts in ctx.analysis.consumers():
            consumer = ctx.topology.component(facts.via[-1])
            lost = facts.order_lost
            if not isinstance(consumer, ir.Function) or not consumer.ordered or lost is None:
                continue
            if (consumer.name, lost.at, lost.reason) in seen:
                continue  # one report per consumer and broken hop, however many emitters
            seen.add((consumer.name, lost.at, lost.reason))
            yield self.report(
                lost.span,
                f"'{consumer.name}' needs events in order, but {lost.reason} ({facts.event} via {' -> '.join(facts.via)})",
                _hint(ctx.topology, lost, consumer),
                (Related(consumer.span, f"'{consumer.name}' is declared `ordered: true` here"),),
            )


def _hint(t: ir.Topology, lost: Break, consumer: ir.Function) -> str:
    at = t.component(lost.at)
    if isinstance(at, ir.Queue):
        return f"make '{at.name}' a FIFO queue with `fifo: true` and `group_by: <key>`, or feed '{consumer.name}' from a stream"
    if isinstance(at, ir.Topic) and not at.fifo:
        return f"make '{at.name}' a FIFO topic (`fifo: true`) feeding a FIFO queue, or feed '{consumer.name}' from a stream"
    if isinstance(at, ir.Topic):
        return f"put a FIFO queue with `group_by: <key>` between '{at.name}' and '{consumer.name}'"
    if isinstance(at, ir.Bus):
        return f"an event bus never keeps order: feed '{consumer.name}' from a stream or a FIFO queue instead"
    if isinstance(at, ir.Stream):
        return f"give '{at.name}' a `partition_key`, the field that must stay in order"
    return f"feed '{consumer.name}' through a single stream or FIFO queue keyed by the field that must stay in order"
