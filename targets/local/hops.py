"""The one place the runtime decides a route's `when`: the artefact `evtc.filters` compiles
for that hop (SNS filter policy, EventBridge pattern, Lambda FilterCriteria, S3 rules,
emit-time filter), matched by `evtc.filters.artefact_matcher` against the object AWS
matches there. So a local decision is the decision AWS makes.

The object is built once per event and hop (`View`), then every route of that hop decides
on it: the views carry what patterns can name (the envelope's `type` and `data`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evtc import filters, ir
from evtc.attributes import message_attributes
from evtc.envelope import Envelope, to_dynamodb
from evtc.filters.routes import FILTER_CODES, S3_KEY_FIELD
from evtc.graph import TopologyGraph
from evtc.plan import failures, plan_of
from evtc.plan import table_streams as plan_table_streams
from evtc.plan.attributes import attribute_types
from evtc.plan.carriers import ASYNC_INVOKERS
from evtc.plan.changes import image_of, table_of
from evtc.plan.model import Retry
from evtc.plan.wire import WireName

View = Callable[[Envelope], Any]
Decide = Callable[[Any], bool]


class RouteError(Exception):
    """A route the runtime cannot run because AWS could not carry it (check reports it)."""


def runnable(graph: TopologyGraph, route: ir.Route) -> None:
    """Raise RouteError for a route no AWS mechanism carries, or one into its own source
    (which would loop forever): `evtc check` reports both (LIM010, DLV020)."""
    carriage = plan_of(graph).routes.get(route.id)
    if route.source == route.target:
        raise RouteError(f"route {route.source} -> {route.target} delivers into its own source (DLV020)")
    if carriage is not None and carriage.carrier == "none" and carriage.problem is not None:
        raise RouteError(
            f"route {route.source} -> {route.target}: {carriage.problem.message} ({carriage.problem.code})"
        )


class FilterError(Exception):
    """A route's filter has no AWS equivalent on its hop, or can never match (LIM003, DLV009)."""


def _envelope(e: Envelope) -> dict[str, Any]:
    return {"type": e.type, "data": e.data}


def _eventbridge(e: Envelope, name: WireName | None = None) -> dict[str, Any]:
    if name is None:
        return {"detail-type": e.type, "detail": {"type": e.type, "data": e.data}}
    return {"source": name.source, "detail-type": name.of(e.data), "detail": {"type": e.type, "data": e.data}}


def _sqs(e: Envelope) -> dict[str, Any]:
    return {"body": {"type": e.type, "data": e.data}}


def _kinesis(e: Envelope) -> dict[str, Any]:
    return {"data": {"type": e.type, "data": e.data}}


def _dynamodb(e: Envelope) -> dict[str, Any]:
    data = e.data if isinstance(e.data, dict) else {}
    return {"dynamodb": {"NewImage": {k: to_dynamodb(v) for k, v in data.items()}}}


def _s3(e: Envelope) -> Any:
    return e.data.get(S3_KEY_FIELD) if isinstance(e.data, dict) else None


VIEWS: dict[str, View] = {
    "sns": _envelope,
    "envelope": _envelope,
    "eventbridge": _eventbridge,
    "esm_sqs": _sqs,
    "esm_kinesis": _kinesis,
    "esm_dynamodb": _dynamodb,
    "s3": _s3,
    "eventbridge_native": lambda e: e.to_dict(),  # NOTE: an external producer's event is its own wire form
}


def hop_dialect(graph: TopologyGraph, route: ir.Route) -> str:
    """The filter dialect of the route's hop, as the delivery plan decides it for AWS."""
    carriage = plan_of(graph).routes.get(route.id)
    return carriage.dialect if carriage is not None else "envelope"


def table_streams(topology: ir.Topology) -> set[str]:
    """Streams fed by a dynamodb source: that table's change stream (the plan's reading)."""
    return set(plan_table_streams(topology))


def leads(graph: TopologyGraph, route: ir.Route) -> bool:
    """False for the second and later routes of one shared resource (one SNS subscription
    per topic and endpoint, one mapping per store and function): AWS delivers an event
    once over it, so the runtime wires it once, from its first route."""
    shared = plan_of(graph).resource_of(route)
    return shared is None or shared.routes[0] == route.id


