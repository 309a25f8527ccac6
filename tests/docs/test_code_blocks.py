"""Every code block in README.md and docs/ runs exactly as written (brief: "docs that run").

How each block is treated, by the first word of its info string:

- `sh`, `shell`, `bash`, `console`: run by `sh -e` in a temporary copy of the repository's
  `examples/` (a git repository of its own, committed on `main`), with the `evtc` of this
  Python first on PATH; every command must succeed. A
  `console` block runs its `$ `-prefixed lines only. A block that must fail on purpose says
  so in its info string: ```` ```sh exit=1 ````.
- `evt`: compiled and checked as a file of its own (one without `topology` gets
  `topology doc` put before it). It must have no syntax or reference diagnostic and no
  error, unless its info string names what it shows on purpose (```` ```evt expect=SEC003 ````).
  A block marked ```` ```evt fragment ```` is part of a topology shown elsewhere: names it
  does not declare (REF001) are allowed. Every block of docs/rules.md is a fragment that
  shows findings on purpose (its rule's `Example` and `Use instead`, usually too small to
  trigger the rule alone): it must parse, and its references may only lack declarations.
- `python`: run by this Python in a fresh process in the same temporary copy, with
  `examples/` on `sys.path`.
- `toml`: parsed; a `[tool.evtc]` table (or an evtc.toml) is validated as configuration.
- `json`, `yaml`: parsed.
- `text` (and every other language, e.g. `mermaid`): not run. A block without a language is
  an error: say `text` for output samples.

The README's first two blocks are the main job and the test command: the main job runs
from its first `evtc` on (the venv it creates is this one), the test command is this run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
SHELLS = {"sh", "shell", "bash", "console"}
PARSED = {"toml", "json", "yaml", "yml"}
RUN = SHELLS | PARSED | {"evt", "python"}
_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})(.*)$")


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # of the opening fence
    language: str
    options: dict[str, str]
    code: str
    heading: str  # the nearest heading above
    section: str  # the nearest `## ` heading above (a rule's, in docs/rules.md)
    words: tuple[str, ...] = ()  # the info string's bare words (`fragment`)

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    found: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    heading, section, i = "", "", 0
    while i < len(lines):
        if lines[i].startswith("#"):
            heading = lines[i]
            section = heading if heading.startswith("## ") else section
        opened = _FENCE.match(lines[i])
        if not opened:
            i += 1
            continue
        indent, fence, info = opened.groups()
        end = next(
            (
                j
                for j in range(i + 1, len(lines))
                if lines[j].strip().startswith(fence) and not lines[j].strip()[len(fence) :].strip()
            ),
            len(lines),
        )
        body = "\n".join(line[len(indent) :] if line.startswith(indent) else line for line in lines[i + 1 : end])
        words = info.split()
        options = dict(w.split("=", 1) for w in words[1:] if "=" in w)
        bare = tuple(w for w in words[1:] if "=" not in w)
        found.append(Block(page, i + 1, words[0] if words else "", options, body + "\n", heading, section, bare))
        i = end + 1
    return found


ALL = [b for page in PAGES for b in blocks(page)]
README = [b for b in ALL if b.page.name == "README.md" and b.page.parent == ROOT]
MAIN_JOB, TEST_COMMAND = README[0], README[1]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docs")


def _fresh_copy(sandbox: Path, name: str) -> Path:
    """The examples in a git repository of their own, committed on `main` (for `evtc diff main`)."""
    folder = sandbox / name
    shutil.copytree(ROOT / "examples", folder / "examples", ignore=shutil.ignore_patterns("__pycache__"))
    git = ["git", "-c", "user.name=docs", "-c", "user.email=docs@example.com", "-c", "init.defaultBranch=main"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "examples"]):
        subprocess.run([*git, *args], cwd=folder, check=True, capture_output=True)
    return folder


def _env(folder: Path) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "NO_COLOR": "1",
        "EVTC_CACHE_DIR": str(folder / ".cache"),
        "PYTHONPATH": str(folder / "examples"),
    }


def _ids(block: Block) -> str:
    return f"{block.where}-{block.language or 'untagged'}"


@pytest.mark.parametrize("block", ALL, ids=_ids)
def test_block_declares_its_language(block: Block) -> None:
    assert block.language, (
        f"{block.where}: a code block without a language; tag it (```evt, ```sh, ```python, ...) "
        "or ```text if it is output or not meant to run"
    )


SHELL_BLOCKS = [b for b in ALL if b.language in SHELLS and b not in (MAIN_JOB, TEST_COMMAND)]


@pytest.mark.parametrize("block", SHELL_BLOCKS, ids=_ids)
def test_shell_block_runs(block: Block, sandbox: Path) -> None:
    folder = _fresh_copy(sandbox, f"sh-{block.page.stem}-{block.line}")
    script = block.code
    if block.language == "console":
        script = "".join(line[2:] + "\n" for line in block.code.splitlines() if line.startswith("$ "))
    _run_shell(block, script, folder)


def _run_shell(block: Block, script: str, folder: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["sh", "-ec", script], cwd=folder, env=_env(folder), capture_output=True, text=True, timeout=300
    )
    expected = int(block.options.get("exit", "0"))
    assert done.returncode == expected, (
        f"{block.where}: the {block.language} block exits {done.returncode}, not {expected}\n"
        f"--- block ---\n{script}--- stdout ---\n{done.stdout[-3000:]}--- stderr ---\n{done.stderr[-3000:]}"
    )
    return done


def test_the_main_job_runs_and_says_what_it_did(sandbox: Path) -> None:
    """The README's first command, from its first `evtc` on, with this venv as its `.venv`."""
    folder = _fresh_copy(sandbox, "main-job")
    (folder / ".venv").symlink_to(Path(sys.executable).parent.parent)
    command = MAIN_JOB.code.strip()
    setup, evtc_on = command.split(" && .venv/bin/evtc ", 1)
    assert re.fullmatch(r"python3 -m venv \.venv && \.venv/bin/pip install -q -e \S+", setup), setup
    done = _run_shell(MAIN_JOB, ".venv/bin/evtc " + evtc_on, folder)
    examples = sorted(p.name for p in (folder / "examples").glob("*.evt"))
    # NOTE: `evtc check examples` reads the parts of topologies in several files too (teams/)
    every = list((folder / "examples").rglob("*.evt"))
    assert f"checked {len(every)} files: no problems found" in done.stdout
    for name in examples:
        assert f"examples/{name}" in done.stdout, f"the main job's output does not name {name}"


