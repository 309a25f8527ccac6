from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules.base import Rule, RuleContext


class UnverifiedWebhook(Rule):
    """A webhook source that does not verify who calls it.

    ## What it does
    Reports a `source NAME: webhook` without both `verify: hmac_sha256` and `secret:`
    (the name of the secret holding the signing key).

    ## Why is this bad?
    A webhook is a public URL. Without a signature check anyone who finds it can inject
    events that look like the partner's, and everything downstream trusts them.

    ## Example
    ```evt
    event PaymentSucceeded { payment_id: string }
    source stripe: webhook { emits: [PaymentSucceeded] }
    queue payments { max_receives: 5 dead_letter: payments_dlq }
    queue payments_dlq { retention: 14d }
    function fulfil { handler: "fulfil:handle" }
    route stripe.PaymentSucceeded -> payments
    route payments -> fulfil
    ```

    ## Use instead
    ```evt
    event PaymentSucceeded { payment_id: string }
    source stripe: webhook {
      emits: [PaymentSucceeded]
      verify: hmac_sha256
      secret: "stripe/webhook-signing-key"
    }
    queue payments { max_receives: 5 dead_letter: payments_dlq }
    queue payments_dlq { retention: 14d }
    function fulfil { handler: "fulfil:handle" }
    route stripe.PaymentSucceeded -> payments
    route payments -> fulfil
    ```
    """

    code = "SEC007"
    name = "unverified-webhook"
    category = Category.SECURITY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for source in ctx.components(ir.Source):
            if source.kind != "webhook":
                continue
            missing = [p for p in ("verify", "secret") if getattr(source, p) is None]
            if missing:
                yield self.report(
                    source.span,
                    f"webhook '{source.name}' accepts events from anyone: it has no {' and no '.join(f'`{m}`' for m in missing)}",
                    'add `verify: hmac_sha256` and `secret: "<name of the secret with the signing key>"`',
                )
