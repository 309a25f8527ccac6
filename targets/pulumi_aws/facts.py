"""AWS limits, ranges and defaults the pulumi-aws target relies on, each with its source.

One table, so that when AWS changes a number only this file changes. Values are in the
unit AWS's API uses (seconds unless the name says otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass

from evtc import aws


@dataclass(frozen=True)
class Fact:
    value: int | str
    source: str


_SQS = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html"
_ESM = "https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html"

FACTS: dict[str, Fact] = {
    # Names: the longest physical name each service accepts.
    "name.sqs": Fact(80, f"{_SQS} (QueueName: up to 80 characters, .fifo included)"),
    "name.sns": Fact(256, "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html"),
    "name.kinesis": Fact(128, "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html"),
    "name.lambda": Fact(64, "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html"),
    "name.iam": Fact(64, "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html"),
    "name.events": Fact(64, "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html"),
    "name.events_archive": Fact(
        48, "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateArchive.html (ArchiveName: 1-48)"
    ),
    "name.pipes": Fact(64, "https://docs.aws.amazon.com/eventbridge/latest/pipes-reference/API_CreatePipe.html"),
    "name.scheduler": Fact(64, "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html"),
    "name.dynamodb": Fact(255, "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html"),
    "name.s3": Fact(63, "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"),
    "name.apigateway": Fact(128, "https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html"),
    "name.prefix": Fact(20, "evtc's own budget so that prefix + name fits every limit above"),
    # Lambda.
    "lambda.runtime": Fact("python3.12", "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"),
    "lambda.log_retention_days": Fact(
        30,
        "evtc default; https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
    ),
    # Event source mappings.
    "esm.sqs.concurrency.min": Fact(2, f"{_ESM} (ScalingConfig.MaximumConcurrency 2-1000)"),
    "esm.sqs.concurrency.max": Fact(1000, f"{_ESM} (ScalingConfig.MaximumConcurrency 2-1000)"),
    # EventBridge targets and Pipes.
    # Storage.
    "sqs.kms_reuse": Fact(300, f"{_SQS} (KmsDataKeyReusePeriodSeconds default 300)"),
    "kms.policy_exact_arns": Fact(
        100,
        "https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html (key policy document size: 32 KB; ~100 ARNs per service keeps well below)",
    ),
    "kms.deletion_window_days": Fact(
        30, "https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html (7-30, default 30)"
    ),
}

# Resource types whose constructor takes `tags` (pulumi-aws 7); the rest are untaggable.
TAGGABLE = frozenset(
    {
        "sqs.Queue",
        "sns.Topic",
        "kinesis.Stream",
        "lambda_.Function",
        "iam.Role",
        "iam.Policy",
        "cloudwatch.EventBus",
        "cloudwatch.EventRule",
        "cloudwatch.LogGroup",
        "pipes.Pipe",
        "dynamodb.Table",
        "s3.Bucket",
        "kms.Key",
        "apigatewayv2.Api",
        "apigatewayv2.Stage",
        "lambda_.EventSourceMapping",
    }
)


# Resource types that hold data: protected (or retained) by default, so neither
# `pulumi destroy` nor a replacement deletes messages, records, objects or keys silently.
STATEFUL = frozenset(
    {
        "sqs.Queue",
        "kinesis.Stream",
        "dynamodb.Table",
        "s3.Bucket",
        "cloudwatch.EventArchive",
        "kms.Key",
    }
)


def fact(key: str) -> int:
    """A numeric fact; KeyError names a missing entry, so a typo fails loudly at build time."""
    value = FACTS[key].value
    assert isinstance(value, int), key
    return value


def text_fact(key: str) -> str:
    return str(FACTS[key].value)


def clamp(value: float, key: str) -> int:
    """`value` within the range of AWS fact `key` (`evtc.aws`, the one table of AWS's ranges,
    read by the analysis and the rules too)."""
    found = aws.fact(key)
    low = found.minimum if found.minimum is not None else value
    high = found.maximum if found.maximum is not None else value
    return int(max(low, min(high, value)))
