"""A pygments lexer for .evt files, for documentation sites (Sphinx, MkDocs) and
`pygmentize`; pygments finds it through its `pygments.lexers` entry point (name `evt`).

>>> from pygments.lexers import get_lexer_by_name
>>> get_lexer_by_name("evt").name
'evt'
"""

from __future__ import annotations

from typing import ClassVar

from pygments.lexer import RegexLexer, bygroups, include, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

from evtc.frontend.parse import DECLARATION_KEYWORDS
from evtc.frontend.resolve import SCALAR_TYPES

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"


class EvtLexer(RegexLexer):
    """The .evt language of evtc: events, components, routes and `when` filters."""

    name = "evt"
    aliases: ClassVar[list[str]] = ["evt", "evtc"]
    filenames: ClassVar[list[str]] = ["*.evt"]
    mimetypes: ClassVar[list[str]] = ["text/x-evt"]
    url = "https://github.com/evtc/evtc"

    tokens: ClassVar[dict[str, list]] = {  # type: ignore[type-arg]
        "root": [
            (r"\s+", Whitespace),
            (r"#.*$", Comment.Single),
            (
                rf"^(\s*)({'|'.join(DECLARATION_KEYWORDS)})(\s+)({_NAME})",
                bygroups(Whitespace, Keyword.Declaration, Whitespace, Name.Class),
            ),
            (r"->", Operator),
            (words(("when",), suffix=r"\b"), Keyword),
            (
                words(
                    ("and", "or", "not", "in", "exists", "startswith", "endswith", "matches", "cidr", "ignorecase"),
                    suffix=r"\b",
                ),
                Operator.Word,
            ),
            (r"==|!=|<=|>=|<|>", Operator),
            (rf"({_NAME})(\s*)(:)", bygroups(Name.Attribute, Whitespace, Punctuation)),
            (r"@" + _NAME, Name.Decorator),
            (words(SCALAR_TYPES, suffix=r"\b"), Keyword.Type),
            include("values"),
            (_NAME, Name),
            (r"[{}\[\](),.:]", Punctuation),
            (r".", Text),
        ],
        "values": [
            (r'"(\\.|[^"\\\n])*"', String.Double),
            (r'"[^"\n]*$', String.Double),
            (r"[0-9]+(\.[0-9]+)?(ms|s|m|h|d)\b", Number.Float),
            (r"[0-9]+(\.[0-9]+)?(B|KB|KiB|MB|MiB|GB|GiB)\b", Number.Integer),
            (r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?", Number),
            (words(("true", "false", "null"), suffix=r"\b"), Keyword.Constant),
        ],
    }
