"""Mechanical fixes for diagnostics, as text edits: `evtc check --fix` applies them and the
language server offers them as code actions.

A fix is *safe* when applying it cannot change what a file that already compiled does:
correcting a misspelt name or property to the one "did you mean" suggests (the file did not
compile as written), or turning on encryption at rest. Adding a dead-letter queue is
offered but not safe — it adds a resource and changes what happens to failing messages —
so `--fix` applies it only with `--unsafe-fixes`, as ruff does.

>>> text = "topology t\\nqueue jobs { retension: 4d }\\n"
>>> from evtc.frontend import compile_text
>>> (d,) = compile_text(text, "t.evt").diagnostics
>>> (fix,) = fixes_for(d, text)
>>> fix.title, apply_fixes(text, [fix])[0]
("Replace 'retension' with 'retention'", 'topology t\\nqueue jobs { retention: 4d }\\n')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from evtc.diagnostics import Diagnostic
from evtc.span import Span
from evtc.util.record import record

if TYPE_CHECKING:  # NOTE: `fixability` runs on every text report, cached ones too: no IR import
    from evtc import ir
    from evtc.frontend import Compilation
_SUGGESTION = re.compile(r"did you mean '@?([A-Za-z_][A-Za-z0-9_]*)'\?")
_QUOTED = re.compile(r"'@?([A-Za-z_][A-Za-z0-9_.]*)'")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@record
class Edit:
    """Replace text[start:end] (character offsets) with `new_text`."""

    start: int
    end: int
    new_text: str

    def range(self, text: str) -> tuple[tuple[int, int], tuple[int, int]]:
        """(line, character) of both ends, 0-based, as the Language Server Protocol counts them."""
        return position(text, self.start), position(text, self.end)


@record
class Fix:
    """One fix of one diagnostic: a title for a menu, its edits, and whether it is safe."""

    title: str
    edits: tuple[Edit, ...]
    safe: bool
    code: str = ""


def offset(text: str, line: int, column: int) -> int:
    """The character offset of a 1-based line and column."""
    start = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found < 0:
            return len(text)
        start = found + 1
    return min(start + column - 1, len(text))


def position(text: str, at: int) -> tuple[int, int]:
    line = text.count("\n", 0, at)
    return line, at - (text.rfind("\n", 0, at) + 1)


def span_offsets(text: str, span: Span) -> tuple[int, int]:
    return offset(text, span.line, span.column), offset(text, span.end_line, span.end_column)


def fixes_for(diagnostic: Diagnostic, text: str, compilation: Compilation | None = None) -> list[Fix]:
    """The fixes evtc knows for `diagnostic` in `text` (the file it was reported on)."""
    found = _rename(diagnostic, text) if diagnostic.code != "REF018" else _unsuppress(diagnostic, text)
    if diagnostic.code in ("DLV001", "SEC003", "SEC011"):
        if compilation is None:
            from evtc.frontend import compile_text

            compilation = compile_text(text, diagnostic.span.file)
        component = _component_at(compilation.topology, diagnostic.span)
        if component is not None:
            maker = _add_dead_letter if diagnostic.code == "DLV001" else _encrypt
            found.extend(maker(component, text, compilation.topology))
    return [Fix(f.title, f.edits, f.safe, diagnostic.code) for f in found]


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """`text` with every fix whose edits overlap no earlier fix's applied; and how many were."""
    taken: list[tuple[int, int]] = []
    edits: list[Edit] = []
    applied = 0
    for fix in fixes:
        spans = [(e.start, e.end) for e in fix.edits]
        if any(a < d and c < b or a == b == c == d for a, b in spans for c, d in taken):
            continue
        taken.extend(spans)
        edits.extend(fix.edits)
        applied += 1
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.new_text + text[edit.end :]
    return text, applied


def _rename(d: Diagnostic, text: str) -> list[Fix]:
    suggestion = _SUGGESTION.search(d.hint) or _SUGGESTION.search(d.message)
    if suggestion is None:
        return []
    start, end = span_offsets(text, d.span)
    quoted = {part for q in _QUOTED.findall(d.message) for part in q.split(".")}
    for word in _WORD.finditer(text, start, max(end, start + 1)):
        if word.group() in quoted and word.group() != suggestion.group(1):
            edit = Edit(word.start(), word.end(), suggestion.group(1))
            return [Fix(f"Replace '{word.group()}' with '{suggestion.group(1)}'", (edit,), True)]
    return []


