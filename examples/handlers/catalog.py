"""Product catalogue: a search index fed by bus events, and an archive of every change."""

from __future__ import annotations

import json
from typing import Any

from evtc.envelope import records
INDEX: dict[str, dict[str, Any]] = {}  # sku -> the searchable document
ARCHIVE: dict[str, str] = {}  # object key -> archived JSON (stands in for cold storage)


def index(event: dict[str, Any], context: Any) -> None:
    """One EventBridge event per invocation; newer changes replace older ones."""
    for envelope in records(event):
        product = envelope.data
        current = INDEX.get(product["sku"])
        if current is not None and current["updated_at"] > product["updated_at"]:
            continue  # out-of-order delivery from the bus: keep the newer document
        INDEX[product["sku"]] = {
            "sku": product["sku"],
            "name": product["name"],
            "price": product["price"],
            "currency": product["currency"],
            "tags": sorted(product["tags"]),
            "updated_at": product["updated_at"],
        }


def archive(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Write each change under a key unique to the event, so a redelivery overwrites itself."""
    for envelope in records(event):
        key = f"{envelope.data['sku']}/{envelope.id}.json"
        ARCHIVE[key] = json.dumps(envelope.to_dict(), sort_keys=True)
    return {"batchItemFailures": []}


def reset() -> None:
    INDEX.clear()
    ARCHIVE.clear()
