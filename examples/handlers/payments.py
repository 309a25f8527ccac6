"""Stripe and GitHub webhooks: fulfil paid orders once, chase failed payments, deploy main."""

from __future__ import annotations

from typing import Any

from evtc.envelope import records

FULFILLED: dict[str, int] = {}  # payment intent id -> amount fulfilled
CHASED: list[str] = []  # payment intents whose customers were reminded
DEPLOYED: list[str] = []  # commits deployed from main


def fulfil(event: dict[str, Any], context: Any) -> None:
    """Stripe may send an event more than once: fulfil each payment intent once."""
    for envelope in records(event):
        intent = envelope.data["data"]["object"]
        if intent["amount"] < 0:
            raise ValueError(f"payment intent {intent['id']} has a negative amount")
        FULFILLED.setdefault(intent["id"], int(intent["amount"]))


def dunning(event: dict[str, Any], context: Any) -> dict[str, Any]:
    for envelope in records(event):
        intent = envelope.data["data"]["object"]["id"]
        if intent not in CHASED:
            CHASED.append(intent)
    return {"batchItemFailures": []}


def deploy(event: dict[str, Any], context: Any) -> None:
    for envelope in records(event):
        DEPLOYED.append(envelope.data["after"])


def reset() -> None:
    FULFILLED.clear()
    CHASED.clear()
    DEPLOYED.clear()
