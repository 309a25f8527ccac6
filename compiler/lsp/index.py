"""Where each name of a compiled file is declared and used: components, events, event
fields (in `when` filters, `group_by` and `partition_key` too) and property names.

Built from the IR (its spans) and the text (a declaration's span starts at its keyword,
so its name is the next word), never from a second parser.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator

from evtc import ir
from evtc.frontend import Compilation
from evtc.frontend.schema import specs_for
from evtc.lsp.positions import Lines
from evtc.span import Span
from evtc.util.record import record

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_COMMENT_OR_SPACE = re.compile(r"(?:\s+|#[^\n]*)*")

COMPONENT, EVENT, FIELD, PROPERTY, KIND, TYPE = "component", "event", "field", "property", "kind", "type"
NAMED = (COMPONENT, EVENT, FIELD, TYPE)  # what can be gone to, listed and renamed
# Properties whose value names something, and what: (keyword or "route", property) → kind.
_NAMING = {
    ("queue", "dead_letter"): COMPONENT,
    ("route", "dead_letter"): COMPONENT,
    ("route", "delivery_dead_letter"): COMPONENT,
    ("function", "reads"): COMPONENT,
    ("function", "writes"): COMPONENT,
    ("source", "emits"): EVENT,
    ("function", "emits"): EVENT,
    ("queue", "group_by"): FIELD,
    ("stream", "partition_key"): FIELD,
}


@record
class Occurrence:
    """One name in the text: what it names (`kind`, `key`), where, and whether it declares it.

    `key` is a component's or event's name, `Event.path.to.field` for a field, and
    `keyword:kind:property` for a property name, `keyword:kind` for a kind."""

    kind: str
    key: str
    span: Span
    definition: bool = False


class Index:
    """Every occurrence of a compilation, with lookups: by position in `file` (the open
    document: the compilation's first file unless said), by name across all its files (a
    topology in several files has one namespace)."""

    def __init__(self, compilation: Compilation, file: str | None = None) -> None:
        self.compilation = compilation
        self.file = file if file in compilation.sources else compilation.file
        self._lines = {f: Lines(text) for f, text in compilation.sources.items()}
        self.lines = self._lines[self.file]
        every = list(_occurrences(compilation, self.lines_of))
        found = sorted((o for o in every if o.span.file == self.file), key=lambda o: (o.span.line, o.span.column))
        self.occurrences = found
        self._starts = [(o.span.line, o.span.column) for o in found]
        self._by_key: dict[tuple[str, str], list[Occurrence]] = {}
        for o in sorted(every, key=lambda o: (o.span.file != self.file, o.span)):
            self._by_key.setdefault((o.kind, o.key), []).append(o)

    def lines_of(self, file: str) -> Lines:
        """The lines of one file of the compilation (the open document's for any other name)."""
        return self._lines.get(file, self.lines)

    def here(self, span: Span) -> bool:
        return span.file == self.file

    def at(self, line: int, column: int) -> list[Occurrence]:
        """The occurrences under (1-based) line and column, touching the end included (a
        filter path on a route of two events names a field of each)."""
        index = bisect_right(self._starts, (line, column))
        found = []
        while index > 0 and self._starts[index - 1][0] == line:
            index -= 1
            s = self.occurrences[index].span
            if s.column <= column <= s.end_column:
                found.append(self.occurrences[index])
            elif s.end_column < column - 200:
                break
        return found[::-1]

    def uses(self, kind: str, key: str) -> list[Occurrence]:
        return self._by_key.get((kind, key), [])

    def definitions(self, kind: str, key: str) -> list[Occurrence]:
        return [o for o in self.uses(kind, key) if o.definition]


def _occurrences(c: Compilation, lines_of: Callable[[str], Lines]) -> Iterator[Occurrence]:
    t = c.topology
    yield from _types(t, lines_of)
    for event in t.events:
        span = _name_after_keyword(event.span, lines_of(event.span.file))
        if span is not None:
            yield Occurrence(EVENT, event.name, span, True)
        yield from _fields(event.name, event.fields)
    for component in t.components:
        lines = lines_of(component.span.file)
        span = _name_after_keyword(component.span, lines)
        if span is not None:
            yield Occurrence(COMPONENT, component.name, span, True)
            kind = _kind_after_name(span, lines)
            if kind is not None:
                yield Occurrence(KIND, f"{component.keyword}:{lines.text[slice(*lines.span_offsets(kind))]}", kind)
        yield from _properties(c, component, component.keyword, getattr(component, "kind", ""), component.props)
    for route in t.routes:
        yield from _route(c, route, lines_of(route.span.file))


def _types(t: ir.Topology, lines_of: Callable[[str], Lines]) -> Iterator[Occurrence]:
    """Named types: their declarations, and each use as a field's type or an event's base."""
    seen: set[tuple[str, int, int]] = set()
    for decl in t.types:
        span = _name_after_keyword(decl.span, lines_of(decl.span.file))
        if span is not None:
            yield Occurrence(TYPE, decl.name, span, True)
    for event in t.events:
        if event.base is not None and event.base_span is not None:
            yield Occurrence(TYPE, event.base, event.base_span)
    stack: list[ir.TypeExpr] = [f.type for e in (*t.types, *t.events) for f in e.fields]
    while stack:
        found = stack.pop()
        if isinstance(found, ir.ListType):
            stack.append(found.item)
        elif isinstance(found, ir.ObjectType):
            at = (found.span.file, found.span.line, found.span.column)
            if found.name is not None and at not in seen:  # NOTE: a use inside a type is met once per use of it
                seen.add(at)
                yield Occurrence(TYPE, found.name, found.span)
            stack.extend(f.type for f in found.fields)


def _name_after_keyword(span: Span, lines: Lines) -> Span | None:
    """The span of the name that follows the keyword a declaration starts with."""
    text = lines.text
    start = lines.offset(span.line, span.column)
    keyword = _WORD.match(text, start)
    if keyword is None:
        return None
    gap = _COMMENT_OR_SPACE.match(text, keyword.end())
    name = _WORD.match(text, gap.end() if gap else keyword.end())
    return lines.span(span.file, name.start(), name.end()) if name else None


def _kind_after_name(name: Span, lines: Lines) -> Span | None:
    """The span of `KIND` in `source NAME: KIND` (None when no kind is written)."""
    text = lines.text
    colon = _COMMENT_OR_SPACE.match(text, lines.offset(name.end_line, name.end_column))
    at = colon.end() if colon else 0
    if text[at : at + 1] != ":":
        return None
    gap = _COMMENT_OR_SPACE.match(text, at + 1)
    kind = _WORD.match(text, gap.end() if gap else at + 1)
    return lines.span(name.file, kind.start(), kind.end()) if kind else None


def _word(span: Span, text: str) -> Span:
    """The span of `text` written at the start of `span`."""
    return Span(span.file, span.line, span.column, span.line, span.column + len(text))


def _fields(prefix: str, fields: tuple[ir.Field, ...]) -> Iterator[Occurrence]:
    for f in fields:
        key = f"{prefix}.{f.name}"
        yield Occurrence(FIELD, key, _word(f.span, f.name), True)
        t = f.type
        while isinstance(t, ir.ListType):
            t = t.item
        if isinstance(t, ir.ObjectType):
            yield from _fields(key, t.fields)


def _properties(
    c: Compilation, owner: ir.Component | ir.Route, keyword: str, kind: str, props: tuple[ir.Property, ...]
) -> Iterator[Occurrence]:
    specs = specs_for(keyword, kind)
    for prop in props:
        if prop.name in specs:
            yield Occurrence(PROPERTY, f"{keyword}:{kind}:{prop.name}", _word(prop.span, prop.name))
        named = _NAMING.get((keyword, prop.name))
        if named is None:
            continue
        values = prop.value if isinstance(prop.value, tuple) else (prop.value,)
        spans = prop.item_spans if isinstance(prop.value, tuple) else (prop.value_span,)
        for value, span in zip(values, spans):
            if isinstance(value, ir.Binding):  # `orders: "MODIFY"`, `Added: "INSERT"`: the name part
                value, span = ir.Name(value.name), _word(span, value.name)
            if not isinstance(value, ir.Name):
                continue
            if named == FIELD:
                for event in _events_at(c, owner):
                    if any(f.name == value.text for f in event.fields):
                        yield Occurrence(FIELD, f"{event.name}.{value.text}", span)
            else:
                yield Occurrence(named, value.text, span)


def _events_at(c: Compilation, owner: ir.Component | ir.Route) -> list[ir.Event]:
    """The events that arrive at a component (those its `group_by`/`partition_key` name)."""
    if not isinstance(owner, ir.Component):
        return []
    names = sorted({e for _, e in c.graph.arriving.get(owner.id, ())})
    return [e for e in (c.topology.event(n) for n in names) if e is not None]


def carried_events(c: Compilation, route: ir.Route) -> list[ir.Event]:
    names = sorted({e for _, e in c.graph.carried.get(route.id, ())})
    return [e for e in (c.topology.event(n) for n in names) if e is not None]


def _route(c: Compilation, route: ir.Route, lines: Lines) -> Iterator[Occurrence]:
    s = route.source_span
    yield Occurrence(COMPONENT, route.source, _word(s, route.source))
    if route.event:
        yield Occurrence(
            EVENT, route.event, Span(s.file, s.end_line, s.end_column - len(route.event), s.end_line, s.end_column)
        )
    yield Occurrence(COMPONENT, route.target, route.target_span)
    yield from _properties(c, route, "route", "", route.props)
    if route.when is None:
        return
    events = carried_events(c, route)
    for path in _paths(route.when):
        yield from _path(path, events, lines)


def _paths(node: ir.Filter) -> Iterator[ir.Path]:
    stack: list[ir.Filter] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ir.Not):
            stack.append(current.operand)
        elif isinstance(current, (ir.And, ir.Or)):
            stack.extend(current.operands)
        else:
            yield current.path


def _path(path: ir.Path, events: list[ir.Event], lines: Lines) -> Iterator[Occurrence]:
    start, end = lines.span_offsets(path.span)
    words = list(_WORD.finditer(lines.text, start, end))
    if len(words) != len(path.parts):
        return
    for event in events:
        fields = event.fields
        for depth, (part, word) in enumerate(zip(path.parts, words)):
            f = next((f for f in fields if f.name == part), None)
            if f is None:
                break
            key = ".".join((event.name, *path.parts[: depth + 1]))
            yield Occurrence(FIELD, key, lines.span(path.span.file, word.start(), word.end()))
            t = f.type
            while isinstance(t, ir.ListType):
                t = t.item
            fields = t.fields if isinstance(t, ir.ObjectType) else ()
