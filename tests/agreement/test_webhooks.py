"""The deployed webhook ingress and the local runtime answer the same requests alike.

For random requests (well signed, signed with another key, tampered, unsigned, Stripe
timestamps around the tolerance, several v1 signatures, bound and unbound types, bodies
that name no type, are not JSON or break the event's schema) to sources of every scheme, the pulumi-aws target's
ingress handler, configured from the environment the target's own plan gives its function,
and `Runtime.webhook` on a clock at the same instant must give the same status and emit
the same event type with the same data.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evtc.envelope import Envelope
from evtc.export.jsonschema import topology_schemas
from evtc.frontend import Compilation, compile_text
from evtc.local import Runtime
from evtc.targets.local.clock import EPOCH
from evtc.targets.pulumi_aws.plan import Json, Resource
from evtc.targets.pulumi_aws.planner import plan
from evtc.targets.pulumi_aws.runtime import aws_webhook
from evtc.targets.pulumi_aws.runtime.aws_runtime import LambdaBackend
from evtc.webhook import Ingress, sign

SECRETS = {"stripe/key": "whsec_agree", "github/key": "gh_agree", "shop/key": "shop_agree"}
TOPOLOGY = """topology agree
event A { id: string }
event B { id: string }
source stripe: webhook { verify: stripe secret: "stripe/key" tolerance: 2m emits: [A: "a.done", B: "b.done"] }
source github: webhook { verify: github secret: "github/key" emits: [A: "push", B] }
source shop: webhook {
  verify: hmac_sha512 secret: "shop/key" signature_header: "X-Shop" signature_prefix: "" signature_encoding: base64
  type_field: "meta.kind" emits: [A: "a", B: "b"]
}
source legacy: webhook { verify: hmac_sha256 secret: "shop/key" emits: [A] }
source open: webhook { verify: none emits: [A, B] }  # evtc: ignore[SEC007]
bus inbox {}
route stripe -> inbox
route github -> inbox
route shop -> inbox
route legacy -> inbox
route open -> inbox
"""
SOURCES = ("stripe", "github", "shop", "legacy", "open")
KEYS = {"stripe": "whsec_agree", "github": "gh_agree", "shop": "shop_agree", "legacy": "shop_agree", "open": ""}
TYPES = ("a.done", "b.done", "push", "B", "A", "a", "b", "ping", "customer.created", None)


@lru_cache(maxsize=1)
def compilation() -> Compilation:
    return compile_text(TOPOLOGY, "agree.evt")


@lru_cache(maxsize=1)
def deployed_ingress() -> dict[str, str]:
    """Each ingress function's `EVTC_INGRESS`, as the pulumi-aws plan sets it."""
    found: dict[str, str] = {}
    for entry in plan(compilation()).entries:
        if isinstance(entry, Resource) and entry.type == "lambda_.Function":
            variables = entry.args.get("environment", {}).get("variables", {})
            value = variables.get("EVTC_INGRESS")
            if value is not None:
                found[entry.component] = value.value if isinstance(value, Json) else value
    return found


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, bytes, dict[str, str], float]:
    source = draw(st.sampled_from(SOURCES))
    kind = draw(st.sampled_from(TYPES))
    # NOTE: `id` is a required string: a number or no `id` breaks the event's schema (400 from both)
    identity = draw(st.one_of(st.text(max_size=5), st.text(max_size=5), st.integers(0, 9), st.none()))
    data: dict[str, Any] = {} if identity is None else {"id": identity}
    headers: dict[str, str] = {}
    if source == "stripe" and kind is not None:
        data["type"] = kind
    elif source == "shop" and kind is not None:
        data["meta"] = {"kind": kind}
    elif kind is not None:
        headers[draw(st.sampled_from(["X-GitHub-Event", "x-evtc-event"]))] = kind
    body = draw(st.sampled_from([json.dumps(data).encode()] * 3 + [b"not json", b"[]"]))
    ingress = Ingress.from_json(deployed_ingress()[source])
    signed_at = EPOCH + draw(st.integers(0, 1000))
    now = signed_at + draw(st.sampled_from([0, 1, 119, 120, 121, 600, -50]))
    how = draw(st.sampled_from(["good", "good", "other key", "tampered", "none", "extra v1"]))
    signed = sign(ingress, "someone else" if how == "other key" else KEYS[source], body, signed_at)
    if how == "tampered":
        body = body + b" "
    if how == "none":
        signed = {}
    if how == "extra v1" and "Stripe-Signature" in signed:
        signed = {"Stripe-Signature": signed["Stripe-Signature"] + ",v1=" + "0" * 64}
    return source, body, {**headers, **signed}, max(now, EPOCH)


def answer_deployed(source: str, body: bytes, headers: dict[str, str], now: float, monkeypatch: Any) -> Any:
    emitted: list[tuple[str, dict[str, Any]]] = []

    class Backend(LambdaBackend):  # NOTE: the deployed backend, its schemas those the bundle carries
        def _put_bus(self, hop: dict[str, Any], e: Envelope) -> None:
            emitted.append((e.type, dict(e.data)))

    hops = {event: [{"kind": "bus", "arn": "arn:aws:events:eu-west-1:1:event-bus/inbox"}] for event in ("A", "B")}
    schemas = topology_schemas(compilation().topology)

    ingress = deployed_ingress()[source]
    with monkeypatch.context() as patch:
        patch.setenv("EVTC_INGRESS", ingress)
        patch.setattr(aws_webhook, "_ingress", lambda: Ingress.from_json(ingress))
        patch.setattr(aws_webhook, "_secret", lambda: KEYS[source])
        patch.setattr(aws_webhook, "now", lambda: now)
        patch.setattr(aws_webhook.aws_runtime, "backend", lambda: Backend("agree", source, hops, schemas=schemas))
        event = {"headers": headers, "body": base64.b64encode(body).decode(), "isBase64Encoded": True}
        status = aws_webhook.handle(event)["statusCode"]
    return status, emitted


def answer_locally(source: str, body: bytes, headers: dict[str, str], now: float) -> Any:
    rt = Runtime(compilation(), secrets=SECRETS)
    rt.advance(now - EPOCH)
    answer = rt.webhook(source, body, headers)
    return answer.status, [(e.type, dict(e.data)) for e in rt.ledger.emitted]


def test_deployed_and_local_ingress_answer_every_request_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[int, int] = {}

    @settings(max_examples=150, deadline=None)
    @given(requests())
    def check(request: tuple[str, bytes, dict[str, str], float]) -> None:
        source, body, headers, now = request
        deployed = answer_deployed(source, body, headers, now, monkeypatch)
        local = answer_locally(source, body, headers, now)
        assert deployed == local, (source, body, headers, now - EPOCH)
        seen[deployed[0]] = seen.get(deployed[0], 0) + 1

    check()
    assert set(seen) == {200, 202, 400, 401}, seen  # NOTE: every answer was exercised


def test_a_payload_that_breaks_its_schema_is_a_bad_request_deployed_and_locally(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = json.dumps({"type": "a.done", "id": 7}).encode()
    headers = sign(Ingress.from_json(deployed_ingress()["stripe"]), KEYS["stripe"], body, EPOCH + 10)
    deployed = answer_deployed("stripe", body, headers, EPOCH + 10, monkeypatch)
    assert deployed == answer_locally("stripe", body, headers, EPOCH + 10) == (400, [])
    rt = Runtime(compilation(), secrets=SECRETS)
    rt.advance(10)
    assert "id: 7 is not of type 'string'" in rt.webhook("stripe", body, headers).message
