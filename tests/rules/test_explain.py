"""`evtc explain` on every example, as text and JSON goldens, and its CLI contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evtc.cli import main

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.evt"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_explain_text(path: Path, golden) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["explain", str(path)])
    assert result.exit_code == 0, result.output
    golden.check(f"explain/{path.stem}.txt", result.output)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_explain_json(path: Path, golden) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["explain", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["paths"], "every example has at least one path"
    golden.check(f"explain/{path.stem}.json", result.output)


def test_explain_one_event() -> None:
    orders = next(p for p in EXAMPLES if p.stem == "orders")
    result = CliRunner().invoke(main, ["explain", str(orders), "fraud_check.OrderScored", "--format", "json"])
    paths = json.loads(result.output)["paths"]
    assert [(p["emitter"], p["consumer"]) for p in paths] == [("fraud_check", "risk_team")]


def test_explain_unknown_event_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["explain", str(EXAMPLES[0]), "nobody.Nothing"])
    assert result.exit_code == 2
    assert "no path starts at 'nobody.Nothing'" in result.output
