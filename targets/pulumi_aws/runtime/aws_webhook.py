"""The ingress function of a `source NAME: webhook` deployed by the pulumi-aws target.

API Gateway hands it each `POST /NAME`. It checks `X-Evtc-Signature: sha256=<hex>`, the
HMAC-SHA256 of the raw body under the secret the target names in `EVTC_SECRET_ARN`, before
anything enters the topology; the body is the event's data (JSON). A source that emits
several event types is told which by `X-Evtc-Event`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from functools import lru_cache
from typing import Any

from evtc.targets.pulumi_aws.runtime import aws_runtime


def handle(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    body = _body(event)
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    if not verified(_secret(), body, headers.get("x-evtc-signature")):
        return _reply(401, "bad or missing X-Evtc-Signature")
    try:
        data = json.loads(body)
    except ValueError:
        return _reply(400, "the body is not JSON")
    backend = aws_runtime.backend()
    declared = sorted(backend.hops)
    event_type = headers.get("x-evtc-event") or (declared[0] if len(declared) == 1 else None)
    if event_type not in declared:
        return _reply(400, f"name the event in X-Evtc-Event: one of {', '.join(declared)}")
    return _reply(202, backend.emit(event_type, data))


def verified(secret: str, body: bytes, signature: str | None) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return signature is not None and hmac.compare_digest(signature, expected)


def _body(event: dict[str, Any]) -> bytes:
    raw = event.get("body") or ""
    return base64.b64decode(raw) if event.get("isBase64Encoded") else raw.encode()


@lru_cache(maxsize=1)
def _secret() -> str:
    import boto3  # type: ignore[import-untyped]  # NOTE: lazily; the Lambda runtime ships it

    found = boto3.client("secretsmanager").get_secret_value(SecretId=os.environ["EVTC_SECRET_ARN"])
    return str(found["SecretString"])


def _reply(status: int, message: str) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"result": message}),
    }
