"""`--format github`: workflow commands, a summary line, and a notice past GitHub's per-step limit."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from evtc.cli import main


def github(path: Path) -> list[str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "github", str(path)])
    return result.output.splitlines()


def queues(count: int) -> str:
    return "topology t\n" + "".join(f"queue q{i} {{ encrypted: true }}\n" for i in range(count))


def test_summary_line_and_no_notice_within_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "t.evt"
    path.write_text(queues(10))
    lines = github(path)
    assert sum(line.startswith("::warning ") for line in lines) == 10
    assert lines[-1] == "evtc: 10 warnings" and not any("title=evtc::" in x for x in lines)


def test_a_notice_says_how_many_annotations_github_will_not_show(tmp_path: Path) -> None:
    path = tmp_path / "t.evt"
    path.write_text(queues(13))
    lines = github(path)
    (notice,) = [line for line in lines if line.startswith("::notice title=evtc::")]
    assert "3 of 13 warnings are not shown as annotations" in notice
    assert lines[-1] == "evtc: 13 warnings"
