"""The ingress function of a `source NAME: webhook` deployed by the pulumi-aws target.

API Gateway hands it each `POST` to the source's path. What it checks is the source's
`Ingress` (`EVTC_INGRESS`, JSON, written by the target from the delivery plan), judged by
`evtc.webhook` exactly as the local runtime judges it: the sender's signature (the key read
from Secrets Manager by the ARN in `EVTC_SECRET_ARN`, once per container), then the JSON
body, then the event type the request names. An accepted request is emitted into the
topology (202); a type the source is not bound to is acknowledged (200) and counted in the
CloudWatch metric `evtc/IgnoredWebhookEvents`, as senders expect of types a receiver does
not handle; a bad signature is 401, a bad body or a missing type 400.
"""

from __future__ import annotations

import base64
import json
import os
import time
from functools import lru_cache
from typing import Any

from evtc.emit import InvalidDataError
from evtc.targets.pulumi_aws.runtime import aws_runtime
from evtc.webhook import ACCEPTED, BAD_REQUEST, IGNORED, Ingress, judge

INGRESS_ENV = "EVTC_INGRESS"
METRIC_NAMESPACE = "evtc"

now = time.time  # NOTE: a module attribute, so tests can move the clock


def handle(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    ingress = _ingress()
    headers = {str(k): str(v) for k, v in (event.get("headers") or {}).items()}
    decision = judge(ingress, headers, _body(event), now(), _secret() if ingress.signed else None)
    if decision.status == IGNORED:
        print(_ignored_metric(ingress, decision.sent_type or ""))
    if decision.status != ACCEPTED or decision.event is None or decision.data is None:
        return _reply(decision.status, decision.message)
    try:
        return _reply(ACCEPTED, aws_runtime.backend().emit(decision.event, decision.data))
    except InvalidDataError as error:  # NOTE: the sender's payload breaks the event's schema
        return _reply(BAD_REQUEST, str(error))


def _body(event: dict[str, Any]) -> bytes:
    raw = event.get("body") or ""
    return base64.b64decode(raw) if event.get("isBase64Encoded") else raw.encode()


@lru_cache(maxsize=1)
def _ingress() -> Ingress:
    return Ingress.from_json(os.environ[INGRESS_ENV])


@lru_cache(maxsize=1)
def _secret() -> str:
    import boto3  # type: ignore[import-untyped]  # NOTE: lazily; the Lambda runtime ships it

    found = boto3.client("secretsmanager").get_secret_value(SecretId=os.environ["EVTC_SECRET_ARN"])
    return str(found["SecretString"])


def _ignored_metric(ingress: Ingress, sent_type: str) -> str:
    """A CloudWatch Embedded Metric Format line: Lambda's log stream turns it into a metric."""
    return json.dumps(
        {
            "_aws": {
                "Timestamp": int(now() * 1000),
                "CloudWatchMetrics": [
                    {
                        "Namespace": METRIC_NAMESPACE,
                        "Dimensions": [["Webhook"]],
                        "Metrics": [{"Name": "IgnoredWebhookEvents", "Unit": "Count"}],
                    }
                ],
            },
            "Webhook": ingress.name,
            "IgnoredWebhookEvents": 1,
            "type": sent_type,
        }
    )


def _reply(status: int, message: str) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"result": message}),
    }
