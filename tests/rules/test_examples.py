"""Every example checks with no finding at all, warnings and infos included: the binding
samples (orders, ami_scan) are what the rules must be right on."""

from __future__ import annotations

from pathlib import Path

import pytest

from evtc.check.checker import check_paths

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.evt"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_has_no_findings(path: Path) -> None:
    result = check_paths([path])
    assert result.exit_code == 0
    assert [d for d in result.diagnostics if not d.suppressed] == []
