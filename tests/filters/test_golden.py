"""The compiled filter of every route of every example, as `evtc filters` prints it.

`<example>.json`: each route for its hop's own dialect (what evtc deploys);
`<example>.all.json`: each filtered route for every dialect, or why it has none there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from evtc.cli import main

REPO_ROOT = Path(__file__).resolve().parents[2]


def example_files() -> list[Path]:
    return sorted((REPO_ROOT / "examples").glob("*.evt"))


def filters_output(example: Path, *options: str) -> str:
    relative = example.relative_to(REPO_ROOT).as_posix()
    result = CliRunner().invoke(main, ["filters", relative, "--format", "json", *options])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.mark.parametrize("example", example_files(), ids=lambda path: path.stem)
def test_deployed_filters(example: Path, golden: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    golden.check(f"filters/{example.stem}.json", filters_output(example))


@pytest.mark.parametrize("example", example_files(), ids=lambda path: path.stem)
def test_filters_in_every_dialect(example: Path, golden: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    golden.check(f"filters/{example.stem}.all.json", filters_output(example, "--all-dialects"))


def test_every_example_deploys_its_filters() -> None:
    for example in example_files():
        result = CliRunner().invoke(main, ["filters", str(example)])
        assert result.exit_code == 0, result.output
