from __future__ import annotations

from collections.abc import Iterator

from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.rules._common import names
from evtc.rules.base import Rule, RuleContext


class SensitiveDataToUnclearedConsumer(Rule):
    """`@sensitive` fields delivered to a consumer without `clearance: [sensitive]`.

    ## What it does
    Reports every function or endpoint that some path delivers an event with
    `@sensitive` fields to, when the consumer is not cleared for sensitive data. E-mail
    and https endpoints are no exception: they get sensitive data only if cleared
    explicitly.

    ## Why is this bad?
    Fan-out spreads data further than its owners intended: a topic subscription added for
    alerting quietly mails customers' personal data to a shared inbox.

    ## Example
    ```evt
    event Signup { user_id: string email: string @sensitive }
    source web: app { emits: [Signup] }
    topic signups { encrypted: true }
    queue failures { retention: 14d encrypted: true }
    endpoint marketing: email { address: "team@example.com" }
    route web.Signup -> signups
    route signups -> marketing { dead_letter: failures }
    ```

    ## Use instead
    ```evt
    event Signup { user_id: string email: string @sensitive }
    event SignupCounted { day: string count: number }
    source web: app { emits: [Signup] }
    topic signups { encrypted: true }
    topic reports {}
    queue failures { retention: 14d encrypted: true }
    function stats { handler: "stats:count" clearance: [sensitive] emits: [SignupCounted] }
    endpoint marketing: email { address: "team@example.com" }
    route web.Signup -> signups
    route signups -> stats { dead_letter: failures }
    route stats.SignupCounted -> reports
    route reports -> marketing { dead_letter: failures }
    ```
    """

    code = "SEC004"
    name = "sensitive-data-to-uncleared-consumer"
    category = Category.SECURITY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        for facts in ctx.analysis.consumers():
            flow = ctx.analysis.flows[facts.ref]
            consumer = t.component(facts.via[-1])
            if not flow.sensitive or consumer is None or "sensitive" in getattr(consumer, "clearance", ()):
                continue
            route = facts.hops[-1].route
            yield self.report(
                route.span,
                f"{consumer.keyword} '{consumer.name}' receives {facts.event} with sensitive field(s) "
                f"{names(flow.sensitive)} but has no `clearance: [sensitive]`",
                f"add `clearance: [sensitive]` to '{consumer.name}' if it may see this data, or route it an event without it",
                (Related(consumer.span, f"'{consumer.name}' is declared here"),),
            )
