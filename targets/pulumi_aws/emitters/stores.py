"""Stores and routers: `emit_queue`, `emit_stream`, `emit_topic`, `emit_bus`."""

from __future__ import annotations

import math
from typing import Any

from evtc import ir
from evtc.targets.pulumi_aws.context import Context
from evtc.targets.pulumi_aws.facts import clamp, fact
from evtc.targets.pulumi_aws.plan import Json, Ref

DEFAULT_MAX_RECEIVES = 5  # NOTE: SQS has no default; evtc's checker warns when it is implied


def emit_queue(ctx: Context, queue: ir.Queue) -> None:
    var = ctx.of(queue.name)
    args: dict[str, Any] = {
        "name": ctx.physical(queue.name, "sqs", ".fifo" if queue.fifo else ""),
        "visibility_timeout_seconds": int(queue.visibility_timeout),
        "message_retention_seconds": int(queue.retention),
        "delay_seconds": int(queue.delay),
    }
    if queue.fifo:
        args |= {"fifo_queue": True, "content_based_deduplication": queue.content_dedup}
    args |= _queue_encryption(ctx, queue)
    if queue.dead_letter:
        redrive = {
            "deadLetterTargetArn": Ref(ctx.of(queue.dead_letter), "arn"),
            "maxReceiveCount": queue.max_receives or DEFAULT_MAX_RECEIVES,
        }
        args["redrive_policy"] = Json(redrive)
    ctx.add(var, "sqs.Queue", queue.name, args, queue.name)
    _allow_redrive_from(ctx, queue)
    ctx.outputs(queue.name, arn=Ref(var, "arn"), name=Ref(var, "name"), url=Ref(var, "url"))


def _queue_encryption(ctx: Context, queue: ir.Queue) -> dict[str, Any]:
    if queue.encrypted:
        return {"kms_master_key_id": ctx.key(), "kms_data_key_reuse_period_seconds": fact("sqs.kms_reuse")}
    # NOTE: SSE-SQS costs nothing and needs no key policy; only `encrypted` asks for a CMK.
    return {"sqs_managed_sse_enabled": True}


def _allow_redrive_from(ctx: Context, dlq: ir.Queue) -> None:
    """A dead-letter queue accepts redrives only from the queues that name it."""
    sources = sorted(ctx.redrives.get(dlq.name, ()))
    if not sources:
        return
    arns = [Ref(ctx.of(name), "arn") for name in sources]
    policy = Json({"redrivePermission": "byQueue", "sourceQueueArns": arns})
    args = {"queue_url": Ref(ctx.of(dlq.name), "url"), "redrive_allow_policy": policy}
    ctx.add(ctx.of(dlq.name, "redrive_allow"), "sqs.RedriveAllowPolicy", f"{dlq.name}-redrive-allow", args, dlq.name)


def emit_stream(ctx: Context, stream: ir.Stream) -> None:
    if stream.name in ctx.table_streams:
        table = ctx.of(ctx.table_streams[stream.name])
        ctx.outputs(stream.name, arn=Ref(table, "stream_arn"))
        return  # NOTE: a table's change stream is part of the table (emit_source_dynamodb)
    var = ctx.of(stream.name)
    hours = math.ceil(clamp(stream.retention, "kinesis.retention") / 3600)
    args: dict[str, Any] = {
        "name": ctx.physical(stream.name, "kinesis"),
        "shard_count": stream.shards,
        "retention_period": hours,
        "stream_mode_details": {"stream_mode": "PROVISIONED"},
    }
    if stream.encrypted:
        args |= {"encryption_type": "KMS", "kms_key_id": ctx.key()}
    ctx.add(var, "kinesis.Stream", stream.name, args, stream.name)
    ctx.outputs(stream.name, arn=Ref(var, "arn"), name=Ref(var, "name"))


def emit_topic(ctx: Context, topic: ir.Topic) -> None:
    var = ctx.of(topic.name)
    args: dict[str, Any] = {"name": ctx.physical(topic.name, "sns", ".fifo" if topic.fifo else "")}
    if topic.fifo:
        args |= {"fifo_topic": True, "content_based_deduplication": topic.content_dedup}
    if topic.encrypted:
        args["kms_master_key_id"] = ctx.key()
    ctx.add(var, "sns.Topic", topic.name, args, topic.name)
    ctx.outputs(topic.name, arn=Ref(var, "arn"), name=Ref(var, "name"))


def emit_bus(ctx: Context, bus: ir.Bus) -> None:
    var = ctx.of(bus.name)
    args: dict[str, Any] = {"name": ctx.physical(bus.name, "events")}
    if bus.encrypted:
        args["kms_key_identifier"] = ctx.key()
        ctx.key_user("events.amazonaws.com", Ref(var, "arn"))
    ctx.add(var, "cloudwatch.EventBus", bus.name, args, bus.name)
    ctx.outputs(bus.name, arn=Ref(var, "arn"), name=Ref(var, "name"))
    if bus.archive:
        archive: dict[str, Any] = {
            "name": ctx.physical(bus.name, "events_archive", "-archive"),
            "event_source_arn": Ref(var, "arn"),
            "retention_days": math.ceil(bus.archive / 86400),
        }
        if bus.encrypted:
            archive["kms_key_identifier"] = ctx.key()
        ctx.add(ctx.of(bus.name, "archive"), "cloudwatch.EventArchive", f"{bus.name}-archive", archive, bus.name)
        ctx.outputs(bus.name, archive_arn=Ref(ctx.of(bus.name, "archive"), "arn"))
