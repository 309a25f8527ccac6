"""Webhook requests in the local runtime: each sender's scheme, the event type from the
payload or a header, unbound types, and Stripe's tolerance on the virtual clock."""

from __future__ import annotations

import json
from typing import Any

import pytest

from evtc.local import EmitError, Runtime
from evtc.webhook import Ingress, sign

from .conftest import build

SECRETS = {"stripe/key": "whsec_test", "github/key": "gh-secret", "shop/key": "shop-secret"}
TOPOLOGY = """
topology hooks
event Paid { id: string type: string data: { object: { amount: number } } }
event Pushed { ref: string }
event Ordered { id: number }
event Counted { sku: string }
source stripe: webhook {
  verify: stripe secret: "stripe/key" tolerance: 5m
  emits: [Paid: "payment_intent.succeeded", Paid: "charge.succeeded"]
}
source github: webhook { verify: github secret: "github/key" emits: [Pushed: "push"] }
source shop: webhook {
  verify: hmac_sha512 secret: "shop/key" signature_header: "X-Shop-Hmac" signature_prefix: "" signature_encoding: base64
  type_field: "meta.topic" emits: [Ordered: "orders/create"]
}
source warehouse: webhook { verify: iam emits: [Counted] }
queue inbox {}
route stripe -> inbox
route github -> inbox
route shop -> inbox
route warehouse -> inbox
"""


@pytest.fixture
def rt() -> Runtime:
    return build(TOPOLOGY, secrets=SECRETS)


def paid(event_type: str = "payment_intent.succeeded", amount: int = 2000) -> bytes:
    return json.dumps({"id": "evt_1", "type": event_type, "data": {"object": {"amount": amount}}}).encode()


def test_a_signed_stripe_request_is_accepted_and_emitted_whole(rt: Runtime) -> None:
    body = paid()
    answer = rt.webhook("stripe", body, rt.sign_webhook("stripe", body))
    assert answer.status == 202 and answer.event_id is not None
    (held,) = rt.dead_letters("inbox")
    assert held.type == "Paid" and held.data == json.loads(body)
    second = rt.webhook("stripe", paid("charge.succeeded"), rt.sign_webhook("stripe", paid("charge.succeeded")))
    assert second.status == 202  # NOTE: two sender types bound to one event type


def test_stripe_tolerance_runs_on_the_virtual_clock(rt: Runtime) -> None:
    body = paid()
    headers = rt.sign_webhook("stripe", body)
    rt.advance(300)
    assert rt.webhook("stripe", body, headers).status == 202  # exactly the tolerance: still fine
    rt.advance(1)
    late = rt.webhook("stripe", body, headers)
    assert late.status == 401 and "tolerance" in late.message
    ahead = rt.sign_webhook("stripe", body, at=rt.now + 3600)
    assert rt.webhook("stripe", body, ahead).status == 202  # as stripe-python: the future is not bounded


def test_stripe_accepts_any_one_matching_v1_signature(rt: Runtime) -> None:
    body = paid()
    good = rt.sign_webhook("stripe", body)["Stripe-Signature"]
    timestamp, v1 = good.split(",")
    assert rt.webhook("stripe", body, {"stripe-signature": f"{timestamp},v1={'0' * 64},{v1},v0=old"}).status == 202
    assert rt.webhook("stripe", body, {"Stripe-Signature": f"{timestamp},v1={'0' * 64}"}).status == 401


@pytest.mark.parametrize(
    ("tamper", "status"),
    [
        (lambda body, headers: (body + b" ", headers), 401),
        (lambda body, headers: (body, {}), 401),
        (lambda body, headers: (body, {"Stripe-Signature": "v1=abc"}), 401),
        (lambda body, headers: (body, sign(_stripe(), "whsec_other", body, 1767225600)), 401),
    ],
)
def test_a_stripe_request_that_is_not_authentic_is_401(rt: Runtime, tamper: Any, status: int) -> None:
    body, headers = tamper(paid(), rt.sign_webhook("stripe", paid()))
    assert rt.webhook("stripe", body, headers).status == status
    assert rt.dead_letters("inbox") == [] and rt.ledger.emitted == []


def _stripe() -> Ingress:
    return Ingress("stripe", "stripe", "Stripe-Signature", tolerance=300.0, type_field="type")


def test_an_unbound_type_is_acknowledged_and_counted_not_emitted(rt: Runtime) -> None:
    body = paid("customer.created")
    answer = rt.webhook("stripe", body, rt.sign_webhook("stripe", body))
    assert answer.status == 200 and "customer.created" in answer.message
    assert rt.ignored == [("stripe", "customer.created")] and rt.ledger.emitted == []


@pytest.mark.parametrize(("body", "status"), [(b"not json", 400), (b"[1]", 400), (b'{"id": "evt_1"}', 400)])
def test_a_signed_body_that_names_no_type_is_400(rt: Runtime, body: bytes, status: int) -> None:
    assert rt.webhook("stripe", body, rt.sign_webhook("stripe", body)).status == status


def test_github_names_the_type_in_a_header_and_pings_are_acknowledged(rt: Runtime) -> None:
    body = {"ref": "refs/heads/main"}
    signed = rt.sign_webhook("github", body)
    assert signed["X-Hub-Signature-256"].startswith("sha256=")
    assert rt.webhook("github", body, {**signed, "X-GitHub-Event": "push"}).status == 202
    assert rt.webhook("github", body, {**signed, "x-github-event": "ping"}).status == 200
    assert rt.webhook("github", body, signed).status == 400  # no X-GitHub-Event
    assert rt.webhook("github", body, {"X-GitHub-Event": "push"}).status == 401
    assert [e.type for e in rt.dead_letters("inbox")] == ["Pushed"]


def test_a_generic_hmac_takes_its_header_encoding_and_a_nested_type_field(rt: Runtime) -> None:
    body = {"id": 7, "meta": {"topic": "orders/create"}}
    signed = rt.sign_webhook("shop", body)
    assert list(signed) == ["X-Shop-Hmac"] and signed["X-Shop-Hmac"].endswith("=")  # base64 of SHA-512
    assert rt.webhook("shop", body, signed).status == 202
    assert rt.webhook("shop", {"id": 7, "meta": {"topic": "orders/paid"}}, signed).status == 401


def test_an_iam_webhook_needs_no_signature(rt: Runtime) -> None:
    assert rt.sign_webhook("warehouse", {"sku": "s"}) == {}
    answer = rt.webhook("warehouse", {"sku": "s"})
    assert answer.status == 202 and rt.dead_letters("inbox")[0].type == "Counted"


def test_emit_checks_the_schemes_signature_of_the_data(rt: Runtime) -> None:
    data = {"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {"amount": 1}}}
    rt.emit("stripe", "Paid", data, signature=rt.emit_signature("stripe", data))
    with pytest.raises(EmitError, match=r"rejected the request \(401\)"):
        rt.emit("stripe", "Paid", data, signature="t=1,v1=00")
    assert rt.emit_signature("warehouse", {"sku": "s"}) is None
    rt.emit("warehouse", "Counted", {"sku": "s"})


def test_a_webhook_without_its_secret_or_a_wrong_source_is_an_emit_error() -> None:
    rt = build(TOPOLOGY)
    with pytest.raises(EmitError, match="pass secrets"):
        rt.webhook("stripe", paid(), {})
    with pytest.raises(EmitError, match="not a webhook source"):
        rt.webhook("inbox", paid(), {})
