"""What AWS would do with the pulumi-aws target's `Plan`, hop by hop, decided from the
plan's own artefacts (rule patterns and targets, subscription filter policies, mapping
and pipe filter criteria, emitters' hop records) with `evtc.filters`, on the object AWS
matches at each hop. It reads no local-runtime code and no `evtc.filters.routes`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from evtc import ir
from evtc.attributes import message_attributes
from evtc.envelope import to_dynamodb
from evtc.filters import artefact_matcher
from evtc.patterns.engine import compile as compile_pattern
from evtc.patterns.engine import matches
from evtc.targets.pulumi_aws.plan import Fmt, Json, Plan, Ref, Resource, ordered
from evtc.targets.pulumi_aws.runtime.aws_runtime import decode_hops

_PREFIXES = ("queue_", "topic_", "bus_", "stream_", "function_")


@dataclass(frozen=True)
class Hop:
    """One AWS resource that moves events from `source` to `target`, and how it decides."""

    source: str
    target: str
    resource: str  # the plan variable, for messages
    decide: Callable[[Any], bool]
    shape: str  # what AWS matches: envelope | sns | eventbridge | sqs | kinesis | dynamodb | s3
    detail_type: str | None = None  # into a bus: the event's detail-type ("" = the envelope's type)
    event_source: str | None = None  # into a bus: the EventBridge `source` it is put with
    wire: str = "envelope"  # an emitter's hop: `payload` puts the data alone (onto a bus: as `detail`)


Named = tuple[str, str]  # the (source, detail-type) an event carries on a bus
DEFAULT_NAME = "evtc.agree"


def _plain(value: Any) -> Any:
    """Plan values with outputs replaced by stable placeholders (a bucket's name)."""
    if isinstance(value, Json):
        return _plain(value.value)
    if isinstance(value, Ref):
        return f"<{value.var}.{value.attr}>"
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class AwsModel:
    def __init__(self, plan: Plan, topology: ir.Topology) -> None:
        self.topology = topology
        self.resources = [e for e in ordered(plan.entries) if isinstance(e, Resource)]  # NOTE: as rendered
        self.by_var = {r.var: r for r in self.resources}
        self.tables = {
            r.source: r.target
            for r in topology.routes
            if isinstance(topology.component(r.source), ir.Source) and topology.component(r.source).kind == "dynamodb"  # type: ignore[union-attr]
        }
        self.hops: list[Hop] = []
        self.attributes: dict[str, dict[str, dict[str, str]]] = {}  # topic -> event -> the publisher's attributes
        for resource in self.resources:
            reader = getattr(self, f"_{resource.cls}", None)
            if reader is not None:
                reader(resource)
        for name, value in plan.outputs.items():
            hops = value.get("hops") if isinstance(value, dict) else None  # an app's outputs: its first hops
            if isinstance(hops, Json):
                self._emitter(name, decode_hops(hops.value))

    def out_of(self, component: str) -> list[Hop]:
        return [h for h in self.hops if h.source == component]

    # ---- naming: which component an output or ARN belongs to ----------------------------------
    def component_of(self, value: Any) -> str | None:
        if isinstance(value, Ref):
            if value.var.startswith("source_") and value.attr == "stream_arn":
                return self.tables.get(value.var.removeprefix("source_"))
            for prefix in _PREFIXES:
                if value.var.startswith(prefix):
                    return value.var.removeprefix(prefix)
            return None
        if isinstance(value, Fmt) and ":function:" in value.template:
            name = value.template.rsplit(":function:", 1)[1].removeprefix("{prefix}-")
            return self._function_named(name)
        if isinstance(value, str):
            for c in self.topology.components:
                if isinstance(c, ir.Endpoint) and value in (c.address, c.url):
                    return c.name
        return None

    def _function_named(self, physical: str) -> str | None:
        for r in self.resources:
            if r.type == "lambda_.Function" and isinstance(r.args.get("name"), Fmt):
                if r.args["name"].template == "{prefix}-" + physical:
                    return r.var.removeprefix("function_")
        return None

    # ---- resources ------------------------------------------------------------------------------
    def _emitter(self, emitter: str, hops: dict[str, list[dict[str, Any]]]) -> None:
        for event, records in hops.items():
            for record in records:
                target = self.component_of(record["arn"])
                pattern = _plain(record.get("filter"))
                self.attributes.setdefault(str(target), {}).update(record.get("attributes") or {})
                wanted = event

                def decide(envelope: dict[str, Any], pattern: Any = pattern, wanted: str = wanted) -> bool:
                    if envelope["type"] != wanted:
                        return False
                    return not pattern or matches(pattern, envelope, dialect="eventbridge")

                on_bus = record.get("kind") == "bus"  # NOTE: what the runtime puts: the record's names and wire
                self.hops.append(
                    Hop(
                        emitter,
                        str(target),
                        f"{emitter}_hops[{event}]",
                        decide,
                        "envelope",
                        record.get("detail_types", {}).get(event, event) if on_bus else None,
                        record.get("source") if on_bus else None,
                        record.get("wire", "envelope"),
                    )
                )

    def _Function(self, resource: Resource) -> None:  # noqa: N802 - named after the resource class
        variables = (resource.args.get("environment") or {}).get("variables") or {}
        hops = variables.get("EVTC_HOPS")
        if isinstance(hops, Json):
            self._emitter(resource.component, decode_hops(hops.value))

    def _EventTarget(self, resource: Resource) -> None:  # noqa: N802
        rule = self.by_var[resource.args["rule"].var]
        bus = rule.args["event_bus_name"]
        source = "default" if bus == "default" else self.component_of(bus)
        if source == "default":
            source = rule.component  # NOTE: the rules of an s3 source on the default bus
        pattern = _plain(rule.args["event_pattern"])
        decide = artefact_matcher(pattern, "eventbridge")
        self.hops.append(
            Hop(str(source), str(self.component_of(resource.args["arn"])), rule.var, decide, "eventbridge")
        )

    def _TopicSubscription(self, resource: Resource) -> None:  # noqa: N802
        policy = _plain(resource.args.get("filter_policy"))
        source, target = self.component_of(resource.args["topic"]), self.component_of(resource.args["endpoint"])
        if policy and resource.args.get("filter_policy_scope") == "MessageAttributes":
            # NOTE: SNS matches the attributes the publisher set (the emitters' hop records say which)
            check = compile_pattern(policy, dialect="sns", scope="MessageAttributes").matches
            published = self.attributes.setdefault(str(source), {})

            def on_attributes(envelope: dict[str, Any]) -> bool:
                spec = published.get(envelope["type"])
                return check(message_attributes(envelope["type"], envelope.get("data"), spec))

            self.hops.append(Hop(str(source), str(target), resource.var, on_attributes, "envelope"))
            return
        assert resource.args.get("filter_policy_scope", "MessageBody") == "MessageBody" or policy is None
        decide = artefact_matcher(policy, "sns") if policy else _everything
        self.hops.append(Hop(str(source), str(target), resource.var, decide, "sns"))

    def _EventSourceMapping(self, resource: Resource) -> None:  # noqa: N802
        source = str(self.component_of(resource.args["event_source_arn"]))
        target = str(self.component_of(resource.args["function_name"]))
        shape = self._store_shape(source)
        decide = _criteria(resource.args.get("filter_criteria"), shape)
        self.hops.append(Hop(source, target, resource.var, decide, shape))

    def _Pipe(self, resource: Resource) -> None:  # noqa: N802
        source = str(self.component_of(resource.args["source"]))
        target = str(self.component_of(resource.args["target"]))
        shape = self._store_shape(source)
        decide = _criteria(resource.args["source_parameters"].get("filter_criteria"), shape)
        bus = resource.args.get("target_parameters", {}).get("eventbridge_event_bus_parameters")
        detail_type, origin = None, None
        if bus is not None:
            detail_type = "" if str(bus["detail_type"]).startswith("$") else str(bus["detail_type"])
            origin = str(bus["source"])
        self.hops.append(Hop(source, target, resource.var, decide, shape, detail_type, origin))

    def _Schedule(self, resource: Resource) -> None:  # noqa: N802
        target = self.component_of(resource.args["target"]["arn"])
        wanted = resource.args["target"]["input"].value["type"]
        self.hops.append(Hop(resource.component, str(target), resource.var, lambda e: e["type"] == wanted, "envelope"))

    def _store_shape(self, store: str) -> str:
        component = self.topology.component(store)
        if isinstance(component, ir.Queue):
            return "sqs"
        return "dynamodb" if store in self.tables.values() else "kinesis"


def _everything(_: Any) -> bool:
    return True


def _criteria(criteria: dict[str, Any] | None, shape: str) -> Callable[[Any], bool]:
    if not criteria or not criteria.get("filters"):
        return _everything
    filters = {"Filters": [{"Pattern": f["pattern"]} for f in criteria["filters"]]}
    return artefact_matcher(filters, f"esm_{shape}")


# ---- the object AWS matches at a hop, from the envelope it carries ------------------------------
def matched(shape: str, envelope: dict[str, Any], named: Named) -> Any:
    if shape in ("envelope", "sns"):
        return envelope if shape == "envelope" else json.dumps(envelope)  # NOTE: SNS sees the body text
    if shape == "eventbridge":
        if "detail-type" in envelope:
            return envelope  # NOTE: put in its own shape (`wire: payload`): the event is what was put
        return {
            "version": "0",
            "id": "00000000-0000-0000-0000-000000000000",
            "detail-type": named[1],
            "source": named[0],
            "account": "000000000000",
            "time": envelope["time"],
            "region": "us-east-1",
            "resources": [],
            "detail": envelope,
        }
    if shape == "sqs":  # NOTE: Lambda filters on the body parsed, when it is JSON
        return {"messageId": "m1", "body": envelope, "attributes": {}, "eventSource": "aws:sqs"}
    if shape == "kinesis":  # NOTE: Lambda filters on the data decoded and parsed
        return {"partitionKey": envelope.get("partitionkey", ""), "sequenceNumber": "1", "data": envelope}
    data = envelope.get("data") or {}
    return {"eventName": "INSERT", "dynamodb": {"NewImage": {k: to_dynamodb(v) for k, v in data.items()}}}


def onward(hop: Hop, named: Named, envelope: dict[str, Any]) -> tuple[Named, dict[str, Any]]:
    """The names and the body an event moves on with after `hop` (into a store or router)."""
    if hop.detail_type is None:
        return named, envelope
    found = (hop.event_source or named[0], hop.detail_type or envelope["type"])
    if hop.wire != "payload":
        return found, envelope
    native = {"version": "0", "id": envelope["id"], "source": found[0], "detail-type": found[1]}
    return found, {
        **native,
        "account": "000000000000",
        "region": "us-east-1",
        "resources": [],
        "detail": envelope["data"],
    }


def s3_event(bucket_var: str, key: str) -> dict[str, Any]:
    """S3's "Object Created" event on the default bus, as EventBridge matches it."""
    return {
        "version": "0",
        "id": "00000000-0000-0000-0000-000000000001",
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": "000000000000",
        "time": "2026-01-01T00:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": {"bucket": {"name": f"<{bucket_var}.bucket>"}, "object": {"key": key, "size": 1}},
    }
