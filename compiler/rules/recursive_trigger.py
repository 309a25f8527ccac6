from __future__ import annotations

from collections.abc import Iterator

from evtc.analysis.cycles import cycle_text
from evtc.diagnostics import Category, Diagnostic, Related, Severity
from evtc.plan.writes import Write
from evtc.rules.base import Rule, RuleContext


class RecursiveTrigger(Rule):
    """A cycle of routes along which an event can trigger itself forever.

    ## What it does
    Finds every cycle of routes that carry events (a function whose output comes back to
    it, a topic feeding a queue that feeds the topic) and reports each once, as
    `a --> b --> c --> a`, unless a `when` filter on the cycle can stop it. A function's
    `writes` to a table or bucket are part of the graph: writing to the table whose stream
    triggers the function is a loop (`orders --> changes --> enrich --writes--> orders`),
    unless the kinds it writes (`writes: [orders: "MODIFY"]`) are not routed back to it.

    ## Why is this bad?
    The recursive-trigger trap: each event causes another, at full speed and at full
    cost, until someone notices the bill. Lambda's loop detection stops only some of
    these loops, and only after thousands of invocations; it follows SQS, SNS, S3 and
    Lambda only, not a loop through a DynamoDB table's stream, Kinesis or EventBridge.

    ## Example
    ```evt
    event OrderPlaced { order_id: string }
    event OrderUpdated { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    topic orders {}
    queue failures { retention: 14d }
    function enrich { handler: "enrich:handle" emits: [OrderUpdated] }
    route checkout.OrderPlaced -> orders
    route orders -> enrich { dead_letter: failures }
    route enrich.OrderUpdated -> orders
    ```

    ## Use instead
    ```evt
    event OrderPlaced { order_id: string }
    event OrderEnriched { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    topic orders {}
    topic enriched_orders {}
    queue failures { retention: 14d }
    function enrich { handler: "enrich:handle" emits: [OrderEnriched] }
    function notify { handler: "notify:send" }
    route checkout.OrderPlaced -> orders
    route orders -> enrich { dead_letter: failures }
    route enrich.OrderEnriched -> enriched_orders
    route enriched_orders -> notify { dead_letter: failures }
    ```
    """

    code = "DLV006"
    name = "recursive-trigger"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for cycle in ctx.analysis.cycles:
            if any(route.when is not None for route in cycle):
                continue  # a filter on the loop is how users break it on purpose
            if len(cycle) == 1 and cycle[0].source == cycle[0].target:
                continue  # `route q -> q` is DLV020's finding
            writes = [step for step in cycle if isinstance(step, Write)]
            if writes:
                yield self.report(
                    cycle[0].span,
                    f"events can trigger themselves forever: {cycle_text(cycle)}",
                    f'break the loop: bind the write to the change kind it makes (`writes: [{writes[0].target}: "MODIFY"]`) '
                    "and route only the other kinds back, or add a `when` filter that lets its own changes out",
                    tuple(Related(w.span, f"'{w.source}' writes to '{w.target}' here") for w in writes),
                )
                continue
            yield self.report(
                cycle[0].span,
                f"events can trigger themselves forever: {cycle_text(cycle)}",
                "break the loop: emit a different event type, or add a `when` filter that lets the loop's own events out",
            )
