"""Syntax errors as diagnostics: lark's errors, worded for someone new to the language
(the token found, what could stand there, a "did you mean" for a misspelt keyword)."""

from __future__ import annotations

import re

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from evtc.diagnostics import Diagnostic
from evtc.frontend import codes
from evtc.frontend.hints import hint_for
from evtc.span import Span
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
_IMPORT_WORDS = ("import", "include", "require", "using", "from")  # what other languages say for `use`
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


def at_end(error: UnexpectedInput) -> bool:
    return isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END")


def syntax_diagnostic(error: UnexpectedInput, file: str, text: str, last: bool = True) -> Diagnostic:
    """A diagnostic for lark's error; `text` is what was parsed, `last` whether it ends the file."""
    if isinstance(error, UnexpectedCharacters):
        return _unexpected_character(error, file, text)
    if at_end(error):
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
