"""What happened in a run, as rows: per event, per consumer, per store. Pure reads of a Runtime."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evtc.targets.local.ledger import outcome

if TYPE_CHECKING:
    from evtc.targets.local.runtime import Runtime


@dataclass(frozen=True)
class EventRow:
    number: int
    id: str
    emitter: str
    type: str
    summary: str
    outcome: str
    reached: tuple[str, ...]  # consumers that received it, with a count when more than once
    parked: tuple[str, ...]  # stores holding it now (dead letters, unconsumed queues)
    reason: str


@dataclass(frozen=True)
class ConsumerRow:
    name: str
    kind: str
    invocations: int
    deliveries: int
    distinct: int
    errors: int
    peak: int


def event_rows(rt: Runtime) -> list[EventRow]:
    reached: dict[str, Counter[str]] = defaultdict(Counter)
    for name, consumer in rt.consumers.items():
        for envelope in consumer.delivered:
            reached[envelope.id][name] += 1
    parked: dict[str, list[str]] = defaultdict(list)
    for name, store in rt.stores.items():
        if store.kind == "queue":
            for envelope in store.held():
                parked[envelope.id].append(name)
    return [_event_row(i, e, reached[e.id], parked[e.id], rt) for i, e in enumerate(rt.ledger.emitted, 1)]


def _event_row(number: int, envelope: Any, reached: Counter[str], parked: list[str], rt: Runtime) -> EventRow:
    consumers = tuple(name if count == 1 else f"{name}×{count}" for name, count in sorted(reached.items()))
    reason = "; ".join(rt.ledger.reasons.get(envelope.id, ()))
    return EventRow(
        number,
        envelope.id,
        envelope.source.rsplit("/", 1)[-1],
        envelope.type,
        summarise(envelope.data),
        outcome(envelope),
        consumers,
        tuple(sorted(set(parked))),
        reason,
    )


def summarise(data: Any, width: int = 48) -> str:
    text = json.dumps(data, separators=(",", ":"), default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def consumer_rows(rt: Runtime) -> list[ConsumerRow]:
    errors = Counter(name for _, name, _ in rt.errors)
    rows = []
    for name, consumer in sorted(rt.consumers.items()):
        delivered = consumer.delivered
        rows.append(
            ConsumerRow(
                name,
                consumer.kind,
                getattr(consumer, "invocations", len(delivered)),
                len(delivered),
                len({e.id for e in delivered}),
                errors[name],
                getattr(consumer, "peak", 0),
            )
        )
    return rows


def store_rows(rt: Runtime) -> list[tuple[str, str, int]]:
    """(store, kind, events held now) for every store holding something."""
    rows = [(name, store.kind, len(store.held())) for name, store in sorted(rt.stores.items())]
    return [row for row in rows if row[2]]
