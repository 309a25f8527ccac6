from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from evtc.analysis.model import NIGHT, PathFacts
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import duration_text, lossy_route, lossy_source
from evtc.rules.base import Option, Rule, RuleContext


class ConsumerCannotSurviveOutage(Rule):
    """A consumer that cannot be down for a night without losing events.

    ## What it does
    Reports a consumer whose last hop gives up on an event, with no dead letter, sooner
    than `outage` (default 12h): an asynchronous delivery (6 hours for Lambda, a minute
    for an https endpoint) or a stream consumer with few retries. Events of a source
    declared `lossy: true`, and events on a route declared `lossy: true`, are exempt:
    losing one of those is declared fine. (`on_exhausted: drop` is not enough: dropping
    a poison event on purpose is not the same as losing a whole night of events.)

    ## Why is this bad?
    Deployments break, and fleets get switched off for the night. Without an event store
    in front of the consumer, whatever arrives meanwhile is gone by morning.

    ## Example
    ```evt
    event Alert { text: string }
    source monitor: app { emits: [Alert] }
    topic alerts {}
    function indexer { handler: "index:add" }
    route monitor.Alert -> alerts
    route alerts -> indexer
    ```

    ## Use instead
    ```evt
    event Alert { text: string }
    source monitor: app { emits: [Alert] }
    topic alerts {}
    queue index_jobs { retention: 4d max_receives: 5 dead_letter: index_dlq }
    queue index_dlq { retention: 14d }
    function indexer { handler: "index:add" }
    route monitor.Alert -> alerts
    route alerts -> index_jobs
    route index_jobs -> indexer
    ```
    """

    code = "DLV012"
    name = "consumer-cannot-survive-outage"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.INFO
    options: ClassVar[dict[str, Option]] = {
        "outage": Option(NIGHT, "seconds a consumer must be able to be down without losing events")
    }

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        outage = float(ctx.options["outage"])
        seen = set()
        for facts in ctx.analysis.consumers():
            route = facts.hops[-1].route
            tolerance = facts.outage_tolerance
            if tolerance >= outage or route.id in seen or _loss_is_fine(ctx, facts):
                continue
            seen.add(route.id)
            yield self.report(
                route.span,
                f"'{facts.via[-1]}' can be down only {duration_text(tolerance)} before events are lost "
                f"(less than {duration_text(outage)})",
                f"put a queue with a dead letter in front of '{facts.via[-1]}', or add a `dead_letter` to this route",
            )


def _loss_is_fine(ctx: RuleContext, facts: PathFacts) -> bool:
    if lossy_source(ctx.topology, facts.emitter):
        return True
    return any(h.route.lossy for h in facts.hops) or lossy_route(ctx, facts.hops[-1].route)
