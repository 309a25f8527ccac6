"""Routes out of emitters: `route_emitter` (app, function, webhook) and `route_schedule`."""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.plan import delivery_settings
from evtc.plan.wire import default_source
from evtc.targets.pulumi_aws.context import Context
from evtc.targets.pulumi_aws.emitters import hops
from evtc.targets.pulumi_aws.emitters.sources import schedule_expression
from evtc.targets.pulumi_aws.facts import clamp
from evtc.targets.pulumi_aws.plan import Json, Ref


def principal_of(ctx: Context, emitter: str) -> str:
    """The identity that publishes for `emitter`: an app's managed policy or a function's role."""
    source = ctx.component(emitter)
    if isinstance(source, ir.Source) and source.kind == "app":
        return ctx.of(emitter)
    return ctx.of(emitter, "role")


def route_emitter(ctx: Context, route: ir.Route) -> None:
    """Permission for exactly the declared events on exactly this first hop, and the hop's
    address in the emitter's environment (or, for an app, in the stack outputs)."""
    events = hops.events_on(ctx, route)
    hops.publish_to(ctx, principal_of(ctx, route.source), route)
    record = hops.hop_record(ctx, route)
    for event in events:
        ctx.env(route.source, event, record)
    if isinstance(ctx.component(route.target), ir.Function):
        hops.async_invoke(ctx, route.target)


def route_schedule(ctx: Context, route: ir.Route) -> None:
    """An EventBridge Scheduler schedule that puts one envelope per firing onto the hop."""
    source = ctx.component(route.source)
    assert isinstance(source, ir.Source)
    more = hops.suffix(ctx, route)  # NOTE: a schedule per route, as each fires on its own
    name = ctx.physical(f"{route.source}-{route.target}{more}", "scheduler")
    role = _scheduler_role(ctx, route, name.template)
    events = hops.events_on(ctx, route)
    hops.publish_to(ctx, role, route)
    carriage = ctx.carriage(route)
    dead_letter = carriage.delivery.dead_letter
    if dead_letter:
        ctx.grant(role, ["sqs:SendMessage"], [Ref(ctx.of(dead_letter), "arn")])
        ctx.use_key(role, dead_letter)
    target: dict[str, Any] = {
        "arn": hops.arn(ctx, route.target),
        "role_arn": Ref(role, "arn"),
        "input": Json(_envelope(ctx, route, events)),
    }
    target |= _target_parameters(ctx, route, events)
    target |= _retry_policy(ctx, route)
    if dead_letter:
        target["dead_letter_config"] = {"arn": Ref(ctx.of(dead_letter), "arn")}
    if isinstance(ctx.component(route.target), ir.Function):
        hops.async_invoke(ctx, route.target)  # NOTE: Scheduler invokes Lambda asynchronously
    args = {
        "name": name,
        "schedule_expression": schedule_expression(source),
        "flexible_time_window": {"mode": "OFF"},
        "target": target,
    }
    var = ctx.var("schedule", route.source, route.target, *ctx.nth(route))
    ctx.add(
        var,
        "scheduler.Schedule",
        f"{route.source}-{route.target}{more}",
        args,
        route.source,
        depends_on=(ctx.sub(role, "policy"),),
    )
    ctx.outputs(route.source, schedule_arns={f"{route.target}{more}": Ref(var, "arn")})


def _retry_policy(ctx: Context, route: ir.Route) -> dict[str, Any]:
    """Scheduler's own retries cover delivery; into a function the route's plain settings are
    Lambda's asynchronous-invocation configuration and its `delivery_` ones Scheduler's
    (`evtc.plan.delivery_settings` says which)."""
    carriage = ctx.carriage(route)
    retries, max_age = delivery_settings(route, carriage.carrier, carriage.ends)
    policy: dict[str, Any] = {}
    if retries is not None:
        policy["maximum_retry_attempts"] = clamp(retries, "eventbridge.retries")
    if max_age is not None:
        policy["maximum_event_age_in_seconds"] = clamp(max_age, "eventbridge.max_age")
    return {"retry_policy": policy} if policy else {}


def _scheduler_role(ctx: Context, route: ir.Route, name: str) -> str:
    more = hops.suffix(ctx, route)
    var = ctx.var("schedule", route.source, route.target, *ctx.nth(route), "role")
    label = f"{route.source}-{route.target}{more}"
    source_arn = ctx.arn("scheduler", f"schedule/default/{name}")
    physical = ctx.physical(label, "iam", "-role")
    return ctx.service_role(var, f"{label}-role", physical, "scheduler.amazonaws.com", source_arn, route.source)


def _envelope(ctx: Context, route: ir.Route, events: list[str]) -> dict[str, Any]:
    # NOTE: Scheduler fills <aws.scheduler.*> placeholders at each firing.
    return {
        "specversion": "1.0",
        "id": "<aws.scheduler.execution-id>",
        "source": f"evtc://{ctx.topology.name}/{route.source}",
        "type": events[0] if events else route.event or "",
        "time": "<aws.scheduler.scheduled-time>",
        "recordedtime": "<aws.scheduler.scheduled-time>",
        "datacontenttype": "application/json",
        "data": {},
    }


EXECUTION = "<aws.scheduler.execution-id>"  # new at each firing: a random key


def _target_parameters(ctx: Context, route: ir.Route, events: list[str]) -> dict[str, Any]:
    target = ctx.component(route.target)
    if isinstance(target, ir.Queue) and target.fifo:
        return {"sqs_parameters": {"message_group_id": hops.static_key(target, route.source, EXECUTION)}}
    if isinstance(target, ir.Stream):
        return {"kinesis_parameters": {"partition_key": hops.static_key(target, route.source, EXECUTION)}}
    if isinstance(target, ir.Bus):  # NOTE: the names the delivery plan gives a schedule's events (evtc.plan.wire)
        names = hops.wire_names(ctx, route)
        detail_type = names[0].detail_type if names else (events[0] if events else "")
        origin = names[0].source if names else default_source(ctx.topology)
        return {"eventbridge_parameters": {"detail_type": detail_type, "source": origin}}
    return {}
