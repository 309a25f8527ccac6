"""Events of external producers (`source NAME: external`), in their own shape.

Such an event is not evtc's: it is an EventBridge event with the producer's `source` and
`detail-type`, its fields the `detail`. Locally it travels as a `Native` envelope whose wire
form is that event, so every hop (a rule's filter, an SQS body, a function's argument)
sees exactly what AWS would hand over.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evtc import ir
from evtc.envelope import format_time
from evtc.plan.foreign import wire_type
from evtc.targets.local.ledger import Tracked
from evtc.targets.local.shapes import ACCOUNT, REGION


class Native(Tracked):
    """An external producer's event: its wire form is the EventBridge event itself."""

    __slots__ = ("wire",)

    def to_dict(self) -> dict[str, Any]:
        return {**self.wire, "detail": self.data}


def native(envelope: Tracked, producer: ir.Source, given: Mapping[str, Any] | None = None) -> Native:
    """`envelope` as the producer's EventBridge event (fields of `given` kept, as injected)."""
    found = Native(
        envelope.id,
        envelope.source,
        envelope.type,
        envelope.time,
        envelope.recordedtime,
        envelope.data,
        envelope.partitionkey,
    )
    found.wire = {
        "version": "0",
        "id": envelope.id,
        "detail-type": wire_type(producer, envelope.type),
        "source": producer.event_source or producer.name,
        "account": producer.account or ACCOUNT,
        "time": format_time(envelope.time)[:19] + "Z",
        "region": REGION,
        "resources": [],
        **{k: v for k, v in (given or {}).items() if k in ("id", "account", "region", "resources", "time")},
    }
    return found


def event_type_of(producer: ir.Source, event: Mapping[str, Any]) -> str | None:
    """The event type a native event is, by the producer's bindings; None when it is not
    one of this producer's (another `source`, or a `detail-type` it is not bound to)."""
    if event.get("source") != producer.event_source:
        return None
    return next((name for name, text in producer.detail_types if text == event.get("detail-type")), None)


def refusal(producer: ir.Source, event: Mapping[str, Any], home: str | None = None) -> str | None:
    """Why AWS would refuse `event` from `producer`'s account (None: it would accept it).

    A producer in another account may put exactly the events the bus policy admits: from its
    declared `account`, with its `source` and bound `detail-type`s (`evtc.plan.accounts`).
    An event sent from any other account has no statement admitting it: PutEvents is denied.
    """
    sender = event.get("account")
    allowed = producer.account or home or ACCOUNT
    if sender is None or sender == allowed or (producer.account is None and sender == ACCOUNT):
        return None
    return (
        f"AccessDeniedException: account {sender} may not put events as '{producer.name}' "
        f"(the bus policy admits account {allowed} only)"
    )
