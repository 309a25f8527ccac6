"""Routes out of an s3 source (`route_s3`): S3's EventBridge notifications, a rule on the
account's default bus with the compiled prefix/suffix, and an input transformer that turns
S3's event into the route's CloudEvents envelope.

NOTE: S3 can notify a queue, topic or function directly, but then the consumer receives
S3's own record format; through EventBridge every hop carries the envelope, as on every
other route, and the same handler runs locally and on AWS.
"""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.targets.pulumi_aws import filtering
from evtc.targets.pulumi_aws.context import BuildError, Context
from evtc.targets.pulumi_aws.emitters import hops
from evtc.targets.pulumi_aws.emitters.fanout import add_rule
from evtc.targets.pulumi_aws.plan import Ref

# Event fields an s3 source can fill, and where S3's "Object Created" event holds them.
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
S3_FIELDS = {
    "bucket": "$.detail.bucket.name",
    "key": "$.detail.object.key",
    "size": "$.detail.object.size",
    "etag": "$.detail.object.etag",
    "version_id": "$.detail.object.version-id",
    "sequencer": "$.detail.object.sequencer",
    "requester": "$.detail.requester",
    "source_ip": "$.detail.source-ip-address",
    "reason": "$.detail.reason",
}


def route_s3(ctx: Context, route: ir.Route) -> None:
    if hops.kind(ctx, route.target) not in ("queue", "topic", "function", "stream"):
        raise BuildError(
            f"route {route.source} -> {route.target}: an s3 source feeds queues, topics, streams and functions"
        )
    detail: dict[str, Any] = {"bucket": {"name": [Ref(ctx.of(route.source), "bucket")]}}
    key = key_matcher(filtering.hop_filter(ctx, route))
    if key:
        detail["object"] = {"key": key}
    pattern = {"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": detail}
    ctx.notifications.setdefault(route.source, {"after": []})["eventbridge"] = True
    add_rule(ctx, route, "default", pattern, transformer(ctx, route))


def key_matcher(rules: dict[str, Any] | None) -> list[dict[str, str]]:
    """S3's one prefix and one suffix (evtc.filters' `s3` artefact) as an EventBridge matcher."""
    prefix, suffix = (rules or {}).get("prefix", ""), (rules or {}).get("suffix", "")
    if prefix and suffix:
        return [{"wildcard": f"{_escaped(prefix)}*{_escaped(suffix)}"}]
    if prefix or suffix:
        return [{"prefix": prefix}] if prefix else [{"suffix": suffix}]
    return []


def _escaped(text: str) -> str:
    """Literal text inside an EventBridge wildcard: `*` and `\\` are escaped with `\\`."""
    return text.replace("\\", "\\\\").replace("*", "\\*")


def transformer(ctx: Context, route: ir.Route) -> dict[str, Any]:
    """The envelope, built by EventBridge from S3's event (no code runs on the hop)."""
    events = hops.events_on(ctx, route)
    event = ctx.topology.event(events[0]) if events else None
    fields = [f.name for f in event.fields if f.name in S3_FIELDS] if event else []
    paths = {"evt_id": "$.id", "evt_time": "$.time"} | {f"f_{name}": S3_FIELDS[name] for name in fields}
    data = ", ".join(f'"{name}": <f_{name}>' for name in fields)
    source = f"evtc://{ctx.topology.name}/{route.source}"
    template = (
        f'{{"specversion": "1.0", "id": <evt_id>, "source": "{source}", "type": "{events[0] if events else ""}", '
        f'"time": <evt_time>, "recordedtime": <evt_time>, "datacontenttype": "application/json", "data": {{{data}}}}}'
    )
    return {"input_paths": paths, "input_template": template}
