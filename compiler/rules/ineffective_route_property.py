from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.plan import ASYNC_INVOKERS, RoutePlan
from evtc.plan.carriers import NOUNS
from evtc.rules.base import Rule, RuleContext

_POLLING = {"batch_size", "batching_window"}
_STREAM_ONLY = {"bisect", "start"}
_RETRY = {"retries", "max_age"}
_FAILURE = {"dead_letter", "on_exhausted"}
_DELIVERY = {"delivery_retries", "delivery_max_age", "delivery_dead_letter"}
_SNS_DELIVERY = {"delivery_retries", "delivery_max_age"}


class IneffectiveRouteProperty(Rule):
    """A route property that the hop's AWS service does not have, so it does nothing.

    ## What it does
    Reads the delivery plan's mechanism for each route and reports settings it has no
    place for: `retries` or `max_age` on a queue's consumer (SQS retries by `max_receives`
    on the queue), batching on a topic or bus delivery, `bisect` and `start` anywhere but on
    a stream, `retries` on an e-mail endpoint (SNS's e-mail policy is fixed), retry and
    failure settings on a route from an emitter into a store or router (the publisher
    handles its own errors). Into a function invoked asynchronously (by an app, a bus, a
    topic, a schedule or S3) they are Lambda's asynchronous-invocation settings, and count;
    there `delivery_retries`, `delivery_max_age` and `delivery_dead_letter` are the
    delivering service's (a topic takes only `delivery_dead_letter`: SNS's retries of
    Lambda are fixed). Anywhere else the `delivery_` settings have no stage of their own.

    ## Why is this bad?
    The file promises a behaviour the deployment does not have: a reader trusts
    `retries: 3` on a queue route while messages are in fact received until
    `max_receives` runs out, or forever.

    ## Example
    ```evt
    event JobQueued { job_id: string }
    source api: app { emits: [JobQueued] }
    queue jobs { max_receives: 4 dead_letter: jobs_dlq }
    queue jobs_dlq { retention: 14d }
    function worker { handler: "worker:run" }
    route api.JobQueued -> jobs
    route jobs -> worker { retries: 3 }
    ```

    ## Use instead
    ```evt
    event JobQueued { job_id: string }
    source api: app { emits: [JobQueued] }
    queue jobs { max_receives: 4 dead_letter: jobs_dlq }
    queue jobs_dlq { retention: 14d }
    function worker { handler: "worker:run" }
    route api.JobQueued -> jobs
    route jobs -> worker
    ```
    """

    code = "DLV013"
    name = "ineffective-route-property"
    category = Category.DELIVERY
    moves_with_text = True
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for carriage in ctx.plan.routes.values():
            route = carriage.route
            stages = (_ignored(ctx.topology, carriage), _delivery_ignored(carriage))
            for prop in route.props:
                for ignored, why in stages:
                    if prop.name not in ignored:
                        continue
                    yield self.report(
                        prop.span,
                        f"'{prop.name}' has no effect on a route from {_noun(carriage)} '{route.source}': {why}",
                        f"remove '{prop.name}'" + (f", and {_instead(prop.name)}" if _instead(prop.name) else ""),
                    )


def _noun(carriage: RoutePlan) -> str:
    return NOUNS.get(carriage.ends[0], carriage.ends[0]).split(" (")[0].removeprefix("a ").removeprefix("an ")


def _delivery_ignored(carriage: RoutePlan) -> tuple[set[str], str]:
    """The `delivery_` settings the route's hop has no stage for."""
    two_stages = carriage.ends[1] == "function" and carriage.carrier in ASYNC_INVOKERS and carriage.carrier != "invoke"
    if not two_stages:
        return (
            _DELIVERY,
            "only a bus, a topic or a schedule invoking a function has a delivery stage apart from the handler's",
        )
    if carriage.carrier == "sns-subscription":
        return _SNS_DELIVERY, "SNS's retries of a Lambda subscription are fixed; only `delivery_dead_letter` applies"
    return set(), ""


def _ignored(t: ir.Topology, carriage: RoutePlan) -> tuple[set[str], str]:
    """What the mechanism the delivery plan deploys for this route has no setting for."""
    start, end = carriage.ends
    if start in ("stream", "table_stream", "dynamodb") and carriage.carrier in ("esm", "pipe"):
        return set(), ""
    if start == "queue":
        return _RETRY | _STREAM_ONLY, "SQS retries by the queue's `max_receives` and expires by its `retention`"
    if carriage.carrier in ASYNC_INVOKERS and end == "function":
        return _POLLING | _STREAM_ONLY, "the function is invoked asynchronously, one event at a time"
    if carriage.carrier == "sns-subscription" and end == "endpoint":
        if getattr(t.component(carriage.route.target), "kind", "") == "email":
            return _POLLING | _STREAM_ONLY | _RETRY, "SNS's e-mail delivery policy is fixed; a route cannot change it"
        return _POLLING | _STREAM_ONLY | {
            "max_age"
        }, "a topic pushes each event on its own, and retries an endpoint by its delivery policy, not by age"
    if carriage.carrier == "sns-subscription":
        return (
            _POLLING | _STREAM_ONLY | _RETRY,
            "a topic pushes each event on its own, and retries a queue or function by its own policy (23 days)",
        )
    if carriage.carrier in ("eventbridge-rule", "s3-rule", "foreign-rule", "scheduler"):
        return _POLLING | _STREAM_ONLY, "it pushes each event on its own"
    return (
        _POLLING | _STREAM_ONLY | _RETRY | _FAILURE,
        "the emitter publishes the event itself and handles its own errors",
    )


def _instead(prop: str) -> str:
    return {"retries": "set `max_receives` on the queue", "max_age": "set the queue's `retention`"}.get(prop, "")
