"""Where AWS cannot hand over what a route's `wire` says (LIM010, at the `wire:` line).

`wire: payload` strips evtc's envelope on one hop, and AWS can do that only where the
delivering code or service transforms what it hands over: evtc's own runtime putting an
event (an emitter's first hop), an EventBridge rule target (`InputPath`), and an SNS
subscription with raw message delivery when the topic's messages already are payloads.
A hop after the envelope is gone cannot filter on it: the event type and the fields sit
where evtc's filters do not look.
"""

from __future__ import annotations

from evtc import ir
from evtc.diagnostics import Diagnostic
from evtc.graph import TopologyGraph
from evtc.plan.problems import ROUTE_NOT_DEPLOYABLE
from evtc.plan.wire import PAYLOAD, Wiring, native_on
from evtc.span import Span

_PUTS = ("publish", "invoke")  # evtc's runtime puts the event: it writes the body itself
_RULES = ("eventbridge-rule", "foreign-rule")  # a rule target's InputPath picks the payload
_RAW = ("queue", "endpoint")
_CARRIERS = {
    "esm": "Lambda's event source mapping",
    "pipe": "EventBridge Pipes",
    "scheduler": "EventBridge Scheduler",
    "s3-rule": "S3's notification rule",
    "change-stream": "DynamoDB's change stream",
}  # SNS raw message delivery: SQS and HTTP(S) subscriptions only


def payload_holders(topology: ir.Topology) -> set[str]:
    """Queues, streams and topics that hold payloads (without evtc's envelope): some route
    puts them there, or a topic of payloads delivers them raw (SNS into SQS)."""
    found = {
        r.target for r in topology.routes if r.wire == PAYLOAD and not isinstance(topology.component(r.target), ir.Bus)
    }
    return _raw_closure(topology, found)


def _raw_closure(topology: ir.Topology, found: set[str]) -> set[str]:
    """`found` and the queues its topics deliver to raw (what they hold, they hold too)."""
    raw = [r for r in topology.routes if isinstance(topology.component(r.target), ir.Queue)]
    while True:
        more = {r.target for r in raw if r.source in found and isinstance(topology.component(r.source), ir.Topic)}
        if more <= found:
            return found
        found |= more


def shaped_holders(graph: TopologyGraph, wires: Wiring) -> set[str]:
    """Queues, streams and topics that hold something other than evtc's envelope: payloads
    (`payload_holders`), or whole EventBridge events in their own shape, which a rule
    delivers as they are (an external producer's, or ones put with `wire: payload`)."""
    t = graph.topology
    found = payload_holders(t)
    for route in t.routes:
        target = t.component(route.target)
        if not isinstance(target, (ir.Queue, ir.Stream, ir.Topic)):
            continue
        source = t.component(route.source)
        refs = graph.carried.get(route.id, ())
        if isinstance(source, ir.Source) and source.external:
            found.add(route.target)
        elif isinstance(source, ir.Bus) and any(native_on(wires.shapes, route.source, ref) for ref in refs):
            found.add(route.target)
    return _raw_closure(t, found)


def payload_path(dialect: str) -> str:
    """The rule target's InputPath that hands over the payload alone: an event in its own
    shape has it as `detail`; evtc's envelope, as `detail.data`."""
    return "$.detail" if dialect == "eventbridge_native" else "$.detail.data"


