"""Fraud scoring: scores large EU orders (SQS batches from fraud_jobs) and emits OrderScored."""

from __future__ import annotations

from typing import Any

import evtc
from evtc.envelope import records
HIGH_RISK_REGIONS = {"eu-central-1": 0.25, "eu-west-1": 0.1}
STORE: dict[str, float] = {}  # order_id -> last score


def score(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failures = []
    for record, envelope in zip(event["Records"], records(event)):
        order = envelope.data
        try:
            value = risk(float(order["amount"]), str(order["region"]))
        except (KeyError, TypeError, ValueError):
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        STORE[order["order_id"]] = value
        evtc.emit("OrderScored", {"order_id": order["order_id"], "score": value})
    return {"batchItemFailures": failures}


def risk(amount: float, region: str) -> float:
    """A toy model: large amounts and some regions raise the score, capped at 1."""
    base = min(amount / 2_000.0, 0.75)
    return round(min(1.0, base + HIGH_RISK_REGIONS.get(region, 0.0)), 3)


def reset() -> None:
    STORE.clear()
