"""A readable, deterministic text dump of the IR: what the compiler understood, with spans.

Used by `evtc dump` and by the golden tests of the lowering.
"""

from __future__ import annotations

import dataclasses

from evtc import ir
from evtc.frontend.unparse import filter_text, literal_text


def dump_topology(t: ir.Topology) -> str:
    def at(span: object) -> str:
        """A declaration's position, with its file when it is not the topology's first."""
        file = getattr(span, "file", t.file)
        return _pos(span) if file == t.file else f"{file}:{_pos(span)}"

    lines = [f"topology {t.name} @{_pos(t.span)}"]
    for event in t.events:
        lines.append(f"event {event.name} @{at(event.span)}")
        lines.extend(_fields(event.fields, "  "))
    for c in t.components:
        lines.append(f"{c.keyword} {c.name} @{at(c.span)}")
        lines.extend(f"  {name} = {value}" for name, value in _attributes(c))
    for r in t.routes:
        qualifier = f".{r.event}" if r.event else ""
        lines.append(f"route {r.source}{qualifier} -> {r.target} @{at(r.span)}")
        if r.when is not None:
            lines.append(f"  when {filter_text(r.when)} @{_pos(r.when.span)}")
        lines.extend(f"  {name} = {value}" for name, value in _attributes(r))
    return "\n".join(lines) + "\n"


_SKIP = {"name", "span", "props", "source", "event", "target", "when", "source_span", "target_span", "part"}


def _attributes(node: object) -> list[tuple[str, str]]:
    out = []
    for f in dataclasses.fields(node):  # type: ignore[arg-type]
        if f.name in _SKIP or not f.init:  # NOTE: derived, not written (a route's id)
            continue
        out.append((f.name, _value(getattr(node, f.name))))
    return out


def _value(value: object) -> str:
    if isinstance(value, (ir.Duration, ir.Size, ir.Name)):
        return str(value)
    return literal_text(value)


def _fields(fields: tuple[ir.Field, ...], indent: str) -> list[str]:
    lines = []
    for f in fields:
        notes = "".join(
            f" @{a.name}" + (f"({', '.join(map(_value, a.args))})" if a.args else "") for a in f.annotations
        )
        lines.append(f"{indent}{f.name}: {_type(f.type)}{notes} @{_pos(f.span)}")
        inner = _object_of(f.type)
        if inner is not None:
            lines.extend(_fields(inner.fields, indent + "  "))
    return lines


def _object_of(t: ir.TypeExpr) -> ir.ObjectType | None:
    while isinstance(t, ir.ListType):
        t = t.item
    return t if isinstance(t, ir.ObjectType) else None


def _type(t: ir.TypeExpr) -> str:
    if isinstance(t, ir.ScalarType):
        return t.name
    if isinstance(t, ir.ListType):
        return f"[{_type(t.item)}]"
    return "{…}"


def _pos(span: object) -> str:
    s = span  # type: ignore[assignment]
    return f"{s.line}:{s.column}-{s.end_line}:{s.end_column}"  # type: ignore[attr-defined]
