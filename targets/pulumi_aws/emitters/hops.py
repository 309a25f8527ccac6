"""What every route emitter needs about the two ends of a hop: ARNs, grants, filters."""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.plan.attributes import attribute_types
from evtc.plan.wire import PAYLOAD, WireName, default_source, static_types
from evtc.targets.pulumi_aws import filtering
from evtc.targets.pulumi_aws.context import BuildError, Context
from evtc.targets.pulumi_aws.emitters import external
from evtc.targets.pulumi_aws.facts import clamp
from evtc.targets.pulumi_aws.plan import Fmt, Ref

PUBLISH = {
    "queue": ["sqs:SendMessage"],
    "stream": ["kinesis:PutRecord", "kinesis:PutRecords"],
    "topic": ["sns:Publish"],
    "bus": ["events:PutEvents"],
    "function": ["lambda:InvokeFunction"],
}
READ = {
    "queue": ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
    "stream": [
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:ListShards",
    ],
    "table_stream": [
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
    ],
}


def kind(ctx: Context, name: str) -> str:
    """The hop kind of a component: its keyword, with a table's change stream told apart."""
    component = ctx.component(name)
    if isinstance(component, ir.Stream) and name in ctx.table_streams:
        return "table_stream"
    if isinstance(component, ir.Source) and component.kind == "dynamodb":
        return "table_stream"  # NOTE: read from, a table is its change stream
    return component.keyword


def arn(ctx: Context, name: str) -> Any:
    component = ctx.component(name)
    if component.external:
        return external.arn_of(ctx, component)
    if isinstance(component, ir.Stream) and name in ctx.table_streams:
        return Ref(ctx.of(ctx.table_streams[name]), "stream_arn")
    if isinstance(component, ir.Source) and component.kind == "dynamodb":
        return Ref(ctx.of(name), "stream_arn")
    if isinstance(component, ir.Function):
        # NOTE: built from the name, so functions that feed each other form no reference cycle.
        return function_arn(ctx, name)
    return Ref(ctx.of(name), "arn")


def function_arn(ctx: Context, name: str) -> Fmt:
    return ctx.arn("lambda", "function:" + ctx.physical(name, "lambda").template)


def grant_publish(
    ctx: Context, principal: str, target: str, events: list[str] | None, sources: list[str] | None = None
) -> None:
    """`principal` may put `events` into `target`, and nothing else; on a bus, `events` are
    the detail-types and `sources` the EventBridge sources it may put them with."""
    hop = kind(ctx, target)
    if hop not in PUBLISH:
        raise BuildError(f"cannot publish into {hop} '{target}'")
    condition = None
    if hop == "bus":
        types = {"events:detail-type": sorted(events)} if events is not None else {}
        condition = {"StringEquals": {**types, **_sources(sources)}}
    ctx.grant(principal, PUBLISH[hop], [arn(ctx, target)], condition)
    if hop != "bus":
        ctx.use_key(principal, target)


def _sources(sources: list[str] | None) -> dict[str, list[str]]:
    return {"events:source": sorted(sources)} if sources else {}


def publish_to(ctx: Context, principal: str, route: ir.Route) -> None:
    """`principal` may put the route's events onto its first hop: on a bus with their wire names."""
    if kind(ctx, route.target) == "bus":
        grant_publish(ctx, principal, route.target, wire_types(ctx, route), wire_sources(ctx, route))
    else:
        grant_publish(ctx, principal, route.target, events_on(ctx, route))


def grant_read(ctx: Context, principal: str, source: str) -> None:
    hop = kind(ctx, source)
    ctx.grant(principal, READ[hop], [arn(ctx, source)])
    if ctx.encrypted(source):
        ctx.grant(principal, ["kms:Decrypt"], [ctx.key()])


def events_on(ctx: Context, route: ir.Route) -> list[str]:
    """The event types this route carries, sorted; over all its routes when it lands on a
    resource it shares with others (one subscription, mapping or pipe carries them all)."""
    shared = ctx.delivery.resource_of(route) if ctx.delivery else None
    ids = shared.routes if shared is not None else (route.id,)
    return sorted({event for rid in ids for _, event in ctx.graph.carried.get(rid, ())})


def wire_names(ctx: Context, route: ir.Route) -> list[WireName]:
    """The `source` and `detail-type` of each event the route carries on EventBridge, as the
    delivery plan names them (`evtc.plan.wire`); over all its routes on a shared resource."""
    shared = ctx.delivery.resource_of(route) if ctx.delivery else None
    ids = shared.routes if shared is not None else (route.id,)
    found = {name for rid in ids for name in (ctx.delivery.routes[rid].names if ctx.delivery else ())}
    return sorted(found, key=lambda n: (n.source, n.detail_type))


def wire_types(ctx: Context, route: ir.Route) -> list[str] | None:
    """The `detail-type`s the route's events carry on EventBridge (None: one is taken from
    its payload, so there is no list to match or admit)."""
    return static_types(wire_names(ctx, route))


def wire_sources(ctx: Context, route: ir.Route) -> list[str]:
    """The EventBridge `source`s the route's events carry."""
    return sorted({n.source for n in wire_names(ctx, route)})


