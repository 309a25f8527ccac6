"""IR and graph → `DeliveryPlan`: the one place where a route becomes AWS behaviour."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from evtc import ir
from evtc.diagnostics import Diagnostic
from evtc.filters.fold import NotExpressible
from evtc.filters.memo import compiled_when
from evtc.filters.routes import S3_KEY_FIELD, field_types, not_expressible
from evtc.graph import TopologyGraph
from evtc.plan import changes, failures, foreign, sharing
from evtc.plan.accounts import plan_accounts
from evtc.plan.attributes import attribute_routes
from evtc.plan.carriers import CARRIERS, DIALECTS, NOUNS, hint, route_ends, table_streams
from evtc.plan.deadletters import dead_letter_problem
from evtc.plan.model import DeliveryPlan, Retry, RoutePlan
from evtc.plan.problems import ROUTE_NOT_DEPLOYABLE
from evtc.plan.wire import Wiring, static_types, wiring
from evtc.plan.wireproblems import shaped_holders, wire_problem

_UNTYPED = ("s3", "esm_dynamodb")  # records that do not say which event type they are
_SOURCE_ENDS = ("emitter", "schedule", "s3", "dynamodb")  # a route into one is the resolver's REF009
_STRUCTURAL = ("publish", "invoke", "scheduler", "change-stream")  # the emitter picks the hop per event


def plan_graph(graph: TopologyGraph) -> DeliveryPlan:
    t = graph.topology
    streams = table_streams(t)
    problems: list[Diagnostic] = []
    routes: dict[str, RoutePlan] = {}
    seen: dict[tuple[str, str, str], int] = {}
    known = [r for r in t.routes if t.component(r.source) is not None and t.component(r.target) is not None]
    ends = {r.id: route_ends(t, r, streams) for r in known}  # NOTE: the resolver reported the rest
    scoped = _attribute_scoped(graph, known, ends)
    wires = wiring(graph)
    shaped = shaped_holders(graph, wires)
    for route in known:
        found = _route_plan(graph, route, ends[route.id], seen, (wires, shaped), route.id in scoped)
        routes[route.id] = found
        if found.problem is not None:
            problems.append(found.problem)
    shared, conflicts = sharing.share(t, routes)
    routes = sharing.with_function_settings(t, routes, shared)
    placed = plan_accounts(t, routes)
    routes = {
        key: replace(p, crossing=placed.crossings.get(key)) if key in placed.crossings else p
        for key, p in routes.items()
    }
    return DeliveryPlan(routes, shared, tuple(problems + conflicts + list(placed.problems)), placed, wires.names)


def _attribute_scoped(graph: TopologyGraph, known: list[ir.Route], ends: dict[str, tuple[str, str]]) -> set[str]:
    carriers = {r.id: CARRIERS.get(ends[r.id], "none") for r in known}
    pairs: dict[tuple[str, str], list[ir.Route]] = {}
    for r in known:
        if carriers[r.id] == "sns-subscription":
            pairs.setdefault((r.source, r.target), []).append(r)
    return attribute_routes(graph, pairs, carriers) if pairs else set()


def _route_plan(
    graph: TopologyGraph,
    route: ir.Route,
    ends: tuple[str, str],
    seen: dict[tuple[str, str, str], int],
    wired: tuple[Wiring, set[str]],
    by_attributes: bool = False,
) -> RoutePlan:
    t = graph.topology
    wires, shaped = wired
    carrier = CARRIERS.get(ends, "none")
    dialect = "sns_attributes" if by_attributes else DIALECTS.get(ends[0], "envelope")
    if ends[0] == "bus" and foreign.native_only(graph, route, wires.shapes):
        dialect = "eventbridge_native"  # NOTE: an external producer's events, forwarded whole
    events = tuple(sorted({event for _, event in graph.carried.get(route.id, ())}))
    selects = _selects(graph, route, carrier, dialect)
    compiled, problem = _filter(graph, route, dialect, selects, wires)
    if carrier == "none" and ends[1] not in _SOURCE_ENDS and ends[0] != "endpoint":
        message = f"AWS has no way to carry a route from {NOUNS.get(ends[0], ends[0])} to {NOUNS.get(ends[1], ends[1])}"
        problem = ROUTE_NOT_DEPLOYABLE.at(
            route.span, f"'{route.source} -> {route.target}': {message}", hint(ends, route)
        )
    if carrier == "pipe" and getattr(t.component(route.target), "fifo", False) and ends[1] == "topic":
        # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-event-target.html
        problem = ROUTE_NOT_DEPLOYABLE.at(
            route.span,
            f"'{route.source} -> {route.target}': EventBridge Pipes, which carries a route out of a {ends[0].replace('_', ' ')}, "
            "cannot deliver to a FIFO topic",
            f"feed '{route.target}' from a function that publishes with a message group, or make it a standard topic",
        )
    source = t.component(route.source)
    if carrier == "foreign-rule" and isinstance(source, ir.Source) and foreign.bus_of(source) == route.target:
        problem = ROUTE_NOT_DEPLOYABLE.at(
            route.span,
            f"'{route.source} -> {route.target}': the producer's events already arrive on '{route.target}', "
            "and a rule there cannot target its own bus",
            f"route out of the producer itself: `route {route.source}.EVENT -> consumer`",
        )
    if (
        carrier == "eventbridge-rule"
        and ends[1] in ("queue", "topic", "stream")
        and foreign.mixed(graph, route, wires.shapes)
    ):
        problem = ROUTE_NOT_DEPLOYABLE.at(
            route.span,
            f"'{route.source} -> {route.target}': the bus carries both evtc's events and external producers' own "
            f"events, and evtc deploys one rule target, which hands {ends[1]}s one shape (evtc's envelope or the "
            "producer's whole event), not both",
            f"route the external producer's events to '{route.target}' from the producer itself "
            f"(`route PRODUCER.Event -> {route.target}`), or through a bus of their own",
        )
    group = (carrier, route.source, route.target)
    seen[group] = seen.get(group, 0) + 1
    delivery = failures.delivery(t, route, carrier, ends) if carrier != "none" else Retry("none", 0.0, 0.0)
    problem = (
        problem or dead_letter_problem(t, route, delivery) or wire_problem(graph, route, carrier, ends, wires, shaped)
    )
    return RoutePlan(
        route,
        ends,
        carrier,
        dialect,
        sharing.resource_key(carrier, route),
        seen[group],
        events,
        selects,
        compiled,
        delivery,
        failures.handler(t, route, carrier, ends) if carrier != "none" else None,
        problem,
        wire=route.wire,
        names=wires.of(graph, route) if _on_eventbridge(carrier, ends) else (),
    )


def _on_eventbridge(carrier: str, ends: tuple[str, str]) -> bool:
    """Whether the hop puts events on, or takes them off, an EventBridge bus."""
    return "bus" in ends or carrier == "foreign-rule"


def _selects(graph: TopologyGraph, route: ir.Route, carrier: str, dialect: str) -> bool:
    """Whether the deployed filter must name the route's event type: other types reach the
    same place (a qualifier on an emitter needs no filter: it publishes per event type)."""
    if route.event is None or carrier in _STRUCTURAL or dialect in _UNTYPED:
        return False
    node = graph.node_id(route.source)
    arriving = graph.events_at(node) if node else set()
    return bool(set(arriving) - {route.event})


def _filter(
    graph: TopologyGraph, route: ir.Route, dialect: str, selects: bool, wires: Wiring
) -> tuple[dict[str, Any] | None, Diagnostic | None]:
    source = graph.topology.component(route.source)
    if dialect == "eventbridge_native":
        data, problem = _compiled(graph, route, dialect, False) if route.when is not None else (None, None)
        if problem is not None or isinstance(source, ir.Source):
            return (None, problem) if problem else (foreign.wire_pattern(source, route, data), None)
        if route.when is None and not selects:
            return None, None
        named = wires.of(graph, route)  # NOTE: events in their own shape are told apart by both names
        pattern: dict[str, Any] = {"source": sorted({n.source for n in named})}
        types = static_types(named)
        if types is not None:  # NOTE: a detail-type taken from the payload has no one value to match
            pattern["detail-type"] = types
        return {**pattern, **(data or {})}, None
    if dialect == "eventbridge" and route.when is not None and foreign.mixed(graph, route, wires.shapes):
        # NOTE: evtc's fields sit under `detail.data`, an external producer's under `detail`
        shapes = NotExpressible(
            "the bus carries both evtc's events and external producers' own events, whose fields sit "
            "elsewhere in the event: one pattern cannot match both shapes",
            "filter on the routes out of the external producer (`route P.Event -> …`), or route its events "
            "through a bus of their own",
        )
        return None, not_expressible(route, dialect, shapes)
    if dialect == "esm_dynamodb":
        compiled, problem = _compiled(graph, route, dialect, False) if route.when is not None else (None, None)
        return (None, problem) if problem else (changes.selected(graph.topology, route, compiled), None)
    if route.when is None and not selects:
        return None, None
    compiled, problem = _compiled(graph, route, dialect, selects)
    if compiled is not None and dialect == "eventbridge" and "detail-type" in compiled:
        # NOTE: an event type is selected by the detail-type its emitter puts it with, or, when
        # that comes from the payload, by the envelope's own `type`
        types = static_types(wires.of(graph, route))
        compiled = {**compiled, "detail-type": types} if types is not None else _by_envelope_type(compiled, route)
    return compiled, problem


def _by_envelope_type(compiled: dict[str, Any], route: ir.Route) -> dict[str, Any]:
    found = {k: v for k, v in compiled.items() if k != "detail-type"}
    return {**found, "detail": {**found.get("detail", {}), "type": [route.event]}}


def _compiled(
    graph: TopologyGraph, route: ir.Route, dialect: str, selects: bool
) -> tuple[dict[str, Any] | None, Diagnostic | None]:
    try:
        artefact = compiled_when(  # NOTE: remembered: the server plans the whole file after each edit
            route.when,
            dialect=dialect,
            event=route.event if selects else None,
            field_types=field_types(graph, route),
            key_field=S3_KEY_FIELD,
        )
    except NotExpressible as problem:
        return None, not_expressible(route, dialect, problem)
    if not artefact or artefact == {"Filters": []}:
        return None, None
    return artefact, None
