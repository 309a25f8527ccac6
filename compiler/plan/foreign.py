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
from evtc.graph import EventRef, TopologyGraph
from evtc.plan.wire import WireName, native_on

Shapes = dict[tuple[str, EventRef], frozenset[str]]

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


def native_only(graph: TopologyGraph, route: ir.Route, shapes: Shapes) -> bool:
    """Whether every event the route carries out of its bus is there in its own shape (an
    external producer's, or one put with `wire: payload`): its hop filters and delivers that shape."""
    refs = graph.carried.get(route.id, ())
    return bool(refs) and all(native_on(shapes, route.source, ref) for ref in refs)


def carried_wire_types(graph: TopologyGraph, route: ir.Route, names: dict[EventRef, WireName]) -> list[str]:
    """The `detail-type`s of the events the route carries (`evtc.plan.wire` names them)."""
    return sorted({names[ref].detail_type for ref in graph.carried.get(route.id, ()) if ref in names} - {""})


def mixed(graph: TopologyGraph, route: ir.Route, shapes: Shapes) -> bool:
    """Whether the route carries events in both shapes out of its bus: evtc's envelope, and
    events in their own shape (external producers', or put with `wire: payload`)."""
    refs = graph.carried.get(route.id, ())
    return len({native_on(shapes, route.source, ref) for ref in refs}) > 1
