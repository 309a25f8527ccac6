"""docs/export.md and docs/diff.md: every sh and python block runs as written, in a copy of
the examples with `evtc` on PATH, and the diff rule table is the rules' own."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evtc.diff.engine import rules_markdown

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("export.md", "diff.md")
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def blocks(page: str) -> list[tuple[str, str]]:
    return FENCE.findall((ROOT / "docs" / page).read_text(encoding="utf-8"))


CASES = [
    (page, i, lang, body) for page in PAGES for i, (lang, body) in enumerate(blocks(page)) if lang in ("sh", "python")
]


@pytest.mark.parametrize(("page", "index", "lang", "body"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_block_runs(page: str, index: int, lang: str, body: str, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    command = ["sh", "-ec", body] if lang == "sh" else [sys.executable, "-c", body]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_diff_page_carries_the_rule_table() -> None:
    assert rules_markdown() in (ROOT / "docs" / "diff.md").read_text(encoding="utf-8")


def test_the_first_diff_sample_is_what_diff_prints(tmp_path: Path) -> None:
    (lang, command), (_, sample) = blocks("diff.md")[:2]
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["sh", "-ec", command], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert lang == "sh" and result.stdout == sample
