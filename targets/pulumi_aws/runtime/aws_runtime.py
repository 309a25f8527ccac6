"""The Lambda emit backend: `evtc.emit(...)` inside a function deployed by the pulumi-aws target.

The target sets, on every function: `EVTC_TOPOLOGY`, `EVTC_COMPONENT` and, when it emits,
`EVTC_HOPS`: the first hops of each declared event, the only places its role may publish
to, as `[[hop, …], {"EventType": [index, …]}]` (`encode_hops`): each hop once, as
`{"kind", "arn", "url"?, "fifo"?, "key"?, "filter"?, "wire"?, "source"?, "detail_types"?}`,
and each event type the hops it takes by position. NOTE: Lambda allows 4 KB of environment
in all; a hop written once per event type it carries made a function that puts a dozen
named types onto one bus exceed it. The form `{"EventType": [hop, …]}` is read too. An event
the function does not declare has no entry, and emitting it raises. The deployment package
carries the topology's event schemas (`evtc/schemas.json`, what `evtc export jsonschema`
prints; elsewhere the file `EVTC_SCHEMAS` names): data one of them says is invalid raises
`EmitError` before anything is sent, as the local runtime refuses it. A hop with
`"wire": "payload"` takes the event's data alone as its body (no envelope); a bus hop names
the EventBridge `source` and each event's `detail-type` (the delivery plan's, `evtc.plan.wire`).

boto3 is imported lazily: Lambda's Python runtime ships it, evtc does not depend on it.
"""

from __future__ import annotations

import json
import os
import time as clock
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import evtc
from evtc.attributes import message_attributes
from evtc.emit import EmitError, InvalidDataError, UndeclaredEventError
from evtc.envelope import Envelope, parse_time, source_uri
from evtc.schemacheck import Predicate, compile_schema
from evtc.targets.pulumi_aws.runtime.aws_writes import Writer, declared_writes

HOPS_ENV = "EVTC_HOPS"
SCHEMAS_ENV = "EVTC_SCHEMAS"
BUNDLED_SCHEMAS = "schemas.json"  # NOTE: beside evtc's package init in the deployment package

__all__ = ["EmitError", "InvalidDataError", "LambdaBackend", "UndeclaredEventError", "backend"]


