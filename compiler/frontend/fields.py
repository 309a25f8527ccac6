"""Event field lookup, and the check that every `when` filter names fields its events have.

Paths follow AWS's matching: a dotted path walks into nested objects, and a list is
looked through (`items.sku` reaches the `sku` of every element of `items`).
"""

from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Diagnostic
from evtc.frontend import codes
from evtc.graph import TopologyGraph
from evtc.util.suggest import did_you_mean


def field_type(event: ir.Event, parts: tuple[str, ...]) -> ir.TypeExpr | None:
    """The type at `parts` in `event`, or None when the event has no such field."""
    fields = event.fields
    found: ir.TypeExpr | None = None
    for part in parts:
        f = next((f for f in fields if f.name == part), None)
        if f is None:
            return None
        found = _unlist(f.type)
        fields = found.fields if isinstance(found, ir.ObjectType) else ()
    return found


def field_names(event: ir.Event, parts: tuple[str, ...]) -> list[str]:
    """The names one level below `parts` (for suggestions)."""
    fields = event.fields
    for part in parts:
        f = next((f for f in fields if f.name == part), None)
        t = _unlist(f.type) if f else None
        fields = t.fields if isinstance(t, ir.ObjectType) else ()
    return [f.name for f in fields]


def _unlist(t: ir.TypeExpr) -> ir.TypeExpr:
    while isinstance(t, ir.ListType):
        t = t.item
    return t


def leaves(node: ir.Filter) -> Iterator[ir.Compare | ir.Exists]:
    stack: list[ir.Filter] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ir.Not):
            stack.append(current.operand)
        elif isinstance(current, (ir.And, ir.Or)):
            stack.extend(reversed(current.operands))
        else:
            yield current


def check_filters(graph: TopologyGraph) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    t = graph.topology
    for route in t.routes:
        if route.when is None:
            continue
        names = sorted({event for _, event in graph.carried.get(route.id, ())})
        events = [e for e in (t.event(n) for n in names) if e is not None]
        if not events:
            continue  # nothing reaches this route; the delivery rules say so
        for leaf in leaves(route.when):
            diagnostics.extend(_check_leaf(leaf, events))
    return diagnostics


def _check_leaf(leaf: ir.Compare | ir.Exists, events: list[ir.Event]) -> Iterator[Diagnostic]:
    types = [t for t in (field_type(e, leaf.path.parts) for e in events) if t is not None]
    if not types:
        parent = leaf.path.parts[:-1]
        candidates = sorted({n for e in events for n in field_names(e, parent)})
        described = ", ".join(e.name for e in events)
        hint = did_you_mean(leaf.path.parts[-1], candidates) or f"fields here: {', '.join(candidates) or 'none'}"
        yield codes.UNKNOWN_FIELD.at(
            leaf.path.span, f"no event on this route ({described}) has a field '{leaf.path}'", hint
        )
        return
    if isinstance(leaf, ir.Compare):
        yield from _check_value(leaf, types)


_NUMERIC_OPS = ("<", "<=", ">", ">=")
_STRING_OPS = ("startswith", "endswith", "matches", "cidr")


def _check_value(leaf: ir.Compare, types: list[ir.TypeExpr]) -> Iterator[Diagnostic]:
    # NOTE: an integer is a number to every filter dialect; only validation tells them apart
    scalars = {"number" if t.name == "integer" else t.name for t in types if isinstance(t, ir.ScalarType)}
    if not scalars:
        return
    if leaf.op in _NUMERIC_OPS and "number" not in scalars:
        yield _mismatch(
            leaf,
            f"'{leaf.path}' is a {'/'.join(sorted(scalars))}, so it cannot be compared with {leaf.op}",
            "numeric comparisons need a number field; compare strings with ==, in, startswith or endswith",
        )
    elif leaf.op in _STRING_OPS and scalars <= {"number", "boolean"}:
        yield _mismatch(
            leaf,
            f"'{leaf.path}' is a {'/'.join(sorted(scalars))}, so {leaf.op} cannot match it",
            "use ==, <, > or in for numbers and booleans",
        )
    else:
        values = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
        for value in values:
            kind = _kind(value)
            if kind and not _fits(kind, scalars):
                yield _mismatch(
                    leaf,
                    f"'{leaf.path}' is a {'/'.join(sorted(scalars))} but is compared with a {kind}",
                    f"compare it with a {_example(scalars)}",
                )
                return


def _kind(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    return "number" if isinstance(value, (int, float)) else "string"


def _fits(kind: str, scalars: set[str]) -> bool:
    return kind in scalars or (kind == "string" and "timestamp" in scalars)


def _example(scalars: set[str]) -> str:
    return "number" if "number" in scalars else "boolean" if "boolean" in scalars else "quoted string"


def _mismatch(leaf: ir.Compare, message: str, hint: str) -> Diagnostic:
    return codes.FILTER_TYPE_MISMATCH.at(leaf.span, message, hint)
