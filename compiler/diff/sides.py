"""The two versions `evtc diff` compares: files, folders, or a git revision of the work tree.

A revision is read with `git ls-tree` and `git show`, never by checking it out; its files
are named `REV:path` in diagnostics, so a finding in the old version says where it was.
Topologies are paired by their `topology` name (a file may move between versions).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from evtc.check.checker import UsageError, expand_paths
from evtc.frontend import Compilation
from evtc.frontend.load import Memory, compile_group, group
from evtc.util.record import record


@record(slots=False)
class Side:
    """One version: its compilations by topology name, and each file's text."""

    label: str
    compilations: dict[str, Compilation]
    sources: dict[str, str]


def read_paths(paths: tuple[str, ...], label: str) -> Side:
    files = [(str(p), p.read_bytes()) for p in expand_paths(paths)]
    return from_files(label, files)


def is_revision(text: str, cwd: Path) -> bool:
    if Path(text).exists():
        return False
    result = _git(cwd, "rev-parse", "--verify", "--quiet", f"{text}^{{commit}}", check=False)
    return result is not None and result.returncode == 0


def read_revision(revision: str, paths: tuple[str, ...], cwd: Path) -> Side:
    """The `.evt` files under `paths` (relative to `cwd`) as they are at `revision`."""
    top = _git(cwd, "rev-parse", "--show-toplevel")
    assert top is not None
    root = Path(top.stdout.strip())
    scopes = [str((cwd / p).resolve().relative_to(root)) for p in paths]
    listing = _git(root, "ls-tree", "-r", "--name-only", "--full-name", revision, "--", *scopes)
    assert listing is not None
    files = []
    for name in sorted(n for n in listing.stdout.splitlines() if n.endswith(".evt")):
        shown = subprocess.run(["git", "show", f"{revision}:{name}"], cwd=root, capture_output=True, check=False)
        if shown.returncode == 0:
            display = Path(name) if cwd.resolve() == root else Path(name).relative_to(cwd.resolve().relative_to(root))
            files.append((f"{revision}:{display}", shown.stdout))
    return from_files(revision, files)


def from_files(label: str, files: list[tuple[str, bytes]]) -> Side:
    """A version made of `(display name, contents)` pairs, its files grouped into topologies
    as every command groups them (a folder's files of one `topology`, and what they `use`)."""
    compilations: dict[str, Compilation] = {}
    sources: dict[str, str] = {}
    found = Memory(dict(files))
    for g in group([name for name, _ in files], found):
        compilation = compile_group(g)
        sources.update(compilation.sources)
        compilations.setdefault(compilation.topology.name, compilation)
    return Side(label, compilations, sources)


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str] | None:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError:
        if check:
            raise UsageError("git is not installed; pass OLD as a file or folder instead") from None
        return None
    if check and result.returncode != 0:
        raise UsageError(f"git {' '.join(args[:2])} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result
