"""Routes out of stores, which AWS polls: Lambda event source mappings and EventBridge Pipes.

`route_<store>_function` is a mapping; `route_<store>` (any other target) is a Pipe.
"""

from __future__ import annotations

import json
from typing import Any

from evtc import ir
from evtc.envelope import CHANGES_ENV
from evtc.plan.changes import table_of
from evtc.plan.wire import default_source
from evtc.targets.pulumi_aws import filtering
from evtc.targets.pulumi_aws.context import BuildError, Context
from evtc.targets.pulumi_aws.emitters import accounts, external, hops
from evtc.targets.pulumi_aws.emitters.functions import lambda_function
from evtc.targets.pulumi_aws.facts import clamp
from evtc.targets.pulumi_aws.plan import Ref

ENVELOPE_HANDLER = "evtc.targets.pulumi_aws.runtime.aws_runtime.table_stream_envelopes"
ENVELOPE_AT = {"queue": "$.body", "stream": "$.data", "table_stream": "$"}  # after enrichment
BODY = {"queue": "<$.body>", "stream": "<$.data>"}  # NOTE: Pipes parses these as JSON implicitly


def route_queue_function(ctx: Context, route: ir.Route) -> None:
    if not ctx.leads(route):
        return  # NOTE: AWS keeps one event source mapping per queue and function; the first route writes it
    args = _mapping(ctx, route, "queue")
    queue, function = ctx.component(route.source), ctx.component(route.target)
    assert isinstance(queue, ir.Queue) and isinstance(function, ir.Function)
    if function.concurrency and function.concurrency >= 2:
        args["scaling_config"] = {"maximum_concurrency": min(function.concurrency, 1000)}
    _add_mapping(ctx, route, args)


def route_stream_function(ctx: Context, route: ir.Route) -> None:
    if not ctx.leads(route):
        return
    _add_mapping(ctx, route, _mapping(ctx, route, "stream") | _stream_failures(ctx, route, "function"))


def route_table_stream_function(ctx: Context, route: ir.Route) -> None:
    if not ctx.leads(route):
        return
    # NOTE: a change record does not say which event it is; evtc.envelope.records reads this.
    events = hops.events_on(ctx, route)
    ctx.functions[ctx.of(route.target)].setdefault("env", {}).update(_change_env(ctx, route, events))
    _add_mapping(ctx, route, _mapping(ctx, route, "table_stream") | _stream_failures(ctx, route, "function"))


def _mapping(ctx: Context, route: ir.Route, source: str) -> dict[str, Any]:
    args: dict[str, Any] = {
        "event_source_arn": hops.arn(ctx, route.source),
        "function_name": _function_arn(ctx, route.target),
        "function_response_types": ["ReportBatchItemFailures"],
    }
    if route.batch_size is not None:
        args["batch_size"] = route.batch_size
    if route.batching_window is not None:
        args["maximum_batching_window_in_seconds"] = int(route.batching_window)
    pattern = ctx.shared_filter(route)
    if pattern is not None:
        args["filter_criteria"] = filtering.criteria(pattern)
    hops.grant_read(ctx, ctx.of(route.target, "role"), route.source)
    return args


def _stream_failures(ctx: Context, route: ir.Route, consumer: str) -> dict[str, Any]:
    """Retries, record age, bisection and the on-failure destination of a stream poller."""
    args: dict[str, Any] = {"starting_position": "TRIM_HORIZON" if route.start == "trim_horizon" else "LATEST"}
    args["maximum_retry_attempts"] = route.retries if route.retries is not None else -1
    args["maximum_record_age_in_seconds"] = clamp(route.max_age, "stream.max_age") if route.max_age else -1
    if consumer == "function":
        args["bisect_batch_on_function_error"] = route.bisect
        if route.dead_letter:
            args["destination_config"] = {"on_failure": {"destination_arn": hops.dead_letter_arn(ctx, route)}}
            hops.send_dead_letters(ctx, ctx.of(route.target, "role"), route)
    return args


def _add_mapping(ctx: Context, route: ir.Route, args: dict[str, Any]) -> None:
    if accounts.owes(ctx, route, "event source mapping"):
        # NOTE: a mapping lives in its function's account: the function's owner creates it
        accounts.owe(ctx, route, "event source mapping", **args)
        return
    var = ctx.var("mapping", route.source, route.target)
    depends = (ctx.of(route.target, "role", "policy"),)  # NOTE: Lambda checks the role on create
    ctx.add(
        var, "lambda_.EventSourceMapping", f"{route.source}-to-{route.target}", args, route.target, depends_on=depends
    )


route_dynamodb_function = route_table_stream_function  # a mapping on the table's own change stream


# ---- Pipes: a store feeding a router or another store --------------------------------------
def route_queue(ctx: Context, route: ir.Route) -> None:
    _pipe(ctx, route, "queue")


def route_stream(ctx: Context, route: ir.Route) -> None:
    _pipe(ctx, route, "stream")


def route_table_stream(ctx: Context, route: ir.Route) -> None:
    _pipe(ctx, route, "table_stream")


