"""The event shapes Lambda gives a handler on each kind of hop, built from envelopes.

Field names and formats follow the AWS Lambda developer guide's sample events for SQS,
Kinesis, DynamoDB Streams, SNS and EventBridge. Batches are built lazily (see `lazy`),
so a handler that only calls `records(event)` never pays for bodies it does not read.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from evtc.attributes import as_received, message_attributes
from evtc.envelope import Envelope, format_time, to_dynamodb
from evtc.graph import EventRef
from evtc.plan.changes import image_of
from evtc.plan.wire import WireName
from evtc.targets.local.clock import EPOCH
from evtc.targets.local.lazy import lazy, lazy_batch

REGION = "us-east-1"
ACCOUNT = "000000000000"


def arn(service: str, resource: str) -> str:
    return f"arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}"


# ---- SQS -------------------------------------------------------------------------------------
def message_id(number: int) -> str:
    """The SQS message id of a queue's `number`th message (UUID-shaped, like SQS's)."""
    return f"{number:08x}-0000-4000-8000-000000000000"


def sqs_batch(queue_arn: str, envelopes: list[Envelope], messages: list[Any]) -> dict[str, Any]:
    """An SQS batch event; `messages` carry number, receives, sent_at and group."""
    return lazy_batch(envelopes, lambda: [_sqs_record(queue_arn, e, m) for e, m in zip(envelopes, messages)])


def _sqs_record(queue_arn: str, envelope: Envelope, message: Any) -> dict[str, Any]:
    number, receives, sent_at, group = message.number, message.receives, message.sent_at, message.group
    identifier = message_id(number)
    attributes = {
        "ApproximateReceiveCount": str(receives),
        "SentTimestamp": str(int((EPOCH + sent_at) * 1000)),
        "SenderId": ACCOUNT,
        "ApproximateFirstReceiveTimestamp": str(int((EPOCH + sent_at) * 1000)),
    }
    if group is not None:
        attributes.update(MessageGroupId=group, MessageDeduplicationId=envelope.id)
    return {
        "messageId": identifier,
        "receiptHandle": f"{identifier}#{receives}",
        "body": envelope.to_json(),
        "attributes": attributes,
        "messageAttributes": {},
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


# ---- Kinesis and DynamoDB streams ----------------------------------------------------------------
Position = tuple[str, str, str, float]  # (stream arn, shard id, sequence number, arrival time)


def stream_batch(
    dynamodb: bool, envelopes: list[Envelope], positions: list[Position], kinds: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A Lambda batch of stream records; `kinds`: a table's event type -> change kind."""
    if not dynamodb:
        return lazy_batch(envelopes, lambda: [_kinesis_record(e, p) for e, p in zip(envelopes, positions)])
    found = kinds or {}
    return lazy_batch(envelopes, lambda: [_dynamodb_record(e, p, found) for e, p in zip(envelopes, positions)])


def _kinesis_record(envelope: Envelope, position: Position) -> dict[str, Any]:
    stream_arn, shard, sequence, arrived = position
    data = base64.b64encode(envelope.to_json().encode()).decode("ascii")
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": envelope.partitionkey or envelope.id,
            "sequenceNumber": sequence,
            "data": data,
            "approximateArrivalTimestamp": EPOCH + arrived,
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"{shard}:{sequence}",
        "eventName": "aws:kinesis:record",
        "awsRegion": REGION,
        "eventSourceARN": stream_arn,
    }


def _dynamodb_record(envelope: Envelope, position: Position, kinds: Mapping[str, str]) -> dict[str, Any]:
    """A table change: the item (the event's data) is the new image, keyed by the partition key;
    for a deletion (an event type bound to `REMOVE`) it is the old image, and there is no new one."""
    stream_arn, _shard, sequence, arrived = position
    data = envelope.data if isinstance(envelope.data, dict) else {}
    image = {key: to_dynamodb(value) for key, value in data.items()}
    keys = {name: value for name, value in image.items() if str(data[name]) == envelope.partitionkey}
    kind = getattr(envelope, "kind", None) or kinds.get(envelope.type)  # NOTE: a write's record knows its kind
    both = "REMOVE" in kinds.values()
    old = getattr(envelope, "old", None)
    images = {image_of(kind): image}
    if both and kind == "MODIFY" and isinstance(old, dict):
        images["OldImage"] = {key: to_dynamodb(value) for key, value in old.items()}
    return {
        "eventID": sequence,
        "eventName": kind or "INSERT",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": REGION,
        "dynamodb": {
            "ApproximateCreationDateTime": int(EPOCH + arrived),
            "Keys": keys or {"id": {"S": envelope.id}},
            **images,
            "SequenceNumber": sequence,
            "SizeBytes": len(envelope.to_json()),
            "StreamViewType": "NEW_AND_OLD_IMAGES" if both else "NEW_IMAGE",
        },
        "eventSourceARN": stream_arn,
    }


# ---- SNS and EventBridge (one event per invocation) ----------------------------------------------
def sns_event(envelope: Envelope, topic_arn: str, attributes: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The Lambda event of an SNS delivery; `attributes` is the event's `@attribute` spec
    when the message was published with its message attributes."""
    return lazy_batch([envelope], lambda: [_sns_record(envelope, topic_arn, attributes)])


def _sns_record(envelope: Envelope, topic_arn: str, attributes: Mapping[str, str] | None) -> dict[str, Any]:
    return {
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "EventSubscriptionArn": f"{topic_arn}:{envelope.id}",
        "Sns": {
            "Type": "Notification",
            "MessageId": envelope.id,
            "TopicArn": topic_arn,
            "Subject": None,
            "Message": envelope.to_json(),
            "Timestamp": format_time(envelope.recordedtime),
            "SignatureVersion": "1",
            "MessageAttributes": as_received(message_attributes(envelope.type, envelope.data, attributes)),
        },
    }


def eventbridge_event(envelope: Envelope, bus_arn: str, names: Mapping[EventRef, WireName] | None = None) -> Any:
    """The EventBridge event a rule hands a function; `names`: the plan's (emitter, event) ->
    the `source` and `detail-type` it was put with (`evtc.plan.wire`)."""
    if getattr(envelope, "wire", None) is not None:
        return envelope.to_dict()  # NOTE: an event in its own shape, forwarded whole by the rules
    return lazy(("version", "0"), envelope, _eventbridge_fill, (bus_arn, names or {}))


def _eventbridge_fill(envelope: Envelope, extra: tuple[str, Mapping[EventRef, WireName]]) -> dict[str, Any]:
    bus_arn, names = extra
    name = names.get((envelope.source.rsplit("/", 1)[-1], envelope.type))
    return {
        "version": "0",
        "id": envelope.id,
        "detail-type": name.of(envelope.data) if name else envelope.type,
        "source": name.source if name else _eventbridge_source(envelope.source),
        "account": ACCOUNT,
        "time": format_time(envelope.time)[:19] + "Z",
        "region": REGION,
        "resources": [bus_arn],
        "detail": envelope.to_dict(),
    }


def _eventbridge_source(uri: str) -> str:
    """`evtc.<topology>`: the Source the pulumi-aws runtime puts events on a bus with."""
    parts = uri.split("/")
    return f"evtc.{parts[2]}" if uri.startswith("evtc://") and len(parts) > 2 else uri
