"""The topology as a networkx graph: string node ids (`queue:fraud_jobs`), the IR object in
the node attribute `ir`, and edges of three kinds:

- `route`: an event path, one edge per route (attribute `route`: the `ir.Route`);
- `dead_letter`: where failures go, from a queue (its redrive) or from a route's target
  (that route's on-failure destination; attribute `route`);
- `reads`: a function's read-back grant on a source.

Every query is a breadth-first walk, linear in the size of the topology.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import networkx as nx
from evtc import ir

EventRef = tuple[str, str]  # (emitter component name, event name)


@dataclass(frozen=True)
class TopologyGraph:
    topology: ir.Topology
    g: nx.MultiDiGraph
    # (emitter, event) pairs arriving at each node, and carried by each route edge.
    arriving: dict[str, frozenset[EventRef]] = field(repr=False)
    carried: dict[str, frozenset[EventRef]] = field(repr=False)

    # ---- lookups ----------------------------------------------------------------------
    def node_id(self, name: str) -> str | None:
        component = self.topology.component(name)
        return component.id if component else None

    def component(self, node: str) -> ir.Component:
        return self.g.nodes[node]["ir"]  # type: ignore[no-any-return]

    def routes(self) -> Iterator[ir.Route]:
        yield from self.topology.routes

    def routes_from(self, node: str) -> list[ir.Route]:
        return [d["route"] for _, _, d in self.g.out_edges(node, data=True) if d["kind"] == "route"]

    def routes_into(self, node: str) -> list[ir.Route]:
        return [d["route"] for _, _, d in self.g.in_edges(node, data=True) if d["kind"] == "route"]

    def dead_letters_of(self, node: str) -> list[str]:
        return [v for _, v, d in self.g.out_edges(node, data=True) if d["kind"] == "dead_letter"]

    # ---- walks ---------------------------------------------------------------------------
    def downstream(self, node: str, kinds: Iterable[str] = ("route",)) -> set[str]:
        return self._walk(node, set(kinds), forward=True)

    def upstream(self, node: str, kinds: Iterable[str] = ("route",)) -> set[str]:
        return self._walk(node, set(kinds), forward=False)

    def _walk(self, start: str, kinds: set[str], forward: bool) -> set[str]:
        seen: set[str] = set()
        queue = deque([start])
        edges = self.g.out_edges if forward else self.g.in_edges
        while queue:
            node = queue.popleft()
            for u, v, d in edges(node, data=True):
                nxt = v if forward else u
                if d["kind"] in kinds and nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def events_at(self, node: str) -> set[str]:
        """Names of the event types that can arrive at `node`."""
        return {event for _, event in self.arriving.get(node, ())}

    def event_routes(self, emitter: str, event: str) -> list[ir.Route]:
        """Every route the event type `event`, emitted by `emitter`, can travel."""
        ref = (emitter, event)
        return [r for r in self.topology.routes if ref in self.carried.get(r.id, ())]

    def emitted(self) -> list[EventRef]:
        """Every (emitter, event) pair some route carries, sorted."""
        return sorted({ref for refs in self.carried.values() for ref in refs})


def build_graph(topology: ir.Topology) -> TopologyGraph:
    g = nx.MultiDiGraph()
    for c in topology.components:
        if c.id not in g:
            g.add_node(c.id, ir=c)
    for r in topology.routes:
        _add_route(g, topology, r)
    for c in topology.components:
        _add_grants(g, topology, c)
    arriving, carried = _event_flow(topology)
    return TopologyGraph(topology, g, arriving, carried)


def _add_route(g: nx.MultiDiGraph, t: ir.Topology, r: ir.Route) -> None:
    source, target = t.component(r.source), t.component(r.target)
    if source is None or target is None:
        return
    g.add_edge(source.id, target.id, key=r.id, kind="route", route=r)
    dead_letter = t.component(r.dead_letter) if r.dead_letter else None
    if dead_letter is not None:
        g.add_edge(target.id, dead_letter.id, key=f"{r.id}:dead_letter", kind="dead_letter", route=r)


def _add_grants(g: nx.MultiDiGraph, t: ir.Topology, c: ir.Component) -> None:
    if isinstance(c, ir.Queue) and c.dead_letter:
        dlq = t.component(c.dead_letter)
        if dlq is not None:
            g.add_edge(c.id, dlq.id, key="redrive", kind="dead_letter", route=None)
    for source_name in getattr(c, "reads", ()):
        source = t.component(source_name)
        if source is not None:
            g.add_edge(c.id, source.id, key=f"reads:{source_name}", kind="reads", route=None)


def _event_flow(t: ir.Topology) -> tuple[dict[str, frozenset[EventRef]], dict[str, frozenset[EventRef]]]:
    """Propagate (emitter, event) pairs from emitters through stores and routers."""
    out_routes: dict[str, list[ir.Route]] = {}
    for r in t.routes:
        out_routes.setdefault(r.source, []).append(r)
    arriving: dict[str, set[EventRef]] = {}
    carried: dict[str, set[EventRef]] = {}
    work: deque[tuple[ir.Route, frozenset[EventRef]]] = deque()
    for c in t.components:
        if isinstance(c, ir.EMITTERS):
            emitted = frozenset((c.name, e) for e in c.emits)
            work.extend((r, emitted) for r in out_routes.get(c.name, ()))
    while work:
        route, offered = work.popleft()
        refs = {ref for ref in offered if route.event is None or ref[1] == route.event}
        new = refs - carried.setdefault(route.id, set())
        if not new:
            continue
        carried[route.id] |= new
        target = t.component(route.target)
        if target is None:
            continue
        arriving.setdefault(target.id, set()).update(new)
        if isinstance(target, (*ir.STORES, *ir.ROUTERS)):
            work.extend((r, frozenset(new)) for r in out_routes.get(target.name, ()))
    freeze = lambda d: {k: frozenset(v) for k, v in d.items()}
    return freeze(arriving), freeze(carried)
