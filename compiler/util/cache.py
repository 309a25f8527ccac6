"""A content-addressed on-disk cache, so re-checking an unchanged file costs almost nothing.

Keys hash the evtc version, the grammar, a stage name and the file's bytes; a changed
compiler or input never sees a stale entry. A corrupt or unreadable entry is a miss.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from evtc import __version__


def default_cache_dir() -> Path:
    configured = os.environ.get("EVTC_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "evtc"


@lru_cache(maxsize=1)
def _compiler_fingerprint() -> bytes:
    import hashlib

    from evtc import grammar

    grammar = grammar.text().encode()
    return hashlib.sha256(__version__.encode() + grammar).digest()


class Cache:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_cache_dir()

    def _path(self, stage: str, name: str, data: bytes, extra: bytes) -> Path:
        import hashlib  # NOTE: imported on use, so `evtc check --no-cache` never loads OpenSSL

        digest = hashlib.sha256(_compiler_fingerprint() + stage.encode() + b"\0" + name.encode() + b"\0" + extra + data)
        return self.directory / stage / digest.hexdigest()

    def get(self, stage: str, name: str, data: bytes, extra: bytes = b"") -> object | None:
        import pickle

        try:
            with open(self._path(stage, name, data, extra), "rb") as handle:
                return pickle.load(handle)
        except Exception:  # noqa: BLE001  NOTE: any damaged entry is just a miss
            return None

    def put(self, stage: str, name: str, data: bytes, value: object, extra: bytes = b"") -> None:
        import pickle
        import tempfile

        path = self._path(stage, name, data, extra)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a concurrent reader never sees half an entry.
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, path)
        except OSError:
            pass  # a read-only or full disk only costs speed
