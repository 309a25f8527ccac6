"""The VS Code package: its TextMate grammar passes the grammar tests (vscode-tmgrammar-test,
from the npm registry) and the package builds into a .vsix with @vscode/vsce.

The npm packages are installed into editors/vscode/node_modules by `npm ci` from the
committed package-lock.json the first time this runs (network to the npm registry), so a
fresh clone needs nothing but node and npm on PATH.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from evtc.check.checker import check_paths
from evtc.frontend.parse import DECLARATION_KEYWORDS

VSCODE = Path(__file__).resolve().parents[2] / "editors" / "vscode"


def _node_major() -> int:
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        return 0
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    return int(version.lstrip("v").split(".")[0] or 0)


pytestmark = pytest.mark.skipif(_node_major() < 20, reason="node 20 or later and npm are needed (docs/editors.md)")


@pytest.fixture(scope="module")
def node_modules() -> Path:
    installed = VSCODE / "node_modules" / ".package-lock.json"
    lock = VSCODE / "package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=VSCODE, check=True, capture_output=True)
    return VSCODE / "node_modules"


def _grammar_test(node_modules: Path, *files: str) -> subprocess.CompletedProcess[str]:
    runner = node_modules / ".bin" / "vscode-tmgrammar-test"
    command = [str(runner), "-g", "syntaxes/evt.tmLanguage.json", *files]
    return subprocess.run(command, cwd=VSCODE, capture_output=True, text=True, timeout=300)


def test_grammar_assertions_hold(node_modules: Path) -> None:
    result = _grammar_test(node_modules, "tests/highlighting.evt")
    assert result.returncode == 0, result.stdout + result.stderr


def test_grammar_runner_catches_a_wrong_scope(node_modules: Path, tmp_path: Path) -> None:
    wrong = (VSCODE / "tests" / "highlighting.evt").read_text().replace("constant.numeric.duration", "string.quoted")
    bad = tmp_path / "wrong.evt"
    bad.write_text(wrong)
    result = _grammar_test(node_modules, str(bad))
    assert result.returncode != 0 and "missing required scopes: string.quoted" in result.stdout


def test_the_grammar_sample_is_a_topology_that_checks_clean() -> None:
    result = check_paths([VSCODE / "tests" / "highlighting.evt"])
    assert result.diagnostics == ()


def test_grammar_knows_every_declaration_keyword() -> None:
    grammar = (VSCODE / "syntaxes" / "evt.tmLanguage.json").read_text()
    assert all(keyword in grammar for keyword in DECLARATION_KEYWORDS)
    manifest = json.loads((VSCODE / "package.json").read_text())
    (language,) = manifest["contributes"]["languages"]
    assert language["extensions"] == [".evt"]
    config = json.loads((VSCODE / "language-configuration.json").read_text())
    assert config["comments"]["lineComment"] == "#"


def test_the_client_starts_evtc_lsp() -> None:
    script = VSCODE / "extension.js"
    assert subprocess.run(["node", "--check", str(script)], capture_output=True).returncode == 0
    source = script.read_text()
    assert 'args: ["lsp"]' in source and 'language: "evt"' in source


def test_builds_a_vsix(node_modules: Path, tmp_path: Path) -> None:
    out = tmp_path / "evtc.vsix"
    vsce = node_modules / ".bin" / "vsce"
    command = [str(vsce), "package", "--allow-missing-repository", "--skip-license", "--out", str(out)]
    result = subprocess.run(command, cwd=VSCODE, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    names = set(zipfile.ZipFile(out).namelist())
    assert {"extension/package.json", "extension/extension.js", "extension/syntaxes/evt.tmLanguage.json"} <= names
    assert "extension/node_modules/vscode-languageclient/node.js" in names  # the client ships with it
    assert not any(n.startswith("extension/tests/") for n in names)
