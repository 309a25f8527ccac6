"""Small helpers the rules share: wording and lookups that several rules need."""

from __future__ import annotations

from evtc import ir
from evtc.analysis.hops import duration_text
from evtc.span import Span

__all__ = ["dead_letter_names", "duration_text", "item_span", "names"]


def item_span(component: ir.Component, prop: str) -> Span:
    """The written value of `prop`, or the component when it was left at its default."""
    found = component.prop(prop)
    return found.value_span if found else component.span


def names(items: list[str] | tuple[str, ...]) -> str:
    """`'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`."""
    quoted = [f"'{x}'" for x in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def dead_letter_names(t: ir.Topology) -> set[str]:
    """Every queue or topic named as a dead letter, by a queue or by a route."""
    found = {c.dead_letter for c in t.components if isinstance(c, ir.Queue) and c.dead_letter}
    return found | {r.dead_letter for r in t.routes if r.dead_letter}


def change_stream(t: ir.Topology, stream: ir.Stream) -> bool:
    """True when a DynamoDB source feeds `stream`: AWS manages its shards and retention."""
    return any(
        isinstance(t.component(r.source), ir.Source) and getattr(t.component(r.source), "kind", "") == "dynamodb"
        for r in t.routes
        if r.target == stream.name
    )
