"""The pygments lexer: found through pygments' entry point, and it lexes every example
without an error token, giving each construct its own token type."""

from __future__ import annotations

from pathlib import Path

import pytest
from pygments import lex
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Comment, Error, Keyword, Name, Number, Operator, String

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.evt"))


def test_registered_through_the_entry_point() -> None:
    assert get_lexer_by_name("evt").name == "evt"
    assert get_lexer_for_filename("orders.evt").name == "evt"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_lex_without_errors_and_round_trip(path: Path) -> None:
    text = path.read_text()
    tokens = list(lex(text, get_lexer_by_name("evt", stripnl=False)))
    assert [v for t, v in tokens if t in Error] == []
    assert "".join(v for _, v in tokens) == text


def test_token_types() -> None:
    text = (
        "topology t # the topology\nevent E { amount: number card: string @sensitive }\n"
        'queue q { retention: 4d handler: "a\\"b" }\nroute s.E -> q when amount > 10 and not exists card\n'
    )
    found = {(t, v) for t, v in lex(text, get_lexer_by_name("evt"))}
    expected = {
        (Keyword.Declaration, "topology"),
        (Name.Class, "t"),
        (Comment.Single, "# the topology"),
        (Name.Attribute, "amount"),
        (Keyword.Type, "number"),
        (Name.Decorator, "@sensitive"),
        (Number.Float, "4d"),
        (String.Double, '"a\\"b"'),
        (Keyword.Declaration, "route"),
        (Operator, "->"),
        (Keyword, "when"),
        (Operator.Word, "and"),
        (Operator.Word, "exists"),
    }
    assert expected <= found
