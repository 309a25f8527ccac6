"""Which .evt files a command reads: the paths given, directories searched as ruff does.

A file named on the command line is always read. A directory is searched for `*.evt`,
skipping hidden folders (`.git`, `.venv`, …), virtual environments (any folder holding a
`pyvenv.cfg`), whatever the `.gitignore` files from the repository's root down say
(with `respect-gitignore = true`, the default), and the configuration's `exclude` and
`extend-exclude` patterns (gitignore syntax, relative to the configuration file's folder).

>>> [str(p) for p in discover(["examples"])][:2]
['examples/ami_scan.evt', 'examples/capacity_ordering.evt']
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from evtc.check.config import Config


class NoFilesError(Exception):
    """A path does not exist, or the paths hold no .evt file at all."""


def discover(paths: Iterable[str | Path], config_for: Callable[[Path], Config] | None = None) -> list[Path]:
    """The .evt files under `paths`, in a stable order; raises `NoFilesError` if none."""
    from evtc.check.config import find_config

    configure = config_for or (lambda folder: find_config(folder.resolve()))
    found: list[Path] = []
    given = list(paths)
    for raw in given:
        path = Path(raw)
        if path.is_dir():
            found.extend(_walk(path, configure(path)))
        elif path.exists():
            found.append(path)
        else:
            raise NoFilesError(f"no such file or directory: {raw}")
    if not found:
        where = ", ".join(str(p) for p in given)
        raise NoFilesError(
            f"no .evt file found in {where}; check the path (excluded and .gitignored files are skipped)"
        )
    return list(dict.fromkeys(found))


def _walk(root: Path, config: Config) -> list[Path]:
    import pathspec

    base = config.path.parent.resolve() if config.path else root.resolve()
    excluded = pathspec.GitIgnoreSpec.from_lines([*config.exclude_patterns()])
    ignores = _ancestor_gitignores(root.resolve()) if config.respect_gitignore else []
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        absolute = here.resolve()
        if config.respect_gitignore:
            ignores = [(b, s) for b, s in ignores if absolute == b or b in absolute.parents]
            spec = _gitignore(absolute)
            if spec is not None:
                ignores.append((absolute, spec))
        dirs[:] = sorted(d for d in dirs if not _skipped_folder(here / d, absolute / d, base, excluded, ignores))
        for name in sorted(files):
            target = absolute / name
            if name.endswith(".evt") and not _ignored(target, False, base, excluded, ignores):
                found.append(here / name)
    return found


def _skipped_folder(path: Path, absolute: Path, base: Path, excluded: object, ignores: list) -> bool:
    if path.name.startswith(".") or (path / "pyvenv.cfg").exists():
        return True
    return _ignored(absolute, True, base, excluded, ignores)


def _ignored(absolute: Path, is_dir: bool, base: Path, excluded: object, ignores: list) -> bool:
    suffix = "/" if is_dir else ""
    if _matches(excluded, absolute, base, suffix):
        return True
    return any(_matches(spec, absolute, folder, suffix) for folder, spec in ignores)


def _matches(spec: object, absolute: Path, base: Path, suffix: str) -> bool:
    try:
        relative = absolute.relative_to(base).as_posix()
    except ValueError:
        return False
    return bool(relative) and relative != "." and spec.match_file(relative + suffix)  # type: ignore[attr-defined]


def _ancestor_gitignores(start: Path) -> list[tuple[Path, object]]:
    """The .gitignore files above `start`, up to the repository's root (none outside a repository)."""
    chain: list[Path] = []
    for folder in (start, *start.parents):
        chain.append(folder)
        if (folder / ".git").exists():
            break
    else:
        return []
    specs = []
    for folder in reversed(chain[1:]):
        spec = _gitignore(folder)
        if spec is not None:
            specs.append((folder, spec))
    return specs


def _gitignore(folder: Path) -> object | None:
    import pathspec

    try:
        lines = (folder / ".gitignore").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)
