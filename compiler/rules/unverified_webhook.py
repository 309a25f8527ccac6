from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules.base import Rule, RuleContext


class UnverifiedWebhook(Rule):
    """A webhook source that does not verify who calls it.

    ## What it does
    Reports a `source NAME: webhook` that says nothing about how callers are authenticated
    (no `verify`), one with a signature scheme (`stripe`, `github`, `hmac_sha256`,
    `hmac_sha512`) but no `secret:` (the name of the secret holding the signing key), and,
    as a warning, one that is public on purpose (`verify: none`). `verify: iam` (callers
    sign with SigV4 and need `execute-api:Invoke`) is authenticated and not reported.

    ## Why is this bad?
    A webhook is a public URL. Without a signature check anyone who finds it can inject
    events that look like the partner's, and everything downstream trusts them.

    ## Example
    ```evt
    event PaymentSucceeded { id: string }
    source stripe: webhook { emits: [PaymentSucceeded: "payment_intent.succeeded"] }
    queue payments { max_receives: 5 dead_letter: payments_dlq }
    queue payments_dlq { retention: 14d }
    function fulfil { handler: "fulfil:handle" }
    route stripe.PaymentSucceeded -> payments
    route payments -> fulfil
    ```

    ## Use instead
    ```evt
    event PaymentSucceeded { id: string }
    source stripe: webhook {
      emits: [PaymentSucceeded: "payment_intent.succeeded"]
      verify: stripe
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
            if source.kind != "webhook" or source.verify == "iam":
                continue
            if source.verify == "none":
                found = self.report(
                    source.span_of("verify"),
                    f"webhook '{source.name}' is public on purpose (`verify: none`): anyone who finds its URL "
                    "can emit its events",
                    "verify the sender's signature (`verify: stripe | github | hmac_sha256`), or require "
                    "`verify: iam`; suppress this warning if the endpoint must stay open",
                )
                yield replace(found, severity=Severity.WARNING)
            elif source.verify is None:
                yield self.report(
                    source.span,
                    f"webhook '{source.name}' accepts events from anyone: it has no `verify`",
                    "add the sender's scheme (`verify: stripe | github | hmac_sha256 | hmac_sha512`) with "
                    '`secret: "<secret name>"`, or `verify: iam`',
                )
            elif source.secret is None:
                yield self.report(
                    source.span_of("verify"),
                    f"webhook '{source.name}' checks `{source.verify}` signatures but names no `secret` to check them with",
                    'add `secret: "<name of the secret with the signing key>"`',
                )
