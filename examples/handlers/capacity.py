"""Capacity ordering: plans limit increases from the table's change stream, places orders."""

from __future__ import annotations

import math
from typing import Any

import evtc
from evtc.envelope import records
UNIT = 100  # capacity is ordered in blocks of 100
URGENT_SERVICES = {"lambda", "ec2"}
PLANS: dict[str, dict[str, Any]] = {}  # request_id -> the order planned
ORDERS: list[str] = []  # request ids placed with the supplier, in order


def plan(event: dict[str, Any], context: Any) -> None:
    """Each change record becomes a CapacityOrder; a bad request fails the batch (bisected)."""
    for envelope in records(event):
        request = envelope.data
        requested = request["requested"]
        if not isinstance(requested, (int, float)) or requested <= 0:
            raise ValueError(f"request {request['request_id']}: bad amount {requested!r}")
        order = {
            "request_id": request["request_id"],
            "service": request["service"],
            "region": request["region"],
            "units": math.ceil(requested / UNIT),
            "priority": priority(request["service"], requested),
        }
        PLANS[request["request_id"]] = order
        evtc.emit("CapacityOrder", order)


def priority(service: str, requested: float) -> str:
    if service in URGENT_SERVICES and requested >= 1000:
        return "urgent"
    return "high" if requested >= 500 else "normal"


def place_order(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Place each order once; SQS may deliver a message twice."""
    for envelope in records(event):
        request_id = envelope.data["request_id"]
        if request_id not in ORDERS:
            ORDERS.append(request_id)
    return {"batchItemFailures": []}


def reset() -> None:
    PLANS.clear()
    ORDERS.clear()
