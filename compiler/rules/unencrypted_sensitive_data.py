from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import names
from evtc.rules.base import Rule, RuleContext


class UnencryptedSensitiveData(Rule):
    """`@sensitive` fields held by a store, router or dead letter without `encrypted: true`.

    ## What it does
    Follows every event type with `@sensitive` fields along all its paths and reports each
    queue, stream, topic or bus that holds it unencrypted, dead-letter queues included.

    ## Why is this bad?
    Sensitive data must stay encrypted at rest everywhere it lands. Dead-letter queues are
    the classic leak: they keep the failed payloads for days, and nobody thinks of them.

    ## Example
    ```evt
    event Signup { email: string @sensitive }
    queue signups { dead_letter: signups_dlq encrypted: true }
    queue signups_dlq { retention: 14d }
    ```

    ## Use instead
    ```evt
    event Signup { email: string @sensitive }
    queue signups { dead_letter: signups_dlq encrypted: true }
    queue signups_dlq { retention: 14d encrypted: true }
    ```
    """

    code = "SEC003"
    name = "unencrypted-sensitive-data"
    category = Category.SECURITY
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        held: dict[str, dict[str, tuple[str, ...]]] = {}  # holder → event → sensitive fields
        for flow in ctx.analysis.flows.values():
            if not flow.sensitive:
                continue
            for facts in flow.reach.values():
                for holder in facts.holders:
                    held.setdefault(holder, {})[flow.event] = flow.sensitive
        for holder in sorted(held, key=lambda n: _line(t, n)):
            component = t.component(holder)
            if isinstance(component, (*ir.STORES, *ir.ROUTERS)) and not component.encrypted:
                yield self._report(component, held[holder])

    def _report(self, component: ir.Component, events: dict[str, tuple[str, ...]]) -> Diagnostic:
        fields = sorted({f for fs in events.values() for f in fs})
        what = f"{component.keyword} '{component.name}'"
        return self.report(
            component.span_of("encrypted"),
            f"{what} holds {', '.join(sorted(events))} with sensitive field(s) {names(fields)} but is not encrypted",
            f"add `encrypted: true` to '{component.name}'",
        )


def _line(t: ir.Topology, name: str) -> int:
    component = t.component(name)
    return component.span.line if component else 0
