"""Plugin registries: rules (`evtc.rules`) and targets (`evtc.targets`) come from entry
points, built-ins included, exactly as a third-party plugin's would.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import Any


@dataclass(frozen=True)
class PluginError:
    group: str
    name: str
    reason: str


@cache
def load_group(group: str) -> tuple[dict[str, Any], tuple[PluginError, ...]]:
    """Every entry point of `group`, loaded; a plugin that fails to import is reported, not raised."""
    loaded: dict[str, Any] = {}
    errors: list[PluginError] = []
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        try:
            loaded[ep.name] = ep.load()
        except Exception as error:  # noqa: BLE001  NOTE: a broken plugin must not take the tool down
            errors.append(PluginError(group, ep.name, f"{type(error).__name__}: {error}"))
    return loaded, tuple(errors)


def targets() -> dict[str, Any]:
    return load_group("evtc.targets")[0]


def rules() -> list[Any]:
    """Rule classes or objects, flattened (an entry point may name one rule or a list of them)."""
    found: list[Any] = []
    for value in load_group("evtc.rules")[0].values():
        found.extend(value if isinstance(value, (list, tuple)) else [value])
    return sorted(found, key=lambda rule: rule.code)
