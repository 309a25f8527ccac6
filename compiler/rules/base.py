"""What a rule is: a small stateless class that reads a `RuleContext` and yields diagnostics.

A rule declares its code (category prefix, never severity), a kebab-case name naming the
bad pattern, its category, a default severity and its options; its docstring is its
documentation page, with the headings `## What it does`, `## Why is this bad?`,
`## Example` and `## Use instead`. Built-in rules register through the `evtc.rules`
entry point group, exactly as a plugin's would.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any, ClassVar

from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.span import Span
from evtc.util.record import record

if TYPE_CHECKING:  # NOTE: kept out of the import path of a cached re-check
    from evtc import ir
    from evtc.analysis import Analysis
    from evtc.frontend import Compilation
    from evtc.graph import TopologyGraph
    from evtc.plan import DeliveryPlan
HEADINGS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")


@record
class Option:
    """A per-rule setting, configurable under `[tool.evtc.rules.CODE]`."""

    default: Any
    doc: str


@record(slots=False)
class RuleContext:
    """What a rule may look at: the IR, the graph, the path analysis and its options."""

    compilation: Compilation
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def topology(self) -> ir.Topology:
        return self.compilation.topology

    @property
    def graph(self) -> TopologyGraph:
        return self.compilation.graph

    @property
    def analysis(self) -> Analysis:
        from evtc.analysis import analyze

        return analyze(self.compilation)

    @property
    def plan(self) -> DeliveryPlan:
        """How AWS carries each route (`evtc.plan`), shared with the analysis and the targets."""
        from evtc.plan import plan_of

        return plan_of(self.compilation)

    def components(self, *kinds: type[ir.Component]) -> Iterator[Any]:
        """The first declaration of each component of the given kinds, in source order."""
        for c in self.topology.first_components():
            if isinstance(c, kinds):
                yield c

    def redrives(self) -> Iterator[tuple[ir.Queue, ir.Queue]]:
        """(queue, its dead-letter queue) for every queue whose `dead_letter` is another queue."""
        from evtc import ir  # noqa: PLC0415  (see the TYPE_CHECKING note above)

        for q in self.components(ir.Queue):
            dlq = self.topology.component(q.dead_letter) if q.dead_letter else None
            if isinstance(dlq, ir.Queue) and dlq is not q:  # NOTE: a queue of its own is DLV019's
                yield q, dlq


class Rule:
    """Base class of rules; a plugin may subclass it or just provide the same attributes."""

    code: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[Category]
    severity: ClassVar[Severity] = Severity.WARNING
    options: ClassVar[dict[str, Option]] = {}
    # True when the rule reads positions only to point at them (and to order by them): with
    # every declaration moved by whole lines and nothing else changed, its findings move
    # with them and say the same (no line number in a message). The language server then
    # carries its findings over such an edit instead of running it again. A rule that does
    # not say so is run again: the safe default for a plugin.
    moves_with_text: ClassVar[bool] = False

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        raise NotImplementedError

    def report(self, span: Span, message: str, hint: str = "", related: tuple[Related, ...] = ()) -> Diagnostic:
        return Diagnostic(self.code, self.name, self.severity, self.category, message, span, hint, related)


def related(span: Span, message: str) -> tuple[Related, ...]:
    return (Related(span, message),)


class PlanProblemRule(Rule):
    """A rule that reports what the delivery plan found under its code (the plan decides what
    a target cannot build; the rule gives it a code, a page and the user's configuration)."""

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for d in ctx.plan.problems:
            if d.code == self.code:
                yield self.report(d.span, d.message, d.hint, d.related)
