"""What every route emitter needs about the two ends of a hop: ARNs, grants, filters."""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.targets.pulumi_aws import filtering
from evtc.targets.pulumi_aws.context import BuildError, Context
from evtc.targets.pulumi_aws.facts import clamp, fact
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
    return component.keyword


def arn(ctx: Context, name: str) -> Any:
    component = ctx.component(name)
    if isinstance(component, ir.Stream) and name in ctx.table_streams:
        return Ref(f"source_{ctx.table_streams[name]}", "stream_arn")
    if isinstance(component, ir.Function):
        # NOTE: built from the name, so functions that feed each other form no reference cycle.
        return function_arn(ctx, name)
    return Ref(f"{component.keyword}_{name}", "arn")


def function_arn(ctx: Context, name: str) -> Fmt:
    return ctx.arn("lambda", "function:" + ctx.physical(name, "lambda").template)


def grant_publish(ctx: Context, principal: str, target: str, events: list[str]) -> None:
    """`principal` may put `events` into `target`, and nothing else."""
    hop = kind(ctx, target)
    if hop not in PUBLISH:
        raise BuildError(f"cannot publish into {hop} '{target}'")
    condition = {"StringEquals": {"events:detail-type": sorted(events)}} if hop == "bus" else None
    ctx.grant(principal, PUBLISH[hop], [arn(ctx, target)], condition)
    if hop != "bus":
        ctx.use_key(principal, target)


def grant_read(ctx: Context, principal: str, source: str) -> None:
    hop = kind(ctx, source)
    ctx.grant(principal, READ[hop], [arn(ctx, source)])
    if ctx.encrypted(source):
        ctx.grant(principal, ["kms:Decrypt"], [ctx.key()])


def events_on(ctx: Context, route: ir.Route) -> list[str]:
    """The event types this route carries, sorted."""
    return sorted({event for _, event in ctx.graph.carried.get(route.id, ())})


def hop_record(ctx: Context, route: ir.Route, dialect: str) -> dict[str, Any]:
    """What the emitting runtime needs to put an event onto the route's first hop."""
    target = ctx.component(route.target)
    record: dict[str, Any] = {"kind": target.keyword, "arn": arn(ctx, route.target)}
    if isinstance(target, ir.Queue):
        record |= {"url": Ref(f"queue_{target.name}", "url"), "fifo": target.fifo, "key": target.group_by}
    elif isinstance(target, ir.Stream):
        record["key"] = target.partition_key
    elif isinstance(target, ir.Topic):
        record["fifo"] = target.fifo
    pattern = filtering.hop_filter(ctx, route, dialect)
    if pattern is not None:
        record["filter"] = pattern
    return record


def dead_letter_arn(ctx: Context, route: ir.Route) -> Ref | None:
    return Ref(f"queue_{route.dead_letter}", "arn") if route.dead_letter else None


def send_dead_letters(ctx: Context, principal: str, route: ir.Route) -> None:
    if route.dead_letter:
        ctx.grant(principal, ["sqs:SendMessage"], [dead_letter_arn(ctx, route)])
        ctx.use_key(principal, route.dead_letter)


def admit_service(ctx: Context, target: str, service: str, source_arn: Any) -> None:
    """A queue or topic accepts `service`'s deliveries on behalf of `source_arn` only."""
    hop = kind(ctx, target)
    action = {"queue": "sqs:SendMessage", "topic": "sns:Publish"}[hop]
    ctx.admit(f"{hop}_{target}", service, action, arn(ctx, target), source_arn)
    if ctx.encrypted(target):
        ctx.key_user(service, source_arn)


def async_invoke(ctx: Context, route: ir.Route, function: str) -> None:
    """Retries and the on-failure destination of an asynchronously invoked function."""
    if route.retries is None and route.max_age is None and not route.dead_letter:
        return
    var = f"function_{function}_async"
    if ctx.has(var):
        raise BuildError(
            f"'{function}' is invoked asynchronously by more than one route with failure settings; AWS keeps one per function"
        )
    args: dict[str, Any] = {"function_name": Ref(f"function_{function}", "name")}
    if route.retries is not None:
        args["maximum_retry_attempts"] = min(route.retries, fact("async.retries.max"))
    if route.max_age is not None:
        args["maximum_event_age_in_seconds"] = clamp(route.max_age, "async.max_age.min", "async.max_age.max")
    if route.dead_letter:
        args["destination_config"] = {"on_failure": {"destination": dead_letter_arn(ctx, route)}}
        send_dead_letters(ctx, f"function_{function}_role", route)
    ctx.add(
        var,
        "lambda_.FunctionEventInvokeConfig",
        f"{function}-async",
        args,
        function,
        depends_on=(f"function_{function}_role_policy",),
    )


def allow_invoke(ctx: Context, route: ir.Route, principal: str, source_arn: Any) -> None:
    """A Lambda permission for one service, on behalf of one exact resource."""
    var = f"function_{route.target}_from_{route.source}"
    args = {
        "action": "lambda:InvokeFunction",
        "function": Ref(f"function_{route.target}", "name"),
        "principal": principal,
        "source_arn": source_arn,
    }
    ctx.add(var, "lambda_.Permission", f"{route.target}-from-{route.source}", args, route.target)
