"""A predicate compiled from an exported schema: whether `evtc.emit`'s payload is valid.

The same check runs in both runtimes. Locally it is the hot path of `emit` (`jsonschema`
takes ~20 µs per payload, a tenth of the runtime's whole budget per event; this walks the
same schema dict, the one owner, in ~1 µs for the keywords evtc exports), and the runtime
asks `jsonschema` what is wrong when it says no. On Lambda, where evtc ships no
`jsonschema`, it is the whole check: the deployment package carries the schemas and the
backend refuses what this refuses. A property test (tests/export) holds it to
`jsonschema`'s verdict. A schema with a keyword outside the set below is not compiled
(`None`); evtc exports none.

Pure Python and no compiler stage: it ships to Lambda.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from numbers import Number
from typing import Any

SENSITIVE = "x-evtc-sensitive"  # an annotation: the field is `@sensitive`
MAX_BYTES = "x-evtc-maxBytes"  # an assertion: a string's UTF-8 length (what `@maxlen` means)
_RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)\Z")


def is_datetime(instance: object) -> bool:
    """RFC 3339 `date-time` (what JSON Schema's format means), with a real calendar date."""
    if not isinstance(instance, str):
        return True
    if not _RFC3339.match(instance):
        return False
    try:
        datetime.fromisoformat(instance.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


Predicate = Callable[[Any], bool]
_ANNOTATIONS = {"$schema", "$id", "title", "description", "examples", SENSITIVE}
_KNOWN = {"type", "properties", "required", "items", "maxItems", "maxLength", "minLength", MAX_BYTES, "format"}
_KNOWN |= _ANNOTATIONS
_TYPES: dict[str, Predicate] = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "number": lambda v: isinstance(v, Number) and not isinstance(v, bool),  # as jsonschema decides it
    # NOTE: as jsonschema decides it (drafts 4 and later): 2.0 is an integer, True is not
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


class Unsupported(ValueError):
    """The schema uses a keyword this compiler does not decide."""


def compile_schema(schema: dict[str, Any]) -> Predicate | None:
    try:
        return _compile(schema)
    except Unsupported:
        return None


def _compile(schema: dict[str, Any]) -> Predicate:
    unknown = set(schema) - _KNOWN
    if unknown or schema.get("type") not in _TYPES or schema.get("format", "date-time") != "date-time":
        raise Unsupported(", ".join(sorted(unknown)) or str(schema.get("type")))
    kind = schema["type"]
    if kind == "object":
        return _object(schema)
    if kind == "array":
        return _array(schema)
    if kind == "string":
        return _string(schema)
    return _TYPES[kind]


def _object(schema: dict[str, Any]) -> Predicate:
    required = tuple(schema.get("required", ()))
    fields = tuple((name, _compile(sub)) for name, sub in schema.get("properties", {}).items())

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return False
        for name in required:
            if name not in value:
                return False
        for name, inner in fields:
            if name in value and not inner(value[name]):
                return False
        return True

    return check


def _array(schema: dict[str, Any]) -> Predicate:
    inner = _compile(schema["items"]) if "items" in schema else None
    limit = schema.get("maxItems")

    def check(value: Any) -> bool:
        if not isinstance(value, list) or (limit is not None and len(value) > limit):
            return False
        return inner is None or all(inner(item) for item in value)

    return check


def _string(schema: dict[str, Any]) -> Predicate:
    chars, size, timestamp = schema.get("maxLength"), schema.get(MAX_BYTES), "format" in schema
    least = schema.get("minLength", 0)
    if chars is None and size is None and not timestamp and not least:
        return _TYPES["string"]

    def check(value: Any) -> bool:
        if not isinstance(value, str) or len(value) < least:
            return False
        if chars is not None and len(value) > chars:
            return False
        if size is not None and len(value.encode("utf-8", "surrogatepass")) > size:
            return False
        return not timestamp or is_datetime(value)

    return check
