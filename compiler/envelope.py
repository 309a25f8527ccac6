"""The wire format: every event travels as a CloudEvents 1.0 structured JSON envelope.

Shared by the local runtime and the Pulumi target's Lambda runtime, so it is pure: no
clocks, no I/O. Times are epoch seconds (float) in memory and RFC 3339 text on the wire.

>>> e = Envelope("e1", "evtc://orders/checkout", "OrderPlaced", 0.0, 0.5, {"order_id": "o1"}, "o1")
>>> e.to_json()[:60]
'{"specversion":"1.0","id":"e1","source":"evtc://orders/check'
>>> parse(e.to_json()) == e
True
>>> records({"Records": [{"eventSource": "aws:sqs", "body": e.to_json()}]})[0]["data"]
{'order_id': 'o1'}
"""

from __future__ import annotations

import base64
import json
import math
import os
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"
WIRE_KEYS = ("specversion", "id", "source", "type", "time", "recordedtime", "datacontenttype", "data", "partitionkey")
_REQUIRED = ("id", "source", "type")
_ATTRIBUTES = frozenset(("id", "source", "type"))
_TIMES = frozenset(("time", "recordedtime"))
_CONSTANTS = {"specversion": SPECVERSION, "datacontenttype": CONTENT_TYPE}


class EnvelopeError(ValueError):
    """The text or record is not an evtc CloudEvents envelope."""


def source_uri(topology: str, component: str) -> str:
    """The CloudEvents `source` naming the emitting component (provenance)."""
    return f"evtc://{topology}/{component}"


def format_time(seconds: float) -> str:
    """Epoch seconds as RFC 3339 UTC text with milliseconds (`2026-01-01T00:00:00.000Z`)."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


def parse_time(text: str | float) -> float:
    """RFC 3339 text (or epoch seconds) as epoch seconds; raise EnvelopeError when neither."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    try:
        moment = datetime.fromisoformat(str(text))  # NOTE: Python 3.11 reads a trailing Z
    except ValueError:
        raise EnvelopeError(f"not an RFC 3339 time: {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


class Envelope(Mapping[str, Any]):
    """One CloudEvent: a read-only mapping of its wire keys, with attribute access too.

    `e.data` and `e["data"]`, `e.get("time")` (RFC 3339 text, as on the wire), `"id" in e`,
    `e.keys()`, `dict(e)` all work, as handlers expect of the JSON object; nothing can be
    assigned through the mapping.

    NOTE: slots and no cached JSON keep a queued event small; the JSON text is built only
    when a handler actually reads a body.
    """

    __slots__ = ("data", "id", "partitionkey", "recordedtime", "source", "time", "type")

    def __init__(
        self,
        id: str,
        source: str,
        type: str,
        time: float,
        recordedtime: float,
        data: Any,
        partitionkey: str | None = None,
    ) -> None:
        self.id = id
        self.source = source
        self.type = type
        self.time = time
        self.recordedtime = recordedtime
        self.data = data
        self.partitionkey = partitionkey

    def to_dict(self) -> dict[str, Any]:
        wire = {
            "specversion": SPECVERSION,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "time": format_time(self.time),
            "recordedtime": format_time(self.recordedtime),
            "datacontenttype": CONTENT_TYPE,
            "data": self.data,
        }
        if self.partitionkey is not None:
            wire["partitionkey"] = self.partitionkey
        return wire

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False)

    def __getitem__(self, key: str) -> Any:
        # NOTE: one key read without building the whole wire object.
        if key == "data":
            return self.data
        if key in _ATTRIBUTES:
            return getattr(self, key)
        if key in _TIMES:
            return format_time(getattr(self, key))
        if key == "partitionkey" and self.partitionkey is not None:
            return self.partitionkey
        if key in _CONSTANTS:
            return _CONSTANTS[key]
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(WIRE_KEYS if self.partitionkey is not None else WIRE_KEYS[:-1])

    def __len__(self) -> int:
        return len(WIRE_KEYS) if self.partitionkey is not None else len(WIRE_KEYS) - 1

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Envelope) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.id, self.source))

    def __repr__(self) -> str:
        return f"Envelope({self.type} {self.id} from {self.source}: {self.data!r})"


def from_dict(wire: Mapping[str, Any]) -> Envelope:
    """An envelope from its structured JSON object; raise EnvelopeError when it is not one."""
    if not isinstance(wire, Mapping) or wire.get("specversion") != SPECVERSION:
        raise EnvelopeError("not a CloudEvents 1.0 envelope (specversion must be '1.0')")
    missing = [key for key in _REQUIRED if not isinstance(wire.get(key), str)]
    if missing:
        raise EnvelopeError(f"envelope lacks {', '.join(missing)}")
    time = parse_time(wire.get("time", 0.0))
    recorded = parse_time(wire.get("recordedtime", wire.get("time", 0.0)))
    key = wire.get("partitionkey")
    return Envelope(wire["id"], wire["source"], wire["type"], time, recorded, wire.get("data"), key)


def parse(value: str | bytes | Mapping[str, Any]) -> Envelope:
    """An envelope from JSON text, bytes or an already decoded object."""
    if not isinstance(value, (str, bytes)):
        return from_dict(value)
    try:
        decoded = json.loads(value)
    except ValueError as error:
        raise EnvelopeError(f"envelope is not JSON: {error}") from None
    return from_dict(decoded)