def test_the_test_command_is_what_ci_runs() -> None:
    command = TEST_COMMAND.code.strip()
    assert command == "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


EVT_BLOCKS = [b for b in ALL if b.language == "evt"]


@pytest.mark.parametrize("block", EVT_BLOCKS, ids=_ids)
def test_evt_block_checks(block: Block) -> None:
    from evtc.check.checker import check_compilation
    from evtc.frontend import compile_text

    text = block.code if re.search(r"^\s*topology\s", block.code, re.MULTILINE) else "topology doc\n" + block.code
    found = [d for d in check_compilation(compile_text(text, block.where)) if not d.suppressed]
    codes = {d.code for d in found}
    listing = "\n".join(f"  {d.code} {d.severity.value}: {d.message}" for d in found)
    expected = set(filter(None, block.options.get("expect", "").split(",")))
    assert expected <= codes, f"{block.where}: the block should show {sorted(expected - codes)}; it reports:\n{listing}"
    on_purpose = block.page.name == "rules.md"
    fragment = on_purpose or "fragment" in block.words
    unexpected = [
        d
        for d in found
        if d.code not in expected
        and not (fragment and d.code == "REF001")
        and (d.code[:3] in ("SYN", "REF") or (d.severity.value == "error" and not on_purpose))
    ]
    assert not unexpected, f"{block.where}: the evt block has problems it does not mean to show:\n{listing}"


PYTHON_BLOCKS = [b for b in ALL if b.language == "python"]


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=_ids)
def test_python_block_runs(block: Block, sandbox: Path) -> None:
    folder = _fresh_copy(sandbox, f"py-{block.page.stem}-{block.line}")
    done = subprocess.run(
        [sys.executable, "-c", block.code], cwd=folder, env=_env(folder), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{block.where}: the python block fails\n{done.stdout[-2000:]}{done.stderr[-3000:]}"


PARSED_BLOCKS = [b for b in ALL if b.language in PARSED]


@pytest.mark.parametrize("block", PARSED_BLOCKS, ids=_ids)
def test_data_block_parses(block: Block) -> None:
    try:
        if block.language == "json":
            json.loads(block.code)
        elif block.language in ("yaml", "yml"):
            import yaml  # type: ignore[import-untyped]

            yaml.safe_load(block.code)
        else:
            _check_toml(block)
    except Exception as error:  # noqa: BLE001  NOTE: any failure is the block's, reported with its place
        pytest.fail(f"{block.where}: the {block.language} block does not parse: {error}")


def _check_toml(block: Block) -> None:
    from evtc.check.config import parse_config, validate
    from evtc.check.ruleset import _loaded

    data = tomllib.loads(block.code)
    table = data.get("tool", {}).get("evtc") if "tool" in data else data
    if table is not None:
        validate(parse_config(table), _loaded())


def test_every_page_is_read() -> None:
    assert {p.name for p in PAGES} >= {"README.md", "ci.md", "configuration.md", "formatting.md", "language.md"}
    assert len(EVT_BLOCKS) > 60 and SHELL_BLOCKS and PYTHON_BLOCKS
