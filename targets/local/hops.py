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
from evtc.envelope import Envelope, to_dynamodb
from evtc.filters.routes import S3_KEY_FIELD
from evtc.graph import TopologyGraph

View = Callable[[Envelope], Any]
Decide = Callable[[Any], bool]


class FilterError(Exception):
    """A route's filter has no AWS equivalent on its hop (the checker reports it as LIM003)."""


def _envelope(e: Envelope) -> dict[str, Any]:
    return {"type": e.type, "data": e.data}


def _eventbridge(e: Envelope) -> dict[str, Any]:
    return {"detail-type": e.type, "detail": {"type": e.type, "data": e.data}}


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
}


def hop_dialect(graph: TopologyGraph, route: ir.Route) -> str:
    """The filter dialect of the route's hop. NOTE: a stream fed by a dynamodb source is the
    table's change stream, read by an event source mapping with DynamoDB's FilterCriteria
    (as the pulumi-aws target deploys it), whatever evtc.filters assumes for streams."""
    source = graph.topology.component(route.source)
    if isinstance(source, ir.Stream) and source.name in table_streams(graph.topology):
        return "esm_dynamodb"
    return filters.hop_dialects(graph.topology, route)[0]


def table_streams(topology: ir.Topology) -> set[str]:
    """Streams fed by a dynamodb source: that table's change stream."""
    found = set()
    for route in topology.routes:
        source = topology.component(route.source)
        if isinstance(source, ir.Source) and source.kind == "dynamodb":
            found.add(route.target)
    return found


def hop_view(graph: TopologyGraph, route: ir.Route) -> View:
    """What AWS matches on this route's hop, built from an envelope."""
    return VIEWS[hop_dialect(graph, route)]


def hop_filter(graph: TopologyGraph, route: ir.Route) -> Decide | None:
    """The route's decision on its hop's view; None when the route has no filter."""
    if route.when is None:
        return None
    compiled = filters.route_filter(graph, route, hop_dialect(graph, route))
    if compiled.artefact is None:
        reason = compiled.diagnostic.message if compiled.diagnostic else "not expressible"
        raise FilterError(reason)
    return filters.artefact_matcher(compiled.artefact, compiled.dialect)


def envelope_decider(graph: TopologyGraph, route: ir.Route) -> Callable[[Envelope], bool] | None:
    """The route's decision taking an envelope directly (view and match in one call)."""
    decide = hop_filter(graph, route)
    if decide is None:
        return None
    view = hop_view(graph, route)
    return lambda envelope: decide(view(envelope))
