"""AWS service facts the analysis and the limits rules stand on: one table, each entry with
its source and the date it was last checked.

When AWS changes a limit, edit the entry here and nothing else: the path analysis, the
`limits` rules and `evtc explain` all read this table.
"""

from __future__ import annotations

from evtc.util.record import record

KIB = 1024
MIB = 1024 * 1024
MINUTE = 60.0
HOUR = 3600.0
DAY = 86400.0
INF = float("inf")


@record
class Fact:
    """One service fact: an allowed range and/or a default, with where it comes from."""

    key: str
    what: str
    minimum: float | None = None
    maximum: float | None = None
    default: float | None = None
    unit: str = ""  # seconds | bytes | count
    source: str = ""
    checked: str = ""


_SQS = "Amazon SQS Developer Guide, 'Amazon SQS quotas' and 'Amazon SQS dead-letter queues'"
_LAMBDA = "AWS Lambda Developer Guide, 'Lambda quotas' and 'Asynchronous invocation'"
_ESM = "AWS Lambda Developer Guide, 'Lambda event source mappings' (batching, error handling)"
_KDS = "Amazon Kinesis Data Streams Developer Guide, 'Quotas and limits'"
_DDB = "Amazon DynamoDB Developer Guide, 'Change data capture for DynamoDB Streams'; item size quota"
_SNS = "Amazon SNS Developer Guide, 'Amazon SNS quotas' and 'Amazon SNS message delivery retries'"
_EB = "Amazon EventBridge User Guide, 'EventBridge quotas' and 'Retrying events'"
_EB_API = "Amazon EventBridge API Reference, 'PutEventsRequestEntry' (Source, DetailType)"
# PutEvents rejects an entry whose Source starts with this: AWS reserves it for its own services.
EVENTBRIDGE_RESERVED_SOURCE_PREFIX = "aws."
_APIGW = "Amazon API Gateway Developer Guide, 'Quotas for configuring and running an HTTP API' (integration timeout)"


def _phases(*phases: tuple[int, float, float]) -> tuple[float, ...]:
    """Retry delays from SNS's delivery-policy phases: (count, first delay, last delay),
    the delay growing exponentially from first to last within a phase."""
    delays: list[float] = []
    for count, first, last in phases:
        ratio = (last / first) ** (1 / (count - 1)) if count > 1 and first else 1.0
        delays.extend(first * ratio**i for i in range(count))
    return tuple(delays)


# The spacing of SNS's retries to an e-mail (SMTP) subscription: 2 retries 10 s apart, 10
# backing off exponentially from 10 s to 600 s, then 600 s apart; 50 attempts in all.
SNS_EMAIL_DELAYS = _phases((2, 10.0, 10.0), (10, 10.0, 600.0), (37, 600.0, 600.0))
# The spacing of Lambda's retries of a failing asynchronous invocation (_LAMBDA, 'Asynchronous
# invocation', 2026-12): one minute before the second attempt, two before the third.
LAMBDA_ASYNC_DELAYS = (1 * MINUTE, 2 * MINUTE)


def delivery_delay(service: str, attempt: int) -> float:
    """Seconds before retry `attempt` (0: the first retry) of a service handing an event to
    a Lambda function's Invoke API. SNS follows its documented policy for AWS-managed
    endpoints (3 immediate retries, 2 at 1 s, 10 backing off from 1 s to 20 s, then every
    20 s, 100,015 attempts over 23 days); EventBridge and Scheduler document only
    "exponential backoff with jitter, 185 retries over 24 hours": modelled as doubling from
    1 s and capped at 8 minutes, which spreads 185 retries over about 24 hours."""
    if service == "sns":
        if attempt < 3:
            return 0.0
        if attempt < 5:
            return 1.0
        if attempt < 15:
            return 20.0 ** ((attempt - 5) / 9)
        return 20.0
    return min(2.0**attempt, 480.0)


