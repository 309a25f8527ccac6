"""Run the diff rules over every topology of two versions, in one compatibility mode.

>>> from evtc.diff.sides import from_files
>>> old = from_files("old", [("o.evt", b"topology t event E { a: string }")])
>>> new = from_files("new", [("n.evt", b"topology t event E { a: number }")])
>>> [d.code for d in diff(old, new, "backward").diagnostics]
['CMP003']
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from evtc.check.catalog import CodeInfo
from evtc.check.config import Config, find_config
from evtc.diagnostics import Diagnostic, Severity, has_errors, sorted_diagnostics
from evtc.diff.base import DiffContext, reported
from evtc.diff.sides import Side
from evtc.frontend import Compilation, compile_text
from evtc.util.record import record
from evtc.util.registry import diff_rules


@record(slots=False)
class DiffResult:
    diagnostics: list[Diagnostic]
    sources: dict[str, str]

    def exit_code(self, fail_on: Severity) -> int:
        failing = [d for d in self.diagnostics if not d.suppressed and d.severity.rank >= fail_on.rank]
        return 1 if failing else 0


def diff(old: Side, new: Side, compatibility: str, config: Config | None = None) -> DiffResult:
    config = config or Config()
    found: list[Diagnostic] = []
    for name in sorted(set(old.compilations) | set(new.compilations)):
        before = old.compilations.get(name)
        if before is None:
            continue  # a new topology breaks nobody
        after = new.compilations.get(name) or _removed(name, new.label)
        broken = [c for c in (before, after) if has_errors(list(c.diagnostics))]
        if broken:
            found.extend(d for c in broken for d in c.diagnostics)
            continue
        found.extend(_findings(DiffContext(before, after), compatibility, config))
    return DiffResult(sorted_diagnostics(found), {**old.sources, **new.sources})


def _removed(name: str, label: str) -> Compilation:
    """The new version of a topology that no longer exists: empty, so every event is removed."""
    return compile_text(f"topology {name}\n", f"{label}:(removed)")


def _findings(ctx: DiffContext, compatibility: str, config: Config) -> Iterator[Diagnostic]:
    for rule_class in diff_rules():
        rule = rule_class() if isinstance(rule_class, type) else rule_class
        if not reported(rule.mode, compatibility):
            continue
        defaults = {k: o.default for k, o in getattr(rule, "options", {}).items()}
        ctx.options.clear()  # NOTE: in place: the context's cached comparisons are shared by every rule
        ctx.options.update({**defaults, **config.options_of(rule.code, rule.name)})
        severity = config.severity_of(rule.code, rule.name, rule.severity)
        for diagnostic in rule.check(ctx):
            yield diagnostic.with_severity(severity) if severity != diagnostic.severity else diagnostic


def diff_catalog() -> dict[str, CodeInfo]:
    """The diff rules as `check`'s catalogue describes codes (for SARIF)."""
    import inspect

    found = {}
    for rule in diff_rules():
        doc = inspect.getdoc(rule) or rule.name
        found[rule.code] = CodeInfo(
            rule.code, rule.name, rule.category.value, rule.severity.value, doc.splitlines()[0], doc
        )
    return found


def config_for(path: Path) -> Config:
    return find_config(path if path.is_dir() else path.parent)


def rules_markdown() -> str:
    """The rule table of docs/diff.md (tests/diff checks that the page carries it)."""
    import inspect

    lines = ["| code | name | mode | severity | what it reports |", "|---|---|---|---|---|"]
    for r in diff_rules():
        summary = (inspect.getdoc(r) or r.name).splitlines()[0]
        lines.append(f"| {r.code} | {r.name} | {r.mode} | {r.severity.value} | {summary} |")
    return "\n".join(lines) + "\n"
