from __future__ import annotations

from collections.abc import Iterator

from evtc import aws, ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.plan import RoutePlan
from evtc.rules._common import change_stream, duration_text
from evtc.rules.base import Rule, RuleContext

_COMPONENT_FACTS = {
    ir.Queue: {
        "retention": "sqs.retention",
        "visibility_timeout": "sqs.visibility_timeout",
        "max_receives": "sqs.max_receives",
        "delay": "sqs.delay",
    },
    ir.Stream: {"retention": "kinesis.retention", "shards": "kinesis.shards"},
    ir.Function: {"timeout": "lambda.timeout", "memory": "lambda.memory"},
    ir.Source: {"timeout": "apigateway.http_timeout"},  # NOTE: only a webhook has a `timeout`
}

_CONSTANT_KEYS = {
    ir.Stream: ("partition_key", "kinesis.partition_key_length"),
    ir.Queue: ("group_by", "sqs_fifo.group_id_length"),
}


class ValueOutsideAwsRange(Rule):
    """A property value AWS does not accept.

    ## What it does
    Checks written values against AWS's ranges (one table, each entry with its source):
    queue retention 60s-14d, visibility timeout 0-12h, `max_receives` 1-1000, delay
    0-15m; stream retention 24h-365d and shards; a constant `partition_key` (at most 256
    characters) or `group_by` (128); function timeout 1s-15m and memory; a webhook's
    ingress `timeout` 1s-30s (the HTTP API in front of it waits no longer);
    per-hop batch sizes, retries and maximum ages (a stream consumer, an asynchronous
    Lambda invocation, an EventBridge target and an https subscription differ).

    ## Why is this bad?
    The deployment fails, late and far from the line that caused it; or, worse, a tool
    clamps the value and the system behaves differently from what the file says.

    ## Example
    ```evt
    event JobQueued { job_id: string }
    source api: app { emits: [JobQueued] }
    queue jobs { retention: 30d max_receives: 5 dead_letter: jobs_dlq }
    queue jobs_dlq { retention: 14d }
    function worker { handler: "worker:run" }
    route api.JobQueued -> jobs
    route jobs -> worker
    ```

    ## Use instead
    ```evt
    event JobQueued { job_id: string }
    source api: app { emits: [JobQueued] }
    queue jobs { retention: 7d max_receives: 5 dead_letter: jobs_dlq }
    queue jobs_dlq { retention: 14d }
    function worker { handler: "worker:run" }
    route api.JobQueued -> jobs
    route jobs -> worker
    ```
    """

    code = "LIM001"
    name = "value-outside-aws-range"
    category = Category.LIMITS
    moves_with_text = True
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        for c in ctx.components(ir.Queue, ir.Stream, ir.Function, ir.Source):
            facts = _COMPONENT_FACTS[type(c)]
            if isinstance(c, ir.Stream) and change_stream(t, c):
                facts = {**facts, "retention": "dynamodb.retention"}
            for prop, key in facts.items():
                yield from self._check(c, prop, getattr(c, prop), key)
            if isinstance(c, (ir.Stream, ir.Queue)) and c.key_constant is not None:
                prop, key = _CONSTANT_KEYS[type(c)]  # NOTE: a constant key is put as written: its length counts
                yield from self._check(c, prop, len(c.key_constant), key)
        yield from self._wire_names(ctx)
        plan = ctx.plan
        for route in t.routes:
            carriage = plan.of(route)
            for prop, key in (_route_facts(t, carriage) if carriage else {}).items():
                yield from self._check(route, prop, getattr(route, prop), key)

    def _wire_names(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        """The `source` and bound detail-types an own emitter puts events with: PutEvents
        takes 1-256 and 1-128 characters."""
        for c in ctx.components(ir.Source, ir.Function):
            if c.external or (isinstance(c, ir.Source) and c.kind != "app"):
                continue
            if c.event_source is not None:
                yield from self._check(c, "source", len(c.event_source), "eventbridge.source_length")
            emits = c.prop("emits")
            fact = aws.fact("eventbridge.detail_type_length")
            for event, text in c.detail_types:
                if emits is not None and not (fact.minimum or 0) <= len(text) <= (fact.maximum or 0):
                    yield self.report(
                        emits.span_of_item(event),
                        f"{event}'s detail-type is {len(text)} characters, but AWS allows {_range(fact)} ({fact.what})",
                        f"use a value in {_range(fact)}; source: {fact.source} (checked {fact.checked})",
                    )

    def _check(self, owner: ir.Component | ir.Route, name: str, value: object, key: str) -> Iterator[Diagnostic]:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return
        fact = aws.fact(key)
        low, high = fact.minimum, fact.maximum
        if not ((low is not None and value < low) or (high is not None and value > high)):
            return
        prop = owner.prop(name)  # NOTE: looked up only for a value out of range (a default is never)
        if prop is not None:
            what = "this route" if isinstance(owner, ir.Route) else f"{owner.keyword} '{owner.name}'"
            yield self.report(
                prop.value_span,
                f"'{prop.name}' of {what} is {_show(value, fact)}, but AWS allows {_range(fact)} ({fact.what})",
                f"use a value in {_range(fact)}; source: {fact.source} (checked {fact.checked})",
            )


def _route_facts(t: ir.Topology, carriage: RoutePlan) -> dict[str, str]:
    """The AWS ranges of a route's settings, from the service the plan says applies them."""
    handler, delivery = carriage.handler, carriage.delivery
    facts: dict[str, str] = {}
    if carriage.carrier in ("esm", "pipe") and carriage.ends[0] == "queue":
        queue = t.component(carriage.route.source)
        facts["batching_window"] = "esm.batching_window"
        facts["batch_size"] = "sqs_fifo.batch_size" if getattr(queue, "fifo", False) else "sqs.batch_size"
    elif carriage.carrier in ("esm", "pipe"):
        facts |= {"batch_size": "stream.batch_size", "batching_window": "esm.batching_window"}
        facts |= {"retries": "stream.retries", "max_age": "stream.max_age"}
    if handler is not None and handler.by == "lambda":
        facts |= {"retries": "lambda.async_retries", "max_age": "lambda.async_max_age"}
        if delivery.by in ("eventbridge", "scheduler"):
            facts |= {"delivery_retries": "eventbridge.retries", "delivery_max_age": "eventbridge.max_age"}
    elif delivery.by in ("eventbridge", "scheduler"):
        facts |= {"retries": "eventbridge.retries", "max_age": "eventbridge.max_age"}
    elif delivery.by == "sns" and carriage.ends[1] == "endpoint":
        facts["retries"] = "sns.https_retries"
    return facts


def _show(value: float, fact: aws.Fact) -> str:
    return duration_text(value) if fact.unit == "seconds" else f"{value:g}"


def _range(fact: aws.Fact) -> str:
    low, high = fact.minimum, fact.maximum
    if low is not None and high is not None:
        return f"{_show(low, fact)} to {_show(high, fact)}"
    if high is not None:
        return f"at most {_show(high, fact)}"
    return f"at least {_show(low or 0, fact)}"
