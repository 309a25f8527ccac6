"""Configuration (select, ignore, severity, options), inline suppression and --fail-on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evtc.check.checker import UsageError, check_paths
from evtc.cli import main

# A queue nobody consumes (DLV007) that feeds from an app (fine otherwise).
UNCONSUMED = """topology t
event Job { id: string }
source app: app { emits: [Job] }
queue audit {}{mark}
route app.Job -> audit
"""


def _project(tmp_path: Path, config: str = "", mark: str = "", name: str = "pyproject.toml") -> Path:
    (tmp_path / name).write_text(config, encoding="utf-8")
    path = tmp_path / "t.evt"
    path.write_text(UNCONSUMED.replace("{mark}", mark), encoding="utf-8")
    return path


def _codes(path: Path) -> list[tuple[str, str, bool]]:
    return [(d.code, d.severity.value, d.suppressed) for d in check_paths([path]).diagnostics]


def test_default_reports_warning(tmp_path: Path) -> None:
    assert _codes(_project(tmp_path)) == [("DLV007", "warning", False)]


def test_ignore_by_code_and_select_by_prefix(tmp_path: Path) -> None:
    assert _codes(_project(tmp_path, '[tool.evtc]\nignore = ["DLV007"]\n')) == []
    assert _codes(_project(tmp_path, '[tool.evtc]\nselect = ["SEC"]\n')) == []
    assert _codes(_project(tmp_path, '[tool.evtc]\nselect = ["DLV"]\n')) == [("DLV007", "warning", False)]


def test_severity_override_by_name_in_evtc_toml(tmp_path: Path) -> None:
    path = _project(tmp_path, '[severity]\nunconsumed-store = "error"\n', name="evtc.toml")
    assert _codes(path) == [("DLV007", "error", False)]
    assert check_paths([path]).exit_code == 1


def test_rule_option(tmp_path: Path) -> None:
    path = tmp_path / "t.evt"
    readers = "".join(f'function f{i} {{ handler: "h:h" reads: [up] }}\n' for i in range(3))
    path.write_text(
        f"topology t\nevent E {{ k: string }}\nsource up: s3 {{ emits: [E] payload: notification }}\n{readers}",
        encoding="utf-8",
    )
    assert "SEC006" not in [c for c, _, _ in _codes(path)]
    (tmp_path / "pyproject.toml").write_text("[tool.evtc.rules.SEC006]\nmax_readers = 2\n", encoding="utf-8")
    assert "SEC006" in [c for c, _, _ in _codes(path)]


@pytest.mark.parametrize(
    "config, message",
    [
        ('[tool.evtc]\nignore = ["XYZ999"]\n', "matches no rule"),
        ('[tool.evtc.severity]\nDLV007 = "fatal"\n', "must be error, warning or info"),
        ("[tool.evtc.rules.DLV007]\nnope = 1\n", "has no option 'nope'"),
        ('[tool.evtc.rules.SEC006]\nmax_readers = "many"\n', "must be like 3"),
        ("[tool.evtc]\nselect = 3\n", "must be a list"),
        ("[tool.evtc\n", "cannot read the configuration"),
    ],
)
def test_bad_configuration_is_a_usage_error(tmp_path: Path, config: str, message: str) -> None:
    path = _project(tmp_path, config)
    with pytest.raises(UsageError, match=message):
        check_paths([path])
    result = CliRunner().invoke(main, ["check", "--no-cache", str(path)])
    assert result.exit_code == 2 and message in result.output


def test_inline_suppression_is_reported_not_dropped(tmp_path: Path) -> None:
    path = _project(tmp_path, mark="  # evtc: ignore[DLV007]")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", "--fail-on", "warning", str(path)])
    document = json.loads(result.output)
    assert [(d["code"], d["suppressed"]) for d in document["diagnostics"]] == [("DLV007", True)]
    assert document["summary"]["suppressed"] == 1 and result.exit_code == 0


def test_suppression_of_another_code_does_not_apply(tmp_path: Path) -> None:
    assert _codes(_project(tmp_path, mark="  # evtc: ignore[DLV001]")) == [
        ("DLV007", "warning", False),
        ("REF018", "warning", False),  # and the suppression is reported as unused
    ]


@pytest.mark.parametrize("fail_on, code", [("error", 0), ("warning", 1), ("info", 1)])
def test_fail_on(tmp_path: Path, fail_on: str, code: int) -> None:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--fail-on", fail_on, str(_project(tmp_path))])
    assert result.exit_code == code


def test_sarif_lists_rules_with_help(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "sarif", str(_project(tmp_path))])
    rules = {r["id"]: r for r in json.loads(result.output)["runs"][0]["tool"]["driver"]["rules"]}
    assert "## Why is this bad?" in rules["DLV007"]["help"]["markdown"]