FACTS: dict[str, Fact] = {
    f.key: f
    for f in (
        # ---- SQS ------------------------------------------------------------------------
        Fact("sqs.retention", "queue retention", 60, 14 * DAY, 4 * DAY, "seconds", _SQS, "2026-11"),
        Fact("sqs.visibility_timeout", "queue visibility timeout", 0, 12 * HOUR, 30, "seconds", _SQS, "2026-11"),
        Fact("sqs.max_receives", "queue max receives (maxReceiveCount)", 1, 1000, None, "count", _SQS, "2026-11"),
        Fact("sqs.delay", "queue delivery delay", 0, 15 * MINUTE, 0, "seconds", _SQS, "2026-11"),
        # NOTE: raised from 256 KiB to 1 MiB in 2026.
        Fact("sqs.message_size", "SQS message size", None, 1 * MIB, None, "bytes", _SQS, "2026-11"),
        Fact("sqs.batch_size", "batch size from a standard queue", 1, 10000, 10, "count", _ESM, "2026-11"),
        Fact("sqs_fifo.batch_size", "batch size from a FIFO queue", 1, 10, 10, "count", _ESM, "2026-11"),
        Fact("sqs_fifo.group_id_length", "characters of a MessageGroupId", 1, 128, None, "count", _SQS, "2026-11"),
        # ---- Kinesis / DynamoDB streams ----------------------------------------------------
        Fact("kinesis.retention", "stream retention", 24 * HOUR, 365 * DAY, 24 * HOUR, "seconds", _KDS, "2026-11"),
        Fact("kinesis.shards", "shards per stream (default account quota)", 1, 500, 1, "count", _KDS, "2026-11"),
        Fact("kinesis.record_size", "Kinesis record size", None, 1 * MIB, None, "bytes", _KDS, "2026-11"),
        Fact("kinesis.partition_key_length", "characters of a partition key", 1, 256, None, "count", _KDS, "2026-11"),
        Fact(
            "dynamodb.retention",
            "DynamoDB stream retention (fixed)",
            24 * HOUR,
            24 * HOUR,
            24 * HOUR,
            "seconds",
            _DDB,
            "2026-11",
        ),
        Fact(
            "dynamodb.record_size",
            "DynamoDB item (and stream record) size",
            None,
            400 * 1000,
            None,
            "bytes",
            _DDB,
            "2026-11",
        ),
        Fact("stream.batch_size", "batch size from a stream", 1, 10000, 100, "count", _ESM, "2026-11"),
        Fact(
            "stream.retries",
            "retries of a failed stream batch (unset: until the record expires)",
            0,
            10000,
            None,
            "count",
            _ESM,
            "2026-11",
        ),
        Fact(
            "stream.max_age", "maximum record age of a stream consumer", 60, 7 * DAY, None, "seconds", _ESM, "2026-11"
        ),
        Fact(
            "esm.batching_window", "batching window of an event source mapping", 0, 300, 0, "seconds", _ESM, "2026-11"
        ),
        # ---- Lambda -------------------------------------------------------------------------
        # NOTE: a webhook's ingress runs behind an HTTP API, which waits at most 30 s for it.
        Fact("apigateway.http_timeout", "webhook ingress timeout (HTTP API)", 1, 30, 30, "seconds", _APIGW, "2026-11"),
        Fact("lambda.timeout", "function timeout", 1, 900, 3, "seconds", _LAMBDA, "2026-11"),
        Fact("lambda.memory", "function memory (MB)", 128, 10240, 128, "count", _LAMBDA, "2026-11"),
        Fact(
            "lambda.account_concurrency",
            "concurrent executions of an account's functions (a quota that can be raised)",
            None,
            None,
            1000,
            "count",
            _LAMBDA,
            "2026-12",
        ),
        Fact("lambda.async_retries", "retries of an asynchronous invocation", 0, 2, 2, "count", _LAMBDA, "2026-11"),
        Fact(
            "lambda.async_max_age",
            "maximum event age of an asynchronous invocation",
            60,
            6 * HOUR,
            6 * HOUR,
            "seconds",
            _LAMBDA,
            "2026-11",
        ),
        # NOTE: raised from 256 KiB to 1 MiB in 2026.
        Fact(
            "lambda.async_payload", "asynchronous invocation payload", None, 1 * MIB, None, "bytes", _LAMBDA, "2026-11"
        ),
        Fact(
            "lambda.sync_payload",
            "synchronous invocation payload (a polled batch)",
            None,
            6 * MIB,
            None,
            "bytes",
            _LAMBDA,
            "2026-11",
        ),
        # ---- SNS ------------------------------------------------------------------------------
        Fact("sns.message_size", "SNS message size", None, 256 * KIB, None, "bytes", _SNS, "2026-11"),
        # NOTE: a filter policy in MessageAttributes scope reads at most these per message
        Fact("sns.message_attributes", "message attributes per SNS message", None, 10, None, "count", _SNS, "2026-12"),
        Fact(
            "sns.https_retries",
            "retries of an HTTP/S subscription (delivery policy)",
            0,
            100,
            3,
            "count",
            _SNS,
            "2026-11",
        ),
        # NOTE: the default HTTP/S delivery policy is linear: minDelayTarget = maxDelayTarget = 20 s
        Fact(
            "sns.https_retry_delay",
            "delay between retries of an HTTP/S subscription (default policy)",
            1,
            3600,
            20,
            "seconds",
            _SNS,
            "2026-12",
        ),
        Fact(
            "sns.https_max_age",
            "time SNS keeps retrying an HTTP/S endpoint with the default policy",
            None,
            3600,
            60,
            "seconds",
            _SNS,
            "2026-11",
        ),
        # NOTE: SMTP is a customer-managed endpoint: SNS's fixed policy (no custom policy
        # for e-mail) makes 50 attempts over more than 6 hours (SNS_EMAIL_DELAYS).
        Fact("sns.email_retries", "retries of an e-mail subscription (fixed)", 49, 49, 49, "count", _SNS, "2026-12"),
        Fact(
            "sns.email_max_age",
            "time SNS keeps retrying an e-mail subscription (fixed)",
            None,
            sum(SNS_EMAIL_DELAYS),
            sum(SNS_EMAIL_DELAYS),
            "seconds",
            _SNS,
            "2026-12",
        ),
        # SNS retries AWS-managed endpoints (SQS, Lambda) 100,015 times over 23 days.
        Fact(
            "sns.managed_max_age",
            "time SNS retries an SQS or Lambda subscription",
            None,
            23 * DAY,
            23 * DAY,
            "seconds",
            _SNS,
            "2026-11",
        ),
        # ---- EventBridge ----------------------------------------------------------------------
        # NOTE: raised from 256 KiB to 1 MiB in 2026.
        Fact("eventbridge.event_size", "EventBridge event size", None, 1 * MIB, None, "bytes", _EB, "2026-11"),
        Fact("eventbridge.retries", "retries of a bus target", 0, 185, 185, "count", _EB, "2026-11"),
        Fact("eventbridge.source_length", "characters of an event's source", 1, 256, None, "count", _EB_API, "2026-12"),
        Fact(
            "eventbridge.detail_type_length",
            "characters of an event's detail-type",
            1,
            128,
            None,
            "count",
            _EB_API,
            "2026-12",
        ),
        Fact(
            "eventbridge.max_age",
            "maximum event age of a bus target",
            60,
            24 * HOUR,
            24 * HOUR,
            "seconds",
            _EB,
            "2026-11",
        ),
    )
}


assert len(SNS_EMAIL_DELAYS) == FACTS["sns.email_retries"].default
assert len(LAMBDA_ASYNC_DELAYS) == FACTS["lambda.async_retries"].maximum
_HTTPS = ("sns.https_retries", "sns.https_retry_delay", "sns.https_max_age")
assert FACTS[_HTTPS[0]].default * FACTS[_HTTPS[1]].default == FACTS[_HTTPS[2]].default  # type: ignore[operator]


def fact(key: str) -> Fact:
    return FACTS[key]


def default(key: str) -> float:
    value = FACTS[key].default
    assert value is not None, key
    return value


def maximum(key: str) -> float:
    value = FACTS[key].maximum
    assert value is not None, key
    return value
