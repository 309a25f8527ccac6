"""Seeded sample events from a topology's schemas, for `evtc run` without recorded events.

Values are drawn partly from the literals the routes' filters mention, so that samples
exercise both sides of every filter; keys come from a small pool so that per-key order
has something to show.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from evtc import ir

Literals = dict[str, dict[str, list[Any]]]  # field name -> {"values", "prefix", "suffix", "numbers"}


def sample_events(topology: ir.Topology, count: int, seed: int) -> Iterator[dict[str, Any]]:
    """Yield `count` records `{"source", "type", "data"}`, the shape `evtc run --events` reads."""
    rng = random.Random(seed)
    literals = filter_literals(topology)
    emitters = [(c.name, e) for c in topology.components if isinstance(c, ir.Source) for e in c.emits]
    events = {e.name: e for e in topology.events}
    emitters = [(name, event) for name, event in emitters if event in events]
    for index in range(count if emitters else 0):
        source, event = rng.choice(emitters)
        yield {"source": source, "type": event, "data": sample_data(events[event], rng, literals, index, count)}


def sample_data(event: ir.Event, rng: random.Random, literals: Literals, index: int, count: int) -> dict[str, Any]:
    return {f.name: _value(f.name, f.type, rng, literals, index, count) for f in event.fields}


def _value(name: str, kind: ir.TypeExpr, rng: random.Random, literals: Literals, index: int, count: int) -> Any:
    if isinstance(kind, ir.ListType):
        return [_value(name, kind.item, rng, literals, index, count) for _ in range(rng.randint(0, 3))]
    if isinstance(kind, ir.ObjectType):
        return {f.name: _value(f.name, f.type, rng, literals, index, count) for f in kind.fields}
    seen = literals.get(name, {})
    if kind.name == "number":
        return _number(seen.get("numbers", []), rng)
    if kind.name == "integer":
        return round(_number(seen.get("numbers", []), rng))
    if kind.name == "boolean":
        return rng.random() < 0.5
    if kind.name == "timestamp":
        return f"2026-01-01T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"
    return _string(name, seen, rng, index, count)


def _number(thresholds: list[float], rng: random.Random) -> float:
    if thresholds and rng.random() < 0.7:
        pivot = rng.choice(thresholds)
        return round(pivot + rng.choice([-1, 1]) * rng.uniform(0, max(abs(pivot), 100.0)), 2)
    return round(rng.uniform(0, 2000), 2)


def _string(name: str, seen: dict[str, list[Any]], rng: random.Random, index: int, count: int) -> str:
    if seen.get("values") and rng.random() < 0.5:
        return str(rng.choice(seen["values"]))
    if name.endswith("_id") or name in ("id", "key", "sku"):
        middle = f"{name.removesuffix('_id')}-{rng.randint(1, max(2, count // 4))}"
    else:
        middle = f"{name}-{index}"
    if seen.get("prefix") or seen.get("suffix"):
        hit = rng.random() < 0.6
        prefix = rng.choice(seen["prefix"]) if hit and seen.get("prefix") else ""
        suffix = rng.choice(seen["suffix"]) if hit and seen.get("suffix") else ""
        return f"{prefix}{middle}{suffix}"
    return middle


def filter_literals(topology: ir.Topology) -> Literals:
    found: Literals = defaultdict(lambda: defaultdict(list))
    for route in topology.routes:
        if route.when is not None:
            _collect(route.when, found)
    return found


def _collect(node: ir.Filter, found: Literals) -> None:
    if isinstance(node, (ir.And, ir.Or)):
        for operand in node.operands:
            _collect(operand, found)
    elif isinstance(node, ir.Not):
        _collect(node.operand, found)
    elif isinstance(node, ir.Compare):
        slot = found[node.path.parts[-1]]
        values = node.value if isinstance(node.value, tuple) else (node.value,)
        key = {"startswith": "prefix", "endswith": "suffix"}.get(node.op)
        for value in values:
            if isinstance(value, bool) or value is None:
                continue
            if isinstance(value, (int, float)):
                slot["numbers"].append(float(value))
            else:
                slot[key or "values"].append(value)
