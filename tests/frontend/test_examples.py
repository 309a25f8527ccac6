"""Every example checks clean, draws, and lowers to the reviewed IR dump."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from evtc.check.checker import check_paths
from evtc.cli import main
from evtc.frontend import compile_file
from evtc.report.dump import dump_topology

REPO_ROOT = Path(__file__).resolve().parents[2]


def example_files() -> list[Path]:
    return sorted((REPO_ROOT / "examples").glob("*.evt"))


EXAMPLES = [p.name for p in example_files()]


def test_there_are_the_binding_samples_and_more() -> None:
    assert {"orders.evt", "ami_scan.evt"} <= set(EXAMPLES)
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_checks_without_errors(name: str) -> None:
    result = check_paths([REPO_ROOT / "examples" / name])
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    assert errors == []
    assert result.exit_code == 0


@pytest.mark.parametrize("name", EXAMPLES)
def test_ir_dump(name: str, golden, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    compilation = compile_file(Path("examples") / name)
    golden.check(f"ir/{name[:-4]}.txt", dump_topology(compilation.topology))


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_graph_renders(name: str, fmt: str, golden, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    result = CliRunner().invoke(main, ["graph", "--format", fmt, f"examples/{name}"])
    assert result.exit_code == 0, result.output
    compilation = compile_file(REPO_ROOT / "examples" / name)
    for component in compilation.topology.components:
        assert component.name in result.output
    golden.check(f"graph/{name[:-4]}.{'mmd' if fmt == 'mermaid' else 'dot'}", result.output)