def hop_record(ctx: Context, route: ir.Route) -> dict[str, Any]:
    """What the emitting runtime needs to put an event onto the route's first hop."""
    target = ctx.component(route.target)
    record: dict[str, Any] = {"kind": target.keyword, "arn": arn(ctx, route.target)}
    if isinstance(target, ir.Queue):
        url = external.url_of(ctx, target) if target.external else Ref(ctx.of(target.name), "url")
        record |= {"url": url, "fifo": target.fifo, "key": target.group_by, **key_record(target)}
    elif isinstance(target, ir.Stream):
        record |= {"key": target.partition_key, **key_record(target)}
    elif isinstance(target, ir.Topic):
        record["fifo"] = target.fifo
        attributes = {e: attribute_types(ctx.topology.event(e)) for e in events_on(ctx, route) if ctx.topology.event(e)}
        if any(attributes.values()):  # NOTE: the `@attribute` fields the runtime sets on Publish
            record["attributes"] = {e: spec for e, spec in attributes.items() if spec}
    elif isinstance(target, ir.Bus):  # NOTE: what `aws_runtime` puts as Source and DetailType (evtc.plan.wire)
        names = {
            event: ctx.delivery.name_of(route.source, event) if ctx.delivery else None
            for event in events_on(ctx, route)
        }
        found = {event: name for event, name in names.items() if name is not None}
        record["source"] = next(iter(found.values())).source if found else default_source(ctx.topology)
        record["detail_types"] = {event: name.detail_type for event, name in found.items() if not name.type_field}
        fields = {event: name.type_field for event, name in found.items() if name.type_field}
        if fields:  # NOTE: the runtime reads each event's detail-type from this payload field
            record["type_fields"] = fields
    if ctx.carriage(route).wire == PAYLOAD:
        record["wire"] = PAYLOAD
    pattern = filtering.hop_filter(ctx, route)
    if pattern is not None:
        record["filter"] = pattern
    return record


def key_record(target: ir.Queue | ir.Stream) -> dict[str, Any]:
    """A key that is not a field: `constant` (every record one shard or group), `random`."""
    if target.key_constant is not None:
        return {"constant": target.key_constant}
    return {"random": True} if target.key_random else {}


def static_key(target: ir.Queue | ir.Stream, fallback: str, unique: str) -> str:
    """The key a service puts with, where it takes a static value or a path: the constant,
    `unique` (a path to something new per record) for `random`, else `fallback`."""
    if target.key_constant is not None:
        return target.key_constant
    return unique if target.key_random else fallback


def dead_letter_arn(ctx: Context, route: ir.Route) -> Ref | None:
    # NOTE: a dead letter may be a queue or a topic; its ARN and grant follow its kind.
    return Ref(ctx.of(route.dead_letter), "arn") if route.dead_letter else None


def send_dead_letters(ctx: Context, principal: str, route: ir.Route) -> None:
    if route.dead_letter:
        grant_publish(ctx, principal, route.dead_letter, [])


def admit_service(ctx: Context, target: str, service: str, source_arn: Any) -> None:
    """A queue or topic accepts `service`'s deliveries on behalf of `source_arn` only."""
    hop = kind(ctx, target)
    action = {"queue": "sqs:SendMessage", "topic": "sns:Publish"}[hop]
    ctx.admit(ctx.of(target), service, action, arn(ctx, target), source_arn)
    if ctx.encrypted(target):
        ctx.key_user(service, source_arn)


def async_invoke(ctx: Context, function: str) -> None:
    """Retries and the on-failure destination of an asynchronously invoked function: Lambda
    keeps one such configuration per function, written from the route that sets it (the
    delivery plan reports routes that disagree, LIM011)."""
    if ctx.component(function).external:
        return  # NOTE: its retries and on-failure destination are its owner's to configure
    var = ctx.of(function, "async")
    shared = ctx.delivery.shared.get(f"async:{function}") if ctx.delivery else None
    routes = [ctx.delivery.routes[r].route for r in shared.routes] if ctx.delivery and shared else []
    setters = [r for r in routes if r.retries is not None or r.max_age is not None or r.dead_letter]
    if not setters or ctx.has(var):
        return
    route = setters[0]
    args: dict[str, Any] = {"function_name": Ref(ctx.of(function), "name")}
    if route.retries is not None:
        args["maximum_retry_attempts"] = clamp(route.retries, "lambda.async_retries")
    if route.max_age is not None:
        args["maximum_event_age_in_seconds"] = clamp(route.max_age, "lambda.async_max_age")
    if route.dead_letter:
        args["destination_config"] = {"on_failure": {"destination": dead_letter_arn(ctx, route)}}
        send_dead_letters(ctx, ctx.of(function, "role"), route)
    ctx.add(
        var,
        "lambda_.FunctionEventInvokeConfig",
        f"{function}-async",
        args,
        function,
        depends_on=(ctx.of(function, "role", "policy"),),
    )


def suffix(ctx: Context, route: ir.Route) -> str:
    """`-2`, `-3`… (in names; `ctx.nth` in variables) for the second and later routes AWS
    carries with resources of their own between the same two components (EventBridge rules,
    pipes, schedules). NOTE: a `-`, which no component name has, keeps names injective."""
    ordinal = ctx.carriage(route).ordinal
    return f"-{ordinal}" if ordinal > 1 else ""


def allow_invoke(ctx: Context, route: ir.Route, principal: str, source_arn: Any) -> None:
    """A Lambda permission for one service, on behalf of one exact resource."""
    target = ctx.component(route.target)
    if target.external:
        # NOTE: a permission on a function owned elsewhere is its owner's to add (finish outputs it)
        ctx.admit(ctx.of(route.target), principal, "lambda:InvokeFunction", arn(ctx, route.target), source_arn)
        return
    var = ctx.of(route.target, "from", route.source, *ctx.nth(route))
    args = {
        "action": "lambda:InvokeFunction",
        "function": Ref(ctx.of(route.target), "name"),
        "principal": principal,
        "source_arn": source_arn,
    }
    ctx.add(var, "lambda_.Permission", f"{route.target}-from-{route.source}{suffix(ctx, route)}", args, route.target)
