"""SARIF output: valid against the SARIF 2.1.0 schema, and what GitHub code scanning needs."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from evtc.cli import main

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
BAD = ROOT / "tests" / "frontend" / "bad_inputs"
# SEC003 (security, error) and DLV007 (warning) on `log`; REF009 with a related location on `audit`.
TOPOLOGY = """topology t
event Job { email: string @sensitive }
source app: app { emits: [Job] }
topic alarms {}
queue audit { dead_letter: alarms }
stream log {}
route app.Job -> log
"""


@cache
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads((HERE / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def sarif(*paths: Path | str, cwd: Path | None = None) -> dict[str, Any]:
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--no-cache", "--format", "sarif", *map(str, paths)])
    assert result.exit_code in (0, 1), result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


@pytest.mark.parametrize("target", [BAD, ROOT / "examples"], ids=["bad_inputs", "examples"])
def test_valid_against_the_sarif_2_1_0_schema(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    document = sarif(target.relative_to(ROOT))
    errors = sorted(validator().iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_the_validator_is_not_a_rubber_stamp() -> None:
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": []}]}
    assert list(validator().iter_errors(broken))  # the driver lacks its name


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rules_carry_help_uri_and_security_severity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = sarif(_write(tmp_path, "t.evt", TOPOLOGY).name)["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["SEC003"]["helpUri"].endswith("docs/rules.md#sec003-unencrypted-sensitive-data")
    assert rules["SEC003"]["properties"]["security-severity"] == "8.0"
    assert "security-severity" not in rules["DLV007"]["properties"]
    assert all(rule["helpUri"].startswith("https://") for rule in rules.values())
    assert run["columnKind"] == "unicodeCodePoints"


def test_uris_are_relative_to_srcroot_and_percent_encoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "my topologies").mkdir()
    _write(tmp_path / "my topologies", "a#b.evt", TOPOLOGY)
    monkeypatch.chdir(tmp_path)
    run = sarif("my topologies")["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "my%20topologies/a%23b.evt", "uriBaseId": "%SRCROOT%"}


def test_related_locations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    results = sarif(_write(tmp_path, "t.evt", TOPOLOGY).name)["runs"][0]["results"]
    (wrong_kind,) = [r for r in results if r["ruleId"] == "REF009"]
    (related,) = wrong_kind["relatedLocations"]
    assert related["message"]["text"] == "'alarms' is declared here"
    assert related["physicalLocation"]["region"]["startLine"] == 4


def test_fingerprints_survive_lines_moving_and_tell_findings_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    def prints(text: str) -> dict[str, tuple[str, int]]:
        results = sarif(_write(tmp_path, "t.evt", text).name)["runs"][0]["results"]
        return {
            r["partialFingerprints"]["evtc/v1"]: (
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in results
        }

    before = prints(TOPOLOGY)
    after = prints(TOPOLOGY.replace("topology t\n", "topology t\n# a comment\n\n\n"))
    assert set(before) == set(after) and len(before) == 3
    assert all(after[key][1] == before[key][1] + 3 for key in before)  # same findings, moved
    changed = prints(TOPOLOGY.replace("audit", "audit2").replace("log", "log2"))
    assert not set(changed) & set(before)


def test_a_file_outside_the_root_is_an_absolute_uri(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "t.evt", TOPOLOGY)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    artifact = sarif(path)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": path.resolve().as_uri()}
