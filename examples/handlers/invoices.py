"""Invoice processing (account C): bills each new order the web store (account A) put on
the central bus (account B). The function receives the web store's own EventBridge event."""

from __future__ import annotations

from typing import Any

INVOICES: dict[str, float] = {}  # order number -> amount billed


def process(event: dict[str, Any], context: Any) -> None:
    if event.get("source") != "com.exampleCorp.webStore" or event.get("detail-type") != "newOrderCreated":
        raise ValueError(f"not a web store order: {event.get('source')} / {event.get('detail-type')}")
    order = event["detail"]
    items = order["lineItems"]
    if items["quantityOrdered"] <= 0:
        raise ValueError(f"order {order['orderNo']} has no items")
    INVOICES[order["orderNo"]] = items["quantityOrdered"] * items["unitPrice"]


def reset() -> None:
    INVOICES.clear()
