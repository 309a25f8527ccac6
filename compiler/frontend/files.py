"""Where the loader reads `.evt` files from: the disk (with an editor's unsaved texts over
it), or memory (a git revision's files). Names stay as given: relative ones stay relative.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


class Disk:
    """Files on disk, named as given (relative names stay relative); `overrides` holds the
    unsaved text of open editors, by file name."""

    def __init__(self, overrides: Mapping[str, str] | None = None) -> None:
        self.overrides = {os.path.normpath(k): v for k, v in (overrides or {}).items()}

    def read(self, name: str) -> bytes | None:
        if name in self.overrides:
            return self.overrides[name].encode("utf-8")
        try:
            return Path(name).read_bytes()
        except OSError:
            return None

    def evt_files(self, folder: str) -> list[str]:
        try:
            names = [e.name for e in os.scandir(folder or ".") if _member(e.name) and e.is_file()]
        except OSError:
            names = []
        found = {os.path.normpath(os.path.join(folder, n)) for n in names}
        found |= {k for k in self.overrides if os.path.dirname(k) == folder}
        return sorted(found)

    def is_root(self, folder: str) -> bool:
        """Whether parts are not searched for their topology above `folder` (a repository's root)."""
        return os.path.exists(os.path.join(folder or ".", ".git"))

    def parent(self, folder: str) -> str | None:
        absolute = os.path.abspath(folder or ".")
        up = os.path.dirname(absolute)
        if up == absolute:
            return None
        return up if os.path.isabs(folder) else os.path.relpath(up)

    def key(self, name: str) -> str:
        return os.path.abspath(name)


def _member(name: str) -> bool:
    return name.endswith(".evt") and not name.startswith(".")


class Memory:
    """Files held in memory (a git revision's), by name."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = {os.path.normpath(k): v for k, v in files.items()}

    def read(self, name: str) -> bytes | None:
        return self.files.get(name)

    def evt_files(self, folder: str) -> list[str]:
        return sorted(n for n in self.files if os.path.dirname(n) == folder and _member(os.path.basename(n)))

    def is_root(self, folder: str) -> bool:
        return False

    def parent(self, folder: str) -> str | None:
        return os.path.dirname(folder) if folder else None

    def key(self, name: str) -> str:
        return os.path.normpath(name)


Files = Disk | Memory
