"""The rules that apply under one configuration: loaded from the `evtc.rules` entry
points, filtered by select/ignore, with severities and options applied.

A rule that raises is reported as a diagnostic of that rule, never as a traceback: a
broken plugin must not take `evtc check` down.

`fingerprint(config)` identifies the configuration and the code of every rule without
loading any rule, so a cached re-check imports neither the rules nor the front end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from evtc.check.config import Config, ConfigError, validate
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.util.record import record
from evtc.util.registry import load_group
from evtc.util.registry import rules as registered_rules

if TYPE_CHECKING:
    from evtc.frontend import Compilation


Findings = tuple[tuple[Diagnostic, ...], ...]  # one tuple per active rule, in order


@record(slots=False)
class Active:
    """One enabled rule with its effective severity and options."""

    rule: Any
    severity: Severity
    options: dict[str, Any]


@record(slots=False)
class RuleSet:
    """The enabled rules under one configuration, run in code order."""

    active: tuple[Active, ...]
    config: Config = field(default_factory=Config)

    @cached_property
    def fingerprint(self) -> bytes:
        """The cache key part for this rule set (computed only when a cache is used)."""
        return fingerprint(self.config)

    def run(self, compilation: Compilation) -> list[Diagnostic]:
        return [d for each in self.run_each(compilation) for d in each]

    def run_each(
        self,
        compilation: Compilation,
        before: Findings | None = None,
        carry: Callable[[tuple[Diagnostic, ...]], tuple[Diagnostic, ...]] | None = None,
    ) -> Findings:
        """Each active rule's findings, in order. Given `before`, this rule set's findings on
        a version of the file whose declarations all stood where `carry` says they moved
        from (by whole lines, nothing else changed), a rule that declares `moves_with_text`
        is not run again: its findings then are carried to where they stand now."""
        from evtc.analysis import collector_paused

        reuse = before is not None and carry is not None and len(before) == len(self.active)
        found: list[tuple[Diagnostic, ...]] = []
        with collector_paused():
            for index, entry in enumerate(self.active):
                if reuse and getattr(entry.rule, "moves_with_text", False) is True:
                    found.append(carry(before[index]))  # type: ignore[index, misc]
                else:
                    found.append(tuple(_run_one(entry, compilation)))
        return tuple(found)


def _effective(found: Severity, declared: Severity, configured: Severity) -> Severity:
    """The configured severity; a finding the rule itself rates below its declared severity
    (SEC007's deliberate `verify: none`) keeps its lower rating unless configured lower still."""
    if found is declared:
        return configured
    return found if found.rank < configured.rank else configured


def _run_one(entry: Active, compilation: Compilation) -> Iterator[Diagnostic]:
    from evtc.rules.base import RuleContext

    ctx = RuleContext(compilation, entry.options)
    try:
        for d in entry.rule.check(ctx):
            severity = _effective(d.severity, Severity(_value(entry.rule.severity)), entry.severity)
            yield d if d.severity is severity else replace(d, severity=severity)
    except Exception as error:  # noqa: BLE001  NOTE: report, never crash; the author needs the reason
        rule = entry.rule
        message = f"rule {rule.code} failed on this file: {type(error).__name__}: {error}"
        yield Diagnostic(
            rule.code,
            rule.name,
            Severity.ERROR,
            _category(rule),
            message,
            compilation.topology.span,
            "report this to the rule's author",
        )


def _category(rule: Any) -> Category:
    value = getattr(rule.category, "value", rule.category)
    return Category(value) if value in Category._value2member_map_ else Category.REFERENCE


_BUILT: dict[bytes, RuleSet] = {}  # NOTE: per process; a configuration is validated once


def ruleset(config: Config) -> RuleSet:
    key = config.fingerprint()
    if key not in _BUILT:
        _BUILT[key] = _build(config)
    return _BUILT[key]


def plugin_errors() -> list[str]:
    """Rule plugins that failed to import, as `name: reason` (empty until rules are loaded)."""
    return [f"{e.name}: {e.reason}" for e in load_group("evtc.rules")[1]] if _BUILT else []


def _build(config: Config) -> RuleSet:
    rules = _loaded()
    validate(config, rules)
    active = tuple(
        Active(r, config.severity_of(r.code, r.name, Severity(_value(r.severity))), _options(r, config))
        for r in rules
        if config.enabled(r.code, r.name)
    )
    return RuleSet(active, config)


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


def fingerprint(config: Config) -> bytes:
    """Changes whenever the configuration, evtc's own code or any rule plugin's code does."""
    from evtc.check.fingerprint import rules_fingerprint  # NOTE: only a cached check needs one

    return rules_fingerprint(config)
