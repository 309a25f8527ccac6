"""`evtc diff` on files, folders and git revisions; modes, configuration, formats, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from evtc.cli import main

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "golden" / "diff"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["diff", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("case", "mode", "reported"),
    [
        ("CMP001", "backward", False),  # removing a required field breaks old consumers: forward
        ("CMP001", "forward", True),
        ("CMP005", "backward", True),  # a new required field breaks reading old events: backward
        ("CMP005", "forward", False),
        ("CMP003", "backward", True),  # a retype breaks both
        ("CMP003", "forward", True),
        ("CMP010", "forward", True),  # security: every mode
        ("CMP009", "full", True),
    ],
)
def test_each_mode_reports_what_breaks_it(case: str, mode: str, reported: bool) -> None:
    code, output = run(str(CASES / case / "old.evt"), str(CASES / case / "new.evt"), "--compatibility", mode)
    assert (case in output) is reported
    assert code == (1 if reported and case != "CMP009" else 0)


def test_an_unchanged_topology_has_no_findings() -> None:
    code, output = run(str(ROOT / "examples"), str(ROOT / "examples"))
    assert code == 0 and output.lower() == "no problems found\n"


def test_fail_on_warning_and_the_json_and_sarif_formats() -> None:
    old, new = str(CASES / "CMP009" / "old.evt"), str(CASES / "CMP009" / "new.evt")
    assert run(old, new, "--compatibility", "full")[0] == 0
    assert run(old, new, "--compatibility", "full", "--fail-on", "warning")[0] == 1
    code, output = run(old, new, "--compatibility", "full", "--format", "json")
    findings = json.loads(output)
    assert code == 0 and {d["code"] for d in findings["diagnostics"]} == {"CMP009"}
    code, output = run(old, new, "--compatibility", "full", "--format", "sarif")
    rules = json.loads(output)["runs"][0]["tool"]["driver"]["rules"]
    assert "CMP009" in {r["id"] for r in rules}


def test_the_mode_comes_from_tool_evtc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(CASES / "CMP001" / "old.evt", tmp_path / "old.evt")
    shutil.copy(CASES / "CMP001" / "new.evt", tmp_path / "new.evt")
    monkeypatch.chdir(tmp_path)
    assert run("old.evt", "new.evt")[0] == 0  # backward by default: a removal is forward-only
    (tmp_path / "pyproject.toml").write_text('[tool.evtc]\ncompatibility = "forward"\n')
    assert "CMP001" in run("old.evt", "new.evt")[1]
    (tmp_path / "pyproject.toml").write_text('[tool.evtc]\ncompatibility = "sideways"\n')
    code, output = run("old.evt", "new.evt")
    assert code == 2 and "compatibility must be backward, forward or full" in output


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def test_a_git_revision_against_the_work_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "topologies").mkdir(parents=True)
    shutil.copy(CASES / "CMP003" / "old.evt", repo / "topologies" / "shop.evt")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "empty")
    git(repo, "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "shop")
    shutil.copy(CASES / "CMP003" / "new.evt", repo / "topologies" / "shop.evt")  # not committed
    monkeypatch.chdir(repo)
    code, output = run("main")
    assert code == 1
    assert output.startswith("topologies/shop.evt:4:3: CMP003 error [field-retyped]")
    assert "note: main:topologies/shop.evt:4:3: before" in output
    assert run("HEAD~1", "topologies")[0] == 0  # no topology then: nothing to break
    monkeypatch.chdir(repo / "topologies")  # from a subfolder, paths stay relative to it
    assert run("main", "shop.evt")[1].startswith("shop.evt:4:3: CMP003")
    assert (repo / "topologies" / "shop.evt").read_text() == (CASES / "CMP003" / "new.evt").read_text()


def test_an_unknown_revision_or_path_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run("no-such-thing")
    assert code == 2 and "no such file or directory: no-such-thing" in output


def test_check_accepts_a_configuration_of_diff_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(ROOT / "examples" / "orders.evt", tmp_path / "orders.evt")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.evtc]\ncompatibility = "full"\n[tool.evtc.severity]\nCMP009 = "error"\n'
        "[tool.evtc.rules.CMP105]\noutage = 86400\n"
    )
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["check", "orders.evt", "--no-cache"]).exit_code == 0
    old, new = CASES / "CMP009" / "old.evt", CASES / "CMP009" / "new.evt"
    shutil.copy(old, tmp_path / "old.evt")
    shutil.copy(new, tmp_path / "new.evt")
    code, output = run("old.evt", "new.evt")
    assert code == 1 and "CMP009 error" in output  # the severity override applies


ORDERS = (ROOT / "examples" / "orders.evt").read_text()
BENIGN = {
    "optional-field-added": ("  region: string\n", "  region: string\n  coupon: string @optional\n"),
    "fields-reordered": ("  amount: number\n  region: string\n", "  region: string\n  amount: number\n"),
    "retention-lengthened": ("  retention: 7d\n", "  retention: 10d\n"),
    "consumer-added": (
        "endpoint risk_team",
        'function audit { handler: "a:h"  clearance: [sensitive] }\nendpoint risk_team',
    ),
    "made-sensitive": ("  order_id: string\n  score: number", "  order_id: string @sensitive\n  score: number"),
}


@pytest.mark.parametrize("edit", sorted(BENIGN))
def test_a_change_that_breaks_nobody_has_no_findings(edit: str, tmp_path: Path) -> None:
    before, after = BENIGN[edit]
    assert before in ORDERS
    (tmp_path / "old.evt").write_text(ORDERS)
    (tmp_path / "new.evt").write_text(ORDERS.replace(before, after, 1))
    code, output = run(str(tmp_path / "old.evt"), str(tmp_path / "new.evt"), "--compatibility", "full")
    assert (code, output.lower()) == (0, "no problems found\n")


def test_retention_rule_reads_its_outage_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "old.evt").write_text(ORDERS)
    (tmp_path / "new.evt").write_text(ORDERS.replace("  retention: 7d\n", "  retention: 14h\n", 1))
    monkeypatch.chdir(tmp_path)
    assert run("old.evt", "new.evt")[0] == 0  # 14h is more than the default night (12h)
    (tmp_path / "evtc.toml").write_text("[rules.CMP105]\noutage = 86400\n")
    code, output = run("old.evt", "new.evt")
    assert code == 1 and "keeps events 14h instead of 7d, less than 1d" in output
