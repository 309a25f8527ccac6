"""The front end as one pure function: file text → `Compilation` (IR, graph, diagnostics).

>>> c = compile_text('topology t\\nqueue jobs { retention: 4d }', "demo.evt")
>>> c.topology.component("jobs").retention
345600.0
>>> [d.code for d in compile_text("topology t\\nqueue { }", "bad.evt").diagnostics]
['SYN002']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field, replace
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
    """One topology through the front end: its IR, graph and diagnostics, and the text of
    each of its files (`file` and `text` are the first file's; `sources` holds them all)."""

    file: str
    text: str
    topology: ir.Topology
    graph: TopologyGraph
    diagnostics: tuple[Diagnostic, ...]
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.sources:
            object.__setattr__(self, "sources", {self.file: self.text})

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(self.sources)


@record(slots=False)
class Unit:
    """One file of a topology, parsed: what `link` puts together with the others."""

    file: str
    text: str
    parsed: Parsed

    @property
    def uses(self) -> tuple[ir.Use, ...]:
        return tuple(d for d in self.parsed.declarations if isinstance(d, ir.Use))


def compile_file(path: str | Path, cache: Cache | None = None, display_name: str | None = None) -> Compilation:
    """Read and compile the topology of one .evt file (the file alone, unless it `use`s parts
    or is one: then all of that topology's files, see evtc.frontend.load); unreadable files
    become a diagnostic, never an exception."""
    name = display_name or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        diagnostic = codes.UNREADABLE.at(
            Span.point(name, 1, 1), f"cannot read the file: {reason}", "check the path and its permissions"
        )
        return _empty(name, "", [diagnostic])
    if display_name is None and _in_several_files(data):
        from evtc.frontend.load import compile_group, group

        return compile_group(group([name])[0])
    if cache is not None:
        cached = cache.get("frontend", name, data)
        if isinstance(cached, Compilation):
            return cached
    result = compile_bytes(data, name)
    if cache is not None:
        cache.put("frontend", name, data, result)
    return result


def _in_several_files(data: bytes) -> bool:
    """Whether a file may be one of several of its topology: it `use`s a part, or it
    declares no topology (so may be a part)."""
    from evtc.frontend.load import may_have_parts

    return may_have_parts(data)


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
    return _link([Unit(file, text, parsed)], ())


def parse_unit(data: bytes, file: str) -> Unit:
    """One file's bytes, parsed (undecodable bytes: a unit with no declarations, one diagnostic)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Unit(file, "", Parsed([], [_not_utf8(data, error, file)], frozenset()))
    with collector_paused():
        return Unit(file, text, parse(text, file))


def link(units: Sequence[Unit], diagnostics: Sequence[Diagnostic] = ()) -> Compilation:
    """Several parsed files as one topology: their declarations in one namespace, resolved
    together (a name declared in one file may be used in another; one declared in two is
    REF002, pointing at both). `diagnostics`: the loader's own (about `use`)."""
    with collector_paused():
        return _link(units, diagnostics)


def _link(units: Sequence[Unit], loaded: Sequence[Diagnostic]) -> Compilation:
    diagnostics = list(loaded)
    parts = []
    for number, unit in enumerate(units):
        diagnostics += unit.parsed.diagnostics
        parts.append(_assemble(unit.parsed.declarations, unit.file, unit.text, diagnostics, part=number > 0))
    first = parts[0]
    broken = frozenset().union(*(u.parsed.broken_names for u in units))
    # NOTE: named types resolve across the files too: a part may use a type another declares
    types, events = resolve_types(
        tuple(t for p in parts for t in p.types), tuple(e for p in parts for e in p.events), diagnostics, broken
    )
    topology = ir.Topology(
        name=first.name,
        file=first.file,
        span=first.span,
        types=types,
        events=events,
        components=tuple(c for p in parts for c in p.components),
        routes=tuple(r if p is first else replace(r, part=p.file) for p in parts for r in p.routes),
    )
    diagnostics += resolve(topology, broken)
    graph = build_graph(topology)
    diagnostics += check_filters(graph)
    diagnostics += check_attributes(topology)
    sources = {u.file: u.text for u in units}
    head = units[0]
    return Compilation(head.file, head.text, topology, graph, tuple(sorted_diagnostics(diagnostics)), sources)


def _assemble(
    declarations: list[object], file: str, text: str, diagnostics: list[Diagnostic], part: bool = False
) -> ir.Topology:
    """One file's declarations, types not yet resolved; a `part` (a file another one `use`s)
    declares no topology."""
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
        if not part and text.strip() and not any(d.category.value == "syntax" for d in diagnostics):
            diagnostics.append(
                codes.MISSING_TOPOLOGY.at(
                    span,
                    "the file has no `topology` declaration",
                    f"start it with `topology {_identifier(name)}` (or, if it is a part of another file's "
                    "topology, `use` it from that file)",
                )
            )
    return ir.Topology(
        name=name,
        file=file,
        span=span,
        types=tuple(d for d in declarations if isinstance(d, ir.TypeDecl)),
        events=tuple(d for d in declarations if isinstance(d, ir.Event)),
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
