"""Routes out of an external producer: the EventBridge rule pattern that admits exactly the
event types it is bound to emit, in their own shape (not evtc's envelope).

An external source's events are not evtc's: they carry the producer's own `source`
(`aws.ec2`, `com.example.webstore`) and a `detail-type` per event type, and their fields
are the event's `detail`. The rule on the bus they arrive on matches both, so another
producer on that bus cannot pass itself off as this one (SEC020 reports a producer whose
types are not bound).
"""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.graph import TopologyGraph

DEFAULT_BUS = "default"


def detail_types(source: ir.Source, events: tuple[str, ...]) -> tuple[str, ...]:
    """The wire `detail-type`s of `events` as `source` binds them, in declaration order."""
    bound = dict(source.detail_types)
    return tuple(bound[event] for event in events if event in bound)


def route_events(source: ir.Source, route: ir.Route) -> tuple[str, ...]:
    """The event types a route out of `source` takes: its qualifier, or all the source emits."""
    return (route.event,) if route.event else source.emits


def wire_pattern(source: ir.Source, route: ir.Route, data: dict[str, Any] | None) -> dict[str, Any]:
    """The rule's event pattern: the producer's `source`, the bound `detail-type`s, and the
    route's `when` on the `detail` (`data`, compiled for `eventbridge_native`)."""
    pattern: dict[str, Any] = {}
    if source.event_source:
        pattern["source"] = [source.event_source]
    types = detail_types(source, route_events(source, route))
    if types:
        pattern["detail-type"] = sorted(set(types))
    return {**pattern, **(data or {})}


def bus_of(source: ir.Source) -> str:
    """The bus the producer's events arrive on: its `bus:`, or the account's default bus."""
    return source.bus or DEFAULT_BUS


def wire_type(source: ir.Source, event: str) -> str:
    """The `detail-type` `event` arrives with (its name when unbound, which SEC020 reports)."""
    return dict(source.detail_types).get(event, event)


def native_only(graph: TopologyGraph, route: ir.Route) -> bool:
    """Whether every event the route carries is an external producer's (forwarded whole
    through a bus of ours: its hop filters and delivers the producer's own shape)."""
    refs = graph.carried.get(route.id, ())
    return bool(refs) and all(_external(graph.topology.component(emitter)) for emitter, _ in refs)


def carried_wire_types(graph: TopologyGraph, route: ir.Route) -> list[str]:
    """The `detail-type`s of the external producers' events the route carries."""
    found = set()
    for emitter, event in graph.carried.get(route.id, ()):
        producer = graph.topology.component(emitter)
        if isinstance(producer, ir.Source):
            found.add(wire_type(producer, event))
    return sorted(found)


def _external(component: ir.Component | None) -> bool:
    return isinstance(component, ir.Source) and component.external


def mixed(graph: TopologyGraph, route: ir.Route) -> bool:
    """Whether the route carries both evtc's own events and external producers' events."""
    refs = graph.carried.get(route.id, ())
    kinds = {_external(graph.topology.component(emitter)) for emitter, _ in refs}
    return len(kinds) > 1
