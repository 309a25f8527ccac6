"""One hop at a time: what a route does to the events it carries, from the AWS facts.

The style of a hop follows from the kinds at its two ends: an emitter publishes, Lambda
polls a queue or a stream, SNS and EventBridge push to stores (reliably) or invoke
consumers asynchronously (with retries and a give-up age).
"""

from __future__ import annotations

from evtc import aws, ir
from evtc.analysis.model import Break, Drop, Hop
from evtc.plan import ASYNC_INVOKERS, Retry, RoutePlan

INF = aws.INF


def hop(t: ir.Topology, carriage: RoutePlan) -> Hop | None:
    """The hop's facts from the delivery plan's decision of how AWS carries it."""
    route = carriage.route
    source, target = t.component(route.source), t.component(route.target)
    if source is None or target is None:
        return None
    if isinstance(source, ir.Queue) and carriage.handler is not None:
        return _poll_queue(t, route, source, target, carriage.handler)
    if isinstance(source, ir.Stream) and carriage.handler is not None:
        return _poll_stream(t, route, source, target, carriage.handler)
    if carriage.carrier == "esm" and carriage.ends[0] == "dynamodb" and carriage.handler is not None:
        # NOTE: a mapping reads the table's own change stream, which DynamoDB keeps for 24 hours
        stream = ir.Stream(source.name, source.span, retention=aws.default("dynamodb.retention"))
        return _poll_stream(t, route, stream, target, carriage.handler)
    if carriage.carrier in ASYNC_INVOKERS and isinstance(target, ir.CONSUMERS):
        retry = carriage.handler if carriage.handler is not None else carriage.delivery
        stage = carriage.delivery if carriage.handler is not None and carriage.delivery.by != "caller" else None
        return _push_async(route, source, target, retry, stage)
    return _push_store(route, source, target)


# ---- the effect of the target on ordering, retention and size -------------------------
def _order(route: ir.Route, source: ir.Component, target: ir.Component) -> tuple[Break | None, str | None]:
    span = route.span
    if isinstance(target, ir.Queue):
        if not target.fifo:
            return Break(target.name, f"'{target.name}' is a standard queue, which does not keep order", span), None
        if target.key_random:
            reason = f"'{target.name}' puts every message in a group of its own (`group_by: random`), which does not keep order"
            return Break(target.name, reason, span), None
        return None, target.group_by  # NOTE: a constant group keeps the order events arrive in
    if isinstance(target, ir.Stream):
        if target.key_random and target.shards > 1:
            reason = f"'{target.name}' spreads events over {target.shards} shards at random (`partition_key: random`)"
            return Break(target.name, reason, span), None
        if target.partition_key is None and target.key_constant is None and not target.key_random and target.shards > 1:
            reason = f"'{target.name}' spreads events over {target.shards} shards with no partition_key"
            return Break(target.name, reason, span), None
        return None, target.partition_key
    if isinstance(target, ir.Topic):
        if not target.fifo:
            return Break(target.name, f"'{target.name}' is a standard topic, which does not keep order", span), None
        return None, None
    if isinstance(target, ir.Bus):
        return Break(target.name, f"'{target.name}' is an event bus, which does not keep order", span), None
    return _consumer_order(route, source, target), None


def _consumer_order(route: ir.Route, source: ir.Component, target: ir.Component) -> Break | None:
    if isinstance(source, (ir.Stream, ir.Queue)):
        return None  # polled in order: one batch per shard or message group at a time
    if isinstance(source, ir.Topic) and source.fifo:
        reason = f"'{source.name}' is a FIFO topic, but SNS FIFO delivers in order only to FIFO queues"
        return Break(source.name, reason, route.span)
    if isinstance(source, ir.Source) and source.kind == "dynamodb":
        return None  # read from the table's change stream, in order per item
    if isinstance(source, ir.EMITTERS):
        reason = f"'{source.name}' invokes '{target.name}' directly, without a store that keeps order"
        return Break(source.name, reason, route.span)
    return None  # a standard topic or bus already lost order


def _retention(target: ir.Component) -> float | None:
    if isinstance(target, (ir.Queue, ir.Stream)):
        return target.retention
    return None


