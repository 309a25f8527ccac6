"""The generated programs are clean under ruff and mypy (pulumi-aws ships type hints, so mypy
also checks every resource argument's name and type)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .conftest import build, sources

# NOTE: skipped only when the tools themselves are missing, never for failures.
pytestmark = pytest.mark.skipif(
    shutil.which("ruff", path=str(Path(sys.executable).parent)) is None and shutil.which("ruff") is None,
    reason="ruff is not installed",
)


def _programs(tmp: Path) -> list[Path]:
    """Each example's `__main__.py`, renamed so that one mypy run can check them all."""
    found = []
    for example in sources():
        project = build(example, tmp / example.stem)
        renamed = tmp / "programs" / f"{example.stem}_main.py"
        renamed.parent.mkdir(exist_ok=True)
        shutil.copyfile(project / "__main__.py", renamed)
        found.append(renamed)
    return found


def test_generated_programs_pass_ruff(tmp_path: Path) -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    programs = _programs(tmp_path)
    # NOTE: E501 is off: an ARN template can be longer than any line limit.
    result = subprocess.run(
        [ruff, "check", "--isolated", "--select", "E,F,W,I,UP,B", "--ignore", "E501", *map(str, programs)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_programs_pass_mypy(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    programs = _programs(tmp_path)
    # NOTE: a cache outside the tree keeps repeated runs fast (pulumi-aws's stubs are large).
    cache = Path(tempfile.gettempdir()) / "evtc-mypy-cache"
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), *map(str, programs)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def _ruff() -> str:
    return shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"


def test_generated_programs_are_as_ruff_format_leaves_them(tmp_path: Path) -> None:
    programs = _programs(tmp_path)
    result = subprocess.run(
        [_ruff(), "format", "--isolated", "--check", "--diff", *map(str, programs)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_programs_of_random_topologies_are_as_ruff_format_leaves_them(tmp_path: Path) -> None:
    """Long and short names move every line across the 88-column limit somewhere."""
    from hypothesis import given, settings

    from evtc.frontend import compile_text
    from evtc.targets.pulumi_aws import render
    from evtc.targets.pulumi_aws.planner import plan

    from .test_names import NAMES, topology, unique_names

    checked = []

    @settings(max_examples=15, deadline=None)
    @given(unique_names(NAMES))
    def check(names: list[str]) -> None:
        program = tmp_path / f"p{len(checked)}.py"
        result = plan(compile_text(topology(names), "t.evt"))
        program.write_text("\n\n".join([*render.statements(result), *render.outputs(result)]) + "\n", encoding="utf-8")
        checked.append(program)

    check()
    result = subprocess.run(
        [_ruff(), "format", "--isolated", "--check", "--diff", *map(str, checked)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert len(checked) == 15 and result.returncode == 0, result.stdout[:3000]
