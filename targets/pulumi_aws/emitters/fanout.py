"""Routes out of routers: topic subscriptions (`route_topic_<kind>`) and bus rules
(`route_bus`; `add_rule` also serves the s3 sources' rules on the default bus)."""

from __future__ import annotations

from typing import Any

from evtc import aws, ir
from evtc.plan import delivery_settings
from evtc.plan.wire import PAYLOAD
from evtc.plan.wireproblems import payload_path
from evtc.targets.pulumi_aws import filtering
from evtc.targets.pulumi_aws.context import BuildError, Context
from evtc.targets.pulumi_aws.emitters import accounts, external, hops
from evtc.targets.pulumi_aws.facts import clamp
from evtc.targets.pulumi_aws.plan import Json, Ref

SNS = "sns.amazonaws.com"
EVENTS = "events.amazonaws.com"


# ---- topics ------------------------------------------------------------------------------------
def route_topic_queue(ctx: Context, route: ir.Route) -> None:
    if not ctx.leads(route):
        return  # NOTE: AWS keeps one subscription per topic and endpoint; the first route writes it
    topic = hops.arn(ctx, route.source)
    hops.admit_service(ctx, route.target, SNS, topic)
    _subscribe(ctx, route, "sqs", hops.arn(ctx, route.target), raw=True, after=(ctx.of(route.target, "policy"),))


def route_topic_function(ctx: Context, route: ir.Route) -> None:
    hops.async_invoke(ctx, route.target)
    if not ctx.leads(route):
        return
    topic = hops.arn(ctx, route.source)
    hops.allow_invoke(ctx, route, SNS, topic)
    # NOTE: `dead_letter` is Lambda's on-failure destination here (`hops.async_invoke`); the
    # subscription redrives what SNS could not hand over only to a `delivery_dead_letter`
    _subscribe(ctx, route, "lambda", hops.arn(ctx, route.target), raw=False, after=())


def route_topic_endpoint(ctx: Context, route: ir.Route) -> None:
    if not ctx.leads(route):
        return
    endpoint = ctx.component(route.target)
    assert isinstance(endpoint, ir.Endpoint)
    address = endpoint.address if endpoint.kind == "email" else endpoint.url
    if not address:
        raise BuildError(f"endpoint '{endpoint.name}' has no {'address' if endpoint.kind == 'email' else 'url'}")
    _subscribe(ctx, route, endpoint.kind, address, raw=endpoint.kind == "https", after=())


def _https_policy(retries: int) -> dict[str, Any]:
    """SNS's delivery policy for an https subscription with the route's `retries`, spaced as
    SNS's default policy spaces them (20 s, linear)."""
    count = clamp(retries, "sns.https_retries")
    phases = {"numNoDelayRetries": 0, "numMinDelayRetries": 0, "numMaxDelayRetries": 0, "backoffFunction": "linear"}
    delay = int(aws.default("sns.https_retry_delay"))
    return {"healthyRetryPolicy": {"numRetries": count, "minDelayTarget": delay, "maxDelayTarget": delay, **phases}}


def _subscribe(
    ctx: Context,
    route: ir.Route,
    protocol: str,
    endpoint: Any,
    *,
    raw: bool,
    after: tuple[str, ...],
) -> None:
    topic = hops.arn(ctx, route.source)
    args: dict[str, Any] = {"topic": topic, "protocol": protocol, "endpoint": endpoint}
    if raw:
        args["raw_message_delivery"] = True
    if protocol == "https" and route.retries is not None:
        args["delivery_policy"] = Json(_https_policy(route.retries))
    pattern = ctx.shared_filter(route)
    if pattern is not None:
        args |= {"filter_policy": Json(pattern), "filter_policy_scope": ctx.carriage(route).scope}
    dead_letter = ctx.carriage(route).delivery.dead_letter
    if dead_letter:
        # NOTE: what SNS cannot deliver after its retries lands here, not in the void.
        args["redrive_policy"] = Json({"deadLetterTargetArn": hops.arn(ctx, dead_letter)})
        hops.admit_service(ctx, dead_letter, SNS, topic)
        after = (*after, ctx.of(dead_letter, "policy"))
    if accounts.owes(ctx, route, "subscription"):
        # NOTE: SNS leaves a subscription made from the topic's account to another account's
        # queue unconfirmed: the subscriber's account makes it (the topic admits it to).
        accounts.owe(ctx, route, "subscription", **{k: v.value if isinstance(v, Json) else v for k, v in args.items()})
        return
    var = ctx.var("subscription", route.source, route.target)
    ctx.add(
        var,
        "sns.TopicSubscription",
        f"{route.source}-to-{route.target}",
        args,
        route.source,
        depends_on=tuple(sorted(set(after))),
    )


