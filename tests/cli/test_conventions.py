"""`evtc check` follows ruff's command-line conventions, one test each (docs/configuration.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from evtc.cli import main

# DLV007 (warning: nobody consumes `audit`) and SEC003 (error: `audit` holds an e-mail unencrypted).
TOPOLOGY = """topology t
event Job {{ email: string @sensitive }}
source app: app {{ emits: [Job] }}
stream audit {{}}{mark}
route app.Job -> audit
"""


def write(folder: Path, name: str = "t.evt", mark: str = "", config: str | None = None) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TOPOLOGY.format(mark=mark), encoding="utf-8")
    if config is not None:
        (folder / "pyproject.toml").write_text(config, encoding="utf-8")
    return path


def check(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, ["check", "--no-cache", *args], input=stdin, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def codes(result: Result) -> list[str]:
    return [d["code"] for d in json.loads(result.output)["diagnostics"] if not d["suppressed"]]


def test_select_ignore_and_extend_select_merge_with_the_configuration(tmp_path: Path) -> None:
    path = write(tmp_path, config='[tool.evtc]\nselect = ["DLV"]\n')
    assert codes(check("--format", "json", str(path))) == ["DLV007"]
    assert codes(check("--format", "json", "--extend-select", "SEC003", str(path))) == ["DLV007", "SEC003"]
    assert codes(check("--format", "json", "--select", "SEC", str(path))) == ["SEC003"]  # replaces the file's
    assert codes(check("--format", "json", "--ignore", "DLV007", str(path))) == []
    assert codes(check("--format", "json", "--select", "DLV007,SEC003", "--ignore", "SEC", str(path))) == ["DLV007"]


def test_an_unknown_code_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    result = check("--select", "XYZ9", str(write(tmp_path)))
    assert result.exit_code == 2 and "'XYZ9' matches no rule" in result.output


def test_config_names_the_file_to_use(tmp_path: Path) -> None:
    path = write(tmp_path / "src", config='[tool.evtc]\nselect = ["SEC"]\n')
    (tmp_path / "strict.toml").write_text('select = ["DLV"]\n')
    assert codes(check("--format", "json", str(path))) == ["SEC003"]
    assert codes(check("--format", "json", "--config", str(tmp_path / "strict.toml"), str(path))) == ["DLV007"]
    assert check("--config", str(tmp_path / "missing.toml"), str(path)).exit_code == 2


def test_exit_zero(tmp_path: Path) -> None:
    path = write(tmp_path)
    assert check(str(path)).exit_code == 1
    assert check("--exit-zero", str(path)).exit_code == 0
    assert check("--exit-zero", str(tmp_path / "nope.evt")).exit_code == 2


def test_statistics_counts_each_code(tmp_path: Path) -> None:
    write(tmp_path, "a.evt")
    write(tmp_path, "b.evt")
    lines = check("--statistics", str(tmp_path)).output.splitlines()
    assert lines[:2] == ["2\tDLV007\tunconsumed-store", "2\tSEC003\t[*] unencrypted-sensitive-data"]
    assert lines[2] == "checked 2 files: 2 errors, 2 warnings"


def test_quiet_prints_only_the_findings(tmp_path: Path) -> None:
    path = write(tmp_path)
    loud, quiet = check(str(path)).output, check("--quiet", str(path)).output
    assert "checked 1 file" in loud and "checked 1 file" not in quiet
    assert quiet.startswith(f"{path}:4:1: DLV007") and quiet in loud


def test_concise_is_one_line_per_finding(tmp_path: Path) -> None:
    path = write(tmp_path)
    full = check("--output-format", "full", str(path)).output
    concise = check("--output-format", "concise", "-q", str(path)).output.splitlines()
    assert len(concise) == 2 and all(line.startswith(f"{path}:") for line in concise)
    assert "= hint:" in full and all(line in full for line in concise)


def test_junit_is_a_test_report(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    path = write(tmp_path)
    root = ET.fromstring(check("--format", "junit", str(path)).output)
    (suite,) = root
    assert suite.get("name") == str(path) and suite.get("failures") == "2"
    failures = [case.find("failure") for case in suite]
    assert [f.get("type") for f in failures] == ["warning", "error"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "env, flag, coloured",
    [
        ({}, None, False),  # not a terminal
        ({"FORCE_COLOR": "1"}, None, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, None, False),
        ({"NO_COLOR": "1"}, "always", True),
        ({"FORCE_COLOR": "1"}, "never", False),
    ],
)
def test_colour(tmp_path: Path, env: dict[str, str], flag: str | None, coloured: bool) -> None:
    args = ["--color", flag] if flag else []
    environment = {"NO_COLOR": "", "FORCE_COLOR": "", **env}
    output = check(*args, str(write(tmp_path)), env=environment).output
    assert ("\x1b[" in output) is coloured


def test_stdin_with_its_name(tmp_path: Path) -> None:
    result = check("--stdin-filename", "jobs.evt", "-", stdin=TOPOLOGY.format(mark=""))
    assert result.exit_code == 1 and result.output.startswith("jobs.evt:4:1: DLV007")


def test_no_path_means_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "deep")
    monkeypatch.chdir(tmp_path)
    assert "checked 1 file" in check().output


def test_no_evt_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("no topology here")
    result = check(str(tmp_path))
    assert result.exit_code == 2 and "no .evt file found" in result.output


def test_directories_skip_gitignored_hidden_and_virtualenv_folders(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("generated/\n*.tmp.evt\n")
    for name in ("kept.evt", "generated/x.evt", "a.tmp.evt", ".hidden/x.evt", "venv/x.evt", "sub/kept.evt"):
        write(tmp_path, name)
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr\n")
    files = {
        Path(f).relative_to(tmp_path).as_posix()
        for f in json.loads(check("--format", "json", str(tmp_path)).output)["files"]
    }
    assert files == {"kept.evt", "sub/kept.evt"}
    assert check("--format", "json", str(tmp_path / "generated" / "x.evt")).exit_code == 1  # named: checked


def test_exclude_extend_exclude_and_per_file_ignores(tmp_path: Path) -> None:
    config = '[tool.evtc]\nextend-exclude = ["drafts"]\n[tool.evtc.per-file-ignores]\n"legacy/*.evt" = ["SEC003"]\n'
    write(tmp_path, "drafts/x.evt", config=config)
    write(tmp_path, "legacy/old.evt")
    write(tmp_path, "new.evt")
    found = json.loads(check("--format", "json", str(tmp_path)).output)
    per_file = {(Path(d["file"]).name, d["code"]) for d in found["diagnostics"]}
    assert per_file == {("old.evt", "DLV007"), ("new.evt", "DLV007"), ("new.evt", "SEC003")}


def test_exclude_replaces_the_default_list(tmp_path: Path) -> None:
    write(tmp_path, "node_modules/x.evt", config="[tool.evtc]\nexclude = []\n")
    assert "checked 1 file" in check(str(tmp_path)).output
    (tmp_path / "pyproject.toml").write_text("")
    assert check(str(tmp_path)).exit_code == 2  # node_modules is excluded by default: nothing left


def test_suppressions_are_checked(tmp_path: Path) -> None:
    path = write(tmp_path, mark="  # evtc: ignore[DLV007, DLV001, SEC0O3]  # evtc: ignore")
    found = json.loads(check("--format", "json", str(path)).output)["diagnostics"]
    reported = sorted((d["code"], d["message"]) for d in found if not d["suppressed"])
    assert [code for code, _ in reported] == ["REF016", "REF017", "REF018", "SEC003"]
    assert "no DLV001 finding" in dict(reported)["REF018"]


def test_file_level_and_span_wide_suppression(tmp_path: Path) -> None:
    path = tmp_path / "t.evt"
    path.write_text(
        "# evtc: ignore-file[SEC003]\n"
        + TOPOLOGY.format(mark="").replace(
            "stream audit {}", "stream audit {\n  retention: 1d  # evtc: ignore[DLV007]\n}"
        )
    )
    found = json.loads(check("--format", "json", str(path)).output)
    assert codes(check("--format", "json", str(path))) == [] and found["summary"]["suppressed"] == 2


def test_fix_applies_the_safe_fixes_only(tmp_path: Path) -> None:
    path = write(tmp_path, mark='\nfunction w { handler: "w:r" clearance: [sensitive] }\nroute audit -> w')
    # a queue: `encrypted: true` (SEC011, safe) and a new dead-letter queue (DLV001, unsafe)
    path.write_text(path.read_text().replace("stream audit", "queue audit"), encoding="utf-8")
    result = check("--fix", str(path))
    assert "encrypted: true" in path.read_text() and "dead_letter" not in path.read_text()
    assert (
        "fixed 1 problem" in result.output and "1 more fixable with `evtc check --fix --unsafe-fixes`" in result.output
    )
    check("--fix", "--unsafe-fixes", str(path))
    assert "dead_letter: audit_dlq" in path.read_text() and "queue audit_dlq" in path.read_text()
    assert check(str(path)).exit_code == 0


@pytest.mark.parametrize("command", ["build", "check", "fmt", "run", "explain", "graph", "filters", "match", "dump"])
def test_help_advertises_only_options_that_exist(command: str) -> None:
    import re

    import click

    from evtc.cli import main as group

    cmd = group.get_command(click.Context(group), command)
    assert cmd is not None
    result = CliRunner().invoke(main, [command, "--help"])
    mentioned = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", result.output))
    existing = {opt for p in cmd.params for opt in (*p.opts, *p.secondary_opts)} | {"--help"}
    assert mentioned <= existing, mentioned - existing


def test_stdin_fix_writes_the_fixed_text_and_reports_on_stderr() -> None:
    runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
    source = "topology t\nqueue jobs { retension: 4d }\n"
    result = runner.invoke(main, ["check", "--no-cache", "--fix", "-", "--stdin-filename", "j.evt"], input=source)
    assert result.stdout.startswith("topology t\nqueue jobs { retention: 4d }\n")
    assert "fixed 1 problem" in result.stderr and "retension" not in result.stdout


def test_the_suppression_checks_are_selected_and_ignored_like_rules(tmp_path: Path) -> None:
    path = write(tmp_path, mark="  # evtc: ignore[DLV001]")
    assert "REF018" in codes(check("--format", "json", str(path)))
    assert "REF018" not in codes(check("--format", "json", "--ignore", "REF018", str(path)))
    assert "REF018" not in codes(check("--format", "json", "--select", "SEC", str(path)))
    assert codes(check("--format", "json", "--select", "REF018", str(path))) == ["REF018"]


def test_evtc_diffs_settings_in_the_same_table_do_not_break_check(tmp_path: Path) -> None:
    config = '[tool.evtc]\ncompatibility = "full"\n[tool.evtc.severity]\nCMP009 = "error"\n'
    path = write(tmp_path, config=config)
    assert check(str(path)).exit_code == 1  # the findings, not a usage error
    (tmp_path / "pyproject.toml").write_text('[tool.evtc.severity]\nCMP999 = "error"\n')
    assert check(str(path)).exit_code == 2