class LambdaBackend(Writer):
    def __init__(
        self,
        topology: str,
        component: str,
        hops: Mapping[str, list[dict[str, Any]]],
        client: Callable[[str], Any] | None = None,
        writes: Mapping[str, Mapping[str, Any]] | None = None,
        schemas: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.topology, self.component, self.hops = topology, component, hops
        self.writes = writes or {}
        self._client = client or _boto3_client
        self._clients: dict[str, Any] = {}
        self.schemas = schemas or {}
        self._valid: dict[str, Predicate | None] = {}

    def emit(self, event_type: str, data: Mapping[str, Any], *, time: float | str | None = None) -> str:
        hops = self.hops.get(event_type)
        if hops is None:
            declared = ", ".join(sorted(self.hops)) or "nothing"
            raise UndeclaredEventError(f"'{self.component}' does not emit {event_type} (it declares {declared})")
        self._check(event_type, data)
        now = clock.time()
        at = parse_time(time) if time is not None else now
        event_id = str(uuid.uuid4())
        for hop in hops:
            key = data.get(hop["key"]) if hop.get("key") else hop.get("constant")
            if hop.get("random"):
                key = event_id  # NOTE: a fresh key per record: a random shard, a group of its own
            envelope = Envelope(
                event_id,
                source_uri(self.topology, self.component),
                event_type,
                at,
                now,
                dict(data),
                None if key is None else str(key),
            )
            if _passes(hop, envelope):
                getattr(self, f"_put_{hop['kind']}")(hop, envelope)
        return event_id

    def _check(self, event_type: str, data: Any) -> None:
        if type(data) is not dict and not isinstance(data, Mapping):
            raise InvalidDataError(f"{event_type} data must be a JSON object, not {type(data).__name__}")
        if event_type not in self._valid:
            schema = self.schemas.get(event_type)
            self._valid[event_type] = compile_schema(dict(schema)) if schema is not None else None
        valid = self._valid[event_type]
        if valid is not None and not valid(data if type(data) is dict else dict(data)):
            raise InvalidDataError(
                f"{event_type} data does not match its schema (`evtc export jsonschema` prints it; "
                "the local runtime says which field is wrong)"
            )

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self._client(service)
        return self._clients[service]

    # ---- one publisher per hop kind (named after the component keyword) ----------------------
    def _put_queue(self, hop: dict[str, Any], e: Envelope) -> None:
        extra = (
            {"MessageGroupId": e.partitionkey or e.source, "MessageDeduplicationId": e.id} if hop.get("fifo") else {}
        )
        self.client("sqs").send_message(QueueUrl=hop["url"], MessageBody=body(hop, e), **extra)

    def _put_stream(self, hop: dict[str, Any], e: Envelope) -> None:
        self.client("kinesis").put_record(
            StreamARN=hop["arn"], Data=body(hop, e).encode(), PartitionKey=e.partitionkey or e.id
        )

    def _put_topic(self, hop: dict[str, Any], e: Envelope) -> None:
        extra: dict[str, Any] = (
            {"MessageGroupId": e.partitionkey or e.source, "MessageDeduplicationId": e.id} if hop.get("fifo") else {}
        )
        attributes = message_attributes(e.type, e.data, hop.get("attributes", {}).get(e.type))
        if attributes:  # NOTE: the event's `@attribute` fields, for filter policies in MessageAttributes scope
            extra["MessageAttributes"] = attributes
        self.client("sns").publish(TopicArn=hop["arn"], Message=body(hop, e), **extra)

    def _put_bus(self, hop: dict[str, Any], e: Envelope) -> None:
        entry = {
            "EventBusName": hop["arn"],
            "Source": hop.get("source") or f"evtc.{self.topology}",
            "DetailType": _detail_type(hop, e),
            "Detail": body(hop, e),
        }
        result = self.client("events").put_events(Entries=[entry])
        if result.get("FailedEntryCount"):
            raise RuntimeError(f"EventBridge refused {e.type} {e.id}: {result['Entries']}")

    def _put_function(self, hop: dict[str, Any], e: Envelope) -> None:
        self.client("lambda").invoke(FunctionName=hop["arn"], InvocationType="Event", Payload=body(hop, e).encode())


def _detail_type(hop: Mapping[str, Any], e: Envelope) -> str:
    """The event's detail-type: bound, the payload field the hop names (`type_fields`), or its type."""
    field = hop.get("type_fields", {}).get(e.type)
    if field is None:
        return str(hop.get("detail_types", {}).get(e.type, e.type))
    found: Any = e.data
    for part in field.split("."):
        found = found.get(part) if isinstance(found, Mapping) else None
    if not isinstance(found, str) or not found:
        raise ValueError(f"{e.type} {e.id} has no string field '{field}' to name its detail-type")
    return found


def body(hop: Mapping[str, Any], e: Envelope) -> str:
    """What the hop carries: evtc's envelope, or with `wire: payload` the data alone."""
    if hop.get("wire") == "payload":
        return json.dumps(e.data, separators=(",", ":"), ensure_ascii=False)
    return e.to_json()


def _passes(hop: Mapping[str, Any], envelope: Envelope) -> bool:
    """The route's emit-time filter (`envelope` dialect), with the engine AWS-side filters use."""
    pattern = hop.get("filter")
    if not pattern:
        return True
    from evtc.patterns.engine import matches

    return matches(pattern, envelope.to_dict(), dialect="eventbridge")


def _boto3_client(service: str) -> Any:
    import boto3  # type: ignore[import-untyped]

    return boto3.client(service)


def encode_hops(hops: Mapping[str, list[Any]]) -> list[Any]:
    """`EVTC_HOPS`'s value for the first hops of each event type: every hop once (a hop is
    the same object for each event type it carries), and per event type their positions."""
    found: list[Any] = []
    position: dict[int, int] = {}
    index: dict[str, list[int]] = {}
    for event in sorted(hops):
        for hop in hops[event]:
            if id(hop) not in position:
                position[id(hop)] = len(found)
                found.append(hop)
            index.setdefault(event, []).append(position[id(hop)])
    return [found, index]


def decode_hops(value: Any) -> dict[str, list[dict[str, Any]]]:
    """The first hops of each event type, from `EVTC_HOPS` (either form)."""
    if isinstance(value, list) and len(value) == 2:
        found, index = value
        return {event: [found[i] for i in positions] for event, positions in index.items()}
    return dict(value or {})


def backend() -> LambdaBackend:
    """The backend `evtc.emit` picks on Lambda (it sees `EVTC_TOPOLOGY` set)."""
    hops = decode_hops(json.loads(os.environ.get(HOPS_ENV) or "{}"))
    component = os.environ.get("EVTC_COMPONENT", "")
    return LambdaBackend(os.environ["EVTC_TOPOLOGY"], component, hops, writes=declared_writes(), schemas=_schemas())


def _schemas() -> dict[str, Any]:
    """The event schemas the deployment package carries, or those of the file `EVTC_SCHEMAS`
    names (an app running this backend); none (no check) when there is neither."""
    named = os.environ.get(SCHEMAS_ENV)
    path = Path(named) if named else Path(evtc.__file__).parent / BUNDLED_SCHEMAS
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if named:
            raise EmitError(f"{SCHEMAS_ENV} names {named}, which does not exist") from None
        return {}
    return found if isinstance(found, dict) else {}


def table_stream_envelopes(event: list[dict[str, Any]], context: Any = None) -> list[dict[str, Any]]:
    """EventBridge Pipes enrichment: each DynamoDB change record as its event's envelope.

    Pipes cannot turn DynamoDB's typed images into plain JSON itself. The target sets
    `EVTC_EVENT` (the event type the table holds); `evtc.envelope.records` does the rest,
    exactly as for a function fed by the table's stream.
    """
    from evtc.envelope import records

    return [envelope.to_dict() for envelope in records({"Records": event})]
