"""`evtc fmt`: one canonical layout for .evt files, comments kept where they were written.

The layout (documented in docs/formatting.md):

- two spaces of indentation per block level; no alignment of values (diffs stay one line);
- a block (`{ … }` of a component, route, event or nested object type) is written one
  property per line, unless it was written with its first property on the `{` line, has no
  comment inside and fits in 100 columns, in which case it stays on one line
  (`{ retries: 3 }`) — the rule Prettier uses for objects; an empty block is `{}`;
- one space around `->`, comparison operators and after `:` and `,`; none inside `[…]`,
  `(…)` or around `.`; a list loses its trailing comma;
- a declaration (and a filter) stays on one line; blank lines between declarations and
  between properties are kept, at most one in a row, never after `{` or before `}`;
- a comment stays after the token it followed (two spaces before `#`) or on its own line
  before the token it preceded; a token that followed a comment on the same logical line
  goes on a continuation line indented four more spaces;
- the file ends with one newline; a file written with CRLF line ends keeps them.

`format_text` raises `FormatError` (with the syntax diagnostics) when the text does not
parse: a formatter cannot know the layout of text it cannot read. It also raises when its
output would not read as the same tokens as its input (so compile to another IR), which
would be a bug in evtc.
"""

from __future__ import annotations

import re

from lark import Token
from lark.exceptions import UnexpectedInput

from evtc.diagnostics import Diagnostic
from evtc.frontend.fmtlayout import plan_layout, render

__all__ = ["FormatError", "comments_between", "format_text"]


class FormatError(ValueError):
    """The text cannot be formatted; `diagnostics` says why (syntax errors, with positions)."""

    def __init__(self, message: str, diagnostics: tuple[Diagnostic, ...] = ()) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


def format_text(text: str, file: str = "<stdin>") -> str:
    """`text` in the canonical layout. Raises `FormatError` when it has syntax errors."""
    from evtc.util.gcpause import collector_paused

    with collector_paused():  # NOTE: as the front end: tens of thousands of tokens, no cycles
        return _format(text, file)


def _format(text: str, file: str) -> str:
    source = text.replace("\r\n", "\n")
    read = _tokens(source, file)
    comments = comments_between(source, read)
    formatted = render(read, comments, plan_layout(read, comments))
    # NOTE: the guard against a formatter bug: the output must read as the same tokens
    # (a dropped trailing comma aside), so it parses to the same IR. Comments are kept too.
    again = _tokens(formatted, file)
    if _significant(again) != _significant(read) or len(comments_between(formatted, again)) != len(comments):
        raise FormatError(f"{file}: evtc fmt would change what this file means; please report this as a bug")
    if "\r\n" in text and text.find("\r\n") == text.find("\n") - 1:  # the first line end decides, as ruff's "auto"
        formatted = formatted.replace("\n", "\r\n")
    return formatted


def _tokens(text: str, file: str) -> list[Token]:
    from evtc.frontend.parse import tokens

    try:
        found, problems = tokens(text, file)
    except UnexpectedInput:
        found, problems = [], None
    syntax = [d for d in problems if d.category.value == "syntax"] if problems is not None else None
    if syntax is None or syntax:
        from evtc.frontend.parse import parse

        diagnostics = tuple(syntax or parse(text, file).diagnostics)
        first = f"{diagnostics[0].span}: {diagnostics[0].message}" if diagnostics else f"{file}: cannot be parsed"
        raise FormatError(f"{first}; fix it before formatting", diagnostics)
    return found


def _significant(found: list[Token]) -> list[tuple[str, str]]:
    """The tokens that carry meaning: a comma before `]` or `)` carries none."""
    return [
        (t.type, str(t))
        for i, t in enumerate(found)
        if not (t == "," and i + 1 < len(found) and found[i + 1] in ("]", ")"))
    ]


def comments_between(text: str, found: list[Token]) -> list[Token]:
    """The comments of `text`: whatever starts with `#` in the gaps between its tokens."""
    comments: list[Token] = []
    counted, line, at = 0, 1, 0  # lines are counted once, front to back
    for start, end in [(t.start_pos, t.end_pos) for t in found] + [(len(text), len(text))]:
        for match in _COMMENT.finditer(text, at, start):  # type: ignore[arg-type]
            offset = match.start()
            line += text.count("\n", counted, offset)
            counted = offset
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            width = len(match.group())
            comments.append(Token("COMMENT", match.group(), offset, line, column, line, column + width, offset + width))
        at = end  # type: ignore[assignment]
    return comments


_COMMENT = re.compile(r"#[^\r\n]*")
