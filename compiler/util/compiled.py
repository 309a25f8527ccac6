"""The source `dataclass` writes for a record's `__init__`, compiled once per machine.

`dataclass` writes each class's `__init__` as source text and compiles it every time the
module defining the class is imported: for evtc's records, a twentieth of a cold
`evtc check`. Python keeps a module's bytecode in `__pycache__` so that it is not compiled
again; this does the same for that text. While `compiled_once()` is active, the `exec` that
`dataclass` calls runs a code object compiled from the exact text earlier and kept in
evtc's cache directory (`records/`, one file per interpreter bytecode version), keyed by
the text itself; the function made is the one the text makes. A missing, damaged or
unwritable cache only costs the compile.
"""

from __future__ import annotations

import atexit
import builtins
import dataclasses
import marshal
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import CodeType
from typing import Any

_LOCK = threading.RLock()
_MOST = 4096  # NOTE: past this many texts, the file keeps only those the last process used


class _Store:
    def __init__(self) -> None:
        self.codes: dict[str, CodeType] | None = None
        self.used: set[str] = set()
        self.dirty = False

    def code(self, text: str) -> CodeType:
        if self.codes is None:
            self.codes = _load()
        self.used.add(text)
        code = self.codes.get(text)
        if code is None:
            # NOTE: dont_inherit: this module's `from __future__ import annotations` must not
            # turn the annotations `dataclass` writes into strings
            code = self.codes[text] = compile(text, "<string>", "exec", dont_inherit=True)
            if not self.dirty:
                self.dirty = True
                atexit.register(self.save)
        return code

    def save(self) -> None:
        codes = self.codes or {}
        kept = codes if len(codes) <= _MOST else {text: codes[text] for text in self.used if text in codes}
        try:
            path = _path()
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}")
            partial.write_bytes(marshal.dumps(kept))
            os.replace(partial, path)  # NOTE: atomic: a concurrent reader sees one whole file
        except Exception:  # noqa: BLE001  NOTE: no home, a read-only disk (Lambda): only the next start is slower
            pass
        self.dirty = False


_STORE = _Store()


def _path() -> Path:
    from importlib.util import MAGIC_NUMBER

    from evtc.util.cache import default_cache_dir

    return default_cache_dir() / "records" / f"{sys.implementation.cache_tag}-{MAGIC_NUMBER.hex()}.marshal"


def _load() -> dict[str, CodeType]:
    try:
        found = marshal.loads(_path().read_bytes())
    except Exception:  # noqa: BLE001  NOTE: a missing or damaged file is only a compile
        return {}
    if not isinstance(found, dict):
        return {}
    return {text: code for text, code in found.items() if isinstance(text, str) and isinstance(code, CodeType)}


def _exec(source: Any, globals: dict[str, Any] | None = None, locals: Any = None, /) -> None:
    code = _STORE.code(source) if isinstance(source, str) else source
    builtins.exec(code, globals, locals)


@contextmanager
def compiled_once() -> Iterator[None]:
    """Inside, the source texts `dataclass` compiles come from the cache when they can."""
    with _LOCK:
        if getattr(dataclasses, "exec", None) is _exec:  # NOTE: already inside (a record defined while defining one)
            yield
            return
        # NOTE: `dataclass` finds `exec` among its module's globals before the builtins.
        dataclasses.exec = _exec  # type: ignore[attr-defined]
        try:
            yield
        finally:
            del dataclasses.exec  # type: ignore[attr-defined]
