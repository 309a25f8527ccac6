"""Per route: which AWS filter its hop uses, the compiled filter, or a `limits` diagnostic.

The hop's dialect follows from the component the route leaves: a topic filters with an SNS
subscription filter policy, a bus with a rule pattern, a queue or a stream with the Lambda
(or Pipes) FilterCriteria of its event source mapping, an S3 source with notification
filter rules, a DynamoDB source with stream FilterCriteria. An app source or a function
publishes itself, so evtc evaluates the filter where the event is emitted (`envelope`).
"""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.diagnostics import Category, Code, Diagnostic, Severity
from evtc.filters.dialects import compile_when
from evtc.filters.fold import NotExpressible
from evtc.graph import TopologyGraph
from evtc.record import record

FILTER_NOT_EXPRESSIBLE = Code(
    "LIM003",
    "filter-not-expressible",
    Category.LIMITS,
    Severity.ERROR,
    summary="a route's `when` has no equivalent in the AWS filter its hop deploys",
)
S3_KEY_FIELD = "key"  # the field of an S3 source's events that holds the object key
_LABELS = {
    "sns": "an SNS subscription filter policy",
    "eventbridge": "an EventBridge rule pattern",
    "esm_sqs": "a Lambda event source mapping filter (SQS)",
    "esm_kinesis": "a Lambda event source mapping filter (Kinesis)",
    "esm_dynamodb": "a Lambda event source mapping filter (DynamoDB stream)",
    "s3": "S3 notification filter rules",
    "envelope": "evtc's emit-time filter",
}


@record(slots=False)
class RouteFilter:
    """One route's filter in one dialect: the artefact to deploy, or why there is none."""

    route: ir.Route
    dialect: str
    artefact: dict[str, Any] | None
    diagnostic: Diagnostic | None


def hop_dialects(topology: ir.Topology, route: ir.Route) -> tuple[str, ...]:
    """The dialects the route's hop can filter with, the one evtc deploys first."""
    source = topology.component(route.source)
    if isinstance(source, ir.Topic):
        return ("sns",)
    if isinstance(source, ir.Bus):
        return ("eventbridge",)
    if isinstance(source, ir.Queue):
        return ("esm_sqs",)
    if isinstance(source, ir.Stream):
        return ("esm_dynamodb",) if _table_stream(topology, source) else ("esm_kinesis",)
    if isinstance(source, ir.Source) and source.kind == "s3":
        return ("s3",)
    if isinstance(source, ir.Source) and source.kind == "dynamodb":
        return ("esm_dynamodb",)
    return ("envelope",)


def _table_stream(topology: ir.Topology, stream: ir.Stream) -> bool:
    """A stream fed only by DynamoDB sources is their change stream: its records are typed."""
    feeders = [topology.component(r.source) for r in topology.routes if r.target == stream.name]
    return bool(feeders) and all(isinstance(f, ir.Source) and f.kind == "dynamodb" for f in feeders)


def route_filter(graph: TopologyGraph, route: ir.Route, dialect: str | None = None) -> RouteFilter:
    """The route's compiled filter for `dialect` (default: the hop's own), or a diagnostic."""
    dialect = dialect or hop_dialects(graph.topology, route)[0]
    qualifier = route.event if dialect not in ("s3", "esm_dynamodb") else None
    try:
        artefact = compile_when(
            route.when, dialect=dialect, event=qualifier, field_types=field_types(graph, route), key_field=S3_KEY_FIELD
        )
    except NotExpressible as problem:
        return RouteFilter(route, dialect, None, not_expressible(route, dialect, problem))
    return RouteFilter(route, dialect, artefact, None)


def route_filters(graph: TopologyGraph) -> list[RouteFilter]:
    """Every route's filter in every dialect its hop can use, in source order."""
    return [
        route_filter(graph, route, dialect)
        for route in graph.topology.routes
        for dialect in hop_dialects(graph.topology, route)
    ]


def not_expressible(route: ir.Route, dialect: str, problem: NotExpressible) -> Diagnostic:
    """LIM003 on the route's `when`: `problem` says why its hop's dialect cannot hold it."""
    span = route.when.span if route.when is not None else route.span
    message = (
        f"the filter of '{route.source} -> {route.target}' cannot be deployed as {_LABELS[dialect]}: {problem.reason}"
    )
    return FILTER_NOT_EXPRESSIBLE.at(span, message, problem.hint)


def field_types(graph: TopologyGraph, route: ir.Route) -> dict[tuple[str, ...], str]:
    """Declared scalar type per data path, over the events the route carries (when agreed)."""
    names = {event for _, event in graph.carried.get(route.id, ())}
    if route.event:
        names = {route.event}
    types: dict[tuple[str, ...], str] = {}
    clashes: set[tuple[str, ...]] = set()
    for name in sorted(names):
        event = graph.topology.event(name)
        for path, kind in _scalar_paths(event.fields if event else (), ()):
            if types.setdefault(path, kind) != kind:
                clashes.add(path)
    return {path: kind for path, kind in types.items() if path not in clashes}


def _scalar_paths(fields: tuple[ir.Field, ...], at: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
    found: list[tuple[tuple[str, ...], str]] = []
    for f in fields:
        if isinstance(f.type, ir.ScalarType):
            found.append((at + (f.name,), f.type.name))
        elif isinstance(f.type, ir.ObjectType):
            found.extend(_scalar_paths(f.type.fields, at + (f.name,)))
    return found