def _pipe(ctx: Context, route: ir.Route, source: str) -> None:
    if not ctx.leads(route):
        return  # NOTE: one pipe per store and target, with the routes' merged filter (as a mapping)
    target = ctx.component(route.target)
    if isinstance(target, ir.Topic) and target.fifo:
        # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-event-target.html
        raise BuildError(f"route {route.source} -> {route.target}: EventBridge Pipes cannot deliver to a FIFO topic")
    name = ctx.physical(f"{route.source}-{route.target}", "pipes")
    role = _pipe_role(ctx, route, name.template)
    hops.grant_read(ctx, role, route.source)
    hops.publish_to(ctx, role, route)
    args: dict[str, Any] = {
        "name": name,
        "role_arn": Ref(role, "arn"),
        "source": hops.arn(ctx, route.source),
        "target": hops.arn(ctx, route.target),
        "source_parameters": _pipe_source(ctx, route, source, role),
        "target_parameters": _pipe_target(ctx, route, source),
    }
    if source == "table_stream":
        args["enrichment"] = _envelope_function(ctx, route, role)
    var = ctx.var("pipe", route.source, route.target)
    ctx.add(
        var,
        "pipes.Pipe",
        f"{route.source}-to-{route.target}",
        args,
        route.source,
        depends_on=(ctx.sub(role, "policy"),),
    )


def _envelope_function(ctx: Context, route: ir.Route, role: str) -> Any:
    """Pipes cannot turn DynamoDB's typed images into plain JSON; this function builds the
    envelope of each change record (evtc.targets.pulumi_aws.runtime.aws_runtime.table_stream_envelopes)."""
    var = lambda_function(ctx, route.source, ENVELOPE_HANDLER, helper="envelope")
    events = hops.events_on(ctx, route)
    ctx.functions[var]["env"] = _change_env(ctx, route, events)
    arn = hops.function_arn(ctx, f"{route.source}-envelope")
    ctx.grant(role, ["lambda:InvokeFunction"], [arn])
    return arn


def _pipe_role(ctx: Context, route: ir.Route, name: str) -> str:
    var, label = ctx.var("pipe", route.source, route.target, "role"), f"{route.source}-{route.target}"
    physical = ctx.physical(label, "iam", "-pipe")
    source_arn = ctx.arn("pipes", f"pipe/{name}")
    return ctx.service_role(var, f"{label}-pipe-role", physical, "pipes.amazonaws.com", source_arn, route.source)


def _pipe_source(ctx: Context, route: ir.Route, source: str, role: str) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if route.batch_size is not None:
        params["batch_size"] = route.batch_size
    if route.batching_window is not None:
        params["maximum_batching_window_in_seconds"] = int(route.batching_window)
    if source != "queue":
        params |= _stream_failures(ctx, route, "pipe")
        if route.dead_letter:
            params["dead_letter_config"] = {"arn": hops.dead_letter_arn(ctx, route)}
            hops.send_dead_letters(ctx, role, route)
    key = {
        "queue": "sqs_queue_parameters",
        "stream": "kinesis_stream_parameters",
        "table_stream": "dynamodb_stream_parameters",
    }[source]
    result: dict[str, Any] = {key: params}
    pattern = ctx.shared_filter(route)
    if pattern is not None:
        result["filter_criteria"] = filtering.criteria(pattern)
    return result


def _pipe_target(ctx: Context, route: ir.Route, source: str) -> dict[str, Any]:
    target = ctx.component(route.target)
    params: dict[str, Any] = {}
    if source in BODY:
        params["input_template"] = BODY[source]
    if isinstance(target, ir.Bus):
        # NOTE: the names the plan gives the events (evtc.plan.wire): one event type its
        # detail-type; several, the envelope's `type` (their names then; LIM010 otherwise)
        names = hops.wire_names(ctx, route)
        detail_type = names[0].detail_type if len(names) == 1 else f"{ENVELOPE_AT[source]}.type"
        origin = names[0].source if names else default_source(ctx.topology)
        params["eventbridge_event_bus_parameters"] = {"detail_type": detail_type, "source": origin}
    elif isinstance(target, ir.Queue) and target.fifo:
        # NOTE: a dynamic path into the envelope keeps per-key order; no key: one group.
        group = f"{ENVELOPE_AT[source]}.data.{target.group_by}" if target.group_by else route.source
        group = hops.static_key(target, group, f"{ENVELOPE_AT[source]}.id")
        params["sqs_queue_parameters"] = {"message_group_id": group}
    elif isinstance(target, ir.Stream):
        key = hops.static_key(target, f"{ENVELOPE_AT[source]}.partitionkey", f"{ENVELOPE_AT[source]}.id")
        params["kinesis_stream_parameters"] = {"partition_key": key}
    return params


def _function_arn(ctx: Context, name: str) -> Any:
    function = ctx.component(name)
    return external.arn_of(ctx, function) if function.external else Ref(ctx.of(name), "arn")


def _change_env(ctx: Context, route: ir.Route, events: list[str]) -> dict[str, str]:
    """What types a change record: `EVTC_EVENT`, and `EVTC_CHANGES` (eventName -> event type)
    when the table binds its types to change kinds (evtc.plan.changes)."""
    env = {"EVTC_EVENT": events[0] if events else ""}
    table = table_of(ctx.topology, route)
    if table is not None and table.change_kinds:
        env[CHANGES_ENV] = json.dumps({kind: event for event, kind in reversed(table.change_kinds)}, sort_keys=True)
    return env
