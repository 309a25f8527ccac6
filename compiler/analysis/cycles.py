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
        earliest.setdefault(u, written[id(step)])
    found = []
    for component in nx.strongly_connected_components(g):
        start = min(component, key=lambda n: (earliest.get(n, 0), repr(n)))
        if len(component) > 1 or g.has_edge(start, start):
            cycle = nx.find_cycle(g.subgraph(component), source=start)
            found.append(_from_route(tuple(g.edges[u, v]["step"] for u, v in cycle)))
    unique = {tuple(step.id for step in cycle): cycle for cycle in found}
    return tuple(sorted(unique.values(), key=lambda steps: written[id(steps[0])]))


State = tuple[str, object]  # (component, what flows there: an event ref, an event type, or None)


def _edges(
    graph: TopologyGraph, routes: list[ir.Route], writes: tuple[Write, ...]
) -> Iterator[tuple[State, State, Step]]:
    """The topology at the level of events where writes make it matter: a store or router
    holds apart the events of each table or bucket a function writes to, each such table or
    bucket the event types its changes arrive as, and a function turns whatever reaches it
    into what it emits and writes. A cycle here is one events can really travel (a function
    that only updates a table is not triggered again by a route that takes only its
    insertions). Every other event is one state per node, as a route is one edge: the size
    of the graph stays that of the topology where nothing is written."""
    t = graph.topology
    sinks = {w.target for w in writes}
    for r in routes:
        source, target = t.component(r.source), t.component(r.target)
        carried = graph.carried[r.id]
        held = {ref for ref in carried if ref[0] in sinks} if sinks else set()
        kinds: set[tuple[str, str] | None] = {*held, None} if len(held) < len(carried) else {*held}
        for ref in kinds:
            yield _state(source, ref), _state(target, ref), r
    for w in writes:
        for event in written_events(t, w):
            yield (w.source, None), (w.target, event), w


def _state(c: ir.Component | None, ref: tuple[str, str] | None) -> State:
    """A store or router holds a written table's or bucket's events apart (`ref`), and
    everything else as one (None); a written table or bucket is one state per event type."""
    if isinstance(c, (ir.Queue, ir.Stream, ir.Topic, ir.Bus)):
        return (c.name, ref)
    if isinstance(c, ir.Source) and ref is not None:
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
