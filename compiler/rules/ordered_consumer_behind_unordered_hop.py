from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.analysis import Break
from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.rules.base import Rule, RuleContext
from evtc.span import Span


class OrderedConsumerBehindUnorderedHop(Rule):
    """A consumer with `ordered: true` behind a hop that loses order.

    ## What it does
    Follows every path into each function with `ordered: true` and reports the first hop
    that loses order: a standard queue or topic, an event bus, a stream spread over
    several shards without a `partition_key` or with `partition_key: random`, a FIFO
    queue with `group_by: random`, a key that changes along the way, an event
    type arriving from several emitters or along several paths. The finding points at
    the declaration that loses order (the standard queue, the topic or bus, the stream's
    `shards`), with the consumer and the route into that hop as related locations.

    ## Why is this bad?
    The consumer's logic assumes order (a state machine, a running balance): applied out
    of order, an `OrderCancelled` before its `OrderPlaced` corrupts state silently, and
    only under load.

    ## Example
    ```evt
    event PaymentTaken { account_id: string }
    source checkout: app { emits: [PaymentTaken] }
    queue payments { max_receives: 5 dead_letter: payments_dlq }
    queue payments_dlq { retention: 14d }
    function ledger { handler: "ledger:apply" ordered: true }
    route checkout.PaymentTaken -> payments
    route payments -> ledger
    ```

    ## Use instead
    ```evt
    event PaymentTaken { account_id: string }
    source checkout: app { emits: [PaymentTaken] }
    queue payments { fifo: true group_by: account_id max_receives: 5 dead_letter: payments_dlq }
    queue payments_dlq { fifo: true retention: 14d }
    function ledger { handler: "ledger:apply" ordered: true }
    route checkout.PaymentTaken -> payments
    route payments -> ledger
    ```
    """

    code = "ORD001"
    name = "ordered-consumer-behind-unordered-hop"
    category = Category.ORDERING
    moves_with_text = True
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
            span, entry = _where(ctx.topology, lost, consumer)
            yield self.report(
                span,
                f"'{consumer.name}' needs events in order, but {lost.reason} ({facts.event} via {' -> '.join(facts.via)})",
                _hint(ctx.topology, lost, consumer),
                (Related(consumer.span_of("ordered"), f"'{consumer.name}' is declared `ordered: true` here"), *entry),
            )


def _where(t: ir.Topology, lost: Break, consumer: ir.Function) -> tuple[Span, tuple[Related, ...]]:
    """The declaration of the hop that loses order, with the route that leads into it; the
    route itself when the order is lost on a route (a direct invocation, a second path)."""
    at = t.component(lost.at)
    on_route = any(r.span == lost.span for r in t.routes)
    if at is None or at is consumer or not on_route or not isinstance(at, (*ir.STORES, *ir.ROUTERS)):
        return lost.span, ()
    return _loss_span(at), (Related(lost.span, f"events enter '{at.name}' here"),)


def _loss_span(at: ir.Component) -> Span:
    """The setting that loses order (`shards: 4` with no key, a written `fifo: false`), or the declaration."""
    if isinstance(at, (ir.Stream, ir.Queue)) and at.key_random:
        return at.span_of("partition_key" if isinstance(at, ir.Stream) else "group_by")
    if isinstance(at, ir.Stream) and at.partition_key is None:
        return at.span_of("shards")
    if isinstance(at, (ir.Queue, ir.Topic)) and not at.fifo:
        return at.span_of("fifo")
    return at.span


def _hint(t: ir.Topology, lost: Break, consumer: ir.Function) -> str:
    at = t.component(lost.at)
    if isinstance(at, (ir.Stream, ir.Queue)) and at.key_random:
        prop = "partition_key" if isinstance(at, ir.Stream) else "group_by"
        return f"key '{at.name}' by the field that must stay in order (`{prop}: <field>`), or by a constant for total order"
    if isinstance(at, ir.Queue):
        return f"make '{at.name}' a FIFO queue with `fifo: true` and `group_by: <key>`, or feed '{consumer.name}' from a stream"
    if isinstance(at, ir.Topic) and not at.fifo:
        return f"make '{at.name}' a FIFO topic (`fifo: true`) feeding a FIFO queue, or feed '{consumer.name}' from a stream"
    if isinstance(at, ir.Topic):
        return f"put a FIFO queue with `group_by: <key>` between '{at.name}' and '{consumer.name}'"
    if isinstance(at, ir.Bus):
        return f"an event bus never keeps order: feed '{consumer.name}' from a stream or a FIFO queue instead"
    if isinstance(at, ir.Stream) and at.partition_key is None:
        return f"give '{at.name}' a `partition_key`, the field that must stay in order"
    if isinstance(at, ir.Stream):
        return f"'{at.name}' keeps order per emitter, not across emitters: give one emitter the event type, or each its own stream"
    return f"feed '{consumer.name}' through a single stream or FIFO queue keyed by the field that must stay in order"
