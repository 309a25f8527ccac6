"""The front end for a document being edited: each declaration's parse is reused until its
text changes, so a keystroke re-parses one declaration, not the file, and the result is
always exactly `compile_text`'s (the same IR, the same diagnostics, at the same places).

`compile_text` parses in two steps (`evtc.frontend.parse.recover`): the whole file in one
LALR pass; when that fails, the file cut into pieces, each parsed alone. Both steps are
redone here from cached parts:

- the one pass: the file is cut before every line that starts (at column 1) with a
  declaration keyword. No token crosses a line, and after a complete declaration such a
  keyword can only start the next one (nothing that continues a declaration, `when`, `{`,
  `and`, `or`, `.`, `ignorecase`, is a declaration keyword), so the pass is in the same
  state at every cut whose text before it parsed. A piece that parses alone is what the
  pass makes of it; a piece that fails before its end makes the pass fail there; a piece
  that fails at its end (a block left open) is parsed again together with the next, until
  that parses, or fails before its end, or the file ends;
- the pieces: `recovery_pieces` cuts the file as `compile_text` does, and each piece's
  parse (a pure function of its text, whether it ends the file, and where it starts) is
  cached by text and moved to where the piece now is.

A cached parse that only moved (lines were added or removed above it) keeps its IR with
every span moved by as many lines (`evtc.lsp.shift`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from evtc.diagnostics import Diagnostic
from evtc.frontend import Compilation, compile_parsed, compile_text
from evtc.frontend.parse import DECLARATION_KEYWORDS, Parsed, parse_alone, parse_piece, recover, recovery_pieces
from evtc.lsp.shift import LineMap, shifted
from evtc.span import Span
from evtc.util.gcpause import collector_paused

__all__ = ["IncrementalFrontEnd", "pieces", "shifted"]

_START = re.compile(r"^(?:" + "|".join(DECLARATION_KEYWORDS) + r")\b(?![ \t]*:)", re.MULTILINE)
Key = tuple[int, str]  # (lines before the piece, the piece's text)
_MERGED = 16  # NOTE: pieces one pass may join before it stops and parses the whole file
_SEEDED = 8  # NOTE: new pieces from which one pass over the whole file is cheaper (see _seed)


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


_Chunk = tuple[int, str, Parsed]  # (lines before it, its text, its parse in one pass)


def _line_map(before: list[_Chunk] | None, after: list[_Chunk] | None) -> LineMap | None:
    """How lines moved from `before` to `after`, when each chunk of `after` parses to what
    the chunk at the same place in `before` did, moved by whole lines (chunks of comments
    and blank lines, which parse to nothing, left out)."""
    if before is None or after is None:
        return None
    before, after = _filled(before), _filled(after)
    if len(before) != len(after):
        return None
    moves = []
    for (old_line, old_text, old), (new_line, new_text, new) in zip(before, after):
        if old_text != new_text and shifted(old, new_line - old_line) != new:
            return None
        moves.append(new_line - old_line)
    return LineMap([line for line, _, _ in before], moves)


def _filled(chunks: list[_Chunk]) -> list[_Chunk]:
    return [c for c in chunks if c[2].declarations or c[2].diagnostics]


def _split(parsed: Parsed, starts: list[int]) -> list[tuple[list[Any], list[Diagnostic]]] | None:
    """`parsed`'s declarations and diagnostics by the piece they lie in (pieces start at the
    0-based lines `starts`); None when one crosses a cut, or a diagnostic is not within a
    declaration of its piece."""
    parts: list[tuple[list[Any], list[Diagnostic]]] = [([], []) for _ in starts]
    spans: list[list[Span]] = [[] for _ in starts]
    for declaration in parsed.declarations:
        span = declaration[-1] if isinstance(declaration, tuple) else getattr(declaration, "span", None)
        index = _piece_of(span, starts) if isinstance(span, Span) else None
        if index is None:
            return None
        parts[index][0].append(declaration)
        spans[index].append(span)
    for diagnostic in parsed.diagnostics:
        index = _piece_of(diagnostic.span, starts)
        if index is None or not any(s.line <= diagnostic.span.line <= s.end_line for s in spans[index]):
            return None
        parts[index][1].append(diagnostic)
    return parts


def _piece_of(span: Span, starts: list[int]) -> int | None:
    first = bisect_right(starts, span.line - 1) - 1
    return first if first >= 0 and first == bisect_right(starts, span.end_line - 1) - 1 else None


class _Parses:
    """Parses of texts, by (the text, what else the parse depends on): each remembered with
    the line it was parsed at, and handed out moved to the line asked for. Entries not used
    by a compile are forgotten at the next."""

    def __init__(self) -> None:
        self._old: dict[Any, tuple[int, Any]] = {}
        self._new: dict[Any, tuple[int, Any]] = {}
        self.reused = 0
        self.dropped: list[dict[Any, tuple[int, Any]]] = []  # forgotten, not yet freed (see `release`)

    def get(self, key: Any, line: int, make: Callable[[Any, int], Any]) -> Any:
        found = self._new.get(key) or self._old.get(key)
        if found is None:
            value = make(key, line)
        else:
            self.reused += 1
            value = found[1] if found[0] == line else shifted(found[1], line - found[0])
        self._new[key] = (line, value)
        return value

    def has(self, key: Any) -> bool:
        return key in self._new or key in self._old

    def put(self, key: Any, line: int, value: Any) -> None:
        self._new[key] = (line, value)

    def next_compile(self) -> None:
        self.dropped = [*self.dropped[-2:], self._old]  # NOTE: typing on: a few at most
        self._old, self._new, self.reused = self._new, {}, 0

    def release(self) -> None:
        """Free the forgotten parses (thousands of nodes after a large edit: the server
        does it once the diagnostics went out)."""
        self.dropped.clear()


class IncrementalFrontEnd:
    """The front end of one document, remembering the parse of each declaration."""

    def __init__(self, file: str, reuse: bool = True) -> None:
        self.file = file
        self.reuse = reuse  # NOTE: False only to measure what reuse saves (benchmarks/lsp.py)
        self.generation = 0  # how many compiles so far
        self._parses = _Parses()
        self._layout: list[Key] = []  # the pieces of the last compile
        self._text = ""  # the text of the last compile
        self._chunks: list[_Chunk] | None = None  # what one pass over it read, when it parsed
        # Where the lines of the compile before the last went, when every declaration of
        # the last is one of that compile's moved by whole lines (None: something changed).
        self.moved: LineMap | None = None
        self._old_starts: list[int] = []  # the lines before each piece of the compile before it
        self._moves: list[int | None] = []  # how many lines each of those moved by (None: edited)

    def release(self) -> None:
        """Free what the last compiles forgot (see `_Parses.release`)."""
        self._parses.release()

    @property
    def reused(self) -> int:
        """Parses the last compile took from the cache (for the benchmark)."""
        return self._parses.reused

    def compile(self, text: str) -> Compilation:
        """Exactly `compile_text(text, file)`, from the parses of unchanged declarations
        (or, when the front end was made with `reuse=False`, by `compile_text` itself)."""
        self.generation += 1
        self._parses.next_compile()
        layout = pieces(text)
        self._moves = self._moved(layout)
        self._old_starts = [line for line, _ in self._layout]
        self._layout, self._text = layout, text
        before, self._chunks, self.moved = self._chunks, None, None
        if not self.reuse:
            return compile_text(text, self.file)
        with collector_paused():
            parsed = recover(text, self.file, self._one_pass, self._by_pieces)
            self.moved = _line_map(before, self._chunks)
        return compile_parsed(parsed, text, self.file)

    def _one_pass(self, text: str) -> Parsed | None:
        """`parse`'s one pass over `text` (None when it fails), from the pieces' parses."""
        # NOTE: `recover` may pass a rewritten text (`30 s` glued), which is cut afresh
        cut = self._layout if text is self._text else pieces(text)
        self._seed(text, cut)
        declarations: list[Any] = []
        diagnostics: list[Diagnostic] = []
        chunks: list[_Chunk] = []
        first = 0
        while first < len(cut):
            line, chunk = cut[first]
            last = first
            while True:
                parsed, at_end = self._parses.get(("pass", chunk), line, self._alone)
                if parsed is not None:
                    break
                if not at_end or last == len(cut) - 1:
                    return None
                last += 1
                chunk += cut[last][1]
                if last - first >= _MERGED:
                    return parse_alone(text, self.file)[0]
            declarations += parsed.declarations
            diagnostics += parsed.diagnostics
            chunks.append((line, chunk, parsed))
            first = last + 1
        if cut is self._layout:
            self._chunks = chunks
        return Parsed(declarations, diagnostics, frozenset())

    def _seed(self, text: str, cut: list[Key]) -> None:
        """When most pieces are new (a file opened, a large paste), parse the whole text in
        one pass, which costs a fraction of parsing each piece alone, and, when it parses
        and each declaration (and each of its diagnostics) lies within one piece, remember
        its declarations split by piece: what each piece parses to alone (see the module's
        doc: the pass is in the same state at every cut)."""
        new = sum(not self._parses.has(("pass", piece)) for _, piece in cut)
        if new < _SEEDED or new * 4 < len(cut):
            return
        whole, _ = parse_alone(text, self.file)
        split = _split(whole, [line for line, _ in cut]) if whole is not None else None
        for (line, piece), parts in zip(cut, split or ()):
            self._parses.put(("pass", piece), line, (Parsed(*parts, frozenset()), False))

    def _alone(self, key: tuple[str, str], line: int) -> tuple[Parsed | None, bool]:
        return parse_alone("\n" * line + key[1], self.file)

    def _by_pieces(self, text: str) -> Parsed:
        """`parse`'s piece-by-piece recovery of `text`, from the pieces' cached parses."""
        declarations: list[Any] = []
        diagnostics: list[Diagnostic] = []
        broken: set[str] = set()
        for line, piece, name, last in recovery_pieces(text):
            found = self._parses.get(("piece", piece, name, last), line, self._piece)
            declarations += found.declarations
            diagnostics += found.diagnostics
            broken |= found.broken_names
        return Parsed(declarations, diagnostics, frozenset(broken))

    def _piece(self, key: tuple[str, str, str | None, bool], line: int) -> Parsed:
        _, piece, name, last = key
        return parse_piece(line, piece, name, last, self.file)

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
