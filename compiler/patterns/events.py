"""Turn what a caller hands us into the JSON object a pattern is matched against.

EventBridge and Lambda filters see the event (or record) as JSON; an SNS body filter sees
the message body, which may be any text; an SNS attribute filter sees message attributes
in SNS's typed form, whose values are text that SNS interprets by `Type`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from evtc.patterns.conditions import MISSING


class _Opaque:
    """An attribute that is present but has no comparable value (e.g. a malformed array)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "OPAQUE"


OPAQUE: Any = _Opaque()


def json_object(event: Any) -> dict[str, Any] | None:
    """The event as a JSON object; None when it is text that is not JSON at all."""
    if isinstance(event, (str, bytes)):
        event = parse_json(event.decode("utf-8", "replace") if isinstance(event, bytes) else event)
        if event is INVALID:
            return None
    # NOTE: a body that is JSON but not an object (a number, a list) has no fields.
    return event if isinstance(event, dict) else {}


INVALID: Any = object()
# NOTE: the decoder's scanner (set in its __init__, untyped in the stubs) is json.loads
# minus its Python-level wrapping.
_scan: Callable[[str, int], tuple[Any, int]] = getattr(json.JSONDecoder(), "scan_once")  # noqa: B009
_BLANK = " \t\n\r"


def parse_json(text: str) -> Any:
    """`json.loads` without its Python-level layers (a third of its cost on small bodies);
    `INVALID` for text that is not one JSON value."""
    start = 0
    if text[:1] in _BLANK:  # NOTE: true of "" too, which then fails below as it should
        while start < len(text) and text[start] in _BLANK:
            start += 1
    try:
        value, end = _scan(text, start)
    except (StopIteration, ValueError, RecursionError):  # NOTE: too deep for Python: unreadable
        return INVALID
    if end != len(text) and text[end:].strip(_BLANK):
        return INVALID
    return value


def attribute_value(attribute: Any) -> Any:
    """One SNS message attribute (`{"Type": "Number", "Value": "3"}`) as the value SNS
    compares; MISSING for Binary attributes, which SNS filtering ignores. A plain JSON
    value (not in SNS form) is taken as it is."""
    if type(attribute) is not dict:
        return attribute
    kind = attribute.get("Type") or attribute.get("DataType")
    if kind is None:
        return attribute
    text = attribute.get("Value")
    if text is None:
        text = attribute.get("StringValue")
    if kind == "String":  # NOTE: the common types first, before custom labels are split
        return text if type(text) is str else json.dumps(text)
    if kind == "Number":
        if type(text) is str:  # NOTE: inlined, the usual Number attribute is one call cheaper
            try:
                return float(text)
            except ValueError:
                return OPAQUE
        return _number_value(text)
    if kind == "String.Array":
        return _array_value(text)
    base = str(kind).split(".", 1)[0]  # custom labels: "Number.float", "String.id"
    if base == "String":
        return text if isinstance(text, str) else json.dumps(text)
    if base == "Number":
        return _number_value(text)
    return MISSING


def _array_value(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    value = parse_json(text)
    return OPAQUE if value is INVALID else value


def _number_value(text: Any) -> Any:
    if not isinstance(text, str):
        return text if type(text) in (int, float) else OPAQUE
    try:
        return float(text)  # numbers compare as numbers: 300 and 3.0e2 are the same
    except ValueError:
        return OPAQUE
