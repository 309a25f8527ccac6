"""Webhook requests into the local runtime, judged as the deployed ingress judges them.

`Runtime.webhook(source, body, headers)` runs a request through `evtc.webhook.judge` with
the source's `Ingress` from the delivery plan, the runtime's `secrets` and its virtual clock
(so a Stripe timestamp ages as the clock moves), and answers with the status the deployed
ingress would return. `sign_webhook` makes the headers a real sender would send.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from evtc import ir
from evtc.emit import EmitError, InvalidDataError
from evtc.plan.ingress import ingress_of
from evtc.targets.local.clock import EPOCH
from evtc.webhook import ACCEPTED, BAD_REQUEST, IGNORED, Ingress, judge, sign, verify

Body = bytes | str | Mapping[str, Any]


class WebhookResponse(NamedTuple):
    """What the sender gets back: 202 accepted, 200 ignored (an unbound type), 400, 401."""

    status: int
    message: str
    event_id: str | None = None  # the emitted event's id, when accepted


def body_bytes(body: Body) -> bytes:
    """A request body as sent: bytes as given, text as UTF-8, a mapping as compact JSON."""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body, separators=(",", ":")).encode()


def canonical(data: Mapping[str, Any]) -> bytes:
    """The body `rt.emit` stands for: `data` as sorted, compact JSON."""
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()


class Webhooks:
    """The webhook half of `Runtime` (it supplies `topology`, `secrets`, `clock` and `_emit_as`)."""

    topology: ir.Topology
    secrets: dict[str, str]
    ignored: list[tuple[str, str]]
    clock: Any

    def webhook(self, source: str, body: Body, headers: Mapping[str, str] | None = None) -> WebhookResponse:
        """POST `body` with `headers` to webhook `source`, as its sender would; see docs/local.md."""
        hook, ingress = self._ingress(source)
        if ingress.signed and self._secret(hook) is None:
            raise _error(
                f"webhook '{source}' verifies signatures: pass secrets={{{hook.secret!r}: ...}} to the Runtime"
            )
        decision = judge(ingress, dict(headers or {}), body_bytes(body), EPOCH + self.clock.now, self._secret(hook))
        if decision.status == IGNORED:
            self.ignored.append((source, decision.sent_type or ""))
        if decision.status != ACCEPTED or decision.event is None or decision.data is None:
            return WebhookResponse(decision.status, decision.message)
        try:
            event_id = self._emit_as(source, decision.event, decision.data)
        except InvalidDataError as error:  # NOTE: as the deployed ingress answers it
            return WebhookResponse(BAD_REQUEST, str(error))
        return WebhookResponse(ACCEPTED, decision.message, event_id)

    def sign_webhook(self, source: str, body: Body, *, at: float | None = None) -> dict[str, str]:
        """The signature header(s) `source`'s sender sends with `body` at virtual time `at`
        (default: now), signed with the runtime's secret; `{}` for `verify: iam` or `none`."""
        hook, ingress = self._ingress(source)
        secret = self._secret(hook)
        if not ingress.signed or secret is None:
            return {}
        return sign(ingress, secret, body_bytes(body), EPOCH + (self.clock.now if at is None else at))

    def emit_signature(self, source: str, data: Mapping[str, Any]) -> str | None:
        """The `signature=` that `rt.emit(source, …, data)` needs now, or None when none is."""
        component = self.topology.component(source)
        if not isinstance(component, ir.Source) or component.kind != "webhook":
            return None
        return self.sign_webhook(source, canonical(data)).get(ingress_of(component).signature_header or "")

    def check_emit_signature(self, hook: ir.Source, data: Mapping[str, Any], signature: str | None) -> str | None:
        """What is wrong with `signature` for an `rt.emit` of `data` from `hook`, or None."""
        ingress = ingress_of(hook)
        if not ingress.signed:
            return None
        secret = self._secret(hook)
        if secret is None:
            return f"webhook '{hook.name}' verifies signatures: pass secrets={{{hook.secret!r}: ...}} to the Runtime"
        headers = {(ingress.signature_header or "").lower(): signature} if signature else {}
        problem = verify(ingress, headers, canonical(data), EPOCH + self.clock.now, secret)
        return None if problem is None else f"webhook '{hook.name}' rejected the request (401): {problem}"

    def _ingress(self, source: str) -> tuple[ir.Source, Ingress]:
        hook = self.topology.component(source)
        if not isinstance(hook, ir.Source) or hook.kind != "webhook":
            names = [c.name for c in self.topology.components if isinstance(c, ir.Source) and c.kind == "webhook"]
            raise _error(
                f"'{source}' is not a webhook source of this topology (webhooks: {', '.join(names) or 'none'})"
            )
        return hook, ingress_of(hook)

    def _secret(self, hook: ir.Source) -> str | None:
        return self.secrets.get(hook.secret or "") if hook.secret else None

    def _emit_as(self, source: str, event_type: str, data: dict[str, Any]) -> str:
        raise NotImplementedError


def _error(message: str) -> Exception:
    return EmitError(message)
