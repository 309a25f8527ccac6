"""The cache key of a check's result: the configuration, evtc's own code and the code of
every rule plugin, so no change to any of them can ever be answered from a stale entry.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

from evtc import __version__
from evtc.check.config import Config
from evtc.util.registry import entry_points


def rules_fingerprint(config: Config) -> bytes:
    """Changes whenever the configuration, evtc's own code or any rule plugin's code does."""
    return hashlib.sha256(config.fingerprint() + _rules_hash()).digest()


@lru_cache(maxsize=1)
def _rules_hash() -> bytes:
    digest = hashlib.sha256(__version__.encode() + _compiler_hash())
    for name, value in entry_points("evtc.rules"):
        digest.update(f"{name}={value}\0".encode())
        if not value.startswith("evtc."):
            digest.update(_module_hash(value.partition(":")[0]))
    return digest.digest()


def _compiler_hash() -> bytes:
    """Every module of evtc itself: the analysis and the rules are part of the result."""
    digest = hashlib.sha256()
    for path in compiler_files():
        digest.update(_file_hash(str(path)))
    return digest.digest()


def compiler_files() -> list[Path]:
    """evtc's compiler modules (all of `evtc`, not only this stage) and its grammar."""
    import evtc.grammar

    compiler = Path(__file__).resolve().parents[1]
    grammar = Path(evtc.grammar.__file__).resolve().parent
    return sorted({*compiler.rglob("*.py"), *grammar.glob("*.lark")})


def _module_hash(module: str) -> bytes:
    try:
        spec = importlib.util.find_spec(module)
    except Exception:  # noqa: BLE001  NOTE: a broken plugin only makes the key differ
        return module.encode()
    origin = spec.origin if spec is not None else None
    return _file_hash(origin) if origin else module.encode()


def _file_hash(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).digest()
    except OSError:
        return path.encode()
