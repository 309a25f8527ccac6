"""The web store's order history (account A): records each order it published. Its events
keep evtc's envelope, so `records` reads them whatever hop they came over."""

from __future__ import annotations

from typing import Any

from evtc.envelope import records

HISTORY: dict[str, str] = {}  # order number -> the CloudEvents id it was published with


def record(event: dict[str, Any], context: Any) -> None:
    for envelope in records(event):
        HISTORY[envelope.data["orderNo"]] = envelope.id


def reset() -> None:
    HISTORY.clear()
