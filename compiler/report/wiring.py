"""`evtc explain`'s wire row: the name an event carries on each bus of its path, and the
hops that strip its envelope (the delivery plan's decisions, `evtc.plan.wire`)."""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.analysis import PathFacts
from evtc.frontend import Compilation
from evtc.plan import plan_of
from evtc.plan.wire import PAYLOAD


def as_dict(compilation: Compilation, facts: PathFacts) -> dict[str, Any] | None:
    """What the path's events look like on the wire; None when no hop of it is a bus or strips."""
    t = compilation.topology
    plan = plan_of(compilation)
    ref = (facts.emitter, facts.event)
    via = list(facts.via)
    buses = [name for name in via if isinstance(t.component(name), ir.Bus)]
    stripped = [
        f"{a} -> {b}"
        for a, b in zip(via, via[1:])
        if any(
            p.wire == PAYLOAD
            and p.route.source == a
            and p.route.target == b
            and ref in compilation.graph.carried.get(p.id, ())
            for p in plan.routes.values()
        )
    ]
    name = plan.name_of(*ref)
    if not buses and not stripped:
        return None
    return {
        "buses": buses,
        "source": name.source if name else None,
        "detail_type": (name.detail_type or None) if name else None,
        "type_field": name.type_field if name else None,
        "envelope_stripped_at": stripped,
    }


def text(compilation: Compilation, facts: PathFacts) -> str | None:
    found = as_dict(compilation, facts)
    if found is None:
        return None
    parts = []
    if found["buses"]:
        on = ", ".join(f"'{b}'" for b in found["buses"])
        named = (
            f"'{found['detail_type']}'" if found["type_field"] is None else f"from its field `{found['type_field']}`"
        )
        parts.append(f"on bus {on} as source '{found['source']}', detail-type {named}")
    if found["envelope_stripped_at"]:
        at = ", ".join(found["envelope_stripped_at"])
        parts.append(
            f"envelope stripped at {at}: the payload alone from there (evtc's id, type and provenance are gone)"
        )
    else:
        parts.append("in evtc's envelope" if not _native(compilation, facts) else "in its own shape")
    return "; ".join(parts)


def _native(compilation: Compilation, facts: PathFacts) -> bool:
    producer = compilation.topology.component(facts.emitter)
    return isinstance(producer, ir.Source) and producer.external