# ---- DynamoDB JSON, the shape a table's change stream carries ---------------------------------
def to_dynamodb(value: Any) -> dict[str, Any]:
    """A JSON value in DynamoDB's typed form (`{"S": "x"}`, `{"N": "1"}`, `{"M": {...}}`)."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, float)):
        return {"N": dynamodb_number(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, Mapping):
        return {"M": {str(k): to_dynamodb(v) for k, v in value.items()}}
    return {"L": [to_dynamodb(v) for v in value]}


DYNAMODB_DIGITS = 38  # significant digits DynamoDB keeps; it rejects more
DYNAMODB_EXPONENTS = (-130, 125)  # the range of DynamoDB's numbers, as powers of ten


def dynamodb_number(value: int | float) -> str:
    """The text DynamoDB stores (and streams) for a number: plain decimal notation, no
    exponent, no leading or trailing zeros (`5.0` -> "5", `1e-06` -> "0.000001").

    Raises ValueError for what DynamoDB rejects: NaN, infinities, more than 38 significant
    digits, magnitudes outside 1e-130 .. 1e126.
    """
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"DynamoDB has no number {value!r}")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if number.is_zero():
        return "0"
    significant = len("".join(map(str, number.as_tuple().digits)).strip("0"))
    low, high = DYNAMODB_EXPONENTS
    if significant > DYNAMODB_DIGITS or not low <= number.adjusted() <= high:
        raise ValueError(f"{value!r} is outside DynamoDB's numbers (38 significant digits, 1e-130 to 1e126)")
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def from_dynamodb(typed: Mapping[str, Any]) -> Any:
    """The plain JSON value of a DynamoDB typed value (the inverse of `to_dynamodb`)."""
    ((kind, value),) = typed.items()
    if kind == "N":
        return float(value) if any(c in value for c in ".eE") else int(value)  # NOTE: ints exactly
    if kind == "M":
        return {k: from_dynamodb(v) for k, v in value.items()}
    if kind == "L":
        return [from_dynamodb(v) for v in value]
    if kind == "NULL":
        return None
    if kind in ("SS", "BS"):
        return list(value)
    if kind == "NS":
        return [from_dynamodb({"N": v}) for v in value]
    return value  # S, B, BOOL


# ---- every Lambda event shape back to envelopes ---------------------------------------------------
def records(event: Any) -> list[Envelope]:
    """The envelopes in any event Lambda gives a handler on an evtc hop.

    SQS, Kinesis, DynamoDB stream and SNS batches, an EventBridge event, a direct invoke
    (an envelope, or a list of them). Raise EnvelopeError on anything else.
    """
    if isinstance(event, list):
        return [parse(item) if not isinstance(item, Envelope) else item for item in event]
    if isinstance(event, Envelope):
        return [event]
    if not isinstance(event, Mapping):
        raise EnvelopeError(f"not a Lambda event: {type(event).__name__}")
    carried = getattr(event, "envelope", None)  # NOTE: the local runtime's lazily built events
    if isinstance(carried, Envelope):
        return [carried]
    batch = event.get("Records")
    if batch is not None:
        known = getattr(batch, "envelopes", None)  # the local runtime's lazily built batches
        if known is not None and not any(getattr(e, "stripped", False) for e in known):
            return list(known)
        return [
            parse(_record_payload(record)) for record in batch
        ]  # NOTE: a payload without envelope raises, as on AWS
    if "detail-type" in event and "detail" in event:
        return [from_dict(event["detail"])]
    return [from_dict(event)]


def _record_payload(record: Any) -> str | bytes | Mapping[str, Any]:
    if not isinstance(record, Mapping):
        raise EnvelopeError(f"not a Lambda record: {type(record).__name__}")
    source = record.get("eventSource") or record.get("EventSource")
    if source == "aws:sqs":
        return str(record["body"])
    if source == "aws:kinesis":
        return base64.b64decode(record["kinesis"]["data"])
    if source == "aws:sns":
        return str(record["Sns"]["Message"])
    if source == "aws:dynamodb":
        return _dynamodb_payload(record)
    raise EnvelopeError(f"unknown record source: {source!r}")


CHANGES_ENV = "EVTC_CHANGES"


def _dynamodb_payload(record: Mapping[str, Any]) -> Mapping[str, Any]:
    """A table change: the item is the event's data (an item that is an envelope is one).

    NOTE: the record does not say which evtc event type the table holds; the type is
    `aws.dynamodb.<eventName>` unless the function's environment names it (`EVTC_EVENT`).
    """
    change = record.get("dynamodb") or {}
    image = change.get("NewImage") or change.get("OldImage") or change.get("Keys") or {}
    item = {key: from_dynamodb(value) for key, value in image.items()}
    if item.get("specversion") == SPECVERSION:
        return item
    at = format_time(float(change.get("ApproximateCreationDateTime") or 0.0))
    change_kind = str(record.get("eventName", "INSERT"))
    bound = json.loads(os.environ.get(CHANGES_ENV) or "{}")  # NOTE: eventName -> event type (evtc.plan.changes)
    kind = bound.get(change_kind) or os.environ.get("EVTC_EVENT") or f"aws.dynamodb.{change_kind}"
    return {
        "specversion": SPECVERSION,
        "id": str(record.get("eventID") or change.get("SequenceNumber") or ""),
        "source": str(record.get("eventSourceARN") or "aws:dynamodb"),
        "type": kind,
        "time": at,
        "data": item,
    }
