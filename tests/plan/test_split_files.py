"""Splitting a topology across files is a pure refactoring (docs/language.md, "Topologies in
several files"): a random topology, its declarations dealt at random to an entry and up to
four parts, gives the same findings (each on the same text, in whichever file it went
to) and the same Pulumi program as the single file of its declarations in the same order
(the entry's, then each part's: the order a topology's files are read in, which orders
lists in messages and resources in the program, as the order within one file does)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evtc.check.checker import check_compilation
from evtc.diagnostics import Diagnostic
from evtc.frontend import Compilation, compile_text
from evtc.frontend.load import Memory, compile_group, group
from evtc.span import Span

pytest.importorskip("pulumi")  # NOTE: the plan itself needs no pulumi; the test extra installs it

from evtc.targets.pulumi_aws.context import BuildError  # noqa: E402
from evtc.targets.pulumi_aws.planner import plan  # noqa: E402
from evtc.targets.pulumi_aws.render import statements  # noqa: E402

from .strategies import topologies  # noqa: E402

ENTRY = "t/entry.evt"


def split(text: str, owners: list[int], parts: int) -> tuple[Compilation, str]:
    """The topology in an entry and `parts` parts, and the one file of it in the same order."""
    head, *lines = text.splitlines()
    uses = [f'use "parts/p{i}.evt"' for i in range(1, parts + 1)]
    dealt = [[line for line, owner in zip(lines, owners) if owner == i] for i in range(parts + 1)]
    files = {ENTRY: "\n".join([head, *uses, *dealt[0]]) + "\n"}
    for i in range(1, parts + 1):
        files[f"t/parts/p{i}.evt"] = "".join(line + "\n" for line in dealt[i])
    (found,) = group([ENTRY], Memory({name: body.encode() for name, body in files.items()}))
    return compile_group(found), "\n".join([head, *(line for part in dealt for line in part)]) + "\n"


def written(span: Span, sources: dict[str, str]) -> str:
    """The text a span covers, wherever it is: what a finding is about, file and line aside."""
    lines = sources[span.file].splitlines()[span.line - 1 : span.end_line]
    if not lines:
        return ""
    if len(lines) == 1:
        return lines[0][span.column - 1 : span.end_column - 1]
    return "\n".join([lines[0][span.column - 1 :], *lines[1:-1], lines[-1][: span.end_column - 1]])


def findings(c: Compilation) -> list[tuple[object, ...]]:
    def key(d: Diagnostic) -> tuple[object, ...]:
        related = tuple(sorted((r.message, written(r.span, c.sources)) for r in d.related))
        # NOTE: "modulo file names": a message naming another declaration's line says which file it is in
        message = re.sub(r"\bline \d+( of \S+\.evt)?", "line N", d.message)
        return (d.code, message, d.hint, d.suppressed, written(d.span, c.sources), related)

    return sorted(key(d) for d in check_compilation(c))


def program(c: Compilation) -> list[str] | str:
    try:
        return statements(plan(c))
    except BuildError as refused:
        return f"refused: {refused}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(topologies(), st.integers(1, 4), st.data())
def test_a_topology_split_across_files_checks_and_builds_as_one(text: str, parts: int, data: st.DataObject) -> None:
    count = len(text.splitlines()) - 1
    owners = data.draw(st.lists(st.integers(0, parts), min_size=count, max_size=count), label="owners")
    several, one_file = split(text, owners, parts)
    single = compile_text(one_file, ENTRY)
    assert len(several.files) == parts + 1
    assert findings(several) == findings(single)
    assert program(several) == program(single)


def test_the_split_example_is_the_single_one() -> None:
    """examples/teams.evt is examples/orders.evt split across three teams' files."""
    from pathlib import Path

    from evtc.frontend import compile_file
    from evtc.report.explain import explain_json

    root = Path(__file__).resolve().parents[2] / "examples"
    teams, orders = compile_file(root / "teams.evt"), compile_file(root / "orders.evt")
    assert len(teams.files) == 4
    assert explain_json(teams) == explain_json(orders)
    assert sorted(s.replace("teams", "orders") for s in program(teams)) == sorted(program(orders))
