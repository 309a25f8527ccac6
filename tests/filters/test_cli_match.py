"""`evtc match`: the offline TestEventPattern, its output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from evtc.cli import main


def run(tmp_path: Path, pattern: Any, event: Any, *options: str) -> tuple[int, str, str]:
    pattern_file, event_file = tmp_path / "pattern.json", tmp_path / "event.json"
    pattern_file.write_text(pattern if isinstance(pattern, str) else json.dumps(pattern), encoding="utf-8")
    event_file.write_text(event if isinstance(event, str) else json.dumps(event), encoding="utf-8")
    result = CliRunner().invoke(main, ["match", str(pattern_file), str(event_file), *options])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("event", "code", "said"), [({"source": "shop"}, 0, "match\n"), ({"source": "x"}, 1, "no match\n")]
)
def test_decides(tmp_path: Path, event: Any, code: int, said: str) -> None:
    assert run(tmp_path, {"source": ["shop"]}, event, "--dialect", "eventbridge")[:2] == (code, said)


def test_invalid_pattern_prints_aws_reasons(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, {"source": []}, {}, "--dialect", "eventbridge")
    assert (code, out) == (2, "")
    assert "Event pattern is not valid. Reason: Empty arrays are not allowed at source" in err


def test_bad_json_is_a_usage_error_without_traceback(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "{not json", {}, "--dialect", "sns")
    assert code == 2
    assert "pattern.json is not valid JSON" in err
    assert "Traceback" not in err


def test_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["match", str(tmp_path / "nope.json"), str(tmp_path / "e.json"), "--dialect", "sns"]
    )
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_sns_body_may_be_any_text(tmp_path: Path) -> None:
    assert run(tmp_path, {"a": [{"exists": False}]}, "plain text", "--dialect", "sns")[0] == 1
    assert run(tmp_path, {"n": [301.5]}, '{"n": 3.015e2}', "--dialect", "sns")[0] == 0


def test_sns_attribute_scope(tmp_path: Path) -> None:
    attributes = {"n": {"Type": "Number", "Value": "7"}}
    assert (
        run(tmp_path, {"n": [{"numeric": [">", 5]}]}, attributes, "--dialect", "sns", "--scope", "MessageAttributes")[0]
        == 0
    )


def test_dialect_is_required(tmp_path: Path) -> None:
    assert run(tmp_path, {}, {})[0] == 2


def test_absurdly_deep_json_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "[" * 100000 + "]" * 100000, {}, "--dialect", "eventbridge")
    assert code == 2
    assert "nested too deeply" in err
