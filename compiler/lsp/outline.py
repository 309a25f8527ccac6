"""The outline (document symbols) and the folding ranges of a compiled file."""

from __future__ import annotations

import re

from lsprotocol import types

from evtc import ir
from evtc.lsp.index import Index
from evtc.span import Span

SymbolKind = types.SymbolKind
_KINDS = {
    "source": SymbolKind.Constructor,
    "queue": SymbolKind.Array,
    "stream": SymbolKind.Array,
    "topic": SymbolKind.Interface,
    "bus": SymbolKind.Interface,
    "function": SymbolKind.Function,
    "endpoint": SymbolKind.Module,
}


def symbols(index: Index) -> list[types.DocumentSymbol]:
    t = _own(index)
    found: list[tuple[Span, types.DocumentSymbol]] = []
    for decl in t.types:
        children = _fields(index, decl.fields)
        found.append((decl.span, _symbol(index, decl.name, "type", SymbolKind.Struct, decl.span, children)))
    for event in t.events:
        # NOTE: the fields a named type brings (`event X: Order`) are outlined at the type
        own = tuple(f for f in event.fields if event.span.line <= f.span.line <= event.span.end_line)
        detail = f"event: {event.base}" if event.base else "event"
        found.append(
            (event.span, _symbol(index, event.name, detail, SymbolKind.Struct, event.span, _fields(index, own)))
        )
    for c in t.components:
        kind = getattr(c, "kind", None)
        detail = f"{c.keyword}: {kind}" if kind else c.keyword
        found.append((c.span, _symbol(index, c.name, detail, _KINDS.get(c.keyword, SymbolKind.Object), c.span)))
    for r in t.routes:
        name = f"{r.source}{'.' + r.event if r.event else ''} -> {r.target}"
        found.append((r.span, _symbol(index, name, "route", SymbolKind.Event, r.span, selection=r.source_span)))
    return [symbol for _, symbol in sorted(found, key=lambda x: (x[0].line, x[0].column))]


def _symbol(
    index: Index,
    name: str,
    detail: str,
    kind: SymbolKind,
    span: Span,
    children: list[types.DocumentSymbol] | None = None,
    selection: Span | None = None,
) -> types.DocumentSymbol:
    whole = index.lines.range(span)
    chosen = selection or _declared_name(index, span, name)
    return types.DocumentSymbol(
        name=name, kind=kind, range=whole, selection_range=index.lines.range(chosen), detail=detail, children=children
    )


def _declared_name(index: Index, span: Span, name: str) -> Span:
    defs = [o.span for o in index.uses("component", name) + index.uses("event", name) if o.definition]
    inside = [s for s in defs if span.line <= s.line <= span.end_line]
    return inside[0] if inside else span


def _fields(index: Index, fields: tuple[ir.Field, ...]) -> list[types.DocumentSymbol]:
    found = []
    for f in fields:
        name_span = Span(f.span.file, f.span.line, f.span.column, f.span.line, f.span.column + len(f.name))
        found.append(
            types.DocumentSymbol(
                name=f.name,
                kind=SymbolKind.Field,
                range=index.lines.range(f.span),
                selection_range=index.lines.range(name_span),
                detail="sensitive" if f.sensitive else None,
            )
        )
    return found


_COMMENT_LINE = re.compile(r"^[ \t]*#")


def folding(index: Index) -> list[types.FoldingRange]:
    """A range per declaration written over several lines, per nested object type, and per
    run of two or more comment lines."""
    t = _own(index)
    spans = [x.span for x in (*t.events, *t.components, *t.routes)]
    spans += [f.type.span for e in t.events for f in _all_fields(e.fields) if isinstance(f.type, ir.ObjectType)]
    found = [
        types.FoldingRange(s.line - 1, s.end_line - 1, kind=types.FoldingRangeKind.Region)
        for s in spans
        if s.end_line > s.line
    ]
    lines = index.lines.text.splitlines()
    run_start = None
    for number, line in enumerate([*lines, ""]):
        if _COMMENT_LINE.match(line):
            run_start = number if run_start is None else run_start
            continue
        if run_start is not None and number - 1 > run_start:
            found.append(types.FoldingRange(run_start, number - 1, kind=types.FoldingRangeKind.Comment))
        run_start = None
    return sorted(found, key=lambda r: (r.start_line, r.end_line))


def _own(index: Index) -> ir.Topology:
    """The declarations written in the open document (of a topology perhaps in several files)."""
    t = index.compilation.topology
    if len(index.compilation.sources) == 1:
        return t
    return ir.Topology(
        t.name,
        t.file,
        t.span,
        types=tuple(d for d in t.types if index.here(d.span)),
        events=tuple(e for e in t.events if index.here(e.span)),
        components=tuple(c for c in t.components if index.here(c.span)),
        routes=tuple(r for r in t.routes if index.here(r.span)),
    )


def _all_fields(fields: tuple[ir.Field, ...]) -> list[ir.Field]:
    found, stack = [], list(fields)
    while stack:
        f = stack.pop()
        found.append(f)
        t = f.type
        while isinstance(t, ir.ListType):
            t = t.item
        if isinstance(t, ir.ObjectType):
            stack.extend(t.fields)
    return found
