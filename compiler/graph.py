"""The topology as a networkx graph: string node ids (`queue:fraud_jobs`), the IR object in
the node attribute `ir`, and edges of three kinds:

- `route`: an event path, one edge per route (attribute `route`: the `ir.Route`);
- `dead_letter`: where failures go, from a queue (its redrive) or from a route's target
  (that route's on-failure destination; attribute `route`);
- `reads`: a function's read-back grant on a source;
- `writes`: a function's writes to a table or bucket (a dynamodb or s3 source), whose
  changes flow on along the routes out of it.

Every query is a breadth-first walk, linear in the size of the topology.

NOTE: the queries run on plain adjacency lists and the networkx graph `g` is built on first
use: importing networkx costs more than checking a thousand components, and most runs of
`evtc check` need no networkx algorithm at all.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from evtc import ir
from evtc.util.record import record

if TYPE_CHECKING:
    import networkx as nx

EventRef = tuple[str, str]  # (emitter component name, event name)
Edge = tuple[str, str, str, dict[str, Any]]  # (u, v, key, attributes)


@record(slots=False)
class TopologyGraph:
    """The topology as nodes and edges, with the events flowing through each."""

    topology: ir.Topology
    nodes: dict[str, ir.Component] = field(repr=False)
    edges: tuple[Edge, ...] = field(repr=False)
    # (emitter, event) pairs arriving at each node, and carried by each route edge.
    arriving: dict[str, frozenset[EventRef]] = field(repr=False)
    carried: dict[str, frozenset[EventRef]] = field(repr=False)

    @cached_property
    def g(self) -> nx.MultiDiGraph:
        """The topology as a networkx MultiDiGraph (IR in node attribute `ir`)."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        graph.add_nodes_from((node, {"ir": component}) for node, component in self.nodes.items())
        graph.add_edges_from(self.edges)
        return graph

    @cached_property
    def _out(self) -> dict[str, list[Edge]]:
        out: dict[str, list[Edge]] = {node: [] for node in self.nodes}
        for edge in self.edges:
            out[edge[0]].append(edge)
        return out

    @cached_property
    def _in(self) -> dict[str, list[Edge]]:
        into: dict[str, list[Edge]] = {node: [] for node in self.nodes}
        for edge in self.edges:
            into[edge[1]].append(edge)
        return into

    # ---- lookups ----------------------------------------------------------------------
    def node_id(self, name: str) -> str | None:
        component = self.topology.component(name)
        return component.id if component else None

    def component(self, node: str) -> ir.Component:
        return self.nodes[node]

    def routes(self) -> Iterator[ir.Route]:
        yield from self.topology.routes

    def routes_from(self, node: str) -> list[ir.Route]:
        return [d["route"] for _, _, _, d in self._out.get(node, ()) if d["kind"] == "route"]

    def routes_into(self, node: str) -> list[ir.Route]:
        return [d["route"] for _, _, _, d in self._in.get(node, ()) if d["kind"] == "route"]

    def dead_letters_of(self, node: str) -> list[str]:
        return [v for _, v, _, d in self._out.get(node, ()) if d["kind"] == "dead_letter"]

    # ---- walks ---------------------------------------------------------------------------
    def downstream(self, node: str, kinds: Iterable[str] = ("route",)) -> set[str]:
        return self._walk(node, set(kinds), forward=True)

    def upstream(self, node: str, kinds: Iterable[str] = ("route",)) -> set[str]:
        return self._walk(node, set(kinds), forward=False)

    def _walk(self, start: str, kinds: set[str], forward: bool) -> set[str]:
        seen: set[str] = set()
        queue = deque([start])
        adjacency = self._out if forward else self._in
        while queue:
            node = queue.popleft()
            for u, v, _, d in adjacency.get(node, ()):
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
    nodes: dict[str, ir.Component] = {}
    for c in topology.components:
        nodes.setdefault(c.id, c)
    edges: list[Edge] = []
    for r in topology.routes:
        edges.extend(_route_edges(topology, r))
    for c in topology.components:
        edges.extend(_grant_edges(topology, c))
    arriving, carried = _event_flow(topology)
    return TopologyGraph(topology, nodes, tuple(edges), arriving, carried)


def _route_edges(t: ir.Topology, r: ir.Route) -> Iterator[Edge]:
    source, target = t.component(r.source), t.component(r.target)
    if source is None or target is None:
        return
    yield source.id, target.id, r.id, {"kind": "route", "route": r}
    dead_letter = t.component(r.dead_letter) if r.dead_letter else None
    if dead_letter is not None:
        yield target.id, dead_letter.id, f"{r.id}:dead_letter", {"kind": "dead_letter", "route": r}
    undelivered = t.component(r.delivery_dead_letter) if r.delivery_dead_letter else None
    if undelivered is not None:  # NOTE: what the source could not hand over never reached the target
        edge = {"kind": "dead_letter", "route": r, "label": "undelivered"}
        yield source.id, undelivered.id, f"{r.id}:delivery_dead_letter", edge


def _grant_edges(t: ir.Topology, c: ir.Component) -> Iterator[Edge]:
    if isinstance(c, ir.Queue) and c.dead_letter:
        dlq = t.component(c.dead_letter)
        if dlq is not None:
            yield c.id, dlq.id, "redrive", {"kind": "dead_letter", "route": None}
    for source_name in getattr(c, "reads", ()):
        source = t.component(source_name)
        if source is not None:
            yield c.id, source.id, f"reads:{source_name}", {"kind": "reads", "route": None}
    for written in getattr(c, "writes", ()):
        sink = t.component(written)
        if sink is not None:
            yield c.id, sink.id, f"writes:{written}", {"kind": "writes", "route": None}


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
    return _frozen(arriving), _frozen(carried)


def _frozen(found: dict[str, set[EventRef]]) -> dict[str, frozenset[EventRef]]:
    return {key: frozenset(refs) for key, refs in found.items()}
