"""One JSON Schema (draft 2020-12) per event type, derived from its `.evt` fields.

This module is the one owner of what a valid payload is: `evtc export jsonschema` prints
these schemas, AsyncAPI embeds them, and the local runtime's `emit` validates against them
(`evtc.export.validate`).

- `string`, `number`, `integer`, `boolean` map to the JSON types; `timestamp` is a `date-time` string.
- `[T]` is an `array` of `T`; `{ … }` a nested `object`; every field is `required` unless
  `@optional`. Unknown fields are allowed (consumers must tolerate additions).
- `@maxlen(N)` bounds a string at N bytes of UTF-8 (`x-evtc-maxBytes`, checked by evtc) and
  so at N characters (`maxLength`, for every other validator); on a list field it bounds
  the strings inside. `@maxitems(N)` bounds every list level of the field (`maxItems`).
- `@sensitive` is the extension keyword `x-evtc-sensitive: true`.
- A named `type` is written out where it is used, titled with its name.
- An `@attribute` string is non-empty (`minLength: 1`): SNS refuses empty attribute values.

>>> from evtc.frontend import compile_text
>>> t = compile_text("topology t event E { n: number  tag: string @optional @maxlen(8) }", "t.evt").topology
>>> s = event_schema(t.event("E"))
>>> s["required"], s["properties"]["tag"]
(['n'], {'type': 'string', 'maxLength': 8, 'x-evtc-maxBytes': 8})
"""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.frontend.attributes import non_empty
from evtc.schemacheck import MAX_BYTES, SENSITIVE

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_SCALARS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "number": {"type": "number"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "timestamp": {"type": "string", "format": "date-time"},
}


def schema_id(topology: ir.Topology, event: ir.Event) -> str:
    return f"evtc://{topology.name}/events/{event.name}"


def event_schema(event: ir.Event, topology: ir.Topology | None = None) -> dict[str, Any]:
    """The standalone 2020-12 schema of `event`'s data."""
    schema: dict[str, Any] = {"$schema": DIALECT}
    if topology is not None:
        schema["$id"] = schema_id(topology, event)
    schema["title"] = event.name
    schema.update(object_schema(event.fields))
    for f in event.fields:
        if non_empty(f):  # NOTE: SNS refuses an empty attribute value; a filter then reads alike in either scope
            schema["properties"][f.name]["minLength"] = 1
    return schema


def object_schema(fields: tuple[ir.Field, ...]) -> dict[str, Any]:
    properties = {f.name: field_schema(f) for f in fields}
    required = [f.name for f in fields if not f.optional]
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def field_schema(f: ir.Field) -> dict[str, Any]:
    schema = _type_schema(f.type, f)
    if f.sensitive:
        schema[SENSITIVE] = True
    return schema


def _type_schema(t: ir.TypeExpr, f: ir.Field) -> dict[str, Any]:
    if isinstance(t, ir.ScalarType):
        schema = dict(_SCALARS[t.name])
        limit = annotation_int(f, "maxlen")
        if limit is not None and t.name == "string":
            schema.update({"maxLength": limit, MAX_BYTES: limit})
        return schema
    if isinstance(t, ir.ListType):
        schema = {"type": "array", "items": _type_schema(t.item, f)}
        count = annotation_int(f, "maxitems")
        if count is not None:
            schema["maxItems"] = count
        return schema
    found = object_schema(t.fields)
    # NOTE: a named `type` is expanded in place (no `$ref`: every validator and EventBridge's
    # registry read it as is); its name stays as the object's title
    return {"title": t.name, **found} if t.name else found


def annotation_int(f: ir.Field, name: str) -> int | None:
    """The integer argument of `@name(N)` on `f`, if any (as the payload analysis reads it)."""
    for a in f.annotations:
        if a.name == name and a.args and isinstance(a.args[0], int) and not isinstance(a.args[0], bool):
            return a.args[0]
    return None


def topology_schemas(topology: ir.Topology) -> dict[str, dict[str, Any]]:
    """Every declared event's schema, by event name, in declaration order."""
    return {e.name: event_schema(e, topology) for e in topology.events if topology.event(e.name) is e}


def draft4(schema: dict[str, Any]) -> dict[str, Any]:
    """The same schema in JSON Schema draft 4 (what EventBridge's schema registry reads as
    `JSONSchemaDraft4`): the dialect and `id` renamed, evtc's byte bound left to `maxLength`."""
    converted: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$schema":
            converted[key] = "http://json-schema.org/draft-04/schema#"
        elif key == "$id":
            converted["id"] = value
        elif key == MAX_BYTES:
            continue
        elif key == "properties":
            converted[key] = {name: draft4(sub) for name, sub in value.items()}
        elif key == "items":
            converted[key] = draft4(value)
        else:
            converted[key] = value
    return converted
