from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules.base import Rule, RuleContext


class WebhookTypeNeverSent(Rule):
    """A webhook event type its sender never sends under that name.

    ## What it does
    Reports an event type of a `verify: stripe` or `verify: github` webhook that is not
    bound to the sender's name for it (`emits: [Paid: "payment_intent.succeeded"]`).

    ## Why is this bad?
    Stripe and GitHub name their event types themselves (`payment_intent.succeeded`,
    `push`). The ingress emits a request as the event type bound to the name the request
    carries; an unbound type is known only by its own name, which the sender never uses,
    so every such request is acknowledged as unbound and dropped: the consumers of that
    type never receive anything, and nothing fails.

    ## Example
    ```evt
    event PaymentSucceeded { id: string }
    source stripe: webhook { verify: stripe secret: "stripe/key" emits: [PaymentSucceeded] }
    queue payments { max_receives: 5 dead_letter: payments_dlq }
    queue payments_dlq { retention: 14d }
    function fulfil { handler: "fulfil:handle" }
    route stripe -> payments
    route payments -> fulfil
    ```

    ## Use instead
    ```evt
    event PaymentSucceeded { id: string }
    source stripe: webhook {
      verify: stripe
      secret: "stripe/key"
      emits: [PaymentSucceeded: "payment_intent.succeeded"]
    }
    queue payments { max_receives: 5 dead_letter: payments_dlq }
    queue payments_dlq { retention: 14d }
    function fulfil { handler: "fulfil:handle" }
    route stripe -> payments
    route payments -> fulfil
    ```
    """

    code = "DLV022"
    name = "webhook-type-never-sent"
    category = Category.DELIVERY
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        webhooks = [source for source in ctx.components(ir.Source) if source.kind == "webhook"]
        if not webhooks:
            return
        # NOTE: imported here: the ingress's request judging is a tenth of the rules' imports
        from evtc.plan.ingress import SENDERS, scheme_of, unnamed_types

        for source in webhooks:
            sender, example = SENDERS.get(scheme_of(source), ("", ""))
            emits = source.prop("emits")
            for event in unnamed_types(source):
                yield self.report(
                    emits.span_of_item(event) if emits else source.span,
                    f"{sender} names its event types itself (like '{example}'): no request to "
                    f"webhook '{source.name}' is ever {event}, so none is emitted",
                    f"bind it to {sender}'s name for it: `{event}: \"<{sender}'s type>\"`",
                )
