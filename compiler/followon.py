"""Follow-on noise: rule findings about a declaration the front end already reported.

A declaration with a reference error (an unknown kind, an undefined name, a property
typo) is not what its author meant, so what the rules conclude about it is noise: a
source whose kind is misspelled is built with no `emits` (a false SEC002), a queue whose
only route names an undefined consumer looks unconsumed (a false DLV007), and a route
from a misspelled event leaves everything after it empty (a false DLV010, DLV008). A
rule finding is dropped when its primary or a related location lies in such a
declaration, in a component that a route with an unresolved name names (or whose event
it takes), or in a route downstream of one; the front-end error stays, and once it is
fixed the rules speak again.

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
    """The components whose declaration, or a route naming them, has a front-end error; a
    route whose source is misspelled also taints the emitters of its event."""
    errors = _errors(compilation)
    t = compilation.topology
    names = {c.name for c in t.components if _has_error(c.span, errors)}
    for route in _broken_routes(compilation, errors):
        names.update(n for n in (route.source, route.target) if t.component(n) is not None)
        if t.component(route.source) is None and route.event:
            names.update(c.name for c in t.components if route.event in getattr(c, "emits", ()))
    return names


def _broken_routes(compilation: Compilation, errors: list[Diagnostic]) -> list[ir.Route]:
    """Routes with a name that does not resolve: what flows along them is unknown."""
    unresolved = [e for e in errors if e.code in _UNRESOLVED]
    return [r for r in compilation.topology.routes if any(_inside(e.span, r.span) for e in unresolved)]


def _downstream(t: ir.Topology, starts: Iterable[str]) -> Iterator[ir.Route]:
    """Every route reachable from the components `starts`: the events they carry depend on
    what arrives there."""
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
    errors = _errors(compilation)
    if not errors:
        return
    t = compilation.topology
    names = tainted_names(compilation)
    yield from (c.span for c in t.components if c.name in names)
    yield from (r.span for r in t.routes if _has_error(r.span, errors))
    yield from (e.span for e in t.events if _has_error(e.span, errors))
    broken = _broken_routes(compilation, errors)
    yield from (r.span for r in _downstream(t, (b.target for b in broken)))


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