def _size_limit(source: ir.Component, target: ir.Component) -> tuple[str, float] | None:
    if isinstance(source, ir.Source) and source.kind == "dynamodb":
        return ("a DynamoDB item", aws.maximum("dynamodb.record_size"))  # the table's own change stream
    if isinstance(target, ir.Queue):
        return ("an SQS message", aws.maximum("sqs.message_size"))
    if isinstance(target, ir.Stream):
        return ("a Kinesis record", aws.maximum("kinesis.record_size"))
    if isinstance(target, ir.Topic):
        return ("an SNS message", aws.maximum("sns.message_size"))
    if isinstance(target, ir.Bus):
        return ("an EventBridge event", aws.maximum("eventbridge.event_size"))
    if isinstance(target, ir.Function) and not isinstance(source, (ir.Queue, ir.Stream)):
        return ("an asynchronous Lambda invocation", aws.maximum("lambda.async_payload"))
    return None


# ---- the hop styles ---------------------------------------------------------------------
def _make(route: ir.Route, source: ir.Component, target: ir.Component, style: str, **kw: object) -> Hop:
    order, key = _order(route, source, target)
    fields: dict[str, object] = {
        "attempts": 1.0,
        "give_up": 0.0,
        "needed": 0.0,
        "dead_letter": None,
        "drops": (),
        "holders": (),
    }
    fields.update(kw)
    return Hop(
        route,
        style,
        order=order,
        key=key,
        store_retention=_retention(target),
        size_limit=_size_limit(source, target),
        **fields,  # type: ignore[arg-type]
    )


def _push_store(route: ir.Route, source: ir.Component, target: ir.Component) -> Hop:
    """An emitter publishing, or SNS/EventBridge delivering to a store: retried for a day or
    more by AWS, so nothing is lost here but what a filter leaves out."""
    style = "publish" if isinstance(source, ir.EMITTERS) else "push-store"
    # A subscription's dead letter (SNS redrive) receives the whole message it could not deliver.
    redrive = (route.dead_letter,) if route.dead_letter and style == "push-store" else ()
    return _make(
        route,
        source,
        target,
        style,
        drops=_filtered(route),
        holders=_target_holder(target) + redrive,
        dead_letter=route.dead_letter if style == "push-store" else None,
    )


def _target_holder(target: ir.Component) -> tuple[str, ...]:
    return (target.name,) if isinstance(target, (*ir.STORES, *ir.ROUTERS)) else ()


def _filtered(route: ir.Route) -> tuple[Drop, ...]:
    if route.when is None:
        return ()
    return (
        Drop(
            route.source,
            "filtered",
            f"the filter on {route.source} -> {route.target} leaves events out",
            route.when.span,
        ),
    )


def _poll_queue(t: ir.Topology, route: ir.Route, queue: ir.Queue, target: ir.Component, retry: Retry) -> Hop:
    attempts = retry.attempts
    per_attempt = max(queue.visibility_timeout, getattr(target, "timeout", 0.0))
    needed = queue.delay + attempts * per_attempt
    give_up = min(needed, queue.retention)
    drops = _filtered(route) + _expire_unread(route, queue)
    if queue.dead_letter is None:
        kind = "explicit" if queue.on_exhausted == "drop" else "expired"
        reason = f"messages that keep failing expire from '{queue.name}' after its retention ({_days(queue.retention)})"
        drops += (Drop(queue.name, kind, reason, queue.span),)
    elif needed > queue.retention:
        reason = (
            f"'{queue.name}' deletes messages after {_days(queue.retention)}, before its {attempts:g} receives run out"
        )
        drops += (Drop(queue.name, "expired", reason, queue.span_of("retention")),)
    holders: tuple[str, ...] = (queue.dead_letter,) if queue.dead_letter and t.component(queue.dead_letter) else ()
    holders += _target_holder(target)
    return _make(
        route,
        queue,
        target,
        "poll-queue",
        attempts=attempts,
        give_up=give_up,
        needed=needed,
        dead_letter=queue.dead_letter,
        drops=drops,
        holders=holders,
    )


