"""The bad-input suite: every malformed file yields positioned diagnostics with a hint,
exit code 1, and the exact reviewed text and JSON output (tests/golden/errors/).

The goldens hold the front end's diagnostics only, so that adding a rule does not rewrite
them; `test_cli_exit_code` runs the whole `evtc check` on each file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evtc.cli import main
from evtc.diagnostics import has_errors
from evtc.frontend import compile_file
from evtc.report.formatters import FORMATS

BAD = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.name for p in BAD.glob("*.evt"))


def run_check(name: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(BAD)
    compilation = compile_file(name)
    output = FORMATS[fmt](compilation.diagnostics, {compilation.file: compilation.text}, {})
    return (1 if has_errors(list(compilation.diagnostics)) else 0), output


@pytest.mark.parametrize("name", CASES)
def test_cli_exit_code(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    result = CliRunner().invoke(main, ["check", "--no-cache", name])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", CASES)
def test_text_output(name: str, golden, monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = run_check(name, "text", monkeypatch)
    assert code == 1
    assert "Traceback" not in output
    golden.check(f"errors/{name[:-4]}.txt", output)


@pytest.mark.parametrize("name", CASES)
def test_json_output(name: str, golden, monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = run_check(name, "json", monkeypatch)
    assert code == 1
    document = json.loads(output)
    errors = [d for d in document["diagnostics"] if d["severity"] == "error"]
    assert errors, "a malformed file must produce at least one error"
    for d in document["diagnostics"]:
        assert d["file"] == name
        assert d["line"] >= 1 and d["column"] >= 1
        assert (d["end_line"], d["end_column"]) >= (d["line"], d["column"])
        assert d["message"] and d["hint"], d
        assert d["category"] in {"syntax", "reference", "security", "ordering", "delivery", "limits"}
    golden.check(f"errors/{name[:-4]}.json", output)
