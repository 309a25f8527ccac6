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
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from evtc import grammar
from evtc.diagnostics import Diagnostic
from evtc.frontend import codes
from evtc.frontend.hints import hint_for
from evtc.frontend.lower import Lowering
from evtc.frontend.units import glue_spaced_units, spaced_unit
from evtc.span import Span
from evtc.util.record import record
from evtc.util.suggest import closest

DECLARATION_KEYWORDS = (
    "topology",
    "use",
    "type",
    "event",
    "source",
    "queue",
    "stream",
    "topic",
    "bus",
    "function",
    "endpoint",
    "route",
)
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

_TOKEN_NAMES = {
    "NAME": "a name",
    "STRING": "a string",
    "NUMBER": "a number",
    "DURATION": "a duration",
    "SIZE": "a size",
    "RBRACE": "'}'",
    "LBRACE": "'{'",
    "LBRACKET": "'['",
    "RBRACKET": "']'",
    "LPAR": "'('",
    "RPAR": "')'",
    "COLON": "':'",
    "COMMA": "','",
    "DOT": "'.'",
    "AT": "'@'",
    "COMPARE_OP": "a comparison (== != < <= > >=)",
    "COMPONENT_KEYWORD": "a component (source, queue, stream, topic, bus, function, endpoint)",
    "$END": "the end of the file",
}


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
        return None, _at_end(error)


def _at_end(error: UnexpectedInput) -> bool:
    return isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END")


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


def syntax_diagnostic(error: UnexpectedInput, file: str, text: str, last: bool = True) -> Diagnostic:
    """A diagnostic for lark's error; `text` is what was parsed, `last` whether it ends the file."""
    if isinstance(error, UnexpectedCharacters):
        return _unexpected_character(error, file, text)
    if _at_end(error):
        return _unexpected_end(error, file, text, last)
    assert isinstance(error, UnexpectedToken)
    return _unexpected_token(error, file)


def _unexpected_character(error: UnexpectedCharacters, file: str, text: str) -> Diagnostic:
    span = Span.point(file, error.line, error.column)
    char = error.char
    if char == '"':
        position = error.pos_in_stream or 0
        line_end = text.find("\n", position)
        width = (line_end if line_end >= 0 else len(text)) - position
        span = Span.point(file, error.line, error.column, max(1, width))
        return codes.UNTERMINATED_STRING.at(
            span, "this string has no closing quote", 'close it with `"` on the same line'
        )
    targeted = hint_for(text, error.pos_in_stream or 0, error.allowed or set())
    if targeted:
        message, hint, width = targeted
        return codes.UNEXPECTED_CHARACTER.at(Span.point(file, error.line, error.column, width), message, hint)
    shown = char if char.isprintable() else f"U+{ord(char):04X}"
    hint = _expected_hint(error.allowed) if error.allowed else "remove it"
    if char.isalpha() and not char.isascii():
        hint = "names use ASCII letters, digits and underscores only"
    return codes.UNEXPECTED_CHARACTER.at(span, f"unexpected character '{shown}'", hint)


def _unexpected_end(error: UnexpectedInput, file: str, text: str, last: bool) -> Diagnostic:
    content = text.rstrip()
    line = content.count("\n") + 1
    column = len(content) - (content.rfind("\n") + 1) + 1
    expected = getattr(error, "accepts", None) or getattr(error, "expected", None) or set()
    hint = _expected_hint(expected) if expected else "finish the declaration"
    message = (
        "the file ends in the middle of a declaration"
        if last
        else "this declaration is not finished before the next one starts"
    )
    return codes.UNEXPECTED_END.at(Span.point(file, line, max(1, column)), message, hint)


def _unexpected_token(error: UnexpectedToken, file: str) -> Diagnostic:
    tok: Token = error.token
    span = Span.point(file, tok.line or 1, tok.column or 1, max(1, len(str(tok))))
    expected = set(error.accepts or error.expected)
    if tok.type == "NAME" and str(tok) in _IMPORT_WORDS and "USE" in expected:
        return codes.UNEXPECTED_TOKEN.at(
            span,
            f"`{tok}` is not a declaration: a topology names the files it is made of with `use`",
            'write `use "PATH"` (docs/language.md, "Topologies in several files")',
        )
    if tok.type == "NAME" and ("COMPONENT_KEYWORD" in expected or "ROUTE" in expected):
        match = closest(str(tok), DECLARATION_KEYWORDS)
        if match:
            return codes.UNEXPECTED_TOKEN.at(
                span,
                f"unknown declaration keyword '{tok}' — did you mean '{match}'?",
                f"write `{match}`; a declaration starts with one of: {', '.join(DECLARATION_KEYWORDS)}",
            )
    message = f"unexpected {_describe(tok)}"
    hint = _keyword_hint(tok, expected) or _expected_hint(expected)
    return codes.UNEXPECTED_TOKEN.at(span, message, hint)


def _describe(tok: Token) -> str:
    if tok.type == "NAME":
        return f"name '{tok}'"
    if tok.type in ("STRING", "NUMBER", "DURATION", "SIZE"):
        return f"{_TOKEN_NAMES[tok.type][2:]} {tok}"
    return f"'{tok}'"


def _keyword_hint(tok: Token, expected: set[str]) -> str:
    word = str(tok)
    if tok.type == "NAME" and ("COMPONENT_KEYWORD" in expected or "ROUTE" in expected):
        match = closest(word, DECLARATION_KEYWORDS)
        if match:
            return f"did you mean '{match}'? a declaration starts with one of: {', '.join(DECLARATION_KEYWORDS)}"
    if "NAME" in expected and tok.type != "NAME" and re.fullmatch(r"[a-z_]+", word):
        return f"'{word}' is a keyword here; choose another name"
    if "COLON" in expected and tok.type != "COLON" and "RBRACKET" not in expected:  # NOTE: in a list, `:` binds
        return "write properties as `name: value`"
    return ""


def _expected_hint(expected: set[str] | frozenset[str]) -> str:
    names = sorted({_TOKEN_NAMES.get(t, _keyword_name(t)) for t in expected if not t.startswith("__")})
    if not names:
        return "check the syntax against docs/language.md"
    if len(names) > 6:
        names = names[:6] + ["…"]
    return "expected " + ", ".join(names)


def _keyword_name(terminal: str) -> str:
    return f"'{terminal.lower()}'" if terminal.isupper() else terminal
