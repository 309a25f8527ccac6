"""Every diff rule has a reviewed golden case: tests/golden/diff/CODE/{old,new}.evt → expected."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from evtc.check.rulesdoc import missing_parts
from evtc.diff.base import MODES
from evtc.diff.engine import diff
from evtc.diff.sides import read_paths
from evtc.report.formatters import text
from evtc.util.registry import diff_rules

CASES = Path(__file__).resolve().parents[1] / "golden" / "diff"
HEADINGS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")


def test_every_rule_has_a_case_and_every_case_a_rule() -> None:
    assert sorted(p.name for p in CASES.iterdir() if p.is_dir()) == [r.code for r in diff_rules()]


@pytest.mark.parametrize("rule", diff_rules(), ids=lambda r: r.code)
def test_rule_is_documented_like_a_check_rule(rule: type) -> None:
    doc = inspect.getdoc(rule) or ""
    assert all(heading in doc for heading in HEADINGS), rule
    assert missing_parts(rule) == []  # check's own documentation standard
    assert rule.mode in MODES and rule.name.replace("-", "").isalpha()


@pytest.mark.parametrize("code", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden_case(code: str, golden, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(CASES / code)
    result = diff(read_paths(("old.evt",), "old"), read_paths(("new.evt",), "new"), "full")
    assert code in {d.code for d in result.diagnostics}, "the case does not trigger its rule"
    golden.check(f"diff/{code}/expected", text.write(result.diagnostics, result.sources, {}))
