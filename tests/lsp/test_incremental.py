"""The incremental front end agrees with `compile_text` after every edit of a sequence
(hypothesis: edits of the examples as typed in an editor, each compiled incrementally
from the one before), the diagnostics the server publishes from it are a cold `evtc
check`'s, positions included, and the rules' findings it carries over land where a full
check puts them."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from evtc.check.checker import check_compilation, check_paths
from evtc.filters.memo import bypassed
from evtc.frontend import compile_text
from evtc.lsp import diagnostics
from evtc.lsp.incremental import IncrementalFrontEnd, pieces
from evtc.lsp.session import Document
from evtc.plan import plan_graph, plan_of

EXAMPLES = [p.read_text() for p in sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.evt"))]
SNIPPETS = ["\n", "\n\n", "# note\n", " ", "queue extra { retention: 4d }\n", "route a -> b\n", "{", "}", "x", ":"]
# What a user types at the start of a line: any prefix of one of these (so, mostly, a
# declaration not finished yet: a syntax error until it is).
TYPED = [
    "route orders -> extra_q when amount > 3\n",
    "queue extra_q {\n  retention: 4d\n  encrypted: true\n}\n",
    "event Extra {\n  id: string\n  card: string @sensitive\n}\n",
    'function extra_f { handler: "h:f" timeout: 30s }\n',
    "route x.Y -> z { batch_size: 10 }\n",
    "# evtc: ignore[DLV001]\n",
]
_NAME = re.compile(r"\b[a-z_][a-z0-9_]*\b")
_WHEN = re.compile(r"\bwhen [^{\n]*")
_COMPONENT = re.compile(r"^(?:queue|stream|topic|bus|function|endpoint|source|table) ([a-z_][a-z0-9_]*)", re.MULTILINE)
# Filters as typed: literals of equal value and other types (`1`, `1.0`, `true`), which the
# remembered filter compiler (evtc.filters.memo) must tell apart
_LITERALS = ["1", "1.0", "true", "0", '"1"', '"x"', "null", '["a", "b"]', "[1, 2]"]
_OPERATORS = ["==", "!=", ">", "<=", "in", "not in", "startswith"]


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


@st.composite
def _edit(draw: st.DrawFn, text: str) -> str:
    """One edit as typed in an editor: lines added or removed, a declaration typed (maybe
    half of it), a number retyped inside a property, a name renamed, a range deleted, a
    route's filter retyped, a whole route added."""
    at = draw(st.integers(0, len(text)))
    kind = draw(
        st.sampled_from(
            ["snippet", "typed", "newline", "number", "rename", "delete", "line", "copy", "filter", "route"]
        )
    )
    event(f"an edit: {kind}")  # NOTE: how often each kind ran (benchmarks/edit_sequences.py prints it)
    if kind == "snippet":
        return text[:at] + draw(st.sampled_from(SNIPPETS)) + text[at:]
    if kind == "typed":
        typed = draw(st.sampled_from(TYPED))
        start = _line_start(text, at)
        return text[:start] + typed[: draw(st.integers(1, len(typed)))] + text[start:]
    if kind == "newline":
        return text[:at] + "\n" * draw(st.integers(1, 3)) + text[at:]
    if kind == "number":
        numbers = [m.span() for m in re.finditer(r"[0-9]+", text)]
        if not numbers:
            return text
        begin, end = draw(st.sampled_from(numbers))
        return text[:begin] + str(draw(st.integers(0, 2000))) + text[end:]
    if kind == "rename":
        names = sorted(set(_NAME.findall(text)))
        if not names:
            return text
        old = draw(st.sampled_from(names))
        new = draw(st.sampled_from([old + "2", old[:-1] or "x", "jobs", "orders"]))
        return re.sub(rf"\b{old}\b", new, text, count=draw(st.sampled_from([0, 1])))
    if kind == "copy":  # a route copied to the start of a line (so: a duplicate route)
        routes = re.findall(r"^route [^\n]*\n", text, re.MULTILINE)
        if not routes:
            return text
        start = _line_start(text, at)
        return text[:start] + draw(st.sampled_from(routes)) + text[start:]
    if kind == "filter":  # a route's filter retyped (or one added where the route had none)
        whens = [m.span() for m in _WHEN.finditer(text)]
        if not whens:
            return text
        written = "when " + draw(_filter(text)) + " "
        if draw(st.booleans()):  # NOTE: every route the same filter: one shape on hops of other dialects
            return _WHEN.sub(written, text)
        begin, end = draw(st.sampled_from(whens))
        return text[:begin] + written + text[end:]
    if kind == "route":  # a route typed whole at the start of a line, between declared components
        names = _COMPONENT.findall(text)
        if not names:
            return text
        source, target = draw(st.sampled_from(names)), draw(st.sampled_from(names))
        when = draw(st.one_of(st.just(""), _filter(text).map(lambda f: " when " + f)))
        start = _line_start(text, at)
        return text[:start] + f"route {source} -> {target}{when}\n" + text[start:]
    if kind == "line":
        start = _line_start(text, at)
        end = text.find("\n", at)
        return text[:start] + text[end + 1 :] if end >= 0 else text[:start]
    return text[:at] + text[at + draw(st.integers(1, 30)) :]


