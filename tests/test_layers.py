"""The import walls between the stages, as import-linter contracts (pyproject.toml,
`[tool.importlinter]`), checked on a copy of the tree laid out under its import names.

NOTE: the editable install maps three folders (compiler/, grammar/, targets/) onto `evtc`,
and import-linter walks one package folder; so the test links them into one `evtc` folder
in a temporary directory and lints that.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _laid_out(tmp: Path) -> Path:
    package = tmp / "evtc"
    package.mkdir()
    for entry in (ROOT / "compiler").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    (package / "grammar").symlink_to(ROOT / "grammar")
    (package / "targets").symlink_to(ROOT / "targets")
    return tmp


def test_the_import_contracts_hold(tmp_path: Path) -> None:
    where = _laid_out(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(where)}
    # NOTE: the `lint-imports` script, run by this interpreter: a venv that shares its packages
    # through a .pth file has no script of its own
    lint = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    result = subprocess.run(
        [sys.executable, "-c", lint, str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: " in result.stdout and " broken" in result.stdout


def test_the_linted_package_is_the_laid_out_copy(tmp_path: Path) -> None:
    where = _laid_out(tmp_path)
    code = "import evtc.targets.pulumi_aws, evtc; print(evtc.__file__)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=where,
        env={**os.environ, "PYTHONPATH": str(where)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.startswith(str(where))
