"""`evtc fmt` as ruff format behaves: in place, --check, --diff, stdin, errors, discovery."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from evtc.cli import main

MESSY = "topology t\nqueue q {\nretention : 4d }\n"
TIDY = "topology t\nqueue q {\n  retention: 4d\n}\n"


def _run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["fmt", *args], input=stdin)


def test_rewrites_in_place_and_says_how_many(tmp_path: Path) -> None:
    (tmp_path / "a.evt").write_text(MESSY)
    (tmp_path / "b.evt").write_text(TIDY)
    result = _run(str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.evt").read_text() == TIDY
    assert "1 file reformatted, 1 file left unchanged" in result.output


def test_check_changes_nothing_and_fails(tmp_path: Path) -> None:
    target = tmp_path / "a.evt"
    target.write_text(MESSY)
    result = _run("--check", str(target))
    assert result.exit_code == 1
    assert f"Would reformat: {target}" in result.output and target.read_text() == MESSY
    target.write_text(TIDY)
    assert _run("--check", str(target)).exit_code == 0


def test_diff_prints_a_unified_diff(tmp_path: Path) -> None:
    target = tmp_path / "a.evt"
    target.write_text(MESSY)
    result = _run("--diff", str(target))
    assert result.exit_code == 1 and target.read_text() == MESSY
    assert "-retention : 4d }" in result.output and "+  retention: 4d" in result.output


def test_stdin_to_stdout() -> None:
    result = _run("-", "--stdin-filename", "x.evt", stdin=MESSY)
    assert result.exit_code == 0 and result.output == TIDY
    assert _run("-", "--check", stdin=MESSY).exit_code == 1


def test_a_syntax_error_is_reported_and_the_file_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "bad.evt"
    target.write_text("topology t\nqueue q { retention: }\n")
    result = _run(str(target))
    assert result.exit_code == 2
    assert "bad.evt:2:" in result.output and target.read_text().endswith("retention: }\n")


def test_byte_order_mark_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "a.evt"
    target.write_bytes(b"\xef\xbb\xbf" + MESSY.encode())
    assert _run(str(target)).exit_code == 0
    assert target.read_bytes() == b"\xef\xbb\xbf" + TIDY.encode()


def test_no_evt_file_is_a_usage_error(tmp_path: Path) -> None:
    result = _run(str(tmp_path))
    assert result.exit_code == 2 and "no .evt file found" in result.output


def test_pre_commit_hook_runs_fmt() -> None:
    import yaml  # type: ignore[import-untyped]

    hooks = yaml.safe_load((Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml").read_text())
    by_id = {h["id"]: h for h in hooks}
    assert by_id["evtc-fmt"]["entry"] == "evtc fmt" and by_id["evtc-fmt"]["files"] == r"\.evt$"
    assert by_id["evtc-check"]["entry"] == "evtc check"
