"""Follow-on noise: rule findings about a declaration the front end already reported.

A declaration with a reference error (an unknown kind, an undefined name, a property
typo) is not what its author meant, so what the rules conclude about it is noise: a
source whose kind is misspelled is built with no `emits` (a false SEC002), a queue whose
only route names an undefined consumer looks unconsumed (a false DLV007), and a route
from a misspelled event leaves everything after it empty (a false DLV010, DLV008). A
rule finding is dropped when its primary or a related location lies in such a
declaration, in a component that a route with an unresolved name names or means (the
"did you mean" suggestion) or whose event it takes, or in a route or component
downstream of one; the front-end error stays, and once it is fixed the rules speak again.

>>> from evtc.frontend import compile_text
>>> c = compile_text('topology t\\nqueue q {}\\nroute q -> nobody', "t.evt")
>>> sorted(tainted_names(c))
['q']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from evtc.diagnostics import Diagnostic, Severity
from evtc.span import Span
from evtc.suggest import closest

if TYPE_CHECKING:
    from evtc import ir
    from evtc.frontend import Compilation

_UNRESOLVED = ("REF001", "REF009")  # a name that does not resolve to what the route needs


def drop_follow_on(found: Iterable[Diagnostic], compilation: Compilation) -> list[Diagnostic]:
    """`found` (rule findings) without those about a declaration with a front-end error."""
    spans = list(_tainted_spans(compilation))
    if not spans:
        return list(found)
    return [d for d in found if not any(_inside(s, t) for s in _locations(d) for t in spans)]


def tainted_names(compilation: Compilation) -> set[str]:
    """The components the rules cannot judge: declared with an error, named (or meant) by a
    broken route or an erroneous property, or downstream of one of those."""
    t, errors = compilation.topology, _errors(compilation)
    direct = _direct(t, errors)
    starts = {c.name for c in t.components if _has_error(c.span, errors)}
    starts.update(n for r in _broken_routes(t, errors) if (n := _meant(t, r.target)) is not None)
    return direct | {r.target for r in _downstream(t, starts) if t.component(r.target) is not None}


def _direct(t: ir.Topology, errors: list[Diagnostic]) -> set[str]:
    names = {c.name for c in t.components if _has_error(c.span, errors)}
    for route in _broken_routes(t, errors):
        names.update(n for n in (_meant(t, route.source), _meant(t, route.target)) if n is not None)
        if t.component(route.source) is None and route.event:
            names.update(c.name for c in t.components if route.event in getattr(c, "emits", ()))
    for prop in (p for x in (*t.components, *t.routes) for p in x.props if _has_error(p.span, errors)):
        names.update(n for n in _named(prop.value) if t.component(n) is not None)
    return names


def _named(value: object) -> Iterator[str]:
    """The names a property value mentions (`dead_letter: dlq`, `reads: [a, b]`)."""
    for item in value if isinstance(value, tuple) else (value,):
        text = getattr(item, "text", item)
        if isinstance(text, str):
            yield text


def _meant(t: ir.Topology, name: str) -> str | None:
    """The component `name` stands for: itself, or the one "did you mean" suggests."""
    if t.component(name) is not None:
        return name
    return closest(name, [c.name for c in t.components])


def _broken_routes(t: ir.Topology, errors: list[Diagnostic]) -> list[ir.Route]:
    """Routes with a name that does not resolve: what flows along them is unknown."""
    unresolved = [e for e in errors if e.code in _UNRESOLVED]
    return [r for r in t.routes if any(_inside(e.span, r.span) for e in unresolved)]


def _downstream(t: ir.Topology, starts: Iterable[str]) -> Iterator[ir.Route]:
    """Every route reachable from the components `starts`: what they carry depends on what
    arrives there."""
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for route in t.routes:
            if route.source == name:
                yield route
                todo.append(route.target)


def _tainted_spans(compilation: Compilation) -> Iterator[Span]:
    t, errors = compilation.topology, _errors(compilation)
    if not errors:
        return
    names = tainted_names(compilation)
    yield from (c.span for c in t.components if c.name in names)
    yield from (r.span for r in t.routes if r.source in names or _has_error(r.span, errors))
    yield from (e.span for e in t.events if _has_error(e.span, errors))


def _errors(compilation: Compilation) -> list[Diagnostic]:
    return [d for d in compilation.diagnostics if d.severity is Severity.ERROR]


def _has_error(span: Span, errors: list[Diagnostic]) -> bool:
    return any(_inside(e.span, span) for e in errors)


def _locations(d: Diagnostic) -> Iterator[Span]:
    yield d.span
    yield from (r.span for r in d.related)


def _inside(inner: Span, outer: Span) -> bool:
    return (
        inner.file == outer.file
        and (inner.line, inner.column) >= (outer.line, outer.column)
        and (inner.end_line, inner.end_column) <= (outer.end_line, outer.end_column)
    )


__all__ = ["drop_follow_on", "tainted_names"]
