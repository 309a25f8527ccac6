"""evtc's Stripe scheme accepts exactly the requests Stripe's own library accepts.

stripe-python's `WebhookSignature.verify_header` is the oracle: for random
`Stripe-Signature` headers (the real signature, others, junk items, odd spellings of the
timestamp, missing parts), bodies (UTF-8 or not), tolerances and clocks, `evtc.webhook`
must accept a request exactly when the library does.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evtc.webhook import Ingress, verify

stripe = pytest.importorskip("stripe")

SECRET = "whsec_oracle"
NOW = 1767225600


@st.composite
def requests(draw: st.DrawFn) -> tuple[bytes, str, int, float]:
    body = draw(st.one_of(st.text(max_size=20).map(str.encode), st.binary(max_size=12)))
    timestamp = NOW + draw(st.integers(-900, 900))
    text = body.decode("utf-8", "replace")
    good = stripe.WebhookSignature.generate_signature_header(text, SECRET, timestamp).split(",")[1]
    spellings = [str(timestamp), f"+{timestamp}", f" {timestamp}", f"{timestamp}x", "", str(timestamp - 1)]
    items = draw(
        st.lists(
            st.one_of(
                st.just(good),
                st.sampled_from(["v1=" + "0" * 64, "v0=" + good[3:], "v1", "x", "v1=a=b", " " + good]),
                st.sampled_from(spellings).map(lambda t: f"t={t}"),
                st.text(alphabet="tv1=, ", max_size=6),
            ),
            max_size=5,
        )
    )
    if draw(st.booleans()):  # NOTE: half are what a sender sends, give or take an item
        items = [f"t={timestamp}", good, *items[:1]]
    tolerance = draw(st.sampled_from([1, 60, 300, 600]))
    return body, ",".join(items), tolerance, float(timestamp + draw(st.integers(-10, 900)))


def library_accepts(body: bytes, header: str, tolerance: int, now: float, monkeypatch: pytest.MonkeyPatch) -> bool:
    with monkeypatch.context() as patch:
        patch.setattr(stripe._webhook.time, "time", lambda: now)
        try:
            return bool(stripe.WebhookSignature.verify_header(body, header, SECRET, tolerance))
        except (stripe.SignatureVerificationError, UnicodeDecodeError):
            return False


def test_evtc_accepts_a_stripe_request_exactly_when_stripe_python_does(monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes: dict[bool, int] = {}

    @settings(max_examples=400, deadline=None)
    @given(requests())
    def check(request: tuple[bytes, str, int, float]) -> None:
        body, header, tolerance, now = request
        ingress = Ingress("s", "stripe", "Stripe-Signature", tolerance=float(tolerance), type_field="type")
        ours = verify(ingress, {"stripe-signature": header}, body, now, SECRET) is None
        theirs = library_accepts(body, header, tolerance, now, monkeypatch)
        assert ours == theirs, (body, header, tolerance, now - NOW)
        outcomes[ours] = outcomes.get(ours, 0) + 1

    check()
    assert outcomes.get(True, 0) > 20 and outcomes.get(False, 0) > 20, outcomes  # NOTE: both sides exercised
