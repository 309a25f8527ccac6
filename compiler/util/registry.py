"""Plugin registries: rules (`evtc.rules`) and targets (`evtc.targets`) come from entry
points, built-ins included, exactly as a third-party plugin's would.

Finding entry points means importing `importlib.metadata` and reading every installed
distribution's metadata, which costs more than checking a small file. So the entry points
of evtc's groups are kept in an index in the cache directory, keyed by the import path and
the modification time of each of its folders: installing, upgrading or removing a package
changes its folder, so the index is rebuilt exactly when the answer could differ (the
same scheme as OpenStack's stevedore). A missing, stale or damaged index is a rebuild.
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

from evtc import __version__
from evtc.util.record import record

GROUPS = ("evtc.rules", "evtc.targets", "evtc.diff_rules")


@record(slots=False)
class PluginError:
    """An entry point that could not be loaded, and why."""

    group: str
    name: str
    reason: str


@cache
def load_group(group: str) -> tuple[dict[str, Any], tuple[PluginError, ...]]:
    """Every entry point of `group`, loaded; a plugin that fails to import is reported, not raised."""
    loaded: dict[str, Any] = {}
    errors: list[PluginError] = []
    for name, value in entry_points(group):
        try:
            loaded[name] = load(value)
        except Exception as error:  # noqa: BLE001  NOTE: a broken plugin must not take the tool down
            errors.append(PluginError(group, name, f"{type(error).__name__}: {error}"))
    return loaded, tuple(errors)


def targets() -> dict[str, Any]:
    return load_group("evtc.targets")[0]


def rules() -> list[Any]:
    """Rule classes or objects, flattened (an entry point may name one rule or a list of them)."""
    found: list[Any] = []
    for value in load_group("evtc.rules")[0].values():
        found.extend(value if isinstance(value, (list, tuple)) else [value])
    return sorted(found, key=lambda rule: rule.code)


def diff_rules() -> list[Any]:
    """`evtc diff`'s rules (group `evtc.diff_rules`), by code."""
    return sorted(load_group("evtc.diff_rules")[0].values(), key=lambda rule: rule.code)


def entry_points(group: str) -> list[tuple[str, str]]:
    """(name, `module:attribute`) of each entry point of one of evtc's groups, sorted by name."""
    return _index()[group]


def load(value: str) -> Any:
    """The object an entry point's value names, as `importlib.metadata.EntryPoint.load` finds it."""
    module, _, attributes = value.partition("[")[0].strip().partition(":")
    found: Any = import_module(module.strip())
    for attribute in filter(None, attributes.strip().split(".")):
        found = getattr(found, attribute)
    return found


@cache
def _index() -> dict[str, list[tuple[str, str]]]:
    path, state = _index_path(), _path_state()
    try:
        stored = json.loads(path.read_bytes())
        if stored["state"] == state:
            return {group: [(name, value) for name, value in stored[group]] for group in GROUPS}
    except Exception:  # noqa: BLE001  NOTE: a missing or damaged index is only a rebuild
        pass
    index = _scan()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(json.dumps({"state": state, **index}), encoding="utf-8")
        os.replace(partial, path)  # NOTE: atomic, so a concurrent reader never sees half an index
    except OSError:
        pass  # a read-only cache only costs speed
    return index


def _scan() -> dict[str, list[tuple[str, str]]]:
    from importlib import metadata

    return {group: sorted((ep.name, ep.value) for ep in metadata.entry_points(group=group)) for group in GROUPS}


def _path_state() -> list[str]:
    """What the installed entry points depend on: the interpreter, evtc, and each folder of the
    import path with its modification time."""
    state = [sys.version, __version__]
    for folder in sys.path:
        try:
            state.append(f"{folder} {os.stat(folder or '.').st_mtime_ns}")
        except OSError:
            state.append(f"{folder} -")
    return state


def _index_path() -> Path:
    """One index per interpreter and import path; its content says which state it describes."""
    import zlib  # NOTE: a stable name without hashlib's import (str hashes differ per process)

    from evtc.util.cache import default_cache_dir

    key = zlib.crc32("\n".join([sys.executable, *sys.path]).encode("utf-8", "surrogatepass"))
    return default_cache_dir() / "entry-points" / f"{key:08x}.json"
