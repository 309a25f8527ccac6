"""Who retries a route's failures on AWS, how often and for how long, from the AWS facts.

Two kinds of failure are told apart, because AWS hands them to different services: a
delivery failure (the service could not hand the event over) and a handler failure (the
consumer's code raised). A bus, a topic, a schedule or S3 invokes a function
asynchronously: their own retry policy covers delivery only, and Lambda retries a failing
handler (twice by default, for six hours at most) before it drops the event or sends it to
the function's on-failure destination. So a route's `retries`, `max_age` and
`dead_letter` into a function are the function's asynchronous-invocation settings, and
`delivery_retries`, `delivery_max_age` and `delivery_dead_letter` the delivering service's
(the EventBridge target's or the schedule's retry policy and dead-letter queue; the SNS
subscription's redrive policy, SNS's retries of Lambda being fixed). Without
`delivery_dead_letter` a queue `dead_letter` takes both kinds of failure.
"""

from __future__ import annotations

from evtc import aws, ir
from evtc.plan.carriers import ASYNC_INVOKERS
from evtc.plan.model import Retry

INF = aws.INF


def delivery(t: ir.Topology, route: ir.Route, carrier: str, ends: tuple[str, str]) -> Retry:
    """Retries of handing the event over, by the service that carries the route."""
    into_function = ends[1] == "function"
    dead_letter = route.dead_letter
    if into_function and carrier in ASYNC_INVOKERS:
        dead_letter = _delivery_dead_letter(t, route, carrier)
    if carrier in ("eventbridge-rule", "s3-rule", "foreign-rule", "scheduler"):
        by = "scheduler" if carrier == "scheduler" else "eventbridge"
        written_retries, written_age = written(route, carrier, ends)
        retries = written_retries if written_retries is not None else aws.default("eventbridge.retries")
        age = written_age if written_age is not None else aws.default("eventbridge.max_age")
        return Retry(by, 1.0 + min(retries, aws.maximum("eventbridge.retries")), age, dead_letter)
    if carrier == "sns-subscription":
        return _sns(t, route, dead_letter)
    if carrier in ("publish", "invoke"):
        return Retry("caller", 1.0, 0.0)  # NOTE: the SDK call fails in the emitter, which sees it
    return Retry("aws", INF, INF)  # pollers and change streams: AWS retries while it is unavailable


def written(route: ir.Route, carrier: str, ends: tuple[str, str]) -> tuple[int | None, float | None]:
    """The delivery-stage `retries` and `max_age` the route writes (None: AWS's default):
    into an asynchronously invoked function the `delivery_` ones, elsewhere the plain ones."""
    if ends[1] == "function" and carrier in ASYNC_INVOKERS:
        return route.delivery_retries, route.delivery_max_age
    return route.retries, route.max_age


def _delivery_dead_letter(t: ir.Topology, route: ir.Route, carrier: str) -> str | None:
    if route.delivery_dead_letter is not None:
        return route.delivery_dead_letter
    if carrier == "sns-subscription" or not _is_queue(t, route.dead_letter):
        # NOTE: only a queue can take a bus's or a schedule's undeliverable events; a topic's
        # subscription redrives only where the route says so (`delivery_dead_letter`)
        return None
    return route.dead_letter


def _is_queue(t: ir.Topology, name: str | None) -> bool:
    return name is not None and isinstance(t.component(name), ir.Queue)


def _sns(t: ir.Topology, route: ir.Route, dead_letter: str | None) -> Retry:
    target = t.component(route.target)
    if isinstance(target, ir.Endpoint) and target.kind == "email":
        # NOTE: SNS's delivery policy for e-mail (SMTP) is fixed: a route cannot change it
        attempts = 1.0 + aws.default("sns.email_retries")
        return Retry("sns", attempts, aws.default("sns.email_max_age"), dead_letter)
    if isinstance(target, ir.Endpoint):
        retries = route.retries if route.retries is not None else aws.default("sns.https_retries")
        return Retry("sns", 1.0 + retries, aws.default("sns.https_max_age"), dead_letter)
    return Retry("sns", INF, aws.default("sns.managed_max_age"), dead_letter)


def handler(t: ir.Topology, route: ir.Route, carrier: str, ends: tuple[str, str]) -> Retry | None:
    """Retries of a consumer's failing code; None when the target runs no code of the topology's."""
    if ends[1] != "function" and carrier != "pipe":
        return None
    source = t.component(route.source)
    if carrier in ASYNC_INVOKERS:
        retries = route.retries if route.retries is not None else aws.default("lambda.async_retries")
        retries = min(retries, aws.maximum("lambda.async_retries"))
        age = route.max_age if route.max_age is not None else aws.default("lambda.async_max_age")
        return Retry("lambda", 1.0 + retries, min(age, aws.maximum("lambda.async_max_age")), route.dead_letter)
    if isinstance(source, ir.Queue):
        # NOTE: SQS redrives after max_receives only when the queue has a dead-letter queue.
        attempts = float(source.max_receives) if source.max_receives and source.dead_letter else INF
        return Retry("sqs", attempts, source.retention, source.dead_letter)
    # a stream (Kinesis or a table's): the mapping retries until retries or record age run out
    retries = route.retries if route.retries is not None else INF
    age = route.max_age if route.max_age is not None else INF
    return Retry("pipes" if carrier == "pipe" else "esm", 1.0 + retries, age, route.dead_letter)
