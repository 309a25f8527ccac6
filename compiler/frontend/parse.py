"""Text → IR declarations, collecting every syntax error it can.

The whole file is parsed in one LALR pass with the lowering as lark's inline transformer.
When that pass fails, the file is cut at each line that starts a declaration and every
piece is parsed on its own, so one mistake costs one declaration, not the rest of the file.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from lark import Lark, Token
from lark.exceptions import UnexpectedInput

from evtc import grammar
from evtc.diagnostics import Diagnostic
from evtc.frontend.lower import Lowering
from evtc.frontend.syntax import DECLARATION_KEYWORDS, at_end, syntax_diagnostic
from evtc.frontend.units import glue_spaced_units, spaced_unit
from evtc.util.record import record
from evtc.util.suggest import closest

__all__ = [
    "DECLARATION_KEYWORDS",
    "Parsed",
    "parse",
    "parse_alone",
    "parse_piece",
    "recover",
    "recovery_pieces",
    "tokens",
]

# A line that begins a declaration: a keyword not followed by a colon (a field `source: string`
# has one), then usually the declared name.
_DECLARATION_START = re.compile(
    r"^[ \t]*(" + "|".join(DECLARATION_KEYWORDS) + r")\b(?![ \t]*:)(?:[ \t]+([A-Za-z_][A-Za-z0-9_]*))?",
    re.MULTILINE,
)

_IMPORT_WORDS = ("import", "include", "require", "using", "from")  # what other languages say for `use`

_MISSPELT_START = re.compile(
    r"^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?::[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*)?\{",
    re.MULTILINE,
)


@record
class Parsed:
    """The declarations of a file, with every syntax error found."""

    declarations: list[Any]
    diagnostics: list[Diagnostic]
    broken_names: frozenset[str]  # names declared in pieces that failed to parse


@lru_cache(maxsize=1)
def _parser() -> tuple[Lark, Lowering]:
    lowering = Lowering()
    # NOTE: cache=True keeps lark's LALR tables in a temp file keyed by grammar and options,
    # which saves rebuilding them at every start of the command.
    parser = Lark(grammar.text(), parser="lalr", transformer=lowering, maybe_placeholders=True, cache=True)
    return parser, lowering


_LOCK = threading.Lock()  # NOTE: the inline transformer holds per-file state, so parses are serialised.


def parse(text: str, file: str) -> Parsed:
    parser, lowering = _parser()
    with _LOCK:
        return recover(
            text,
            file,
            lambda whole: _parse_whole_or_none(parser, lowering, whole, file)[0],
            lambda broken: _parse_pieces(parser, lowering, broken, file),
        )


Whole = Callable[[str], "Parsed | None"]
Pieces = Callable[[str], "Parsed"]


def recover(text: str, file: str, whole: Whole, pieces: Pieces) -> Parsed:
    """`parse`'s strategy, with its two steps given: `whole(text)` parses a text in one pass
    (None when that fails) and `pieces(text)` parses a text that failed piece by piece. The
    language server passes steps that reuse the parses of unchanged declarations."""
    parsed = whole(text)
    if parsed is not None:
        return parsed
    glued, spaced = glue_spaced_units(text)
    if not spaced:
        return pieces(text)
    # NOTE: `30 s` is read as `30s ` (same length, so positions hold) and reported once, on the value.
    parsed = whole(glued)
    if parsed is None:
        parsed = pieces(glued)
    reported = [spaced_unit(w, file, *_line_column(text, start)) for start, _, w in spaced]
    starts = {(d.span.line, d.span.column) for d in reported}
    kept = [d for d in parsed.diagnostics if (d.span.line, d.span.column) not in starts]
    return Parsed(parsed.declarations, kept + reported, parsed.broken_names)


def parse_alone(text: str, file: str) -> tuple[Parsed | None, bool]:
    """One LALR pass over `text`: (its parse, or None when it fails; whether a failure is at
    the end of `text`, where more text could have completed it)."""
    parser, lowering = _parser()
    with _LOCK:
        return _parse_whole_or_none(parser, lowering, text, file)


def parse_piece(line_offset: int, piece: str, name: str | None, last: bool, file: str) -> Parsed:
    """One piece of a file that failed to parse, as `parse` reads it (see `recovery_pieces`)."""
    parser, lowering = _parser()
    with _LOCK:
        return _parse_piece(parser, lowering, line_offset, piece, name, last, file)


def tokens(text: str, file: str) -> tuple[list[Token], list[Diagnostic]]:
    """Every token of `text` as the parser reads it (comments and whitespace left out), with
    the lowering's diagnostics; raises lark's `UnexpectedInput` on a syntax error."""
    parser, lowering = _parser()
    with _LOCK:
        lowering.start_file(file)
        interactive = parser.parse_interactive(text)
        found = list(interactive.iter_parse())
        interactive.feed_eof()
        return found, lowering.diagnostics


def _parse_whole(parser: Lark, lowering: Lowering, text: str, file: str) -> Parsed:
    lowering.start_file(file)
    declarations: list[Any] = parser.parse(text)  # type: ignore[assignment]  # the inline transformer returns a list
    return Parsed([d for d in declarations if d is not None], lowering.diagnostics, frozenset())


def _parse_whole_or_none(parser: Lark, lowering: Lowering, text: str, file: str) -> tuple[Parsed | None, bool]:
    try:
        return _parse_whole(parser, lowering, text, file), False
    except UnexpectedInput as error:
        return None, at_end(error)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _parse_pieces(parser: Lark, lowering: Lowering, text: str, file: str) -> Parsed:
    declarations: list[Any] = []
    diagnostics: list[Diagnostic] = []
    broken: set[str] = set()
    for line_offset, piece, name, last in recovery_pieces(text):
        parsed = _parse_piece(parser, lowering, line_offset, piece, name, last, file)
        declarations.extend(parsed.declarations)
        diagnostics.extend(parsed.diagnostics)
        broken |= parsed.broken_names
    return Parsed(declarations, diagnostics, frozenset(broken))


def _parse_piece(
    parser: Lark, lowering: Lowering, line_offset: int, piece: str, name: str | None, last: bool, file: str
) -> Parsed:
    lowering.start_file(file)
    padded = "\n" * line_offset + piece
    try:
        parsed: list[Any] = parser.parse(padded)  # type: ignore[assignment]
        return Parsed([d for d in parsed if d is not None], lowering.diagnostics, frozenset())
    except UnexpectedInput as error:
        found = [*lowering.diagnostics, syntax_diagnostic(error, file, padded, last=last)]
        return Parsed([], found, frozenset({name} if name else ()))


def recovery_pieces(text: str) -> list[tuple[int, str, str | None, bool]]:
    """(lines before the piece, the piece, the name it declares, whether it ends the file):
    the pieces a file that fails to parse is cut into, each parsed on its own."""
    found = _pieces(text)
    return [(line, piece, name, index == len(found) - 1) for index, (line, piece, name) in enumerate(found)]


def _pieces(text: str) -> list[tuple[int, str, str | None]]:
    """(lines before the piece, the piece's text, the name it declares) for each declaration."""
    starts = [(m.start(), m.group(2)) for m in _DECLARATION_START.finditer(text)]
    # A misspelt keyword (`qeueu jobs {`) starts a declaration too, so that the name it declares
    # counts as broken (no follow-on "no component named 'jobs'") and the next one parses alone.
    starts += [
        (m.start(), m.group(2))
        for m in _MISSPELT_START.finditer(text)
        if m.group(1) not in DECLARATION_KEYWORDS and closest(m.group(1), DECLARATION_KEYWORDS)
    ]
    starts.sort(key=lambda start: start[0])
    if not starts or starts[0][0] != 0:
        starts.insert(0, (0, None))  # type: ignore[arg-type]
    pieces = []
    line = last = 0
    for (begin, name), (end, _) in zip(starts, starts[1:] + [(len(text), None)]):
        line += text.count("\n", last, begin)  # NOTE: counted from the last start, not the file's
        last = begin
        pieces.append((line, text[begin:end], name))
    return pieces
