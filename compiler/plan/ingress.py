"""The ingress of a `source NAME: webhook`: what it verifies, where each request names its
event type, and the function that runs it, as one `Ingress` both targets run.

Each `verify` scheme brings its sender's conventions (Stripe: `Stripe-Signature` with a
timestamp, the type in the payload's `type`; GitHub: `X-Hub-Signature-256: sha256=…`, the
type in `X-GitHub-Event`); a generic `hmac_*` takes its header, prefix and encoding from the
source, evtc's own `X-Evtc-Signature: sha256=<hex>` by default. The pulumi-aws target writes
the `Ingress` into the ingress function's environment; the local runtime judges requests
with it directly; `evtc.webhook` is the one place a request is judged.
"""

from __future__ import annotations

from evtc import ir
from evtc.webhook import EVTC_EVENT, EVTC_SIGNATURE, SIGNED, STRIPE_TOLERANCE, Ingress

# the sender conventions of each scheme: (signature header, prefix, type field, type header)
SCHEMES: dict[str, tuple[str | None, str, str | None, str | None]] = {
    "stripe": ("Stripe-Signature", "", "type", None),
    "github": ("X-Hub-Signature-256", "sha256=", None, "X-GitHub-Event"),
    "hmac_sha256": (EVTC_SIGNATURE, "sha256=", None, EVTC_EVENT),
    "hmac_sha512": (EVTC_SIGNATURE, "sha512=", None, EVTC_EVENT),
    "iam": (None, "", None, EVTC_EVENT),
    "none": (None, "", None, EVTC_EVENT),
}
# senders that name their event types themselves: (who, an example of a name)
SENDERS: dict[str, tuple[str, str]] = {"stripe": ("Stripe", "payment_intent.succeeded"), "github": ("GitHub", "push")}
DEFAULT_TIMEOUT = 10.0  # seconds: evtc's choice for an ingress that only verifies and forwards
# which properties only some schemes read: property -> the schemes it applies to
ONLY_FOR: dict[str, tuple[str, ...]] = {
    "secret": SIGNED,
    "tolerance": ("stripe",),
    "signature_header": ("hmac_sha256", "hmac_sha512"),
    "signature_prefix": ("hmac_sha256", "hmac_sha512"),
    "signature_encoding": ("hmac_sha256", "hmac_sha512"),
}


def scheme_of(source: ir.Source) -> str:
    """The scheme a webhook runs; one that says none is evtc's own HMAC (SEC007 reports it)."""
    return source.verify or "hmac_sha256"


def ingress_of(source: ir.Source) -> Ingress:
    """What the ingress of webhook `source` checks and how it finds each request's type."""
    scheme = scheme_of(source)
    header, prefix, field, type_header = SCHEMES[scheme]
    if source.type_field is not None or source.type_header is not None:
        field, type_header = source.type_field, source.type_header
    written = source.type_field is not None or source.type_header is not None or scheme in ("stripe", "github")
    return Ingress(
        name=source.name,
        verify=scheme,
        signature_header=source.signature_header or header,
        signature_prefix=prefix if source.signature_prefix is None else source.signature_prefix,
        signature_encoding=source.signature_encoding or "hex",
        tolerance=(source.tolerance or STRIPE_TOLERANCE) if scheme == "stripe" else None,
        type_field=field,
        type_header=type_header,
        types=sent_types(source),
        default_type=source.emits[0] if len(source.emits) == 1 and not written else None,
    )


def sent_types(source: ir.Source) -> tuple[tuple[str, str], ...]:
    """(the sender's type name, the event type it is) for every type the source accepts: each
    binding (an event may have several), and an unbound event under its own name."""
    bound = {event for event, _ in source.wire_types}
    found = [(text, event) for event, text in source.wire_types]
    return tuple(found + [(event, event) for event in source.emits if event not in bound])


def ingress_timeout(source: ir.Source) -> float:
    return source.timeout if source.timeout is not None else DEFAULT_TIMEOUT


def inapplicable(source: ir.Source) -> list[tuple[str, tuple[str, ...]]]:
    """The written properties the source's scheme does not read, with the schemes that do."""
    scheme = scheme_of(source)
    return [(name, schemes) for name, schemes in ONLY_FOR.items() if source.prop(name) and scheme not in schemes]


def unnamed_types(source: ir.Source) -> tuple[str, ...]:
    """The event types of a webhook whose sender names its own types (Stripe, GitHub) that
    are bound to none of its names: no request would ever be one of them."""
    if source.kind != "webhook" or scheme_of(source) not in SENDERS:
        return ()
    bound = {event for event, _ in source.wire_types}
    return tuple(event for event in source.emits if event not in bound)
