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
output would compile to a different IR than its input, which would be a bug in evtc.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput

from evtc import grammar
from evtc.diagnostics import Diagnostic
from evtc.fmtlayout import plan_layout, render

__all__ = ["FormatError", "format_text", "meaning"]


class FormatError(ValueError):
    """The text cannot be formatted; `diagnostics` says why (syntax errors, with positions)."""

    def __init__(self, message: str, diagnostics: tuple[Diagnostic, ...] = ()) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


_LOCK = threading.Lock()
_COMMENTS: list[Token] = []


@lru_cache(maxsize=1)
def _tree_parser() -> Lark:
    # NOTE: a second parser, building a tree with every token kept: the front end's parser
    # lowers straight to IR and drops punctuation and comments, which a formatter needs.
    return Lark(
        grammar.text(),
        parser="lalr",
        keep_all_tokens=True,
        maybe_placeholders=False,
        lexer_callbacks={"COMMENT": _COMMENTS.append},
    )


def format_text(text: str, file: str = "<stdin>") -> str:
    """`text` in the canonical layout. Raises `FormatError` when it has syntax errors."""
    before = meaning(text, file)
    tree, comments = _parse_tree(text, file)
    formatted = render(tree, comments, plan_layout(tree, comments))
    if "\r\n" in text and text.find("\r\n") == text.find("\n") - 1:  # the first line end decides, as ruff's "auto"
        formatted = formatted.replace("\n", "\r\n")
    if meaning(formatted, file) != before:
        raise FormatError(f"{file}: evtc fmt would change what this file means; please report this as a bug")
    return formatted


def _parse_tree(text: str, file: str) -> tuple[Tree[Token], list[Token]]:
    with _LOCK:
        _COMMENTS.clear()
        try:
            tree = _tree_parser().parse(text.replace("\r\n", "\n"))
        except UnexpectedInput:
            # NOTE: the front end read it only by repairing it (`30 s` as `30s`); its diagnostics say how
            from evtc.parse import parse

            found = tuple(parse(text, file).diagnostics)
            first = f"{found[0].span}: {found[0].message}" if found else f"{file}: cannot be parsed"
            raise FormatError(f"{first}; fix it before formatting", found) from None
        return tree, list(_COMMENTS)


def meaning(text: str, file: str) -> tuple[Any, ...]:
    """What the text declares, without positions: equal for two texts that compile alike.

    Raises `FormatError` when the text has syntax errors.
    """
    from evtc.parse import parse

    parsed = parse(text, file)
    syntax = tuple(d for d in parsed.diagnostics if d.category.value == "syntax")
    if syntax:
        first = syntax[0]
        raise FormatError(f"{first.span}: {first.message}; fix the syntax error before formatting", syntax)
    problems = tuple(sorted((d.code, d.message) for d in parsed.diagnostics))
    return tuple(_without_spans(d) for d in parsed.declarations) + (problems,)


def _without_spans(value: Any) -> Any:
    from dataclasses import fields, is_dataclass

    from evtc.span import Span

    if isinstance(value, Span):
        return None
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(_without_spans(getattr(value, f.name)) for f in fields(value)))
    if isinstance(value, (tuple, list)):
        return tuple(_without_spans(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _without_spans(v)) for k, v in value.items()))
    return value
