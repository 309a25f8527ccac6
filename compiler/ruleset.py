"""The rules that apply under one configuration: loaded from the `evtc.rules` entry
points, filtered by select/ignore, with severities and options applied.

A rule that raises is reported as a diagnostic of that rule, never as a traceback: a
broken plugin must not take `evtc check` down.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from evtc import __version__
from evtc.analysis import collector_paused
from evtc.config import Config, ConfigError, validate
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.frontend import Compilation
from evtc.registry import rules as registered_rules
from evtc.rules.base import RuleContext


@dataclass(frozen=True)
class Active:
    rule: Any
    severity: Severity
    options: dict[str, Any]


@dataclass(frozen=True)
class RuleSet:
    active: tuple[Active, ...]
    fingerprint: bytes

    def run(self, compilation: Compilation) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        with collector_paused():
            for entry in self.active:
                found.extend(_run_one(entry, compilation))
        return found


def _run_one(entry: Active, compilation: Compilation) -> Iterator[Diagnostic]:
    ctx = RuleContext(compilation, entry.options)
    try:
        for d in entry.rule.check(ctx):
            yield d if d.severity is entry.severity else replace(d, severity=entry.severity)
    except Exception as error:  # noqa: BLE001  NOTE: report, never crash; the author needs the reason
        rule = entry.rule
        message = f"rule {rule.code} failed on this file: {type(error).__name__}: {error}"
        yield Diagnostic(rule.code, rule.name, Severity.ERROR, _category(rule), message,
                         compilation.topology.span, "report this to the rule's author")


def _category(rule: Any) -> Category:
    value = getattr(rule.category, "value", rule.category)
    return Category(value) if value in Category._value2member_map_ else Category.REFERENCE


_BUILT: dict[bytes, RuleSet] = {}  # NOTE: per process; a configuration is validated once


def ruleset(config: Config) -> RuleSet:
    key = config.fingerprint()
    if key not in _BUILT:
        _BUILT[key] = _build(config)
    return _BUILT[key]


def _build(config: Config) -> RuleSet:
    rules = _loaded()
    validate(config, rules)
    active = tuple(
        Active(r, config.severity_of(r.code, r.name, Severity(_value(r.severity))), _options(r, config))
        for r in rules
        if config.enabled(r.code, r.name)
    )
    return RuleSet(active, _fingerprint(config, rules))


_REQUIRED = ("code", "name", "category", "severity", "check")


def _loaded() -> list[Any]:
    """Every registered rule, instantiated; a malformed plugin is a usage error, not a crash."""
    try:
        found = [r() if isinstance(r, type) else r for r in registered_rules()]
    except Exception as error:  # noqa: BLE001  NOTE: plugin code runs here
        raise ConfigError(f"a rule plugin cannot be loaded: {type(error).__name__}: {error}") from None
    for rule in found:
        missing = [a for a in _REQUIRED if not hasattr(rule, a)]
        if missing:
            raise ConfigError(f"rule plugin {rule!r} lacks {', '.join(missing)}; see evtc.rules.Rule")
    return found


def _options(rule: Any, config: Config) -> dict[str, Any]:
    defaults = {name: opt.default for name, opt in getattr(rule, "options", {}).items()}
    return {**defaults, **config.options_of(rule.code, rule.name)}


def _value(x: object) -> str:
    return str(getattr(x, "value", x))


def _fingerprint(config: Config, rules: list[Any]) -> bytes:
    """Changes whenever the configuration or the code of any rule does."""
    digest = hashlib.sha256(__version__.encode() + config.fingerprint() + _compiler_hash())
    for rule in sorted(rules, key=lambda r: r.code):
        digest.update(rule.code.encode())
        digest.update(_source_hash(type(rule)))
    return digest.digest()


@lru_cache(maxsize=1)
def _compiler_hash() -> bytes:
    """Every module of evtc itself: the analysis and the rules are part of the result."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(_file_hash(str(path)))
    return digest.digest()


def _source_hash(cls: type) -> bytes:
    modules = {inspect.getmodule(c) for c in cls.__mro__}
    digest = hashlib.sha256()
    for module in sorted((m for m in modules if m is not None), key=lambda m: m.__name__):
        digest.update(_file_hash(getattr(module, "__file__", None) or module.__name__))
    return digest.digest()


@cache
def _file_hash(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).digest()
    except OSError:
        return path.encode()
