"""Small helpers the rules share: wording and lookups that several rules need."""

from __future__ import annotations

from typing import TYPE_CHECKING

from evtc import ir
from evtc.analysis.hops import duration_text
from evtc.plan.carriers import table_streams
from evtc.span import Span

if TYPE_CHECKING:
    from evtc.rules.base import RuleContext
__all__ = ["dead_letter_names", "duration_text", "item_span", "line_of", "names"]


def line_of(span: Span, seen_from: Span) -> str:
    """`line 12`, or `line 12 of orders.evt` when `span` is in another file of the topology."""
    return f"line {span.line}" if span.file == seen_from.file else f"line {span.line} of {span.file}"


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
    return (
        found
        | {r.dead_letter for r in t.routes if r.dead_letter}
        | {r.delivery_dead_letter for r in t.routes if r.delivery_dead_letter}
    )


def change_stream(t: ir.Topology, stream: ir.Stream) -> bool:
    """True when `stream` is a table's change stream (the delivery plan's reading): AWS
    manages its shards and retention."""
    return stream.name in table_streams(t)


def sensitive_holders(ctx: RuleContext) -> list[tuple[ir.Component, dict[str, tuple[str, ...]]]]:
    """Each store, router or dead letter holding events with `@sensitive` fields, in source
    order, with those events and their sensitive fields."""
    t = ctx.topology
    held: dict[str, dict[str, tuple[str, ...]]] = {}
    for flow in ctx.analysis.flows.values():
        if flow.sensitive:
            for facts in flow.reach.values():
                for holder in facts.holders:
                    held.setdefault(holder, {})[flow.event] = flow.sensitive
    found = [(c, held[name]) for name in held if isinstance(c := t.component(name), (*ir.STORES, *ir.ROUTERS))]
    # NOTE: in the order written: the topology's order (a topology in several files, file by file)
    order = {c.name: i for i, c in enumerate(t.components)}
    return sorted(found, key=lambda pair: order[pair[0].name])


def sensitive_fields(events: dict[str, tuple[str, ...]]) -> str:
    """`Signup with sensitive field(s) 'email'`."""
    fields = sorted({f for fs in events.values() for f in fs})
    return f"{', '.join(sorted(events))} with sensitive field(s) {names(fields)}"


def lossy_source(t: ir.Topology, emitter: str) -> bool:
    """True when `emitter` is a source declared `lossy: true`: losing one of its events is fine."""
    source = t.component(emitter)
    return isinstance(source, ir.Source) and source.lossy


def lossy_route(ctx: RuleContext, route: ir.Route) -> bool:
    """True when losing what `route` carries is declared fine: the route is `lossy: true`, or
    every event it carries comes from a `lossy: true` source."""
    if route.lossy:
        return True
    carried = ctx.graph.carried.get(route.id, frozenset())
    return bool(carried) and all(lossy_source(ctx.topology, emitter) for emitter, _ in carried)
