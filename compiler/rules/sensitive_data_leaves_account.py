from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.analysis.payload import sensitive_fields
from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.rules._common import names
from evtc.rules.base import Rule, RuleContext


class SensitiveDataLeavesAccount(Rule):
    """`@sensitive` data handed to a store or router in another account, or owned elsewhere,
    without an explicit grant.

    ## What it does
    Reports a route carrying events with `@sensitive` fields whose target is a queue, stream,
    topic or bus that another account or team owns (`external`, or in an `account:` other
    than the stack's), when that target has no `clearance: [sensitive]`. Functions and
    endpoints are SEC004's: they need the same clearance wherever they live.

    ## Why is this bad?
    Once the data is in another owner's resource, your key policies, retention and access
    reviews no longer apply; whoever reads that queue or subscribes to that bus receives it.
    Crossing an ownership boundary with personal data is a decision to write down, not a
    side effect of a route.

    ## Example
    ```evt
    topology shop
    event Signup { user_id: string email: string @sensitive }
    source web: app { emits: [Signup] }
    bus partner: external { arn: "arn:aws:events:us-east-1:222222222222:event-bus/partner" encrypted: true }
    route web.Signup -> partner
    ```

    ## Use instead
    ```evt
    topology shop
    event Signup { user_id: string email: string @sensitive }
    source web: app { emits: [Signup] }
    bus partner: external {
      arn: "arn:aws:events:us-east-1:222222222222:event-bus/partner"
      clearance: [sensitive]   # the partner's data agreement covers e-mail addresses
      encrypted: true
    }
    route web.Signup -> partner
    ```
    """

    code = "SEC021"
    name = "sensitive-data-leaves-account"
    category = Category.SECURITY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        home = ctx.plan.accounts.home.account if ctx.plan.accounts else None
        for plan in ctx.plan.routes.values():
            target = t.component(plan.route.target)
            if not isinstance(target, (*ir.STORES, *ir.ROUTERS)) or "sensitive" in target.clearance:
                continue
            elsewhere = target.external or (target.account is not None and target.account != home)
            if not elsewhere:
                continue
            found = {e: sensitive_fields(t.event(e)) for e in plan.events if t.event(e) is not None}
            found = {e: fields for e, fields in found.items() if fields}
            if not found:
                continue
            owner = f"account {target.account}" if target.account else "its owner"
            fields = sorted({f for fs in found.values() for f in fs})
            yield self.report(
                plan.route.span,
                f"{', '.join(sorted(found))} with sensitive field(s) {names(fields)} "
                f"{'leaves' if len(found) == 1 else 'leave'} for "
                f"{target.keyword} '{target.name}', owned by {owner}, which has no `clearance: [sensitive]`",
                f"add `clearance: [sensitive]` to '{target.name}' if its owner may hold this data, "
                "or route it an event without it",
                (Related(target.span, f"'{target.name}' is declared here"),),
            )
