"""The front end for a document being edited: each declaration's parse is reused until its
text changes, so a keystroke re-parses one declaration, not the file.

The file is cut at every line that starts a declaration; each piece is parsed on its own
(padded with the lines before it, so positions are the file's own) and cached by its text
(a piece that only moved, because lines were added or removed above it, keeps its parse
with every position moved by as many lines). When every piece parses cleanly their
declarations are exactly those of one parse of the whole file: a piece starts at a line
start, and no token (string, comment) crosses a line.

When a piece has a syntax error (the usual state of a file being typed), the result is
`approximate`: the pieces' own recovery, which may word a message differently from
`evtc check`'s recovery of the whole file ("the file ends…" for a declaration left open
before the next one) and cut the file at other lines. The caller gets the exact answer
from `exact(text)`, `compile_text` itself, which costs a full parse; the language server
runs it off the editor's path.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import fields, is_dataclass
from typing import Any

from evtc import ir
from evtc.diagnostics import Category, Diagnostic
from evtc.frontend import Compilation, compile_parsed, compile_text
from evtc.frontend.parse import DECLARATION_KEYWORDS, Parsed, parse
from evtc.span import Span

_START = re.compile(r"^(?:" + "|".join(DECLARATION_KEYWORDS) + r")\b(?![ \t]*:)", re.MULTILINE)
Key = tuple[int, str]  # (lines before the piece, the piece's text)


_DECLARED = re.compile(r"[a-z]+[ \t]+([A-Za-z_][A-Za-z0-9_]*)")


def _declared(piece: str) -> str:
    """The name a piece declares ('' for none), as parse.py's recovery names broken pieces."""
    found = _DECLARED.match(piece)
    return found.group(1) if found else ""


def _syntax_error(parsed: Parsed) -> bool:
    return any(d.category is Category.SYNTAX for d in parsed.diagnostics)


def pieces(text: str) -> list[Key]:
    """The file cut before each line that starts (at column 1) with a declaration keyword."""
    starts = [m.start() for m in _START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    found: list[Key] = []
    line = 0
    for begin, end in zip(starts, [*starts[1:], len(text)]):
        piece = text[begin:end]
        found.append((line, piece))
        line += piece.count("\n")
    return found


class IncrementalFrontEnd:
    """The front end of one document, remembering the parse of each declaration."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._parsed: dict[str, tuple[int, Parsed]] = {}  # piece text → (its line then, its parse)
        self.generation = 0  # how many compiles so far
        self.approximate = False  # whether the last compile had a syntax error (see the module's doc)
        self.reused = 0  # pieces taken from the cache by the last compile (for the benchmark)
        self._layout: list[Key] = []  # the pieces of the last compile
        self._old_starts: list[int] = []  # the lines before each piece of the compile before it
        self._moves: list[int | None] = []  # how many lines each of those moved by (None: edited)

    def compile(self, text: str) -> Compilation:
        fresh: dict[str, tuple[int, Parsed]] = {}
        parts: list[Parsed] = []
        self.reused = 0
        self.generation += 1
        layout = pieces(text)
        self._moves = self._moved(layout)
        self._old_starts = [line for line, _ in self._layout]
        self._layout = layout
        for line, piece in layout:
            before = self._parsed.get(piece) or fresh.get(piece)
            if before is None:
                found = parse("\n" * line + piece, self.file)
            else:
                self.reused += 1
                found = before[1] if before[0] == line else shifted(before[1], line - before[0])
            fresh[piece] = (line, found)
            parts.append(found)
        self._parsed = fresh
        broken = frozenset(_declared(piece) for (_, piece), p in zip(layout, parts) if _syntax_error(p))
        self.approximate = bool(broken)
        declarations = [d for p in parts for d in p.declarations]
        diagnostics = [d for p in parts for d in p.diagnostics]
        return compile_parsed(Parsed(declarations, diagnostics, broken - {""}), text, self.file)

    def exact(self, text: str) -> Compilation:
        """What `evtc check` compiles from `text` (the whole file through `compile_text`)."""
        return compile_text(text, self.file)

    def _moved(self, layout: list[Key]) -> list[int | None]:
        now = {piece: line for line, piece in reversed(layout)}
        return [now[piece] - line if piece in now else None for line, piece in self._layout]

    def carry(self, diagnostics: list[Diagnostic], generation: int) -> list[Diagnostic]:
        """Findings on compile number `generation` that stand on declarations the last
        compile did not change, moved to where those declarations are now (a finding on an
        edited declaration may be stale until the rules run again, so it is dropped)."""
        if generation == self.generation:
            return diagnostics
        if generation != self.generation - 1:
            return []
        found = []
        for d in diagnostics:
            index = bisect_right(self._old_starts, d.span.line - 1) - 1
            moved = self._moves[index] if 0 <= index < len(self._moves) else None
            if moved is not None:
                found.append(d if moved == 0 else shifted(d, moved))
        return found


def shifted(node: Any, lines: int) -> Any:
    """`node` with every span in it moved down by `lines` (IR records, diagnostics, lists)."""
    kind = type(node)
    if kind in _PLAIN:
        return node
    if kind is Span:
        return Span(node.file, node.line + lines, node.column, node.end_line + lines, node.end_column)
    if kind is tuple or kind is list:
        if all(type(x) in _PLAIN for x in node):
            return node
        return kind([shifted(x, lines) for x in node])
    if kind is Parsed:
        return Parsed(shifted(node.declarations, lines), shifted(node.diagnostics, lines), node.broken_names)
    names = _init_fields(kind)
    if names is None:
        return node
    return kind(**{name: shifted(getattr(node, name), lines) for name in names})


# NOTE: values that hold no span (and IR values that hold none: a duration, a size, a name)
_PLAIN = frozenset({str, int, float, bool, type(None), ir.Duration, ir.Size, ir.Name})
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _init_fields(kind: type) -> tuple[str, ...] | None:
    if kind not in _FIELDS:
        _FIELDS[kind] = tuple(f.name for f in fields(kind) if f.init) if is_dataclass(kind) else None
    return _FIELDS[kind]
