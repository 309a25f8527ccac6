"""Image scanning: reads each uploaded image back from its bucket and records a verdict."""

from __future__ import annotations

from typing import Any

from evtc.envelope import records
BUCKET: dict[tuple[str, str], bytes] = {}  # stands in for S3: (bucket, key) -> object bytes
STORE: dict[str, str] = {}  # key -> verdict
SIGNATURES = (b"EICAR", b"\x7fELF-backdoor")


def scan_image(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A truncated object fails its message so SQS redelivers it (the upload is still landing);
    an object deleted since the notification has nothing left to scan."""
    failures = []
    for record, envelope in zip(event["Records"], records(event)):
        image = envelope.data
        body = BUCKET.get((image["bucket"], image["key"]))
        if body is not None and len(body) < image["size"]:
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        STORE[image["key"]] = "missing" if body is None else verdict(body)
    return {"batchItemFailures": failures}


def verdict(body: bytes) -> str:
    return "infected" if any(signature in body for signature in SIGNATURES) else "clean"


def reset() -> None:
    BUCKET.clear()
    STORE.clear()
