"""The command line contract: exit codes, formats, usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evtc.cli import main

BAD = Path(__file__).parent / "bad_inputs" / "unknown_property.evt"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_clean_examples_exit_zero() -> None:
    code, output = invoke("check", "--no-cache", str(EXAMPLES))
    assert code == 0, output


def test_errors_exit_one() -> None:
    assert invoke("check", "--no-cache", str(BAD))[0] == 1


@pytest.mark.parametrize(
    "args",
    [
        ("check", "/no/such/file.evt"),
        ("check", "--select", "NOPE999", str(BAD)),
        ("check", "--format", "yaml", str(BAD)),
        ("check", "--bogus", str(BAD)),
        ("graph", "/no/such/file.evt"),
        ("build", str(BAD), "--target", "no-such-target", "--out", "x"),
        ("nonsense",),
    ],
)
def test_usage_errors_exit_two(args: tuple[str, ...]) -> None:
    code, output = invoke(*args)
    assert code == 2, output


def test_unknown_target_lists_the_available_ones() -> None:
    code, output = invoke("build", str(BAD), "--target", "no-such-target", "--out", "x")
    assert code == 2 and "available:" in output


def test_sarif_output_is_sarif_2_1_0_with_rules() -> None:
    code, output = invoke("check", "--no-cache", "--format", "sarif", str(BAD))
    document = json.loads(output)
    assert code == 1 and document["version"] == "2.1.0"
    run = document["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert result["ruleId"] in rule_ids
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_github_output_is_one_annotation_per_problem() -> None:
    code, output = invoke("check", "--no-cache", "--format", "github", str(BAD))
    lines = output.splitlines()
    assert code == 1 and sum(line.startswith("::error file=") for line in lines) == 2
    *annotations, summary = lines
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) and ",line=" in line for line in annotations)
    assert summary == "evtc: 2 errors"  # NOTE: no follow-on findings about the misspelt declaration


def test_report_can_go_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, _ = invoke("check", "--no-cache", "--format", "json", "-o", str(target), str(BAD))
    assert code == 1 and json.loads(target.read_text())["summary"]["errors"] == 2


def test_dump_prints_the_ir() -> None:
    code, output = invoke("dump", str(EXAMPLES / "orders.evt"))
    assert code == 0 and output.startswith("topology orders @")
