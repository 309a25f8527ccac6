"""Per route and dialect: the compiled filter, or a `limits` diagnostic.

Which dialect a route's hop deploys (an SNS filter policy, an EventBridge pattern, Lambda
or Pipes FilterCriteria, S3 notification rules, evtc's emit-time filter) is decided once,
by the delivery plan (`evtc.plan.carriers`); this module only compiles.
"""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.diagnostics import Category, Code, Diagnostic, Severity
from evtc.filters.dialects import compile_when
from evtc.filters.fold import NeverMatches, NotExpressible
from evtc.filters.when import can_match
from evtc.frontend.unparse import filter_text
from evtc.graph import TopologyGraph
from evtc.util.record import record

FILTER_NOT_EXPRESSIBLE = Code(
    "LIM003",
    "filter-not-expressible",
    Category.LIMITS,
    Severity.ERROR,
    summary="a route's `when` has no equivalent in the AWS filter its hop deploys",
)
FILTER_NEVER_MATCHES = Code(
    "DLV009",
    "filter-never-matches",
    Category.DELIVERY,
    Severity.ERROR,
    summary="a route's `when` can never match any event",
)
FILTER_CODES = (FILTER_NOT_EXPRESSIBLE.code, FILTER_NEVER_MATCHES.code)  # a route whose filter is not deployed
S3_KEY_FIELD = "key"  # the field of an S3 source's events that holds the object key
_LABELS = {
    "sns": "an SNS subscription filter policy",
    "sns_attributes": "an SNS subscription filter policy on message attributes",
    "eventbridge": "an EventBridge rule pattern",
    "eventbridge_native": "an EventBridge rule pattern",
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


def route_filter(graph: TopologyGraph, route: ir.Route, dialect: str) -> RouteFilter:
    """The route's compiled filter for `dialect`, or a diagnostic. Which dialect a route's
    hop deploys, and with which event-type selection, is the delivery plan's (`evtc.plan`)."""
    qualifier = route.event if dialect not in ("s3", "esm_dynamodb") else None
    try:
        artefact = compile_when(
            route.when, dialect=dialect, event=qualifier, field_types=field_types(graph, route), key_field=S3_KEY_FIELD
        )
    except NotExpressible as problem:
        return RouteFilter(route, dialect, None, not_expressible(route, dialect, problem))
    return RouteFilter(route, dialect, artefact, None)


def not_expressible(route: ir.Route, dialect: str, problem: NotExpressible) -> Diagnostic:
    """LIM003 on the route's `when`: `problem` says why its hop's dialect cannot hold it.

    DLV009 instead when the filter can never match at all: that is no dialect's limit but a
    route that delivers nothing, whatever the dialect (S3's two prefixes fail first there).
    """
    if isinstance(problem, NeverMatches) or (route.when is not None and not can_match(route.when)):
        return never_matches(route)
    span = route.when.span if route.when is not None else route.span
    if dialect.startswith("esm_") and "cidr" in problem.reason:
        return FILTER_NOT_EXPRESSIBLE.at(span, *_esm_cidr_wording(route, dialect))
    message = (
        f"the filter of '{route.source} -> {route.target}' cannot be deployed as {_LABELS[dialect]}: {problem.reason}"
    )
    return FILTER_NOT_EXPRESSIBLE.at(span, message, problem.hint)


def _esm_cidr_wording(route: ir.Route, dialect: str) -> tuple[str, str]:
    """What is known about `in cidr` in a Lambda filter: undocumented, so refused to be safe."""
    message = (
        f"the filter of '{route.source} -> {route.target}' uses `in cidr`, which the documented syntax of "
        f"{_LABELS[dialect]} does not have: evtc refuses it rather than deploy a filter that AWS may reject "
        "or apply differently"
    )
    hint = (
        f"test the address before the events reach '{route.source}' (an SNS subscription or an EventBridge rule "
        f"matches `in cidr`), or in the code of '{route.target}'"
    )
    return message, hint


def never_matches(route: ir.Route) -> Diagnostic:
    """DLV009 for a route whose filter can never match (`can_match` decides it), in one wording."""
    assert route.when is not None
    return FILTER_NEVER_MATCHES.at(
        route.when.span,
        f"the filter `{filter_text(route.when)}` can never match, so '{route.target}' gets nothing from '{route.source}'",
        "check for an `and` that should be an `or`, or conditions on one field that exclude each other",
    )


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
