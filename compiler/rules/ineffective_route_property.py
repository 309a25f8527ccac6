from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules.base import Rule, RuleContext

_POLLING = {"batch_size", "batching_window"}
_STREAM_ONLY = {"bisect", "start"}
_RETRY = {"retries", "max_age"}
_FAILURE = {"dead_letter", "on_exhausted"}


class IneffectiveRouteProperty(Rule):
    """A route property that the hop's AWS service does not have, so it does nothing.

    ## What it does
    Reports route settings that do not apply to the kind of hop: `retries` or `max_age`
    on a queue's consumer (SQS retries by `max_receives` on the queue), batching on a
    topic or bus delivery, `bisect` and `start` anywhere but on a stream, retry and
    failure settings on a route out of an emitter (the publisher handles its own errors).

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
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        t = ctx.topology
        for route in t.routes:
            source, target = t.component(route.source), t.component(route.target)
            if source is None or target is None:
                continue
            ignored, why = _ignored(source, target)
            for prop in route.props:
                if prop.name in ignored:
                    yield self.report(
                        prop.span,
                        f"'{prop.name}' has no effect on a route from {source.keyword} '{source.name}': {why}",
                        f"remove '{prop.name}'" + (f", and {_instead(prop.name)}" if _instead(prop.name) else ""),
                    )


def _ignored(source: ir.Component, target: ir.Component) -> tuple[set[str], str]:
    if isinstance(source, ir.Stream):
        return set(), ""
    if isinstance(source, ir.Queue):
        return _RETRY | _STREAM_ONLY, "SQS retries by the queue's `max_receives` and expires by its `retention`"
    if isinstance(source, ir.ROUTERS):
        return _POLLING | _STREAM_ONLY, f"a {source.keyword} pushes each event on its own"
    if isinstance(source, ir.Source) and source.kind in ("s3", "schedule") and isinstance(target, ir.Function):
        return _POLLING | _STREAM_ONLY, "the source invokes the function asynchronously, one event at a time"
    return (
        _POLLING | _STREAM_ONLY | _RETRY | _FAILURE,
        "the emitter publishes the event itself and handles its own errors",
    )


def _instead(prop: str) -> str:
    return {"retries": "set `max_receives` on the queue", "max_age": "set the queue's `retention`"}.get(prop, "")