# ---- buses ---------------------------------------------------------------------------------------
def route_bus(ctx: Context, route: ir.Route) -> None:
    """A rule with the compiled pattern, and one target with retries and a dead letter."""
    source = ctx.component(route.source)
    bus = external.bus_ref(ctx, source) if source.external else Ref(ctx.of(route.source), "name")
    # NOTE: only the events the route carries, by the names their emitters put them with
    pattern: dict[str, Any] = {"source": hops.wire_sources(ctx, route)}
    types = hops.wire_types(ctx, route)
    if types is not None:  # NOTE: a detail-type taken from the payload is not listed (the plan's filter selects)
        pattern["detail-type"] = types
    compiled = filtering.hop_filter(ctx, route)
    if compiled is not None:
        pattern |= {k: v for k, v in compiled.items() if k != "source" and (k != "detail-type" or types is not None)}
    add_rule(ctx, route, bus, pattern, native=ctx.carriage(route).dialect == "eventbridge_native")


def add_rule(
    ctx: Context,
    route: ir.Route,
    bus: Any,
    pattern: dict[str, Any],
    transformer: dict[str, Any] | None = None,
    native: bool = False,
) -> None:
    """A rule on `bus` and its one target: the route's hop, its retries and dead letter.
    `native`: the event is an external producer's, delivered whole (not an envelope)."""
    more = hops.suffix(ctx, route)
    rule_var = ctx.var("rule", route.source, route.target, *ctx.nth(route))
    rule = {
        "name": ctx.physical(f"{route.source}-{route.target}{more.replace('_', '-')}", "events"),
        "event_bus_name": bus,
        "event_pattern": Json(pattern),
    }
    ctx.add(rule_var, "cloudwatch.EventRule", f"{route.source}-to-{route.target}{more}", rule, route.source)
    rule_arn = Ref(rule_var, "arn")
    target: dict[str, Any] = {"rule": Ref(rule_var, "name"), "event_bus_name": bus, "arn": hops.arn(ctx, route.target)}
    target |= _bus_target(ctx, route, rule_arn)
    if native:
        target = _native(ctx, route, target)
    if ctx.carriage(route).wire == PAYLOAD:  # NOTE: the payload alone (evtc.plan.wireproblems)
        target["input_path"] = payload_path(ctx.carriage(route).dialect)
    if transformer is not None:
        target.pop("input_path", None)
        target["input_transformer"] = transformer
    target |= _bus_failures(ctx, route, rule_arn)
    ctx.add(
        ctx.sub(rule_var, "target"),
        "cloudwatch.EventTarget",
        f"{route.source}-to-{route.target}{more}",
        target,
        route.source,
    )


