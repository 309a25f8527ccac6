"""AWS bindings of the AsyncAPI channels and operations.

SNS and SQS have official AsyncAPI bindings (sns 0.1.0, sqs 0.2.0); EventBridge and
Kinesis have none, so their settings are the extensions `x-eventbridge` and `x-kinesis`.
Carriers and filters are the delivery plan's (`evtc.plan`: what `evtc build` deploys and
`evtc filters` prints): a shared subscription or mapping shows its merged filter. Nothing
is recompiled here.
"""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.graph import TopologyGraph
from evtc.plan import RoutePlan, plan_of

SNS_VERSION = "0.1.0"
SQS_VERSION = "0.2.0"
# NOTE: SNS delivers the raw body to queues and https endpoints (evtc's envelope as sent);
# Lambda and e-mail subscribers get SNS's JSON wrapper. The pulumi-aws target subscribes the
# same way (targets/pulumi_aws/emitters/fanout.py); tests/export cross-checks the two.
RAW_PROTOCOLS = ("sqs", "https")


def channel_bindings(component: ir.Component) -> dict[str, Any]:
    if isinstance(component, ir.Topic):
        ordering: dict[str, Any] = {"type": "FIFO" if component.fifo else "standard"}
        if component.fifo:
            ordering["contentBasedDeduplication"] = component.content_dedup
        return {"sns": {"name": component.name, "ordering": ordering, "bindingVersion": SNS_VERSION}}
    if isinstance(component, ir.Queue):
        return {"sqs": {"queue": sqs_queue(component), "bindingVersion": SQS_VERSION}}
    if isinstance(component, ir.Bus):
        bus: dict[str, Any] = {"eventBusName": component.name, "encrypted": component.encrypted}
        if component.archive is not None:
            bus["archiveRetentionDays"] = round(component.archive / 86400)
        return {"x-eventbridge": bus}
    if isinstance(component, ir.Stream):
        stream: dict[str, Any] = {
            "streamName": component.name,
            "shardCount": component.shards,
            "retentionPeriodHours": round(component.retention / 3600),
            "encrypted": component.encrypted,
        }
        if component.partition_key:
            stream["partitionKey"] = component.partition_key
        return {"x-kinesis": stream}
    return {}


def sqs_queue(queue: ir.Queue) -> dict[str, Any]:
    found: dict[str, Any] = {
        "name": queue.name,
        "fifoQueue": queue.fifo,
        "deliveryDelay": int(queue.delay),
        "visibilityTimeout": int(queue.visibility_timeout),
        "messageRetentionPeriod": int(queue.retention),
    }
    if queue.dead_letter:
        redrive: dict[str, Any] = {"deadLetterQueue": {"name": queue.dead_letter}}
        if queue.max_receives is not None:
            redrive["maxReceiveCount"] = queue.max_receives
        found["redrivePolicy"] = redrive
    return found


def operation_bindings(graph: TopologyGraph, route: ir.Route) -> dict[str, Any]:
    """How the route's hop takes events off its channel, as the delivery plan carries it,
    with the filter it deploys (a shared subscription's or mapping's merged filter)."""
    delivery = plan_of(graph)
    carriage = delivery.of(route)
    if carriage is None:
        return {}
    shared = delivery.resource_of(route)
    deployed = shared.artefact if shared is not None else carriage.filter
    t = graph.topology
    channel, target = t.component(route.source), t.component(route.target)
    if carriage.carrier == "sns-subscription" and isinstance(target, (ir.Queue, ir.Function, ir.Endpoint)):
        return {"sns": _sns_consumer(carriage, target, deployed)}
    if carriage.carrier == "eventbridge-rule" and channel is not None:
        rule: dict[str, Any] = {"eventBusName": channel.name, "detailType": sorted(graph_events(graph, route))}
        if deployed:
            rule["eventPattern"] = deployed
        return {"x-eventbridge": rule}
    if carriage.carrier == "pipe":
        pipe: dict[str, Any] = {"source": route.source, "target": route.target}
        if deployed:
            pipe["filterCriteria"] = deployed
        return {"x-pipes": pipe}
    if carriage.carrier != "esm":
        return {}
    mapping: dict[str, Any] = {"batchSize": route.batch_size} if route.batch_size else {}
    if deployed:
        mapping["filterCriteria"] = deployed
    if isinstance(channel, ir.Queue):
        queue = {"name": channel.name, "fifoQueue": channel.fifo}
        return {"sqs": {"queues": [queue], "bindingVersion": SQS_VERSION}, **({"x-lambda": mapping} if mapping else {})}
    if isinstance(channel, ir.Stream):
        return {"x-kinesis": {"streamName": channel.name, "startingPosition": route.start.upper(), **mapping}}
    return {}


def _fits_binding(value: Any) -> bool:
    return isinstance(value, (str, dict)) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def graph_events(graph: TopologyGraph, route: ir.Route) -> set[str]:
    return {event for _, event in graph.carried.get(route.id, ())}


def _sns_consumer(carriage: RoutePlan, target: ir.Component, artefact: dict[str, Any] | None) -> dict[str, Any]:
    if isinstance(target, ir.Endpoint):
        protocol = target.kind
        endpoint = {"email": target.address} if target.kind == "email" else {"url": target.url}
    else:
        protocol = "sqs" if isinstance(target, ir.Queue) else "lambda"
        endpoint = {"name": target.name}
    consumer: dict[str, Any] = {
        "protocol": protocol,
        "endpoint": endpoint,
        "rawMessageDelivery": protocol in RAW_PROTOCOLS,
    }
    if artefact:
        # NOTE: binding 0.1.0's schema takes a top-level value only as a string, a list of
        # strings or an object; an attribute-scope condition (`[{"numeric": …}]`) goes to an
        # extension, so the document stays valid and still says what is deployed
        key = "filterPolicy" if all(_fits_binding(v) for v in artefact.values()) else "x-evtc-filterPolicy"
        consumer |= {key: artefact, "filterPolicyScope": carriage.scope}
    if carriage.delivery.dead_letter:
        consumer["redrivePolicy"] = {"deadLetterQueue": {"name": carriage.delivery.dead_letter}}
    return {"consumers": [consumer], "bindingVersion": SNS_VERSION}
