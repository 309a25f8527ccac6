"""S3 objects queued from the default bus: each SQS body is S3's own EventBridge event."""

from __future__ import annotations

import json
from typing import Any

PROCESSED: dict[str, int] = {}  # object key -> size


def process(event: dict[str, Any], context: Any) -> None:
    for record in event["Records"]:
        s3_event = json.loads(record["body"])
        if s3_event["detail-type"] != "Object Created":
            raise ValueError(f"not a creation: {s3_event['detail-type']}")  # the rule admits creations only
        obj = s3_event["detail"]["object"]
        PROCESSED[obj["key"]] = obj["size"]
