"""The built-in rules, one module each, registered through the `evtc.rules` entry point
group in pyproject.toml exactly as a plugin's rules would be.

`Rule`, `RuleContext`, `Option` and `HEADINGS` are what a plugin needs; they are loaded
on first use so that a cached re-check never imports the rules at all.
"""

from __future__ import annotations

from typing import Any

__all__ = ["HEADINGS", "Option", "Rule", "RuleContext"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from evtc.rules import base

        return getattr(base, name)
    raise AttributeError(f"module 'evtc.rules' has no attribute '{name}'")
