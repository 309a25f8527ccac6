"""Cycles along which events can trigger themselves: strongly connected components of the
routes that carry events and of the writes that come back as a table's or bucket's
changes (linear, Tarjan via networkx), one representative cycle each.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import TypeAlias

from evtc import ir
from evtc.graph import TopologyGraph
from evtc.plan.writes import Write, writes_of, written_events

Step: TypeAlias = ir.Route | Write  # one edge of a cycle: a route, or a function's write to a table or bucket


def find_cycles(graph: TopologyGraph) -> tuple[tuple[Step, ...], ...]:
    t = graph.topology
    writes = writes_of(t)
    carrying = [r for r in t.routes if graph.carried.get(r.id)]
    if not _may_cycle([*carrying, *writes]):
        return ()
    import networkx as nx  # NOTE: imported only when there is a cycle to report; see evtc.graph

    g = nx.DiGraph()
    earliest: dict[State, int] = {}  # a cycle is told from its earliest-written step
    written = {id(step): i for i, step in enumerate([*carrying, *writes])}  # as written, file by file
    for u, v, step in _edges(graph, carrying, writes):
        if not g.has_edge(u, v):
            g.add_edge(u, v, step=step)
        if step is not None:
            earliest.setdefault(u, written[id(step)])
    found = []
    for component in nx.strongly_connected_components(g):
        start = min(component, key=lambda n: (earliest.get(n, len(written)), repr(n)))
        if len(component) > 1 or g.has_edge(start, start):
            cycle = nx.find_cycle(g.subgraph(component), source=start)
            steps = tuple(g.edges[u, v]["step"] for u, v in cycle)
            found.append(_from_route(tuple(step for step in steps if step is not None)))
    unique = {tuple(step.id for step in cycle): cycle for cycle in found}
    return tuple(sorted(unique.values(), key=lambda steps: written[id(steps[0])]))


State = tuple[str, object]  # (component, what flows there: an event ref, an event type, or None)
ANY = "*"  # NOTE: every event type a store or router holds: the state a route taking them all leaves from


def _edges(
    graph: TopologyGraph, routes: list[ir.Route], writes: tuple[Write, ...]
) -> Iterator[tuple[State, State, Step | None]]:
    """The topology at the level of events: a store or router holds each event type apart
    (and apart again the events of each table or bucket a function writes to), each such
    table or bucket the event types its changes arrive as, and a function turns whatever
    reaches it into what it emits and writes. A cycle here is one events can really travel:
    a function that takes A from a bus and puts B back onto it is not triggered again by
    its own events when only A is routed to it, and one that only updates a table is not
    triggered again by a route that takes only its insertions. A route is one edge per
    event type it carries, but one into a function that takes every type a store or router
    holds is one edge from that node's `ANY` state (each of its types leads there once), so
    a bus with many such consumers stays as large as the topology."""
    t = graph.topology
    sinks = {w.target for w in writes}
    pooled: set[str] = set()  # stores and routers whose types lead to their ANY state
    holdings = _Holdings(graph, sinks)
    for r in routes:
        source, target = t.component(r.source), t.component(r.target)
        carried = graph.carried[r.id]
        held = {ref for ref in carried if ref[0] in sinks} if sinks else set()
        if isinstance(source, _HOLDERS) and _state(target, ANY)[1] is None and holdings.every_type(r, held):
            kinds: set[tuple[str, str] | str] = {*held, ANY}
            pooled.add(r.source)
        else:
            kinds = {*held, *{event for _, event in carried - held}}
        for ref in kinds:
            yield _state(source, ref), _state(target, ref), r
    for name in sorted(pooled):
        for event in sorted(holdings.of(name)[1]):
            yield (name, event), (name, ANY), None
    for w in writes:
        for event in written_events(t, w):
            yield (w.source, None), (w.target, event), w


_HOLDERS = (ir.Queue, ir.Stream, ir.Topic, ir.Bus)  # what holds each event type apart


class _Holdings:
    """What each store or router holds, counted once per node: its events (the written
    tables' and buckets' aside) and how many producers each of their types has."""

    def __init__(self, graph: TopologyGraph, sinks: set[str]) -> None:
        self.graph, self.sinks = graph, sinks
        self.counts: dict[str, tuple[int, dict[str, int]]] = {}

    def of(self, name: str) -> tuple[int, dict[str, int]]:
        found = self.counts.get(name)
        if found is None:
            producers: dict[str, int] = {}
            events = 0
            holder = self.graph.topology.component(name)
            for emitter, event in self.graph.arriving.get(holder.id if holder else name, ()):
                if emitter not in self.sinks:
                    events += 1
                    producers[event] = producers.get(event, 0) + 1
            found = self.counts[name] = (events, producers)
        return found

    def every_type(self, route: ir.Route, held: set[tuple[str, str]]) -> bool:
        """Whether `route` carries every event type its source holds. NOTE: told without a
        walk when fewer of the source's events are left out than any one type has
        producers: then no type can be missing altogether."""
        events, producers = self.of(route.source)
        if len(producers) < 2:
            return False
        carried = self.graph.carried[route.id]
        if events - (len(carried) - len(held)) < min(producers.values()):
            return True
        return len({event for emitter, event in carried if emitter not in self.sinks}) == len(producers)


def _state(c: ir.Component | None, ref: tuple[str, str] | str) -> State:
    """A store or router holds each event type apart (`ref` an event type) and a written
    table's or bucket's events apart again (`ref` its event ref); a written table or bucket
    is one state per event type; anything else, a function above all, is one state."""
    if isinstance(c, _HOLDERS):
        return (c.name, ref)
    if isinstance(c, ir.Source) and isinstance(ref, tuple):
        return (c.name, ref[1])  # NOTE: what a write into it makes, per event type
    return (c.name if c is not None else "", None)


def _from_route(cycle: tuple[Step, ...]) -> tuple[Step, ...]:
    """The cycle told from a route (a diagnostic points at the route), when it has one."""
    at = next((i for i, step in enumerate(cycle) if isinstance(step, ir.Route)), 0)
    return cycle[at:] + cycle[:at]


def _may_cycle(routes: list[Step]) -> bool:
    """Whether the routes contain a cycle: Kahn's peeling leaves some edge behind exactly then."""
    indegree: dict[str, int] = {}
    out: dict[str, list[str]] = {}
    for r in routes:
        out.setdefault(r.source, []).append(r.target)
        indegree[r.target] = indegree.get(r.target, 0) + 1
        indegree.setdefault(r.source, 0)
    ready = deque(node for node, degree in indegree.items() if degree == 0)
    peeled = 0
    while ready:
        node = ready.popleft()
        peeled += 1
        for nxt in out.get(node, ()):
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return peeled < len(indegree)


def cycle_text(steps: tuple[Step, ...]) -> str:
    """`a --> b --> c --> a`; a write is `f --writes--> table`."""
    text = steps[0].source
    for step in steps:
        text += (" --writes--> " if isinstance(step, Write) else " --> ") + step.target
    return text