@st.composite
def _filter(draw: st.DrawFn, text: str) -> str:
    """A filter on names of the file (event fields, mostly, or not), maybe ill-typed."""
    names = sorted(set(_NAME.findall(text))) or ["x"]
    terms = []
    for _ in range(draw(st.integers(1, 3))):
        field = draw(st.sampled_from(names))
        if draw(st.booleans()):
            term = f"{field} {draw(st.sampled_from(_OPERATORS))} {draw(st.sampled_from(_LITERALS))}"
        else:
            term = f"exists {field}"
        terms.append(("not " if draw(st.booleans()) else "") + term)
    return draw(st.sampled_from([" and ", " or "])).join(terms)


@st.composite
def edits(draw: st.DrawFn) -> list[str]:
    text = draw(st.sampled_from(EXAMPLES))
    versions = [text]
    for _ in range(draw(st.integers(1, 6))):
        text = draw(_edit(text))
        versions.append(text)
    return versions


# NOTE: benchmarks/edit_sequences.py runs both with a larger budget (EVTC_EDIT_EXAMPLES)
_BUDGET = int(os.environ.get("EVTC_EDIT_EXAMPLES", "0")) or None


@settings(max_examples=_BUDGET or 60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_every_version_compiles_as_compile_text_does(versions: list[str]) -> None:
    front = IncrementalFrontEnd("t.evt")
    for text in versions:
        incremental, whole = front.compile(text), compile_text(text, "t.evt")
        assert incremental.diagnostics == whole.diagnostics
        assert incremental.topology == whole.topology


@settings(max_examples=_BUDGET or 40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_the_servers_diagnostics_are_a_cold_evtc_check(
    tmp_path_factory: pytest.TempPathFactory, versions: list[str]
) -> None:
    """Each version through the server's path (the incremental front end, then the
    checker, as the second publication runs it: after an edit that only moved
    declarations, the findings of rules that move with the text carried, not recomputed;
    filters compiled once per shape) against `evtc check` of the saved file, and its
    delivery plan against one planned afresh."""
    path = tmp_path_factory.mktemp("edits") / "t.evt"
    doc = Document(path.as_uri())  # NOTE: as the server compiles: a file that `use`s parts with them
    run = None
    for text in versions:
        compilation = doc.compile(text)
        event("declarations only moved" if doc.moved else "a declaration changed")
        served, run = diagnostics.check_reusing(compilation, doc.path, run, doc.moved)
        path.write_text(text, encoding="utf-8")
        with bypassed():  # NOTE: every filter compiled afresh, not taken from what the server remembered
            result = check_paths([path])
            cold_plan = plan_graph(result.compilations[0].graph)
        assert served == [d for d in result.diagnostics if not d.suppressed]
        # NOTE: and the plan (the filters each hop deploys) is a cold one, not only what it reports
        assert plan_of(compilation) == cold_plan


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


SPLIT = """topology t
event E { route: string amount: number }
source s: app { emits: [E] }
queue q { encrypted: true }
route s.E -> q when exists
route
function f { handler: "h:f" }
route q -> f
"""


def test_a_declaration_that_goes_on_past_a_line_starting_with_a_keyword() -> None:
    """`route` on a line of its own is the field of the filter above it, not a new route:
    the piece that ends with `exists` is parsed again with the next, as one pass reads it."""
    front = IncrementalFrontEnd("t.evt")
    for text in (SPLIT, SPLIT.replace("f {", "g {"), "\n" + SPLIT, SPLIT.replace("exists\n", "exists\n\n")):
        whole = compile_text(text, "t.evt")
        assert not any(d.category.value == "syntax" for d in whole.diagnostics)
        incremental = front.compile(text)
        assert (incremental.topology, incremental.diagnostics) == (whole.topology, whole.diagnostics)


def test_findings_that_name_a_line_are_found_again_when_lines_move(tmp_path: Path) -> None:
    """DLV015 says "repeats the one on line N": it does not declare `moves_with_text`, so
    after lines are added above, it runs again and names the new line, as `evtc check` does;
    the findings of the rules that do declare it are moved, and equal a cold check's too."""
    path = tmp_path / "t.evt"
    front = IncrementalFrontEnd(str(path))
    text = FINDINGS + "route jobs -> worker\n"
    _, run = diagnostics.check_reusing(front.compile(text), path)
    moved = "# two new lines\n\n" + text
    served, _ = diagnostics.check_reusing(front.compile(moved), path, run, front.moved)
    assert front.moved is not None
    path.write_text(moved, encoding="utf-8")
    assert served == [d for d in check_paths([path]).diagnostics if not d.suppressed]
    assert any(d.code == "DLV015" and "on line 10" in d.message for d in served)  # it was line 8
    assert any(d.code == "SEC011" and d.span.line == 6 for d in served)  # moved, from line 4
