"""`@sensitive` fields, removed from what an uncleared consumer receives, at any depth.

A field is removed wherever its schema puts it: at the top of `data`, inside nested
objects, and inside every element of a list of objects (`items: [{ card: string
@sensitive }]`). The plan for an event is a tree of field names: `None` removes the field,
a nested plan is applied to its value (element by element when the value is a list).
"""

from __future__ import annotations

from typing import Any

from evtc import ir

Prune = dict[str, "Prune | None"]


def prune_plan(fields: tuple[ir.Field, ...]) -> Prune | None:
    """What to remove from an object of these fields; None when nothing is sensitive."""
    plan: Prune = {}
    for f in fields:
        if f.sensitive:
            plan[f.name] = None
            continue
        inner = _type_plan(f.type)
        if inner:
            plan[f.name] = inner
    return plan or None


def _type_plan(type_: ir.TypeExpr) -> Prune | None:
    if isinstance(type_, ir.ObjectType):
        return prune_plan(type_.fields)
    if isinstance(type_, ir.ListType):
        return _type_plan(type_.item)
    return None


def event_plans(topology: ir.Topology) -> dict[str, Prune]:
    """The prune plan of every event type that has a sensitive field somewhere."""
    plans = {event.name: prune_plan(event.fields) for event in topology.events}
    return {name: plan for name, plan in plans.items() if plan}


def pruned(value: Any, plan: Prune) -> Any:
    """A copy of `value` without the fields `plan` removes (the input is never changed)."""
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            if key not in plan:
                kept[key] = item
                continue
            inner = plan[key]
            if inner is not None:
                kept[key] = pruned(item, inner)
        return kept
    if isinstance(value, list):
        return [pruned(item, plan) for item in value]
    return value
