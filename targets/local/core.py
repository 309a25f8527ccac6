"""The wiring: one simulated component per IR component, one link per route.

Routes out of emitters, topics and buses are links decided where the event leaves (the
route's compiled filter for that hop); routes out of queues and streams are pollers. The
kind of the target decides what a send does, by naming convention (`_send_<kind>`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from evtc import aws, ir
from evtc.frontend import Compilation
from evtc.plan import plan_of
from evtc.plan.attributes import attribute_types, published_topics
from evtc.plan.wire import PAYLOAD, WireName, default_source
from evtc.targets.local.chaos import Chaos
from evtc.targets.local.clock import Clock
from evtc.targets.local.consumers import EndpointSim, FunctionSim
from evtc.targets.local.delivery import Handover
from evtc.targets.local.hops import (
    VIEWS,
    View,
    change_kinds,
    handler_retry,
    hop_filter,
    hop_view,
    leads,
    runnable,
    table_kinds,
    table_streams,
    view_key,
)
from evtc.targets.local.ledger import DEAD_LETTERED, DELIVERED, DROPPED, FILTERED, Ledger, Tracked
from evtc.targets.local.pollers import Forward, QueuePoller, StreamPoller
from evtc.targets.local.queues import FifoQueueSim, QueueSim
from evtc.targets.local.sensitive import event_plans
from evtc.targets.local.shapes import arn, eventbridge_event, sns_event
from evtc.targets.local.streams import StreamSim
from evtc.targets.local.wire import stripping

Send = Callable[[Tracked], None]
_ROUTES: Any = object()  # `exhaust`: the route's own dead letter
_HANDING_OVER = ("eventbridge", "scheduler", "sns")  # services whose own retries precede Lambda's
Link = tuple[Callable[[Any], bool] | None, Send, View]  # (filter, send, what the filter decides on)


class Fan:
    """The routes leaving one component (for one event type), each filter deciding on its
    hop's view (out of one topic, a subscription filtering message attributes and one
    filtering the body see different things)."""

    __slots__ = ("component", "direct", "links")

    def __init__(self, component: str) -> None:
        self.component = component
        self.links: list[Link] = []
        self.direct: Send | None = None  # the one send when a single unfiltered route leaves

    def seal(self) -> None:
        only = self.links[0] if len(self.links) == 1 else None
        self.direct = only[1] if only is not None and only[0] is None else None


class Core:
    def __init__(
        self,
        compilation: Compilation,
        handlers: Mapping[str, Callable[..., Any]],
        seed: int,
        chaos: Chaos | None,
        durations: Mapping[str, float],
    ) -> None:
        self.compilation, self.topology = compilation, compilation.topology
        self.clock, self.ledger, self.rng = Clock(), Ledger(), random.Random(seed)
        self.chaos = chaos or Chaos()
        self.chaos_duplicates, self.chaos_reorder = self.chaos.duplicates, self.chaos.reorder
        self.errors: list[tuple[float, str, str]] = []
        self.stores: dict[str, Any] = {}
        self.consumers: dict[str, FunctionSim | EndpointSim] = {}
        self.links: dict[tuple[str, str | None], Fan] = {}
        self.pollers: list[QueuePoller | StreamPoller] = []
        self._published_topics: set[str] | None = None
        self._views: dict[tuple[str, str | None], View] = {}
        self.own_streams: dict[str, StreamSim] = {}  # dynamodb source -> its change stream
        self._build(handlers, durations)

    # ---- building --------------------------------------------------------------------------------
    def _build(self, handlers: Mapping[str, Callable[..., Any]], durations: Mapping[str, float]) -> None:
        dynamodb_fed = table_streams(self.topology)
        for c in self.topology.components:
            if isinstance(c, ir.Queue):
                self.stores[c.name] = (FifoQueueSim if c.fifo else QueueSim)(self, c)
            elif isinstance(c, ir.Stream):
                self.stores[c.name] = StreamSim(self, c, c.name in dynamodb_fed)
                self.stores[c.name].kinds = change_kinds(self.topology, c.name)
            elif isinstance(c, ir.Function):
                self.consumers[c.name] = FunctionSim(self, c, handlers[c.name], durations.get(c.name, 0.0))
            elif isinstance(c, ir.Endpoint):
                self.consumers[c.name] = EndpointSim(self, c)
        self._strip_sensitive()
        for route in self.topology.routes:
            self._wire(route)
        for fan in self.links.values():
            fan.seal()

    def _wire(self, route: ir.Route) -> None:
        source = self.topology.component(route.source)
        if source is None or self.topology.component(route.target) is None:
            return
        runnable(self.compilation.graph, route)
        if not leads(self.compilation.graph, route):
            return
        store = self.stores.get(route.source) or self._own_change_stream(source, route)
        if store is not None:
            self._poll(store, route)
            return
        link = (hop_filter(self.compilation.graph, route), self._sender(route, source), self._view(route))
        if isinstance(source, ir.ROUTERS):
            keys: list[str | None] = [None]  # a router passes on every type it receives
        else:
            keys = [route.event] if route.event else list(getattr(source, "emits", ()))
        for event in keys:
            self.fan(source.name, event).links.append(link)

    def _view(self, route: ir.Route) -> View:
        """The route's hop view, one object per kind of view (so a fan computes each once)."""
        key = view_key(self.compilation.graph, route)
        found = self._views.get(key)
        if found is None:
            found = self._views[key] = hop_view(self.compilation.graph, route)
        return found

    def _own_change_stream(self, source: ir.Component, route: ir.Route) -> StreamSim | None:
        """The table's own change stream, which a function reads straight from the table with an
        event source mapping (as deployed): records wait in their shard and a failing batch is
        retried until it expires, rather than Lambda's two async retries."""
        if not (isinstance(source, ir.Source) and source.kind == "dynamodb"):
            return None
        if not isinstance(self.topology.component(route.target), ir.Function):
            return None
        found = self.own_streams.get(source.name)
        if found is None:
            stream = ir.Stream(name=source.name, span=source.span, retention=aws.default("dynamodb.retention"))
            found = self.own_streams[source.name] = StreamSim(self, stream, dynamodb=True)
            found.kinds = table_kinds(source)
            for event in source.emits:
                self.fan(source.name, event).links.append((None, found.accept, _envelope))
        return found

    def fan(self, component: str, event: str | None) -> Fan:
        """The fan-out of `component` (for `event`), created on first mention."""
        key = (component, event)
        if key not in self.links:
            self.links[key] = Fan(component)
        return self.links[key]

    def _poll(self, store: Any, route: ir.Route) -> None:
        sink = self.consumers.get(route.target)
        if not isinstance(sink, FunctionSim):
            sink = Forward(self, route)  # type: ignore[assignment]
        poller_type = StreamPoller if isinstance(store, StreamSim) else QueuePoller
        self.pollers.append(poller_type(self, store, route, sink))  # type: ignore[arg-type]

    def _sender(self, route: ir.Route, source: ir.Component) -> Send:
        target = self.topology.component(route.target)
        send: Send = getattr(self, f"_send_{target.keyword}")(route, source)  # type: ignore[union-attr]
        if plan_of(self.compilation).routes[route.id].wire != PAYLOAD:
            return send
        # NOTE: the hop hands over the payload alone (evtc.plan.wire); onto a bus, named as the plan names it
        return stripping(send, self._wire_name if isinstance(target, ir.Bus) else None)

    def _wire_name(self, envelope: Tracked) -> WireName:
        emitter = envelope.source.rsplit("/", 1)[-1]
        found = plan_of(self.compilation).name_of(emitter, envelope.type)
        return found or WireName(default_source(self.topology), envelope.type)

    def _send_queue(self, route: ir.Route, source: ir.Component) -> Send:
        return self.stores[route.target].accept  # type: ignore[no-any-return]

    _send_stream = _send_queue

    def _send_topic(self, route: ir.Route, source: ir.Component) -> Send:
        return partial(self.fan_out, self.fan(route.target, None))

    _send_bus = _send_topic

    def _send_function(self, route: ir.Route, source: ir.Component) -> Send:
        function = self.consumers[route.target]
        resource = arn("sns" if source.keyword == "topic" else "events", f"{source.keyword}/{source.name}")
        specs = self._attributes(source)
        names = plan_of(self.compilation).names
        shape = {
            "topic": lambda e: sns_event(e, resource, specs.get(e.type)),
            "bus": lambda e: eventbridge_event(e, resource, names),
        }.get(source.keyword, lambda e: e.to_dict())
        if plan_of(self.compilation).routes[route.id].wire == PAYLOAD:
            shape = lambda e: e.to_dict()  # noqa: E731 - the rule target's input path: the payload alone
        retry = handler_retry(self.compilation.graph, route)
        send: Send = lambda envelope: function.invoke_async(envelope, route, shape, retry)  # type: ignore[union-attr]  # noqa: E731
        delivery = plan_of(self.compilation).routes[route.id].delivery
        if delivery.by in _HANDING_OVER:
            return Handover(self, route, delivery, send)
        return send

    def _published(self) -> set[str]:
        if self._published_topics is None:
            carriers = {r: p.carrier for r, p in plan_of(self.compilation).routes.items()}
            self._published_topics = published_topics(self.topology, carriers)
        return self._published_topics

    def _attributes(self, source: ir.Component) -> dict[str, dict[str, str]]:
        """The `@attribute` specs per event type of messages on topic `source`: set only when
        every event reaches it by a `Publish` (a bus, pipe or schedule sets none)."""
        if not isinstance(source, ir.Topic):
            return {}
        if source.name not in self._published():
            return {}
        return {e.name: attribute_types(e) for e in self.topology.events}

    def _send_endpoint(self, route: ir.Route, source: ir.Component) -> Send:
        endpoint = self.consumers[route.target]
        return lambda envelope: endpoint.deliver(envelope, route)  # type: ignore[union-attr]

    def _send_source(self, route: ir.Route, source: ir.Component) -> Send:
        return lambda envelope: self.ledger.unrouted(envelope, f"a route cannot deliver into source '{route.target}'")

    def _strip_sensitive(self) -> None:
        sensitive = event_plans(self.topology)
        for consumer in self.consumers.values():
            if "sensitive" not in consumer.ir.clearance:
                consumer.strip = sensitive

    # ---- moving events ---------------------------------------------------------------------------
    def fan_out(self, fan: Fan, envelope: Tracked) -> None:
        """Send along every link whose filter accepts, each deciding on its hop's view (made
        once while consecutive links share it)."""
        seen: Any = None
        made: View | None = None
        matched = False
        for decide, send, view in fan.links:
            if decide is not None:
                if view is not made:
                    seen, made = view(envelope), view
                if not decide(seen):
                    continue
            matched = True
            send(envelope)
        if not matched:
            if fan.links:
                envelope.fate |= FILTERED
            elif self._owned_elsewhere(fan.component):
                envelope.fate |= DELIVERED  # NOTE: handed to a router owned elsewhere: its consumers are its owner's
            else:
                self.ledger.unrouted(envelope, f"no route carries {envelope.type} out of '{fan.component}'")

    def deliver(self, route: ir.Route, envelope: Tracked) -> None:
        """A pipe's hand-over: send along `route` with no filter (the poller applied it)."""
        source = self.topology.component(route.source)
        self._sender(route, source)(envelope)  # type: ignore[arg-type]

    def exhaust(self, envelope: Tracked, route: ir.Route, where: str, dead_letter: Any = _ROUTES) -> None:
        """Retries are over: the dead letter (the route's, unless the plan names another
        for this stage), a declared drop, or a loss."""
        target = route.dead_letter if dead_letter is _ROUTES else dead_letter
        if target and (target in self.stores or self._is_router(target)):
            envelope.live -= 1
            envelope.fate |= DEAD_LETTERED
            if target in self.stores:
                self.stores[target].accept(envelope)
            else:
                self.fan_out(self.fan(target, None), envelope)  # a topic: its subscriptions get the failure
        elif route.on_exhausted == "drop":
            envelope.live -= 1
            envelope.fate |= DROPPED
        else:
            self.ledger.lose(envelope, f"{where}; nowhere to dead-letter it")

    def _owned_elsewhere(self, name: str) -> bool:
        component = self.topology.component(name)
        return isinstance(component, ir.ROUTERS) and component.external

    def _is_router(self, name: str) -> bool:
        return isinstance(self.topology.component(name), ir.ROUTERS)

    # ---- chaos -----------------------------------------------------------------------------------
    def down(self, component: str) -> bool:
        return bool(self.chaos.outages) and self.chaos.down(component, self.clock.now)

    def back_up(self, component: str) -> float:
        return self.chaos.back_up(component, self.clock.now)

    def crash(self) -> bool:
        rate = self.chaos.crash_rate
        return bool(rate) and self.rng.random() < rate

    def emit_from(self, component: str, event_type: str, data: Any, time: float | str | None) -> str:
        raise NotImplementedError  # the Runtime defines how an event is stamped


_envelope = VIEWS["envelope"]
