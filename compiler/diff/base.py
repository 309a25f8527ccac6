"""What a diff rule is: like a check rule (code, name, category, severity, docstring with
`## What it does`, `## Why is this bad?`, `## Example`, `## Use instead`), plus the
compatibility `mode` it belongs to, and a `check` that reads a `DiffContext`.

Modes follow schema registries: `backward` (consumers on the new schema read old events),
`forward` (consumers on the old schema read new events), `both` (breaks either way) and
`always` (topology and security changes, reported in every mode).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from functools import cached_property
from typing import Any, ClassVar

from evtc import ir
from evtc.analysis import analyze
from evtc.analysis.model import PathFacts
from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.diff.changes import FieldChange, field_changes
from evtc.frontend import Compilation
from evtc.span import Span
from evtc.util.record import record

MODES = ("backward", "forward", "both", "always")


def reported(rule_mode: str, compatibility: str) -> bool:
    """Whether a rule of `rule_mode` reports under the configured `compatibility`."""
    return rule_mode in ("always", "both") or compatibility == "full" or rule_mode == compatibility


@record(slots=False)
class DiffContext:
    """The two versions of one topology, with the comparisons rules share."""

    old: Compilation
    new: Compilation
    options: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def changes(self) -> dict[str, tuple[FieldChange, ...]]:
        """Per event present in both versions: its field changes, computed once."""
        found = {}
        for event in self.new.topology.events:
            before = self.old.topology.event(event.name)
            if before is not None and self.new.topology.event(event.name) is event:
                found[event.name] = tuple(field_changes(before.fields, event.fields))
        return found

    def consumers_of(self, event: str, side: Compilation) -> list[str]:
        """Functions and endpoints `event` reaches in one version, sorted by name."""
        graph = side.graph
        return sorted(
            c.name for node, c in graph.nodes.items() if isinstance(c, ir.CONSUMERS) and event in graph.events_at(node)
        )

    def downstream_consumers(self, component: str, side: Compilation) -> list[str]:
        graph = side.graph
        start = graph.node_id(component)
        if start is None:
            return []
        nodes = graph.downstream(start) | {start}
        return sorted(graph.component(n).name for n in nodes if isinstance(graph.component(n), ir.CONSUMERS))

    @cached_property
    def old_paths(self) -> dict[tuple[str, str, str], PathFacts]:
        return {(f.emitter, f.event, f.node): f for f in analyze(self.old).consumers()}

    @cached_property
    def new_paths(self) -> dict[tuple[str, str, str], PathFacts]:
        return {(f.emitter, f.event, f.node): f for f in analyze(self.new).consumers()}


def affects(consumers: list[str]) -> str:
    return f"; affects {', '.join(consumers)}" if consumers else "; no consumer in this topology receives it"


class DiffRule:
    """Base class of diff rules; a plugin may subclass it or provide the same attributes."""

    code: ClassVar[str]
    name: ClassVar[str]
    mode: ClassVar[str]
    category: ClassVar[Category] = Category.COMPATIBILITY
    severity: ClassVar[Severity] = Severity.ERROR

    def check(self, ctx: DiffContext) -> Iterator[Diagnostic]:
        raise NotImplementedError

    def report(self, span: Span, message: str, hint: str = "", related: tuple[Related, ...] = ()) -> Diagnostic:
        return Diagnostic(self.code, self.name, self.severity, self.category, message, span, hint, related)
