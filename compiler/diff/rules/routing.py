"""Topology rules about which events reach which consumers."""

from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.diagnostics import Diagnostic, Related
from evtc.diff.base import DiffContext, DiffRule, affects
from evtc.frontend.fields import field_type, leaves


class EventRemoved(DiffRule):
    """An event type that no longer exists.

    ## What it does
    Reports an event declared in the old version and missing from the new one.

    ## Why is this bad?
    Every consumer of it, inside the topology or subscribed from outside, stops receiving
    anything, silently.

    ## Example
    ```text
    old: event OrderScored { order_id: string  score: number }
    new: (gone)
    ```

    ## Use instead
    ```text
    keep emitting it until its consumers have moved to the replacement
    ```
    """

    code = "CMP101"
    name = "event-removed"
    mode = "always"

    def check(self, ctx: DiffContext) -> Iterator[Diagnostic]:
        for event in ctx.old.topology.events:
            if ctx.new.topology.event(event.name) is None and ctx.old.topology.event(event.name) is event:
                yield self.report(
                    event.span,
                    f"event {event.name} was removed" + affects(ctx.consumers_of(event.name, ctx.old)),
                    "keep the event until its consumers have moved, then remove it",
                )


class EventNoLongerRouted(DiffRule):
    """A consumer that received an event type and no longer does.

    ## What it does
    Reports a function or endpoint present in both versions that an event type reached in
    the old version and no longer reaches.

    ## Why is this bad?
    Its owner did not change anything, yet its input dried up: a route or a filter changed
    upstream.

    ## Example
    ```text
    old: route order_log -> billing
    new: (route removed)
    ```

    ## Use instead
    ```text
    keep a route to every consumer of the event
    ```
    """

    code = "CMP102"
    name = "event-no-longer-routed"
    mode = "always"

    def check(self, ctx: DiffContext) -> Iterator[Diagnostic]:
        old, new = ctx.old.graph, ctx.new.graph
        for node, c in new.nodes.items():
            before = ctx.old.topology.component(c.name)
            if not isinstance(c, ir.CONSUMERS) or before is None or not isinstance(before, ir.CONSUMERS):
                continue
            lost = old.events_at(before.id) - new.events_at(node)
            for event in sorted(e for e in lost if ctx.new.topology.event(e) is not None):
                yield self.report(
                    c.span,
                    f"'{c.name}' no longer receives {event}" + affects([c.name]),
                    f"route {event} to '{c.name}' again, or agree the change with its owner",
                    (Related(before.span, f"received {event} here before"),),
                )


class FilterFieldRemoved(DiffRule):
    """A field a route's filter selects on was removed from the event.

    ## What it does
    Reports a field that an old route's `when` reads and the new event no longer has.

    ## Why is this bad?
    Filters deployed by consumers outside this file (subscriptions, rules) match on it; once
    it is gone, they match nothing, or everything, and nobody is told.

    ## Example
    ```text
    old: route order_events -> fraud_jobs when region in ["eu-west-1"]
    new: event OrderPlaced { order_id: string }   # region removed
    ```

    ## Use instead
    ```text
    keep the field while any filter selects on it
    ```
    """

    code = "CMP103"
    name = "filter-field-removed"
    mode = "always"

    def check(self, ctx: DiffContext) -> Iterator[Diagnostic]:
        seen: set[tuple[str, str]] = set()
        for route in ctx.old.topology.routes:
            if route.when is None:
                continue
            carried = sorted({e for _, e in ctx.old.graph.carried.get(route.id, ())})
            for leaf in leaves(route.when):
                for name in carried:
                    before, after = ctx.old.topology.event(name), ctx.new.topology.event(name)
                    path = str(leaf.path)
                    if before is None or after is None or (name, path) in seen:
                        continue
                    if field_type(before, leaf.path.parts) is not None and field_type(after, leaf.path.parts) is None:
                        seen.add((name, path))
                        consumers = ctx.downstream_consumers(route.target, ctx.old)
                        yield self.report(
                            after.span,
                            f"{name} no longer has '{path}', which the filter of "
                            f"'{route.source} -> {route.target}' selects on" + affects(consumers),
                            f"keep '{path}' in {name} while filters select on it",
                            (Related(leaf.span, "the filter, before"),),
                        )


class OrderingLost(DiffRule):
    """A consumer that received an event in order and now does not.

    ## What it does
    Reports an (emitter, event, consumer) path to an `ordered: true` function that kept an
    order (a key or total) in the old version and keeps none in the new one, and where it
    is lost.

    ## Why is this bad?
    The consumer was written for ordered input (balances, state machines); it now sees
    updates out of order without any change of its own.

    ## Example
    ```text
    old: stream order_log { partition_key: order_id }   route order_log -> billing
    new: queue order_jobs {}                            route order_jobs -> billing
    ```

    ## Use instead
    ```text
    keep an ordered hop (a stream or a FIFO queue keyed the same) in front of the consumer
    ```
    """

    code = "CMP104"
    name = "ordering-lost"
    mode = "always"

    def check(self, ctx: DiffContext) -> Iterator[Diagnostic]:
        for key, before in sorted(ctx.old_paths.items()):
            after = ctx.new_paths.get(key)
            if before.order_key is None or after is None or after.order_key is not None:
                continue
            consumer = after.via[-1]
            if not any(getattr(t.component(consumer), "ordered", False) for t in (ctx.old.topology, ctx.new.topology)):
                continue  # NOTE: only consumers that declare `ordered: true` depend on it
            where = after.order_lost.span if after.order_lost else ctx.new.topology.span
            reason = f" at '{after.order_lost.at}': {after.order_lost.reason}" if after.order_lost else ""
            yield self.report(
                where,
                f"'{consumer}' no longer receives {after.emitter}.{after.event} in order{reason}" + affects([consumer]),
                f"restore an ordered path keyed by '{before.order_key}'",
            )
