"""Topology rules about what a consumer's path keeps, and what it may read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from evtc import ir
from evtc.analysis.hops import duration_text
from evtc.analysis.model import NIGHT
from evtc.diagnostics import Diagnostic, Related, Severity
from evtc.diff.base import DiffContext, DiffRule, affects
from evtc.rules.base import Option


def _pairs(ctx: DiffContext, *kinds: type[ir.Component]) -> Iterator[tuple[Any, Any]]:
    """(old, new) of every component of `kinds` declared in both versions."""
    for c in ctx.new.topology.components:
        before = ctx.old.topology.component(c.name)
        if isinstance(c, kinds) and isinstance(before, type(c)) and ctx.new.topology.component(c.name) is c:
            yield before, c


class RetentionBelowOutage(DiffRule):
    """A store's retention shortened below how long its consumers must be able to be down.

    ## What it does
    Reports a queue or stream whose retention went down to less than `outage` (default 12h).

    ## Why is this bad?
    A store is what lets a consumer be down: it keeps the events until the consumer is back.
    Shorter than a night, and a consumer down overnight loses events.

    ## Example
    ```text
    old: queue fraud_jobs { retention: 4d }
    new: queue fraud_jobs { retention: 1h }
    ```

    ## Use instead
    ```text
    new: queue fraud_jobs { retention: 4d }
    ```
    """

    code = "CMP105"
    name = "retention-below-outage"
    mode = "always"
    options: ClassVar[dict[str, Option]] = {
        "outage": Option(NIGHT, "seconds a consumer must be able to be down without losing events")
    }

    def check(self, ctx: DiffContext) -> Iterator[Diagnostic]:
        outage = float(ctx.options.get("outage", NIGHT))
        for before, after in _pairs(ctx, *ir.STORES):
            if after.retention < before.retention and after.retention < outage:
                yield self.report(
                    after.span_of("retention"),
                    f"'{after.name}' keeps events {duration_text(after.retention)} instead of "
                    f"{duration_text(before.retention)}, less than {duration_text(outage)}"
                    + affects(ctx.downstream_consumers(after.name, ctx.new)),
                    f"keep a retention of at least {duration_text(outage)}",
                    (Related(before.span_of("retention"), "before"),),
                )


class DeadLetterRemoved(DiffRule):
    """A dead letter removed from a queue or a route.

    ## What it does
    Reports a queue that lost its `dead_letter`, or a route (same source, event and target)
    that lost its own.

    ## Why is this bad?
    What fails is now dropped instead of kept for inspection and redrive.

    ## Example
    ```text
    old: queue fraud_jobs { max_receives: 5  dead_letter: fraud_dlq }
    new: queue fraud_jobs { max_receives: 5 }
    ```

    ## Use instead
    ```text
    new: queue fraud_jobs { max_receives: 5  dead_letter: fraud_dlq }
    ```
    """

    code = "CMP106"
    name = "dead-letter-removed"
    mode = "always"

    def check(self, ctx: DiffContext) -> Iterator[Diagnostic]:
        for before, after in _pairs(ctx, ir.Queue):
            if before.dead_letter and not after.dead_letter:
                yield self._found(ctx, after.span, f"queue '{after.name}'", before.dead_letter, after.name)
        old_routes = {(r.source, r.event, r.target): r for r in ctx.old.topology.routes}
        for route in ctx.new.topology.routes:
            before = old_routes.get((route.source, route.event, route.target))
            if before is not None and before.dead_letter and not route.dead_letter:
                label = f"route '{route.source} -> {route.target}'"
                yield self._found(ctx, route.span, label, before.dead_letter, route.target)

    def _found(self, ctx: DiffContext, span: Any, what: str, dead_letter: str, start: str) -> Diagnostic:
        return self.report(
            span,
            f"{what} no longer sends failures to '{dead_letter}'" + affects(ctx.downstream_consumers(start, ctx.new)),
            f"keep `dead_letter: {dead_letter}`",
        )


class PayloadModeSwitched(DiffRule):
    """A source that switched between state transfer and notification payloads.

    ## What it does
    Reports a source whose `payload` changed.

    ## Why is this bad?
    State-transfer consumers read the data from the event; notification consumers read a
    pointer and fetch the data back. Either kind breaks on the other.

    ## Example
    ```text
    old: source checkout: app { emits: [OrderPlaced]  payload: state }
    new: source checkout: app { emits: [OrderPlaced]  payload: notification }
    ```

    ## Use instead
    ```text
    publish the other kind as a new event type, and move consumers over
    ```
    """

    code = "CMP107"
    name = "payload-mode-switched"
    mode = "always"

    def check(self, ctx: DiffContext) -> Iterator[Diagnostic]:
        for before, after in _pairs(ctx, ir.Source):
            if before.payload != after.payload:
                consumers = sorted({c for e in after.emits for c in ctx.consumers_of(e, ctx.new)})
                yield self.report(
                    after.span_of("payload"),
                    f"'{after.name}' now sends {after.payload} payloads instead of {before.payload}"
                    + affects(consumers),
                    "publish the new kind as a new event type",
                    (Related(before.span_of("payload"), "before"),),
                )


class ReadGrantRemoved(DiffRule):
    """A consumer lost the grant to read back a source whose notifications still reach it.

    ## What it does
    Reports a source removed from a function's `reads` while that source's events still
    arrive at the function.

    ## Why is this bad?
    A notification is a pointer: without the grant, the consumer's read-back fails with
    access denied on every event.

    ## Example
    ```text
    old: function scanner { handler: "s:h"  reads: [uploads] }
    new: function scanner { handler: "s:h" }
    ```

    ## Use instead
    ```text
    new: function scanner { handler: "s:h"  reads: [uploads] }
    ```
    """

    code = "CMP108"
    name = "read-grant-removed"
    mode = "always"
    severity = Severity.ERROR

    def check(self, ctx: DiffContext) -> Iterator[Diagnostic]:
        for before, after in _pairs(ctx, ir.Function):
            emitters = {emitter for emitter, _ in ctx.new.graph.arriving.get(after.id, ())}
            for source in sorted(set(before.reads) - set(after.reads)):
                if source in emitters:
                    yield self.report(
                        after.span_of("reads"),
                        f"'{after.name}' may no longer read back '{source}', whose events still reach it"
                        + affects([after.name]),
                        f"keep '{source}' in the `reads` of '{after.name}'",
                    )