def wire_problem(
    graph: TopologyGraph, route: ir.Route, carrier: str, ends: tuple[str, str], wires: Wiring, shaped: set[str]
) -> Diagnostic | None:
    """Why AWS cannot hand over what the route's `wire` says, or filter behind a hop that
    stripped the envelope; `shaped` is `shaped_holders` (computed once per plan)."""
    t = graph.topology
    held = route.source in shaped and carrier != "foreign-rule"
    if held and (route.when is not None or (route.event and _others(graph, route))):
        return _at(
            route,
            route.span,
            f"'{route.source}' holds events that are not in evtc's envelope (payloads, or events in their own "
            "shape), so AWS cannot find the event type or the fields where this route's filter looks",
            f"filter on the route into '{route.source}' (the rule there sees the event's own fields), or keep "
            "evtc's envelope on the way in",
        )
    refs = graph.carried.get(route.id, ())
    dynamic = [ref for ref in refs if ref in wires.names and wires.names[ref].type_field]
    if (
        ends[0] == "bus"
        and route.event
        and _others(graph, route)
        and any(native_on(wires.shapes, route.source, ref) for ref in dynamic)
    ):
        return _at(
            route,
            route.span,
            f"on '{route.source}' {route.event} is in its own shape with a detail-type taken from its payload, so "
            "no rule can tell it from the other events there",
            "keep evtc's envelope on the way into the bus (its `type` selects the event), or bind its detail-type",
        )
    if carrier == "pipe" and ends[1] == "bus":
        problem = _pipe_names(graph, route, wires)
        if problem is not None:
            return problem
    if route.wire != PAYLOAD:
        return None
    where = route.prop("wire")
    span = where.span if where is not None else route.span
    if carrier in _PUTS:
        return None
    if carrier in _RULES:
        if ends[1] == "bus":
            return _at(
                route,
                span,
                "a rule forwards an event to a bus whole: a bus takes EventBridge events, not bare payloads",
                "strip the envelope on the routes out of the last bus",
            )
        refs = graph.carried.get(route.id, ())
        if ends[1] == "function" and len({native_on(wires.shapes, route.source, ref) for ref in refs}) > 1:
            return _at(
                route,
                span,
                "the route carries evtc's envelopes and events in their own shape, whose payloads sit at different "
                "places: one rule target's input path cannot pick both",
                "split the route by event type (`route BUS.Event -> …`)",
            )
        return None
    if carrier == "sns-subscription":
        return _sns(t, route, span, ends)
    return _at(
        route,
        span,
        f"{_CARRIERS.get(carrier, 'the service')} that carries this route hands records over as they are stored; "
        "it cannot strip evtc's envelope",
        "strip the envelope where the event enters the store (`wire: payload` on the route into it), or route "
        "through a bus, whose rule target can hand over the payload alone",
    )


def _sns(t: ir.Topology, route: ir.Route, span: Span, ends: tuple[str, str]) -> Diagnostic | None:
    target = t.component(route.target)
    if ends[1] not in _RAW or (isinstance(target, ir.Endpoint) and target.kind != "https"):
        return _at(
            route,
            span,
            "SNS delivers raw messages to SQS queues and HTTPS endpoints only; a Lambda or e-mail subscription "
            "always receives SNS's notification around the message",
            "route the topic into a queue with `wire: payload`, or keep `wire: envelope` here",
        )
    feeding = [r for r in t.routes if r.target == route.source]
    if not feeding or any(r.wire != PAYLOAD for r in feeding):
        return _at(
            route,
            span,
            f"SNS hands every subscription the message as it was published, and '{route.source}' receives evtc's "
            "envelopes: a subscription cannot strip them",
            f"put `wire: payload` on every route into '{route.source}' (this subscription then uses raw message "
            "delivery), or route through a bus, whose rule target can hand over the payload alone",
        )
    return None


def _pipe_names(graph: TopologyGraph, route: ir.Route, wires: Wiring) -> Diagnostic | None:
    """A pipe puts every event with one static `source`, and either one static detail-type or
    the envelope's `type`: events named otherwise cannot keep their names through it."""
    refs = sorted(graph.carried.get(route.id, ()))
    named = [(ref, wires.names[ref]) for ref in refs if ref in wires.names]
    sources = {name.source for _, name in named}
    renamed = any(name.type_field for _, name in named) or (
        len({name for _, name in named}) > 1 and any(name.detail_type != ref[1] for ref, name in named)
    )
    if len(sources) <= 1 and not renamed:
        return None
    return _at(
        route,
        route.span,
        "EventBridge Pipes puts every event onto the bus with one `source` and one detail-type (or the envelope's "
        "`type`), and the events this route carries are named otherwise there",
        "route the events into the bus from their emitters, or split the pipe by event type",
    )


def _others(graph: TopologyGraph, route: ir.Route) -> bool:
    node = graph.node_id(route.source)
    return bool(set(graph.events_at(node) if node else ()) - {route.event})


def _at(route: ir.Route, span: Span, message: str, hint: str) -> Diagnostic:
    return ROUTE_NOT_DEPLOYABLE.at(span, f"'{route.source} -> {route.target}': {message}", hint)
