"""A hop that strips evtc's envelope (`wire: payload`, `evtc.plan.wire`), locally.

The event moves on as a `Stripped` copy whose wire form is what AWS hands over there: the
payload alone (an SQS body, a Lambda payload), or on a bus an EventBridge event whose
`detail` is the payload, with the emitter's `source` and `detail-type`. Its ledger entry
stays the original's, so conservation still counts one event. A handler's
`evtc.records` cannot read an envelope out of it, exactly as on AWS.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from evtc.envelope import Envelope, format_time
from evtc.plan.wire import WireName
from evtc.targets.local.ledger import Tracked
from evtc.targets.local.shapes import ACCOUNT, REGION


class Stripped(Envelope):
    """An event without its envelope on the wire; bookkeeping delegated to the original."""

    __slots__ = ("origin", "wire")
    stripped = True

    def __init__(self, origin: Tracked, wire: dict[str, Any] | None = None) -> None:
        super().__init__(
            origin.id, origin.source, origin.type, origin.time, origin.recordedtime, origin.data, origin.partitionkey
        )
        self.origin = origin
        self.wire = wire

    @property
    def fate(self) -> int:
        return self.origin.fate

    @fate.setter
    def fate(self, value: int) -> None:
        self.origin.fate = value

    @property
    def live(self) -> int:
        return self.origin.live

    @live.setter
    def live(self, value: int) -> None:
        self.origin.live = value

    def to_dict(self) -> dict[str, Any]:
        if self.wire is not None:
            return {**self.wire, "detail": self.data}
        return dict(self.data) if isinstance(self.data, dict) else self.data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False)


def on_bus(envelope: Tracked, name: WireName) -> dict[str, Any]:
    """The EventBridge fields of an event put with its payload as `detail`."""
    return {
        "version": "0",
        "id": envelope.id,
        "detail-type": name.of(envelope.data),
        "source": name.source,
        "account": ACCOUNT,
        "time": format_time(envelope.time)[:19] + "Z",
        "region": REGION,
        "resources": [],
    }


def stripping(send: Callable[[Any], None], name_of: Callable[[Any], WireName] | None) -> Callable[[Any], None]:
    """`send` handed the payload alone; `name_of` (into a bus) names the event there."""

    def strip(envelope: Any) -> None:
        if getattr(envelope, "stripped", False) or getattr(envelope, "wire", None) is not None:
            base = envelope.origin if isinstance(envelope, Stripped) else envelope
            send(Stripped(base))  # NOTE: already in its own shape: the payload is its `data`
            return
        send(Stripped(envelope, on_bus(envelope, name_of(envelope)) if name_of is not None else None))

    return strip
