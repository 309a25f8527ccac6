"""Completion on text no editor would call well formed, in-process (the end-to-end tests
are in test_completion.py; test_robustness.py runs the fuzz inputs through the server)."""

from __future__ import annotations

import pytest

from evtc.frontend import compile_text
from evtc.lsp.completion import complete


@pytest.mark.parametrize(
    "text",
    ["topology t\nqueue q } x", "topology t\nroute a -> b when", "route", "}}}{", 'queue q { x: "unterminated', ""],
)
def test_odd_text_gets_an_answer_at_every_offset(text: str) -> None:
    compilation = compile_text(text, "t.evt")
    for offset in range(len(text) + 1):
        assert isinstance(complete(text, offset, compilation), list)
