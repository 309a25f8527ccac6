"""The order saga's services: each writes its own table, whose stream publishes the event."""

from __future__ import annotations

from typing import Any

from evtc import write
from evtc.envelope import records
from evtc.write import KindNotDeclaredError

STOCK: dict[str, int] = {}  # sku -> units on hand (the inventory service's own state)
POINTS: dict[str, int] = {}  # customer -> reward points
DEFAULT_STOCK = 10


def reset() -> None:
    STOCK.clear()
    POINTS.clear()


def create_order(event: dict[str, Any], context: Any) -> None:
    """The orders service: the order and its event in one write (the outbox)."""
    for envelope in records(event):
        try:
            write.put_item("orders", {**envelope.data, "status": "pending"})
        except KindNotDeclaredError:
            pass  # NOTE: the order exists already: a repeated request creates nothing


def reserve_stock(event: dict[str, Any], context: Any) -> None:
    """The inventory service: reserve the units, record the outcome in its outbox."""
    for envelope in records(event):
        order = envelope.data
        left = STOCK.get(order["sku"], DEFAULT_STOCK)
        reserved = order["quantity"] <= left
        record = {"order_id": order["order_id"], "sku": order["sku"], "quantity": order["quantity"]}
        try:
            write.put_item("reservations", {**record, "outcome": "reserved" if reserved else "failed"})
        except KindNotDeclaredError:
            continue  # NOTE: a duplicate delivery: the conditional insert refused it; stock was taken once
        if reserved:
            STOCK[order["sku"]] = left - order["quantity"]


def settle_order(event: dict[str, Any], context: Any) -> None:
    """The orders service again: confirm, or cancel (the saga's compensation)."""
    for envelope in records(event):
        status = "confirmed" if envelope.data["outcome"] == "reserved" else "cancelled"
        write.update_item("orders", {"order_id": envelope.data["order_id"]}, {"status": status})


def award_points(event: dict[str, Any], context: Any) -> None:
    """The rewards service: a point per unit of currency of a confirmed order."""
    for envelope in records(event):
        customer = envelope.data["customer_id"]
        POINTS[customer] = POINTS.get(customer, 0) + int(envelope.data["total"])
