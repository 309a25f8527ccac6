"""One generic test for every rule: `tests/golden/rules/<CODE>/ok_*.evt` must not trigger the
rule, `bad_*.evt` must, with exactly the diagnostics in `bad_*.expected`."""

from __future__ import annotations

from pathlib import Path

import pytest

from evtc.check.checker import check_compilation
from evtc.diagnostics import Diagnostic
from evtc.frontend import compile_file
from evtc.util.registry import rules

RULES_ROOT = Path(__file__).resolve().parent.parent / "golden" / "rules"
CASES = sorted(RULES_ROOT.glob("*/*.evt"))


def _diagnostics(path: Path) -> list[Diagnostic]:
    compilation = compile_file(path, display_name=f"{path.parent.name}/{path.name}")
    problems = [d for d in compilation.diagnostics if d.category.value in ("syntax", "reference")]
    assert not problems, f"the case itself is broken: {problems}"
    return check_compilation(compilation)


def _line(d: Diagnostic) -> str:
    s = d.span
    mark = " (suppressed)" if d.suppressed else ""
    return f"{s.file}:{s.line}:{s.column}: {d.code} {d.severity.value} [{d.name}] {d.message}{mark}\n"


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_rule_case(path: Path, golden) -> None:  # type: ignore[no-untyped-def]
    code = path.parent.name
    found = [d for d in _diagnostics(path) if d.code == code]
    if path.name.startswith("ok_"):
        assert not found, "".join(_line(d) for d in found)
        return
    assert path.name.startswith("bad_"), "cases are named ok_*.evt or bad_*.evt"
    assert found, f"{code} did not fire on {path.name}"
    golden.check(f"rules/{code}/{path.stem}.expected", "".join(_line(d) for d in found))


@pytest.mark.parametrize("code", sorted(r.code for r in rules()))
def test_every_rule_has_cases(code: str) -> None:
    folder = RULES_ROOT / code
    assert list(folder.glob("ok_*.evt")), f"{code} has no ok_*.evt case"
    assert list(folder.glob("bad_*.evt")), f"{code} has no bad_*.evt case"
