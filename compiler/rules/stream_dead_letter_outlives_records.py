from __future__ import annotations

from collections.abc import Iterator

from evtc import aws, ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules._common import change_stream, duration_text
from evtc.rules.base import Rule, RuleContext, related
from evtc.span import Span


class StreamDeadLetterOutlivesRecords(Rule):
    """A stream consumer's dead letter that keeps failure records longer than the stream keeps the data.

    ## What it does
    Reports a route out of a stream whose `dead_letter` queue has a longer `retention`
    than the stream itself.

    ## Why is this bad?
    A stream's on-failure destination does not receive the failed records, only where
    they are: the shard and the range of sequence numbers. Someone must read the records
    back from the stream, and once the stream's retention has passed they are gone: the
    queue then holds pointers to nothing. A dead letter looks like a safe place to wait
    for a fix, but here it is safe only for as long as the stream keeps its records.

    ## Example
    ```evt
    event OrderPlaced { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    stream orders { retention: 24h }
    queue billing_failures { retention: 14d }
    function billing { handler: "billing:handle" }
    route checkout.OrderPlaced -> orders
    route orders -> billing { retries: 3 bisect: true dead_letter: billing_failures }
    ```

    ## Use instead
    ```evt
    event OrderPlaced { order_id: string }
    source checkout: app { emits: [OrderPlaced] }
    stream orders { retention: 14d }
    queue billing_failures { retention: 14d }
    function billing { handler: "billing:handle" }
    route checkout.OrderPlaced -> orders
    route orders -> billing { retries: 3 bisect: true dead_letter: billing_failures }
    ```
    """

    code = "DLV017"
    name = "stream-dead-letter-outlives-records"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        for route in t.routes:
            stream = t.component(route.source)
            dlq = t.component(route.dead_letter) if route.dead_letter else None
            if not isinstance(stream, ir.Stream) or not isinstance(dlq, ir.Queue):
                continue
            fixed = change_stream(t, stream)
            kept = aws.default("dynamodb.retention") if fixed else stream.retention
            if dlq.retention <= kept:
                continue
            yield self.report(
                _value_span(route),
                f"'{dlq.name}' receives only the positions of the records '{route.target}' fails on, not the "
                f"records: '{stream.name}' keeps the records {duration_text(kept)}, '{dlq.name}' keeps the positions "
                f"{duration_text(dlq.retention)}, pointing at nothing after {duration_text(kept)}",
                _hint(stream, dlq, kept, fixed),
                related(dlq.span_of("retention"), f"'{dlq.name}' retention"),
            )


def _value_span(route: ir.Route) -> Span:
    found = route.prop("dead_letter")
    return found.value_span if found else route.span


def _hint(stream: ir.Stream, dlq: ir.Queue, kept: float, fixed: bool) -> str:
    within = f"re-read failed records from '{stream.name}' within {duration_text(kept)}"
    if fixed:
        return f"a DynamoDB change stream keeps records 24h and no longer: {within}, or consume it through a queue"
    return f"give '{stream.name}' `retention: {duration_text(dlq.retention)}`, or {within}"