def view_key(graph: TopologyGraph, route: ir.Route) -> tuple[str, str | None]:
    """What tells one hop's view from another's: its dialect (and a table's change kinds)."""
    dialect = hop_dialect(graph, route)
    table = table_of(graph.topology, route) if dialect == "esm_dynamodb" else None
    return dialect, table.name if table is not None and table.change_kinds else None


def hop_view(graph: TopologyGraph, route: ir.Route) -> View:
    """What AWS matches on this route's hop, built from an envelope."""
    dialect = hop_dialect(graph, route)
    if dialect == "sns_attributes":
        specs = {e.name: attribute_types(e) for e in graph.topology.events}
        return lambda e: message_attributes(e.type, e.data, specs.get(e.type))
    if dialect in ("eventbridge", "eventbridge_native"):
        # NOTE: one view for every route out of a bus, whatever shape each event has there: an
        # event in its own shape is its wire form; evtc's is named as the plan says it was put
        names = plan_of(graph).names
        return lambda e: (
            e.to_dict()
            if getattr(e, "wire", None) is not None
            else _eventbridge(e, names.get((e.source.rsplit("/", 1)[-1], e.type)))
        )
    table = table_of(graph.topology, route) if dialect == "esm_dynamodb" else None
    if table is not None and table.change_kinds:
        kinds = {event: kind for event, kind in reversed(table.change_kinds)}  # NOTE: the first binding wins
        return lambda e: _change(e, getattr(e, "kind", None) or kinds.get(e.type))
    return VIEWS[dialect]


def _change(e: Envelope, kind: str | None) -> dict[str, Any]:
    """A table change record as a filter sees it: its kind, and the item in that kind's image."""
    data = e.data if isinstance(e.data, dict) else {}
    return {"eventName": kind or "INSERT", "dynamodb": {image_of(kind): {k: to_dynamodb(v) for k, v in data.items()}}}


def change_kinds(topology: ir.Topology, stream: str) -> dict[str, str]:
    """The change kind each event type of the table behind `stream` is written as."""
    table = plan_table_streams(topology).get(stream)
    source = topology.component(table) if table else None
    return table_kinds(source) if isinstance(source, ir.Source) else {}


def table_kinds(source: ir.Source) -> dict[str, str]:
    """The change kind each event type of a dynamodb source is written as (the first binding)."""
    return {event: kind for event, kind in reversed(source.change_kinds)}


def hop_filter(graph: TopologyGraph, route: ir.Route) -> Decide | None:
    """The route's decision on its hop's view (event-type selection and `when`, as the
    delivery plan deploys them); None when the route lets every event through."""
    plan = plan_of(graph)
    carriage = plan.routes.get(route.id)
    if carriage is None:
        return None
    if carriage.problem is not None and carriage.problem.code in FILTER_CODES:
        raise FilterError(carriage.problem.message)
    shared = plan.resource_of(route)
    # NOTE: routes AWS carries with one resource decide with its one merged filter
    artefact = shared.artefact if shared is not None else carriage.filter
    return filters.artefact_matcher(artefact, carriage.dialect) if artefact is not None else None


def envelope_decider(graph: TopologyGraph, route: ir.Route) -> Callable[[Envelope], bool] | None:
    """The route's decision taking an envelope directly (view and match in one call)."""
    decide = hop_filter(graph, route)
    if decide is None:
        return None
    view = hop_view(graph, route)
    return lambda envelope: decide(view(envelope))


def handler_retry(graph: TopologyGraph, route: ir.Route) -> Retry:
    """Who retries the route's failing handler, how often and for how long (the plan's, which
    gives every async route into a function that function's one invocation configuration)."""
    carriage = plan_of(graph).routes[route.id]
    if carriage.carrier in ASYNC_INVOKERS and carriage.handler is not None:
        return carriage.handler
    return failures.handler(graph.topology, route, "invoke", carriage.ends) or carriage.delivery


def delivery_retry(graph: TopologyGraph, route: ir.Route) -> Retry:
    """Who retries handing the route's events over, how often and for how long (the plan's)."""
    return plan_of(graph).routes[route.id].delivery
