from __future__ import annotations

from collections.abc import Iterator

from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.filters.memo import can_match_remembered as can_match
from evtc.filters.routes import never_matches
from evtc.rules.base import Rule, RuleContext


class FilterNeverMatches(Rule):
    """A route whose `when` filter can never match any event.

    ## What it does
    Decides each filter's satisfiability: contradictory comparisons on one field
    (`a > 5 and a < 3`, `region == "eu" and region == "us"`, two incompatible prefixes,
    `exists x and not exists x`) in every alternative mean the route never delivers.

    ## Why is this bad?
    The consumer behind the route never gets an event, and nothing fails loudly: it looks
    like a quiet day. Usually an `and` that should be an `or`.

    ## Example
    ```evt
    event OrderPlaced { order_id: string region: string }
    source checkout: app { emits: [OrderPlaced] }
    topic orders {}
    queue billing_failures { retention: 14d }
    function eu_billing { handler: "billing:handle" }
    route checkout.OrderPlaced -> orders
    route orders -> eu_billing when region == "eu-west-1" and region == "eu-central-1" { dead_letter: billing_failures }
    ```

    ## Use instead
    ```evt
    event OrderPlaced { order_id: string region: string }
    source checkout: app { emits: [OrderPlaced] }
    topic orders {}
    queue billing_failures { retention: 14d }
    function eu_billing { handler: "billing:handle" }
    route checkout.OrderPlaced -> orders
    route orders -> eu_billing when region in ["eu-west-1", "eu-central-1"] { dead_letter: billing_failures }
    ```
    """

    code = "DLV009"
    name = "filter-never-matches"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for route in ctx.topology.routes:
            if route.when is not None and not can_match(route.when):
                found = never_matches(route)  # NOTE: the wording `evtc filters` uses too
                yield self.report(found.span, found.message, found.hint)
