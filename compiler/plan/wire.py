"""What an event looks like on the wire: the EventBridge `source` and `detail-type` it carries
on a bus, and what each hop hands over (evtc's envelope, or the payload alone).

The one owner of both decisions. The pulumi-aws target reads them for rule patterns, bus
policies' `events:source`/`events:detail-type` conditions and the emitters' hop records
(what `aws_runtime` puts); the local runtime for the events it builds and the filters it
decides; `evtc explain` to say them.

An emitter of evtc's own (an `app` source, a function) puts its events with `source:`
(default `evtc.<topology>`) and each event type's bound `detail-type` (`emits: [T: "…"]`;
default the type's name). An external producer's are its own bindings
(`evtc.plan.foreign`). `wire: payload` on a route strips the envelope on that hop: into a
bus the event's `detail` is the payload (as another team's producer would put it), out of a
bus a rule target's input path hands over only the payload.
"""

from __future__ import annotations

from collections.abc import Iterable

from evtc import aws, ir
from evtc.graph import EventRef, TopologyGraph
from evtc.util.record import record

ENVELOPE = "envelope"
PAYLOAD = "payload"
RESERVED_PREFIX = aws.EVENTBRIDGE_RESERVED_SOURCE_PREFIX


@record
class WireName:
    """How one emitter's event type is known on EventBridge: its `source`, and its
    `detail-type`, or (`type_field`) the payload field whose value is its detail-type, per
    event (`detail_type` is then "": no one value)."""

    source: str
    detail_type: str
    type_field: str | None = None

    def of(self, data: object) -> str:
        """The detail-type of one event with `data`."""
        if self.type_field is None:
            return self.detail_type
        found = data
        for part in self.type_field.split("."):
            found = found.get(part) if isinstance(found, dict) else None
        return found if isinstance(found, str) else ""


def static_types(names: Iterable[WireName]) -> list[str] | None:
    """The detail-types of `names`, sorted; None when one of them takes it from its payload."""
    found = list(names)
    if any(n.type_field is not None for n in found):
        return None
    return sorted({n.detail_type for n in found})


def default_source(topology: ir.Topology) -> str:
    """The `source` evtc's own events carry when their emitter names none."""
    return f"evtc.{topology.name}"


def wire_name(topology: ir.Topology, emitter: str, event: str) -> WireName:
    """The `source` and `detail-type` `emitter` puts `event` on a bus with."""
    component = topology.component(emitter)
    bound = dict(getattr(component, "detail_types", ()) or ())
    if isinstance(component, ir.Source) and component.kind == "webhook":
        bound = {}  # NOTE: a webhook's bindings are its sender's type names, not detail-types
    chosen = getattr(component, "event_source", None)
    if isinstance(component, ir.Source) and component.external:
        return WireName(chosen or component.name, bound.get(event, event))
    field = getattr(component, "type_field", None)
    if field is not None and not (isinstance(component, ir.Source) and component.kind == "webhook"):
        return WireName(chosen or default_source(topology), "", field)
    return WireName(chosen or default_source(topology), bound.get(event, event))


def names(graph: TopologyGraph) -> dict[EventRef, WireName]:
    """The wire name of every (emitter, event) that flows through the topology."""
    refs = {ref for found in graph.carried.values() for ref in found}
    return {ref: wire_name(graph.topology, *ref) for ref in sorted(refs)}


def bus_shapes(graph: TopologyGraph) -> dict[tuple[str, EventRef], frozenset[str]]:
    """For each bus and (emitter, event) on it: the shapes it arrives in (`envelope`, or
    `payload`: the event in its own shape, the payload as `detail`). External producers'
    events are always in their own shape; a bus forwards an event whole, in the shape it
    arrived in; a route from an emitter into a bus puts it in the route's `wire`."""
    t = graph.topology
    found: dict[tuple[str, EventRef], set[str]] = {}
    into = [r for r in t.routes if isinstance(t.component(r.target), ir.Bus)]
    changed = True
    while changed:  # NOTE: a fixed point: buses may forward to buses, in cycles too
        changed = False
        for route in into:
            source = t.component(route.source)
            for ref in graph.carried.get(route.id, ()):
                shapes = _arriving(t, route, source, ref, found)
                have = found.setdefault((route.target, ref), set())
                if not shapes <= have:
                    have |= shapes
                    changed = True
    return {key: frozenset(value) for key, value in found.items()}


def _arriving(
    t: ir.Topology,
    route: ir.Route,
    source: ir.Component | None,
    ref: EventRef,
    found: dict[tuple[str, EventRef], set[str]],
) -> set[str]:
    producer = t.component(ref[0])
    if isinstance(producer, ir.Source) and producer.external:
        return {PAYLOAD}
    if isinstance(source, ir.Bus):
        return set(found.get((route.source, ref), ()))
    if isinstance(source, ir.EMITTERS):
        return {route.wire}
    return {ENVELOPE}  # NOTE: a pipe out of a store puts the envelope it holds


def native_on(shapes: dict[tuple[str, EventRef], frozenset[str]], bus: str, ref: EventRef) -> bool:
    """Whether `ref` is on `bus` in its own shape (the payload as `detail`)."""
    return PAYLOAD in shapes.get((bus, ref), frozenset())


@record(slots=False)
class Wiring:
    """The wire names and the shapes on buses of one topology (computed once per plan)."""

    names: dict[EventRef, WireName]
    shapes: dict[tuple[str, EventRef], frozenset[str]]

    def of(self, graph: TopologyGraph, route: ir.Route) -> tuple[WireName, ...]:
        """The distinct wire names of the events a route carries, sorted."""
        found = {self.names[ref] for ref in graph.carried.get(route.id, ()) if ref in self.names}
        return tuple(sorted(found, key=lambda n: (n.source, n.detail_type)))


def wiring(graph: TopologyGraph) -> Wiring:
    return Wiring(names(graph), bus_shapes(graph))