def _unsuppress(d: Diagnostic, text: str) -> list[Fix]:
    """Remove an unused code from its suppression comment (the whole directive if it was the only one)."""
    start, end = span_offsets(text, d.span)
    opening, closing = text.rfind("[", 0, start), text.find("]", end)
    hash_at = text.rfind("#", 0, opening)
    if min(opening, closing, hash_at) < 0:
        return []
    codes = [c.strip() for c in text[opening + 1 : closing].split(",")]
    word = text[start:end]
    rest = [c for c in codes if c and c != word]
    if rest:
        edit = Edit(opening + 1, closing, ", ".join(rest))
    else:
        line_end = text.find("\n", closing)
        line_end = len(text) if line_end < 0 else line_end
        begin = hash_at
        while begin and text[begin - 1] in " \t":
            begin -= 1
        line_start = text.rfind("\n", 0, begin) + 1
        edit = Edit(begin if begin > line_start else line_start, line_end, "")
    return [Fix(f"Remove the unused suppression of {word}", (edit,), True)]


def _component_at(topology: ir.Topology, span: Span) -> ir.Component | None:
    for component in topology.components:
        c = component.span
        if (
            c.file == span.file
            and (c.line, c.column) <= (span.line, span.column)
            and (span.end_line, span.end_column)
            <= (
                c.end_line,
                c.end_column,
            )
        ):
            return component
    return None


def _encrypt(component: ir.Component, text: str, topology: ir.Topology) -> list[Fix]:
    title = f"Add `encrypted: true` to '{component.name}'"
    written = component.prop("encrypted")
    if written is not None:
        start, end = span_offsets(text, written.value_span)
        title = f"Set `encrypted: true` on '{component.name}'"
        return [Fix(title, (Edit(start, end, "true"),), True)]
    edit = _add_properties(component, text, ["encrypted: true"])
    return [Fix(title, (edit,), True)] if edit else []


def _add_dead_letter(component: ir.Component, text: str, topology: ir.Topology) -> list[Fix]:
    taken = {c.name for c in topology.components}
    name = f"{component.name}_dlq"
    number = 2
    while name in taken:
        name, number = f"{component.name}_dlq{number}", number + 1
    added = [] if component.prop("max_receives") else ["max_receives: 5"]
    edit = _add_properties(component, text, [*added, f"dead_letter: {name}"])
    if edit is None:
        return []
    body = "retention: 14d" + (" encrypted: true" if getattr(component, "encrypted", False) else "")
    end = offset(text, component.span.end_line, component.span.end_column)
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    declaration = Edit(line_end, line_end, f"\nqueue {name} {{ {body} }}")
    title = f"Add a dead-letter queue '{name}' to '{component.name}'"
    return [Fix(title, (edit, declaration), False)]


def _add_properties(component: ir.Component, text: str, written: list[str]) -> Edit | None:
    """An edit adding `written` as the block's last properties, in the block's own layout."""
    close = offset(text, component.span.end_line, component.span.end_column) - 1
    if not 0 <= close < len(text) or text[close] != "}":
        return None  # NOTE: a component without a block (a syntax error) is never fixed
    opening = text.rfind("{", 0, close)
    line_start = text.rfind("\n", 0, close) + 1
    if "\n" in text[opening:close] and not text[line_start:close].strip():
        closing_indent = text[line_start:close]
        props = component.props
        indent = " " * (props[-1].span.column - 1) if props else closing_indent + "  "
        return Edit(line_start, line_start, "".join(f"{indent}{w}\n" for w in written))
    before = text[close - 1] if close else ""
    return Edit(close, close, (" " if before not in (" ", "\t") else "") + " ".join(written) + " ")


def fixability(d: Diagnostic) -> str | None:
    """'safe', 'unsafe' or None: whether `fixes_for` would offer a fix, decided without the file."""
    if d.code == "DLV001":
        return "unsafe"
    if d.code in ("SEC003", "SEC011", "REF018") or _SUGGESTION.search(d.hint) or _SUGGESTION.search(d.message):
        return "safe"
    return None
