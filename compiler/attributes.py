"""SNS message attributes of an event, as the producer sets them on publish.

An event field annotated `@attribute` travels twice to a topic: in the envelope's `data`
(as every field does) and as an SNS message attribute of the same name, which a
subscription's filter policy in `MessageAttributes` scope reads (and which subscribers
outside the topology see). Such an event also carries its type as the attribute
`evtc.type`, so that a filter in that scope can select event types.

Pure and tiny: the local runtime and the Lambda runtime (which ships it) both build the
attributes here, from the per-event specs the compiler derives (`evtc.plan.attributes`).

>>> message_attributes("OrderPlaced", {"region": "eu", "total": 12.5, "tags": ["a"]},
...                    {"region": "String", "total": "Number", "tags": "String.Array"})["total"]
{'DataType': 'Number', 'StringValue': '12.5'}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

TYPE_ATTRIBUTE = "evtc.type"


def message_attributes(event_type: str, data: Any, spec: Mapping[str, str] | None) -> dict[str, dict[str, str]]:
    """`MessageAttributes` for SNS `Publish` (`{name: {"DataType", "StringValue"}}`); empty
    when the event declares no attribute. An absent, null or empty value sets no attribute,
    as SNS refuses empty attribute values."""
    if not spec:
        return {}
    found = {TYPE_ATTRIBUTE: {"DataType": "String", "StringValue": event_type}}
    values = data if isinstance(data, Mapping) else {}
    for name, kind in spec.items():
        text = _text(values.get(name), kind)
        if text:
            found[name] = {"DataType": kind, "StringValue": text}
    return found


def _text(value: Any, kind: str) -> str | None:
    if value is None:
        return None
    if kind == "String":
        return value if isinstance(value, str) else json.dumps(value)
    if kind == "Number":
        return None if isinstance(value, bool) or not isinstance(value, (int, float)) else json.dumps(value)
    return json.dumps(value if isinstance(value, list) else [value], separators=(",", ":"), ensure_ascii=False)


def as_received(attributes: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """The attributes as a Lambda SNS record shows them (`{name: {"Type", "Value"}}`)."""
    return {name: {"Type": a["DataType"], "Value": a["StringValue"]} for name, a in attributes.items()}
