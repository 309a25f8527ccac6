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
    event Signup { email: string @sensitive }
    endpoint marketing: email { address: "team@example.com" }
    route signups -> marketing
    ```

    ## Use instead
    ```evt
    event SignupCounted { day: string count: number }
    endpoint marketing: email { address: "team@example.com" }
    route stats.SignupCounted -> marketing
    ```
    """

    code = "SEC004"
    name = "sensitive-data-to-uncleared-consumer"
    category = Category.SECURITY
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
