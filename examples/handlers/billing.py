"""Billing: charges each order once, in order per order_id (Kinesis batches from order_log)."""

from __future__ import annotations

from typing import Any

from evtc.envelope import (
    records,  # NOTE: the same function as evtc.local.records, without the runtime
)

STORE: dict[str, list[float]] = {}  # order_id -> amounts charged, in the order seen
SEEN: set[str] = set()  # event ids already charged: the stream may redeliver a batch


def on_order(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Charge every new order; report the first bad record so the shard retries from it."""
    for record, envelope in zip(event["Records"], records(event)):
        if envelope.id in SEEN:
            continue  # at-least-once delivery: a retried batch repeats what already succeeded
        amount = envelope.data["amount"]
        if not isinstance(amount, (int, float)) or amount < 0:
            return {"batchItemFailures": [{"itemIdentifier": record["kinesis"]["sequenceNumber"]}]}
        STORE.setdefault(envelope.data["order_id"], []).append(float(amount))
        SEEN.add(envelope.id)
    return {"batchItemFailures": []}


def reset() -> None:
    STORE.clear()
    SEEN.clear()