def _expire_unread(route: ir.Route, queue: ir.Queue) -> tuple[Drop, ...]:
    """Every message, when the queue's `delay` (plus the batch the route gathers) lasts as
    long as its retention: SQS deletes each one before Lambda can receive it."""
    window = route.batching_window or 0.0
    waits = queue.delay + window
    if waits < queue.retention:
        return ()
    written = [f"its delay of {_days(queue.delay)}"] if queue.delay else []
    written += [f"the {_days(window)} batching window of '{route.source} -> {route.target}'"] if window else []
    reason = (
        f"every message expires from '{queue.name}' (retention {_days(queue.retention)}) before '{route.target}' "
        f"can receive it: {' plus '.join(written)} {'is' if len(written) == 1 else 'are'} at least as long"
    )
    span = queue.span_of("delay") if queue.delay >= queue.retention else route.span_of("batching_window")
    return (Drop(queue.name, "undeliverable", reason, span),)


def _poll_stream(t: ir.Topology, route: ir.Route, stream: ir.Stream, target: ir.Component, retry: Retry) -> Hop:
    attempts, max_age = retry.attempts, retry.max_age
    needed = min(max_age, attempts * max(getattr(target, "timeout", 1.0), 1.0))
    give_up = min(needed, stream.retention)
    drops = _filtered(route) + _stream_drop(route, stream, target, attempts, max_age, needed)
    if not isinstance(target, ir.CONSUMERS):
        # NOTE: a pipe into a store or router fails only while AWS is unavailable; such
        # retries are not re-runs of a consumer, so they do not multiply its attempts.
        attempts = 1.0
    # NOTE: a stream's on-failure destination receives the batch's position, not its
    # records, so the dead letter never holds the payload.
    return _make(
        route,
        stream,
        target,
        "poll-stream",
        attempts=attempts,
        give_up=give_up,
        needed=needed,
        dead_letter=route.dead_letter,
        drops=drops,
        holders=_target_holder(target),
    )


def _stream_drop(
    route: ir.Route, stream: ir.Stream, target: ir.Component, attempts: float, max_age: float, needed: float
) -> tuple[Drop, ...]:
    if route.dead_letter is not None:
        return ()
    if not isinstance(target, ir.CONSUMERS) and attempts == INF and max_age == INF:
        return ()  # retried until AWS is back, within the stream's retention
    kind = "explicit" if route.on_exhausted == "drop" else "exhausted" if needed <= stream.retention else "expired"
    reason = f"records that keep failing are skipped after {_bound(attempts, max_age, stream.retention)}, with no dead letter"
    return (Drop(route.target, kind, reason, route.span),)


def _push_async(
    route: ir.Route, source: ir.Component, target: ir.Component, retry: Retry, delivery: Retry | None = None
) -> Hop:
    retries, max_age = retry.attempts - 1, retry.max_age
    drops = _filtered(route)
    if retry.dead_letter is None:
        kind = "explicit" if route.on_exhausted == "drop" else "exhausted"
        reason = f"'{source.name}' drops events '{target.name}' fails on after {retries:g} retries ({_days(max_age)} at most)"
        drops += (Drop(route.target, kind, reason, route.span),)
    holders = (retry.dead_letter,) if retry.dead_letter else ()
    undelivered = delivery.dead_letter if delivery is not None else None
    holders += (undelivered,) if undelivered and undelivered != retry.dead_letter else ()
    return _make(
        route,
        source,
        target,
        "push-endpoint" if isinstance(target, ir.Endpoint) else "push-async",
        attempts=retry.attempts,
        give_up=max_age,
        needed=max_age,
        dead_letter=retry.dead_letter,
        drops=drops,
        holders=holders,
        delivery=delivery,
    )


# ---- wording ----------------------------------------------------------------------------
def _bound(attempts: float, max_age: float, retention: float) -> str:
    if attempts == INF and max_age == INF:
        return f"the records expire ({_days(retention)})"
    if attempts == INF:
        return f"{_days(max_age)}"
    return f"{attempts - 1:g} retries"


def _days(seconds: float) -> str:
    return duration_text(seconds)


def duration_text(seconds: float) -> str:
    """`4d`, `6h`, `90s`, `7.1d`, `unbounded`: the largest unit that fits, exact when it can be."""
    if seconds == INF:
        return "unbounded"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            value = seconds / size
            return f"{int(value)}{unit}" if value == int(value) else f"{value:.1f}{unit}"
    return f"{seconds:g}s"
