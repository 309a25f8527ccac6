"""The event shapes Lambda gives a handler on each kind of hop, built from envelopes.

Field names and formats follow the AWS Lambda developer guide's sample events for SQS,
Kinesis, DynamoDB Streams, SNS and EventBridge. Records are `LazyRecord`s, so a handler
that only calls `records(event)` never pays for bodies it does not read.
"""

from __future__ import annotations

import base64
from typing import Any

from evtc.envelope import Envelope, format_time, to_dynamodb
from evtc.targets.local.lazy import lazy

REGION = "us-east-1"
ACCOUNT = "000000000000"


def arn(service: str, resource: str) -> str:
    return f"arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}"


# ---- SQS -------------------------------------------------------------------------------------
def message_id(number: int) -> str:
    """The SQS message id of a queue's `number`th message (UUID-shaped, like SQS's)."""
    return f"{number:08x}-0000-4000-8000-000000000000"


def sqs_record(envelope: Envelope, extra: tuple[str, int, int, float, str | None]) -> Any:
    """extra: (queue arn, message number, receive count, sent at, message group or None)."""
    return lazy(("eventSource", "aws:sqs"), envelope, _sqs_fill, extra)


def _sqs_fill(envelope: Envelope, extra: tuple[str, int, int, float, str | None]) -> dict[str, Any]:
    queue_arn, number, receives, sent_at, group = extra
    identifier = message_id(number)
    attributes = {
        "ApproximateReceiveCount": str(receives),
        "SentTimestamp": str(int(sent_at * 1000)),
        "SenderId": ACCOUNT,
        "ApproximateFirstReceiveTimestamp": str(int(sent_at * 1000)),
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
def kinesis_record(envelope: Envelope, extra: tuple[str, str, str, float]) -> Any:
    """extra: (stream arn, shard id, sequence number, arrival time)."""
    return lazy(("eventSource", "aws:kinesis"), envelope, _kinesis_fill, extra)


def _kinesis_fill(envelope: Envelope, extra: tuple[str, str, str, float]) -> dict[str, Any]:
    stream_arn, shard, sequence, arrived = extra
    data = base64.b64encode(envelope.to_json().encode()).decode("ascii")
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": envelope.partitionkey or envelope.id,
            "sequenceNumber": sequence,
            "data": data,
            "approximateArrivalTimestamp": arrived,
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"{shard}:{sequence}",
        "eventName": "aws:kinesis:record",
        "awsRegion": REGION,
        "eventSourceARN": stream_arn,
    }


def dynamodb_record(envelope: Envelope, extra: tuple[str, str, str, float]) -> Any:
    """extra: as for Kinesis; the change carries the envelope as the item's new image."""
    return lazy(("eventSource", "aws:dynamodb"), envelope, _dynamodb_fill, extra)


def _dynamodb_fill(envelope: Envelope, extra: tuple[str, str, str, float]) -> dict[str, Any]:
    stream_arn, _shard, sequence, arrived = extra
    image = {key: to_dynamodb(value) for key, value in envelope.to_dict().items()}
    return {
        "eventID": sequence,
        "eventName": "INSERT",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": REGION,
        "dynamodb": {
            "ApproximateCreationDateTime": int(arrived),
            "Keys": {"id": {"S": envelope.id}},
            "NewImage": image,
            "SequenceNumber": sequence,
            "SizeBytes": len(envelope.to_json()),
            "StreamViewType": "NEW_IMAGE",
        },
        "eventSourceARN": stream_arn,
    }


# ---- SNS and EventBridge (one event per invocation) ----------------------------------------------
def sns_event(envelope: Envelope, topic_arn: str) -> dict[str, Any]:
    return {"Records": [lazy(("EventSource", "aws:sns"), envelope, _sns_fill, topic_arn)]}


def _sns_fill(envelope: Envelope, topic_arn: str) -> dict[str, Any]:
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
            "MessageAttributes": {},
        },
    }


def eventbridge_event(envelope: Envelope, bus_arn: str) -> Any:
    return lazy(("version", "0"), envelope, _eventbridge_fill, bus_arn)


def _eventbridge_fill(envelope: Envelope, bus_arn: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": envelope.id,
        "detail-type": envelope.type,
        "source": envelope.source,
        "account": ACCOUNT,
        "time": format_time(envelope.time)[:19] + "Z",
        "region": REGION,
        "resources": [bus_arn],
        "detail": envelope.to_dict(),
    }
