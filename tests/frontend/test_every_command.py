"""Every command on every bad input and example answers without a traceback (issue 10:
`cron`, `path`, huge literals and `not in [null]` crashed check, explain, filters, graph,
run and build)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from evtc.cli import main

HERE = Path(__file__).resolve().parent
FILES = sorted((HERE / "bad_inputs").glob("*.evt")) + sorted((HERE.parents[1] / "examples").glob("*.evt"))
COMMANDS = [
    ["check", "--no-cache"],
    ["explain"],
    ["filters", "--all-dialects"],
    ["graph", "--format", "mermaid"],
    ["graph", "--format", "dot"],
    ["run", "--count", "2"],
    ["build", "--target", "local", "--out", "{out}"],
    ["build", "--target", "pulumi-aws", "--out", "{out}"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_no_command_raises_on_any_input(command: list[str], tmp_path: Path) -> None:
    runner = CliRunner()
    for path in FILES:
        args = [a.format(out=tmp_path / path.stem) for a in command]
        result = runner.invoke(main, [*args, str(path)])
        assert result.exception is None or isinstance(result.exception, SystemExit), (path.name, result.exception)
        assert "Traceback" not in result.output and "failed on this file" not in result.output, path.name
