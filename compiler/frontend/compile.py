"""The front end as one pure function: file text → `Compilation` (IR, graph, diagnostics).

>>> c = compile_text('topology t\\nqueue jobs { retention: 4d }', "demo.evt")
>>> c.topology.component("jobs").retention
345600.0
>>> [d.code for d in compile_text("topology t\\nqueue { }", "bad.evt").diagnostics]
['SYN002']
"""

from __future__ import annotations

from pathlib import Path

from evtc import ir
from evtc.diagnostics import Diagnostic, sorted_diagnostics
from evtc.frontend import codes
from evtc.frontend.attributes import check_attributes
from evtc.frontend.fields import check_filters
from evtc.frontend.parse import Parsed, parse
from evtc.frontend.resolve import resolve
from evtc.frontend.types import resolve_types
from evtc.graph import TopologyGraph, build_graph
from evtc.span import Span
from evtc.util.cache import Cache
from evtc.util.gcpause import collector_paused
from evtc.util.record import record


@record(slots=False)
class Compilation:
    """One file through the front end: its text, IR, graph and diagnostics."""

    file: str
    text: str
    topology: ir.Topology
    graph: TopologyGraph
    diagnostics: tuple[Diagnostic, ...]


def compile_file(path: str | Path, cache: Cache | None = None, display_name: str | None = None) -> Compilation:
    """Read and compile one .evt file; unreadable files become a diagnostic, never an exception."""
    name = display_name or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        diagnostic = codes.UNREADABLE.at(
            Span.point(name, 1, 1), f"cannot read the file: {reason}", "check the path and its permissions"
        )
        return _empty(name, "", [diagnostic])
    if cache is not None:
        cached = cache.get("frontend", name, data)
        if isinstance(cached, Compilation):
            return cached
    result = compile_bytes(data, name)
    if cache is not None:
        cache.put("frontend", name, data, result)
    return result


def compile_bytes(data: bytes, file: str) -> Compilation:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _empty(file, "", [_not_utf8(data, error, file)])
    return compile_text(text, file)


def compile_text(text: str, file: str) -> Compilation:
    with collector_paused():
        return _compile_text(text, file)


def _compile_text(text: str, file: str) -> Compilation:
    return _compile_parsed(parse(text, file), text, file)


def compile_parsed(parsed: Parsed, text: str, file: str) -> Compilation:
    """The front end after parsing: for a caller that parsed `text` itself (the language
    server reuses the parse of each declaration it has seen before)."""
    with collector_paused():
        return _compile_parsed(parsed, text, file)


def _compile_parsed(parsed: Parsed, text: str, file: str) -> Compilation:
    diagnostics = list(parsed.diagnostics)
    topology = _assemble(parsed.declarations, file, text, diagnostics, parsed.broken_names)
    diagnostics += resolve(topology, parsed.broken_names)
    graph = build_graph(topology)
    diagnostics += check_filters(graph)
    diagnostics += check_attributes(topology)
    return Compilation(file, text, topology, graph, tuple(sorted_diagnostics(diagnostics)))


def _assemble(
    declarations: list[object],
    file: str,
    text: str,
    diagnostics: list[Diagnostic],
    broken: frozenset[str] = frozenset(),
) -> ir.Topology:
    heads = [d for d in declarations if isinstance(d, tuple)]
    for _, name, span in heads[1:]:
        diagnostics.append(
            codes.DUPLICATE_TOPOLOGY.at(
                span,
                f"a second topology '{name}' in one file",
                "keep one `topology` per file; split the rest into another file",
            )
        )
    if heads:
        _, name, span = heads[0]
    else:
        name, span = Path(file).stem, Span.point(file, 1, 1)
        if text.strip() and not any(d.category.value == "syntax" for d in diagnostics):
            diagnostics.append(
                codes.MISSING_TOPOLOGY.at(
                    span, "the file has no `topology` declaration", f"start it with `topology {_identifier(name)}`"
                )
            )
    types = tuple(d for d in declarations if isinstance(d, ir.TypeDecl))
    events = tuple(d for d in declarations if isinstance(d, ir.Event))
    types, events = resolve_types(types, events, diagnostics, broken)
    return ir.Topology(
        name=name,
        file=file,
        span=span,
        types=types,
        events=events,
        components=tuple(d for d in declarations if isinstance(d, ir.Component)),
        routes=tuple(d for d in declarations if isinstance(d, ir.Route)),
    )


def _identifier(stem: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in stem)
    return cleaned if cleaned[:1].isalpha() else f"t_{cleaned}"


def _not_utf8(data: bytes, error: UnicodeDecodeError, file: str) -> Diagnostic:
    before = data[: error.start]
    line = before.count(b"\n") + 1
    column = error.start - (before.rfind(b"\n") + 1) + 1
    return codes.UNREADABLE.at(
        Span.point(file, line, column),
        f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})",
        "save the file as UTF-8",
    )


def _empty(file: str, text: str, diagnostics: list[Diagnostic]) -> Compilation:
    topology = ir.Topology(Path(file).stem, file, Span.point(file, 1, 1))
    return Compilation(file, text, topology, build_graph(topology), tuple(diagnostics))
