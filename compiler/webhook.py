"""How a webhook ingress judges one HTTP request: the signature schemes of real senders, the
event type a request names, and the status the sender gets back.

This is the one implementation both targets run: the pulumi-aws ingress function
(`evtc.targets.pulumi_aws.runtime.aws_webhook`) and the local runtime (`Runtime.webhook`).
It imports nothing of the compiler, so it ships in the Lambda bundle; what a source's
ingress does is decided by the delivery plan (`evtc.plan.ingress`) and handed over as an
`Ingress`, plain data that travels as JSON in the function's environment.

>>> hook = Ingress("stripe", "stripe", "Stripe-Signature", tolerance=300.0, type_field="type",
...                types=(("payment_intent.succeeded", "Paid"),))
>>> body = b'{"type": "payment_intent.succeeded", "id": "evt_1"}'
>>> headers = sign(hook, "whsec_k", body, now=1700000000)
>>> judge(hook, headers, body, now=1700000100, secret="whsec_k").status
202
>>> judge(hook, headers, body, now=1700000400, secret="whsec_k").message
'Stripe-Signature timestamp is 400s old, outside the 300s tolerance'
"""

from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

# stripe-python's `Webhook.DEFAULT_TOLERANCE`: a signed timestamp older than this is a replay.
STRIPE_TOLERANCE = 300.0
SIGNED = ("stripe", "github", "hmac_sha256", "hmac_sha512")  # the schemes that need a secret
ALGORITHMS = {"stripe": "sha256", "github": "sha256", "hmac_sha256": "sha256", "hmac_sha512": "sha512"}
EVTC_SIGNATURE = "X-Evtc-Signature"
EVTC_EVENT = "X-Evtc-Event"

ACCEPTED, IGNORED, BAD_REQUEST, UNAUTHORIZED = 202, 200, 400, 401


@dataclass(frozen=True)
class Ingress:
    """What one webhook source's ingress checks and how it names the event type."""

    name: str
    verify: str  # stripe | github | hmac_sha256 | hmac_sha512 | iam | none
    signature_header: str | None = None  # where the signature is (None: iam and none)
    signature_prefix: str = ""  # before the digest: `sha256=` (GitHub, evtc's own)
    signature_encoding: str = "hex"  # hex | base64
    tolerance: float | None = None  # stripe: oldest signed timestamp accepted, in seconds
    type_field: str | None = None  # the payload field path naming the event type (`type`)
    type_header: str | None = None  # or the header naming it (`X-GitHub-Event`)
    types: tuple[tuple[str, str], ...] = ()  # (the sender's type, the event type it is)
    default_type: str | None = None  # the event type of a request that names none

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Ingress:
        found = json.loads(text)
        found["types"] = tuple(tuple(pair) for pair in found.get("types", ()))
        return cls(**found)

    @property
    def signed(self) -> bool:
        return self.verify in SIGNED


@dataclass(frozen=True)
class Decision:
    """The ingress's answer: the HTTP status, why, and what enters the topology (if anything)."""

    status: int
    message: str
    event: str | None = None  # the event type emitted (202 only)
    data: dict[str, Any] | None = None
    sent_type: str | None = None  # the type the sender named, bound or not

    @property
    def accepted(self) -> bool:
        return self.status == ACCEPTED


def judge(ingress: Ingress, headers: Mapping[str, str], body: bytes, now: float, secret: str | None) -> Decision:
    """Verify the request, read its JSON body and pick its event type, in that order: an
    unauthenticated request learns nothing about what the source accepts."""
    lowered = {k.lower(): v for k, v in headers.items()}
    problem = verify(ingress, lowered, body, now, secret)
    if problem is not None:
        return Decision(UNAUTHORIZED, problem)
    try:
        data = json.loads(body)
    except ValueError:
        return Decision(BAD_REQUEST, "the body is not JSON")
    if not isinstance(data, dict):
        return Decision(BAD_REQUEST, "the body is not a JSON object")
    sent = _sent_type(ingress, lowered, data)
    if sent is None:
        return Decision(BAD_REQUEST, _where_type(ingress))
    bound = dict(ingress.types)
    if sent not in bound:
        # NOTE: as Stripe and GitHub ask of receivers: acknowledge what you do not handle
        # (Stripe retries anything but 2xx for days and may disable the endpoint).
        return Decision(IGNORED, f"'{sent}' is not an event type this source is bound to", sent_type=sent)
    return Decision(ACCEPTED, f"accepted as {bound[sent]}", bound[sent], data, sent)


