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
Likewise, a declaration that a rule says AWS cannot deploy (LIM010, LIM012, DLV018, DLV020) gets no
warning or info of another rule: only the errors that also stop its deployment.

>>> from evtc.frontend import compile_text
>>> c = compile_text('topology t\\nqueue q {}\\nroute q -> nobody', "t.evt")
>>> sorted(tainted_names(c))
['q']
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from evtc.diagnostics import Diagnostic, Severity
from evtc.span import Span
from evtc.util.suggest import suggested

if TYPE_CHECKING:
    from evtc import ir
    from evtc.frontend import Compilation
_UNRESOLVED = ("REF001", "REF009")  # a name that does not resolve to what the route needs
_UNDEPLOYABLE = ("LIM010", "LIM012", "DLV018", "DLV020")  # declarations that cannot exist as written


def drop_follow_on(found: Iterable[Diagnostic], compilation: Compilation) -> list[Diagnostic]:
    """`found` (rule findings) without those about a declaration with a front-end error, and
    without warnings and infos about a declaration AWS cannot deploy (LIM010, LIM012, DLV018, DLV020)."""
    found = list(found)
    spans = _Spans(_tainted_spans(compilation))
    kept = [d for d in found if not any(spans.holds(s) for s in _locations(d))] if spans else found
    impossible = _Spans(_undeployable(kept, compilation))
    if not impossible:
        return kept
    # NOTE: errors stay: each one alone stops the deployment, and says why in its own words.
    return [d for d in kept if d.severity is Severity.ERROR or not any(impossible.holds(s) for s in _locations(d))]


def _undeployable(found: list[Diagnostic], compilation: Compilation) -> Iterator[Span]:
    """The declarations a rule says AWS cannot deploy: what else is said of them is moot."""
    marks = [d.span for d in found if d.code in _UNDEPLOYABLE]
    if marks:
        t = compilation.topology
        declarations = _Spans(x.span for x in (*t.components, *t.routes))
        yield from (span for mark in marks if (span := declarations.container(mark)) is not None)


def tainted_names(compilation: Compilation) -> set[str]:
    """The components the rules cannot judge: declared with an error, named (or meant) by a
    broken route or an erroneous property, or downstream of one of those."""
    t, errors = compilation.topology, _errors(compilation)
    meant = _meant(compilation)
    broken = _broken_routes(t, _Spans(meant))
    names = {c.name for c in t.components if _has_error(c.span, errors)}
    starts = set(names)
    for route in broken:
        ends = [
            _end(t, route.source, meant.get(route.source_span, [])),
            _end(t, route.target, meant.get(route.target_span, [])),
        ]
        names.update(n for n in ends if n is not None)
        starts.update(n for n in ends[1:] if n is not None)
        if t.component(route.source) is None and route.event:
            names.update(c.name for c in t.components if route.event in getattr(c, "emits", ()))
    for prop in (p for x in (*t.components, *t.routes) for p in x.props if _has_error(p.span, errors)):
        names.update(n for n in _named(prop.value) if t.component(n) is not None)
    return names | {r.target for r in _downstream(t, starts) if t.component(r.target) is not None}


def _meant(compilation: Compilation) -> dict[Span, list[str]]:
    """Where a name does not resolve → the names the resolver suggests there."""
    found: dict[Span, list[str]] = {}
    for d in compilation.diagnostics:
        if d.code in _UNRESOLVED:
            found.setdefault(d.span, []).extend(n for n in (suggested(d.hint),) if n)
    return found


def _end(t: ir.Topology, name: str, suggestions: list[str]) -> str | None:
    """The component a route's end names, or the one "did you mean" suggests for it."""
    if t.component(name) is not None:
        return name
    return next((n for n in suggestions if t.component(n) is not None), None)


def _named(value: object) -> Iterator[str]:
    """The names a property value mentions (`dead_letter: dlq`, `reads: [a, b]`)."""
    for item in value if isinstance(value, tuple) else (value,):
        text = getattr(item, "text", item)
        if isinstance(text, str):
            yield text


def _broken_routes(t: ir.Topology, unresolved: _Spans) -> list[ir.Route]:
    """Routes with a name that does not resolve: what flows along them is unknown."""
    return [r for r in t.routes if unresolved.any_inside(r.span)]


def _downstream(t: ir.Topology, starts: Iterable[str]) -> Iterator[ir.Route]:
    """Every route reachable from the components `starts`: what they carry depends on what
    arrives there."""
    out: dict[str, list[ir.Route]] = {}
    for route in t.routes:
        out.setdefault(route.source, []).append(route)
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for route in out.get(name, ()):
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


class _Spans:
    """Spans sorted by file and start, for "is any inside" and "is it inside" in log time.

    NOTE: `holds` assumes the spans do not overlap, which is true of top-level declarations.
    """

    def __init__(self, spans: Iterable[Span]) -> None:
        self.spans = sorted(spans, key=_start)
        self.starts = [_start(s) for s in self.spans]

    def __bool__(self) -> bool:
        return bool(self.spans)

    def any_inside(self, outer: Span) -> bool:
        at = bisect_left(self.starts, _start(outer))
        while at < len(self.spans) and self.starts[at] <= (outer.file, outer.end_line, outer.end_column):
            if _inside(self.spans[at], outer):
                return True
            at += 1
        return False

    def holds(self, inner: Span) -> bool:
        return self.container(inner) is not None

    def container(self, inner: Span) -> Span | None:
        at = bisect_right(self.starts, _start(inner)) - 1
        return self.spans[at] if at >= 0 and _inside(inner, self.spans[at]) else None


def _start(span: Span) -> tuple[str, int, int]:
    return (span.file, span.line, span.column)


def _errors(compilation: Compilation) -> _Spans:
    return _Spans(d.span for d in compilation.diagnostics if d.severity is Severity.ERROR)


def _has_error(span: Span, errors: _Spans) -> bool:
    return errors.any_inside(span)


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
