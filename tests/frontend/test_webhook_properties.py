"""A webhook source's properties: written → IR → the plan's `Ingress` (gap 5 of issue 13)."""

from __future__ import annotations

import pytest

from evtc import ir
from evtc.frontend import compile_text
from evtc.plan.ingress import ingress_of
from evtc.webhook import EVTC_EVENT, EVTC_SIGNATURE, STRIPE_TOLERANCE

HEAD = "topology t\nevent Paid { id: string }\nevent Failed { id: string }\n"


def source(body: str) -> tuple[ir.Source, list[str]]:
    compilation = compile_text(HEAD + f"source hook: webhook {{ {body} }}\n", "t.evt")
    hook = compilation.topology.component("hook")
    assert isinstance(hook, ir.Source)
    return hook, [d.code for d in compilation.diagnostics]


def test_stripe_binds_dotted_sender_types_and_takes_its_conventions() -> None:
    hook, codes = source(
        'verify: stripe secret: "k" concurrency: 10 timeout: 20s '
        'emits: [Paid: "payment_intent.succeeded", Paid: "charge.succeeded", Failed]'
    )
    assert codes == [] and hook.emits == ("Paid", "Failed")
    assert hook.wire_types == (("Paid", "payment_intent.succeeded"), ("Paid", "charge.succeeded"))
    assert (hook.concurrency, hook.timeout) == (10, 20.0)
    ingress = ingress_of(hook)
    assert ingress.signature_header == "Stripe-Signature" and ingress.type_field == "type"
    assert ingress.tolerance == STRIPE_TOLERANCE and ingress.default_type is None
    assert dict(ingress.types) == {"payment_intent.succeeded": "Paid", "charge.succeeded": "Paid", "Failed": "Failed"}


def test_github_reads_the_type_from_its_header() -> None:
    ingress = ingress_of(source('verify: github secret: "k" emits: [Paid: "push"]')[0])
    assert (ingress.signature_header, ingress.signature_prefix) == ("X-Hub-Signature-256", "sha256=")
    assert (ingress.type_field, ingress.type_header, ingress.tolerance) == (None, "X-GitHub-Event", None)


def test_a_generic_hmac_takes_what_is_written_and_evtcs_own_defaults_otherwise() -> None:
    written = ingress_of(
        source(
            'verify: hmac_sha512 secret: "k" signature_header: "X-Sig" signature_prefix: "" '
            'signature_encoding: base64 type_field: "meta.kind" emits: [Paid]'
        )[0]
    )
    assert (written.signature_header, written.signature_prefix, written.signature_encoding) == ("X-Sig", "", "base64")
    assert (written.type_field, written.type_header, written.default_type) == ("meta.kind", None, None)
    default = ingress_of(source('verify: hmac_sha256 secret: "k" emits: [Paid]')[0])
    assert (default.signature_header, default.signature_prefix) == (EVTC_SIGNATURE, "sha256=")
    assert (default.type_header, default.default_type) == (EVTC_EVENT, "Paid")  # one type: every request is it


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ('verify: hmac_sha256 secret: "k" type_field: "t" type_header: "X-T" emits: [Paid]', "REF013"),
        ('verify: hmac secret: "k" emits: [Paid]', "REF004"),
        ('verify: stripe secret: "k" tolerance: 300 emits: [Paid]', "REF005"),
        ('verify: stripe secret: "k" signature_encoding: hexadecimal emits: [Paid]', "REF004"),
        ("verify: iam concurrency: 0 emits: [Paid]", "REF006"),
    ],
)
def test_webhook_properties_that_do_not_fit_are_front_end_errors(body: str, code: str) -> None:
    assert source(body)[1] == [code]