def verify(ingress: Ingress, headers: Mapping[str, str], body: bytes, now: float, secret: str | None) -> str | None:
    """None when the request is authentic, else what is wrong (`headers` lower-cased)."""
    if not ingress.signed:
        return None  # NOTE: `iam`: API Gateway has checked SigV4; `none`: nobody checks
    if secret is None or not secret.strip(" \t\r\n\f\v"):  # NOTE: stripe-python's test of a blank secret
        return "no signing secret is configured"
    header = ingress.signature_header or ""
    given = headers.get(header.lower())
    if not given:
        return f"no {header} header"
    if ingress.verify == "stripe":
        return _verify_stripe(ingress, given, body, now, secret)
    expected = ingress.signature_prefix + _digest(ingress, secret, body)
    return None if hmac.compare_digest(given.encode(), expected.encode()) else f"{header} does not match the body"


def _verify_stripe(ingress: Ingress, given: str, body: bytes, now: float, secret: str) -> str | None:
    """Stripe's scheme: `t=<unix time>,v1=<hex>[,v1=…]`, each v1 an HMAC-SHA256 of `t.body`,
    read and judged exactly as stripe-python's `WebhookSignature.verify_header` does."""
    parts = _stripe_parts(given)
    if parts is None:
        return "Stripe-Signature has no readable timestamp"
    timestamp, signatures = parts
    if not signatures:
        return "Stripe-Signature has no v1 signature"
    try:
        signed = (
            f"{timestamp}.{body.decode()}".encode()
        )  # NOTE: Stripe signs text; bytes that are not UTF-8 are not its
    except UnicodeDecodeError:
        return "the body is not UTF-8 text"
    expected = _digest(ingress, secret, signed)
    if not any(hmac.compare_digest(s.encode(), expected.encode()) for s in signatures):
        return "no v1 signature in Stripe-Signature matches the body"
    tolerance = ingress.tolerance if ingress.tolerance is not None else STRIPE_TOLERANCE
    if timestamp < now - tolerance:  # NOTE: as stripe-python: only the past is bounded
        return f"Stripe-Signature timestamp is {now - timestamp:g}s old, outside the {tolerance:g}s tolerance"
    return None


def _stripe_parts(header: str) -> tuple[int, list[str]] | None:
    """The first `t` and every `v1` (stripe-python's reading: `key=value` split at the first
    two `=`, the timestamp read by `int`); None when there is no readable timestamp."""
    items = [item.split("=", 2) for item in header.split(",")]
    try:
        timestamp = int([item[1] for item in items if item[0] == "t"][0])
        return timestamp, [item[1] for item in items if item[0] == "v1"]
    except (IndexError, ValueError):
        return None


def _digest(ingress: Ingress, secret: str, message: bytes) -> str:
    mac = hmac.new(secret.encode(), message, ALGORITHMS[ingress.verify])
    return base64.b64encode(mac.digest()).decode() if ingress.signature_encoding == "base64" else mac.hexdigest()


def _sent_type(ingress: Ingress, headers: Mapping[str, str], data: dict[str, Any]) -> str | None:
    if ingress.type_field is not None:
        value: Any = data
        for key in ingress.type_field.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        return value if isinstance(value, str) and value else None
    if ingress.type_header is not None:
        named = headers.get(ingress.type_header.lower())
        if named:
            return named
    return _wire_of(ingress, ingress.default_type) if ingress.default_type else None


def _wire_of(ingress: Ingress, event: str) -> str:
    return next((sent for sent, bound in ingress.types if bound == event), event)


def _where_type(ingress: Ingress) -> str:
    if ingress.type_field is not None:
        return f"the body has no string field '{ingress.type_field}' naming its event type"
    return f"name the event type in {ingress.type_header}: one of {', '.join(sent for sent, _ in ingress.types)}"


def sign(ingress: Ingress, secret: str, body: bytes, now: float) -> dict[str, str]:
    """The signature header a sender of this scheme sends with `body` at time `now` (what
    tests and `evtc run` use to make requests the ingress accepts); `{}` when unsigned."""
    if not ingress.signed or ingress.signature_header is None:
        return {}
    if ingress.verify == "stripe":
        timestamp = int(now)
        value = f"t={timestamp},v1={_digest(ingress, secret, str(timestamp).encode() + b'.' + body)}"
    else:
        value = ingress.signature_prefix + _digest(ingress, secret, body)
    return {ingress.signature_header: value}


def request_for(ingress: Ingress, event: str, data: Mapping[str, Any]) -> tuple[dict[str, str], bytes]:
    """Headers naming `event` (where the scheme names types by header) and the body of `data`:
    the unsigned request a sender of `event` makes."""
    body = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    if ingress.type_field is None and ingress.type_header is not None:
        return {ingress.type_header: _wire_of(ingress, event)}, body
    return {}, body
