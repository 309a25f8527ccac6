"""Components owned elsewhere (`KEYWORD NAME: external`): referenced, never created.

A component named by `name:` (or by its own NAME) lives in this account and region, and is
looked up at deploy time with the service's data source, so `pulumi up` stops before
creating anything when it does not exist. One named by `arn:` may live in another account,
where no lookup reaches; its ARN is used as written. Nothing here is ever created, updated
or deleted: resource policies on them are owed by their owner (see `finish`), because SQS
and SNS keep one policy per queue or topic and writing ours would replace theirs.
"""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.plan.foreign import DEFAULT_BUS, bus_of
from evtc.targets.pulumi_aws import filtering
from evtc.targets.pulumi_aws.context import Context
from evtc.targets.pulumi_aws.plan import Fmt, Ref

# keyword -> (data source, its name argument, the attribute holding the name)
LOOKUPS: dict[str, tuple[str, str, str]] = {
    "queue": ("sqs.get_queue_output", "name", "name"),
    "topic": ("sns.get_topic_output", "name", "name"),
    "bus": ("cloudwatch.get_event_bus_output", "name", "name"),
    "stream": ("kinesis.get_stream_output", "name", "name"),
    "function": ("lambda_.get_function_output", "function_name", "function_name"),
}


def var_of(ctx: Context, component: ir.Component) -> str:
    return ctx.of(component.name)


def emit_external(ctx: Context, component: ir.Component) -> None:
    """A lookup for one named in this account; nothing for one given by ARN."""
    if isinstance(component, ir.Source):
        return  # NOTE: an external producer is a rule on its bus, written per route (route_foreign)
    if component.arn is None:
        function, key, _ = LOOKUPS[component.keyword]
        ctx.lookup(var_of(ctx, component), function, {key: component.physical_name})
    ctx.outputs(component.name, arn=arn_of(ctx, component), external=True)


def arn_of(ctx: Context, component: ir.Component) -> Any:
    return component.arn if component.arn else Ref(var_of(ctx, component), "arn")


def name_of(ctx: Context, component: ir.Component) -> Any:
    if component.arn:
        return component.physical_name
    return Ref(var_of(ctx, component), LOOKUPS[component.keyword][2])


def url_of(ctx: Context, queue: ir.Queue) -> Any:
    """A queue's URL: looked up, or built from its ARN as SQS forms it."""
    if not queue.arn:
        return Ref(var_of(ctx, queue), "url")
    parts = queue.arn.split(":")
    if len(parts) > 5 and parts[3] and parts[4]:
        return f"https://sqs.{parts[3]}.amazonaws.com/{parts[4]}/{queue.physical_name}"
    return Fmt(f"https://sqs.{{region}}.amazonaws.com/{{account}}/{queue.physical_name}")


def bus_name(ctx: Context, source: ir.Source) -> Any:
    """The bus an external producer's events arrive on, as a rule's `event_bus_name`."""
    name = bus_of(source)
    bus = ctx.topology.component(name) if name != DEFAULT_BUS or source.bus else None
    if bus is None:
        return DEFAULT_BUS
    return bus_ref(ctx, bus) if bus.external else Ref(var_of(ctx, bus), "name")


def bus_ref(ctx: Context, bus: ir.Component) -> Any:
    """How a rule names an external bus: by ARN when given one (EventBridge takes a bus in
    another account by ARN only), else by its name here."""
    return bus.arn if bus.arn else name_of(ctx, bus)


def route_foreign(ctx: Context, route: ir.Route) -> None:
    """A rule on the producer's bus matching its `source` and bound `detail-type`s (the
    delivery plan's pattern), delivering the event in its own shape."""
    from evtc.targets.pulumi_aws.emitters.fanout import add_rule

    source = ctx.component(route.source)
    assert isinstance(source, ir.Source)
    pattern = filtering.hop_filter(ctx, route) or {}
    add_rule(ctx, route, bus_name(ctx, source), pattern, native=True)
