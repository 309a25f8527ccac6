"""The built-in rules, one module each, registered through the `evtc.rules` entry point
group in pyproject.toml exactly as a plugin's rules would be."""

from __future__ import annotations

from evtc.rules.base import HEADINGS, Option, Rule, RuleContext

__all__ = ["HEADINGS", "Option", "Rule", "RuleContext"]
