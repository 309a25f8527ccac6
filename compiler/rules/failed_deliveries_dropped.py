from __future__ import annotations

from collections.abc import Iterator

from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import lossy_route
from evtc.rules.base import Rule, RuleContext

_STYLES = ("push-async", "push-endpoint", "poll-stream")


class FailedDeliveriesDropped(Rule):
    """A hop that drops the events it fails to deliver: no dead letter to catch them.

    ## What it does
    Reports an asynchronous hop (a topic or bus delivering to a function or endpoint, an
    S3 or schedule source invoking a function) and a stream consumer that have no
    `dead_letter` on the route and no explicit `on_exhausted: drop`. A route or source
    declared `lossy: true` (losing an occurrence is fine, as for a ticker) is exempt.

    ## Why is this bad?
    After the built-in retries (2 for an asynchronous Lambda invocation, 3 for an https
    subscription, 185 for EventBridge, or a stream's `retries`) the event is discarded.
    Nobody is told, and there is nothing to replay once the bug is fixed.

    ## Example
    ```evt
    event Alert { text: string }
    source monitor: app { emits: [Alert] }
    topic alerts {}
    function oncall { handler: "oncall:page" }
    route monitor.Alert -> alerts
    route alerts -> oncall
    ```

    ## Use instead
    ```evt
    event Alert { text: string }
    source monitor: app { emits: [Alert] }
    topic alerts {}
    function oncall { handler: "oncall:page" }
    queue oncall_failures { retention: 14d }
    route monitor.Alert -> alerts
    route alerts -> oncall { dead_letter: oncall_failures }
    ```
    """

    code = "DLV002"
    name = "failed-deliveries-dropped"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for hop in ctx.analysis.hops.values():
            if hop.style not in _STYLES or hop.dead_letter or lossy_route(ctx, hop.route):
                continue
            for drop in hop.drops:
                if drop.kind in ("exhausted", "expired"):
                    yield self.report(
                        hop.route.span,
                        drop.reason,
                        "add `dead_letter: <queue>` to this route, or `lossy: true` if losing an event is fine (the next one replaces it)",
                    )