def _bus_target(ctx: Context, route: ir.Route, rule_arn: Ref) -> dict[str, Any]:
    target = ctx.component(route.target)
    if accounts.by_role(ctx, route) and not isinstance(target, (ir.Stream, ir.Bus)):
        # NOTE: a target in another account takes EventBridge's execution role, which its own
        # resource policy admits (owed by its owner; see evtc.plan.accounts)
        role = _events_role(ctx, route, rule_arn)
        shape = {} if isinstance(target, ir.Function) else {"input_path": "$.detail"}
        if isinstance(target, ir.Queue) and target.fifo:
            shape["sqs_target"] = {"message_group_id": route.source}
        return {"role_arn": Ref(role, "arn"), **shape}
    if isinstance(target, ir.Function):
        hops.allow_invoke(ctx, route, EVENTS, rule_arn)
        hops.async_invoke(ctx, route.target)
        return {}  # NOTE: functions get the EventBridge event itself; evtc.records unwraps it
    if isinstance(target, (ir.Queue, ir.Topic)):
        hops.admit_service(ctx, route.target, EVENTS, rule_arn)
        # NOTE: EventBridge takes a static MessageGroupId only: a field or `random` key is one group here
        group = target.key_constant or route.source if isinstance(target, ir.Queue) else ""
        extra = {"sqs_target": {"message_group_id": group}} if isinstance(target, ir.Queue) and target.fifo else {}
        return {"input_path": "$.detail", **extra}
    if isinstance(target, (ir.Stream, ir.Bus)):
        role = _events_role(ctx, route, rule_arn)
        extra = (
            {"kinesis_target": _kinesis_key(target, "$.detail.partitionkey")} if isinstance(target, ir.Stream) else {}
        )
        return (
            {"role_arn": Ref(role, "arn"), "input_path": "$.detail", **extra}
            if extra
            else {"role_arn": Ref(role, "arn")}
        )
    raise BuildError(f"route {route.source} -> {route.target}: a bus cannot deliver to {target.keyword}s")


def _native(ctx: Context, route: ir.Route, target: dict[str, Any]) -> dict[str, Any]:
    """An external producer's event goes on whole, in its own shape: no `$.detail` envelope."""
    target = {k: v for k, v in target.items() if k != "input_path"}
    stream = ctx.component(route.target)
    if isinstance(stream, ir.Stream):
        key = f"$.detail.{stream.partition_key}" if stream.partition_key else "$.id"
        target["kinesis_target"] = _kinesis_key(stream, key)
    return target


def _kinesis_key(stream: ir.Stream, path: str) -> dict[str, Any]:
    """EventBridge's Kinesis target takes a JSON path, no constant: a constant key is the
    event's `source` (one value per producer: one shard); `random` is the default, its id."""
    if stream.key_constant is not None:
        return {"partition_key_path": "$.source"}
    return {"partition_key_path": "$.id" if stream.key_random else path}


def _events_role(ctx: Context, route: ir.Route, rule_arn: Ref) -> str:
    more = hops.suffix(ctx, route)
    var, label = (
        ctx.var("rule", route.source, route.target, *ctx.nth(route), "role"),
        f"{route.source}-{route.target}{more.replace('_', '-')}",
    )
    physical = ctx.physical(label, "iam", "-rule")
    ctx.service_role(var, f"{label}-rule-role", physical, EVENTS, rule_arn, route.source)
    hops.grant_publish(ctx, var, route.target, hops.wire_types(ctx, route), hops.wire_sources(ctx, route))
    return var


def _bus_failures(ctx: Context, route: ir.Route, rule_arn: Ref) -> dict[str, Any]:
    """The target's retry policy and dead letter cover delivery only; into a function the
    route's settings are Lambda's (`hops.async_invoke`), as the delivery plan says."""
    carriage = ctx.carriage(route)
    args: dict[str, Any] = {}
    retry: dict[str, Any] = {}
    retries, max_age = delivery_settings(route, carriage.carrier, carriage.ends)
    if retries is not None:
        retry["maximum_retry_attempts"] = clamp(retries, "eventbridge.retries")
    if max_age is not None:
        retry["maximum_event_age_in_seconds"] = clamp(max_age, "eventbridge.max_age")
    if retry:
        args["retry_policy"] = retry
    dead_letter = carriage.delivery.dead_letter
    if dead_letter:
        args["dead_letter_config"] = {"arn": Ref(ctx.of(dead_letter), "arn")}
        hops.admit_service(ctx, dead_letter, EVENTS, rule_arn)
    return args
