"""Orders: fulfilment follows creations and updates, refunds follow removals."""

from __future__ import annotations

from typing import Any

from evtc.envelope import records
FULFILMENT: dict[str, str] = {}  # order id -> last seen event type
REFUNDED: list[str] = []


def fulfil(event: dict[str, Any], context: Any) -> None:
    for envelope in records(event):
        FULFILMENT[envelope.data["id"]] = envelope.type


def refund(event: dict[str, Any], context: Any) -> None:
    for envelope in records(event):
        if envelope.type != "OrderRemoved":
            raise ValueError(f"refunds take removals only, not {envelope.type}")
        REFUNDED.append(envelope.data["id"])
