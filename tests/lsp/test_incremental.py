"""The incremental front end agrees with `compile_text` after every edit of a sequence
(hypothesis: edits of the examples, each compiled incrementally from the one before), and
the rules' findings it carries over land where a full check puts them."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evtc.check.checker import check_compilation
from evtc.frontend import compile_text
from evtc.lsp.incremental import IncrementalFrontEnd, pieces

EXAMPLES = [p.read_text() for p in sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.evt"))]
SNIPPETS = ["\n", "\n\n", "# note\n", " ", "queue extra { retention: 4d }\n", "route a -> b\n", "{", "}", "x", ":"]


@st.composite
def edits(draw: st.DrawFn) -> list[str]:
    text = draw(st.sampled_from(EXAMPLES))
    versions = [text]
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(st.sampled_from(SNIPPETS)) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 30)) :]
        versions.append(text)
    return versions


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_every_version_compiles_as_compile_text_does(versions: list[str]) -> None:
    front = IncrementalFrontEnd("t.evt")
    for text in versions:
        incremental, whole = front.compile(text), compile_text(text, "t.evt")
        if front.approximate:  # a syntax error: the exact answer is compile_text's own
            assert front.exact(text).diagnostics == whole.diagnostics
            assert any(d.category.value == "syntax" for d in incremental.diagnostics)
            assert any(d.category.value == "syntax" for d in whole.diagnostics)
            continue
        assert incremental.diagnostics == whole.diagnostics
        assert incremental.topology == whole.topology


def test_pieces_cover_the_text() -> None:
    for text in EXAMPLES:
        found = pieces(text)
        assert "".join(piece for _, piece in found) == text
        assert all(text.count("\n", 0, sum(len(p) for _, p in found[:i])) == line for i, (line, _) in enumerate(found))


FINDINGS = """topology t
event Paid { id: string card: string @sensitive }
source shop: app { emits: [Paid] }
queue jobs { dead_letter: dlq max_receives: 3 }
queue dlq { retention: 14d encrypted: true }
function worker { handler: "h:f" clearance: [sensitive] }
route shop.Paid -> jobs
route jobs -> worker
"""


def test_carried_findings_match_a_full_check_when_lines_move() -> None:
    text = FINDINGS
    front = IncrementalFrontEnd("t.evt")
    before = front.compile(text)
    findings = [d for d in check_compilation(before) if d not in set(before.diagnostics)]
    moved = "# two new lines\n\n" + text
    after = front.compile(moved)
    carried = front.carry(findings, front.generation - 1)
    expected = [d for d in check_compilation(compile_text(moved, "t.evt")) if d not in set(after.diagnostics)]
    assert carried == expected and any(not d.code.startswith(("SYN", "REF")) for d in expected)
    assert front.carry(findings, front.generation - 2) == []  # findings on an older compile are not guessed at
