"""Which AWS mechanism carries a route, from the hop kinds at its two ends.

This table is the one answer to "how does AWS carry `a -> b`": the analysis, the rules,
`evtc filters`, the local runtime and the pulumi-aws target all read it. A pair missing
from it has no AWS mechanism, and `evtc check` says so (LIM010) with the hint below.
"""

from __future__ import annotations

from evtc import ir

_STORES_AND_ROUTERS = ("queue", "stream", "topic", "bus")
_POLLED = ("queue", "stream", "table_stream")

CARRIERS: dict[tuple[str, str], str] = {
    **{("emitter", t): "publish" for t in _STORES_AND_ROUTERS},
    ("emitter", "function"): "invoke",
    **{("schedule", t): "scheduler" for t in (*_STORES_AND_ROUTERS, "function")},
    # NOTE: S3 notifies EventBridge's default bus; a rule there carries the route.
    **{("s3", t): "s3-rule" for t in ("queue", "stream", "topic", "function")},
    # NOTE: an external producer's events arrive on a bus it does not own; a rule there,
    # matching its `source` and bound `detail-type`s, carries the route.
    **{("foreign", t): "foreign-rule" for t in (*_STORES_AND_ROUTERS, "function")},
    ("dynamodb", "table_stream"): "change-stream",
    ("dynamodb", "function"): "esm",
    **{(s, "function"): "esm" for s in _POLLED},
    **{(s, t): "pipe" for s in _POLLED for t in _STORES_AND_ROUTERS},
    **{("topic", t): "sns-subscription" for t in ("queue", "function", "endpoint")},
    **{("bus", t): "eventbridge-rule" for t in (*_STORES_AND_ROUTERS, "function")},
}

# The filter dialect of a hop follows from the end the route leaves.
DIALECTS: dict[str, str] = {
    "topic": "sns",
    "bus": "eventbridge",
    "queue": "esm_sqs",
    "stream": "esm_kinesis",
    "table_stream": "esm_dynamodb",
    "dynamodb": "esm_dynamodb",
    "s3": "s3",
    "foreign": "eventbridge_native",
    "emitter": "envelope",
    "schedule": "envelope",
}

# Carriers whose consumer AWS invokes asynchronously: Lambda retries a failing handler.
ASYNC_INVOKERS = ("invoke", "sns-subscription", "eventbridge-rule", "scheduler", "s3-rule", "foreign-rule")

NOUNS: dict[str, str] = {
    "emitter": "an emitter (app, webhook or function)",
    "schedule": "a schedule",
    "s3": "an S3 bucket",
    "foreign": "an external producer",
    "dynamodb": "a DynamoDB table",
    "table_stream": "a table's change stream",
    "queue": "a queue",
    "stream": "a stream",
    "topic": "a topic",
    "bus": "a bus",
    "function": "a function",
    "endpoint": "an endpoint",
}

_HINTS: dict[str, str] = {
    "endpoint": "deliver to an endpoint through a topic: `route X -> some_topic` and `route some_topic -> {target}`",
    "topic": "SNS subscribes queues, functions and endpoints only: put a queue in between "
    "(`route {source} -> q`, `route q -> {target}`)",
    "table_stream": "a DynamoDB stream holds the table's own changes; write to the table instead, or route into a "
    "Kinesis stream",
    "dynamodb": "read the table's change stream first: `route {source} -> its_stream`, then `route its_stream -> {target}`",
    "s3": "S3 sources feed queues, topics, streams and functions; route into one of those first",
    "foreign": "an external producer's events reach queues, streams, topics, buses and functions through a rule on "
    "its bus; route into one of those first",
}


def end_kind(topology: ir.Topology, name: str, table_streams: dict[str, str]) -> str:
    """The hop kind of a component: its keyword, with sources and table streams told apart."""
    component = topology.component(name)
    if isinstance(component, ir.Source):
        if component.external:
            return "foreign"
        return "emitter" if component.kind in ("app", "webhook") else component.kind
    if isinstance(component, ir.Function):
        return "function"  # NOTE: as a route's source end, `ends` says `emitter` (see route_ends)
    if isinstance(component, ir.Stream) and name in table_streams:
        return "table_stream"
    return component.keyword if component is not None else "unknown"


def route_ends(topology: ir.Topology, route: ir.Route, table_streams: dict[str, str]) -> tuple[str, str]:
    start = end_kind(topology, route.source, table_streams)
    return ("emitter" if start == "function" else start), end_kind(topology, route.target, table_streams)


def table_streams(topology: ir.Topology) -> dict[str, str]:
    """Streams fed by a dynamodb source are that table's change stream: stream → table source."""
    found: dict[str, str] = {}
    for route in topology.routes:
        source, target = topology.component(route.source), topology.component(route.target)
        if isinstance(source, ir.Source) and source.kind == "dynamodb" and isinstance(target, ir.Stream):
            found.setdefault(target.name, source.name)
    return found


def hint(ends: tuple[str, str], route: ir.Route) -> str:
    start, end = ends
    text = _HINTS.get(end) or _HINTS.get(start) or "route through a queue, topic or bus that AWS can connect"
    return text.format(source=route.source, target=route.target)
