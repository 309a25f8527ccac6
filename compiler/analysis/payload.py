"""Payload facts of an event type: its largest JSON size and its `@sensitive` fields.

Strings and lists are unbounded unless a field says `@maxlen(N)` / `@maxitems(N)`; the
size then counts only what is bounded and names what is not, so a rule can still prove
that a payload is too large for a hop without guessing at the rest.
"""

from __future__ import annotations

from evtc import ir
from evtc.analysis.model import Size

_SCALAR_BYTES = {"number": 24, "integer": 20, "boolean": 5, "timestamp": 32, "string": 2}
_FIELD_OVERHEAD = 4  # quotes, colon and comma around each key


def event_size(event: ir.Event) -> Size:
    bounded, unbounded = _fields(event.fields, "")
    return Size(bounded + 2, tuple(unbounded))


def _fields(fields: tuple[ir.Field, ...], prefix: str) -> tuple[int, list[str]]:
    total, unbounded = 0, []
    for f in fields:
        size, open_ = _type(f.type, f, f"{prefix}{f.name}")
        total += size + len(f.name) + _FIELD_OVERHEAD
        unbounded.extend(open_)
    return total, unbounded


def _type(t: ir.TypeExpr, f: ir.Field, path: str) -> tuple[int, list[str]]:
    if isinstance(t, ir.ScalarType):
        if t.name != "string":
            return _SCALAR_BYTES.get(t.name, 0), []
        limit = _annotation_int(f, "maxlen")
        return (limit + 2, []) if limit is not None else (2, [path])
    if isinstance(t, ir.ListType):
        item, open_ = _type(t.item, f, f"{path}[]")
        count = _annotation_int(f, "maxitems")
        if count is None:
            return 2, [f"{path}[]"]
        return 2 + count * (item + 1), open_
    inner, open_ = _fields(t.fields, f"{path}.")
    return inner + 2, open_


def _annotation_int(f: ir.Field, name: str) -> int | None:
    for a in f.annotations:
        if a.name == name and a.args and isinstance(a.args[0], int) and not isinstance(a.args[0], bool):
            return a.args[0]
    return None


def sensitive_fields(event: ir.Event) -> tuple[str, ...]:
    return tuple(_sensitive(event.fields, ""))


def _sensitive(fields: tuple[ir.Field, ...], prefix: str) -> list[str]:
    found: list[str] = []
    for f in fields:
        name = f"{prefix}{f.name}"
        if f.sensitive:
            found.append(name)
            continue  # everything below a sensitive field is sensitive too
        t = f.type
        while isinstance(t, ir.ListType):
            t = t.item
        if isinstance(t, ir.ObjectType):
            found.extend(_sensitive(t.fields, f"{name}."))
    return found


def human(size: float) -> str:
    """`512 B`, `1.5 KiB`, `1 MiB`."""
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size:.0f} B"
