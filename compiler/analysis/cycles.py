"""Cycles along which events can trigger themselves: strongly connected components of the
routes that carry events (linear, Tarjan via networkx), one representative cycle each.
"""

from __future__ import annotations

from collections import deque

from evtc import ir
from evtc.graph import TopologyGraph


def find_cycles(graph: TopologyGraph) -> tuple[tuple[ir.Route, ...], ...]:
    carrying = [r for r in graph.topology.routes if graph.carried.get(r.id)]
    if not _may_cycle(carrying):
        return ()
    import networkx as nx  # NOTE: imported only when there is a cycle to report; see evtc.graph

    g = nx.DiGraph()
    first: dict[tuple[str, str], ir.Route] = {}
    earliest: dict[str, int] = {}  # a cycle is told from its earliest-written route
    written = {id(r): i for i, r in enumerate(carrying)}  # as written, file by file
    for r in carrying:
        g.add_edge(r.source, r.target)
        first.setdefault((r.source, r.target), r)
        earliest.setdefault(r.source, written[id(r)])
    found = []
    for component in nx.strongly_connected_components(g):
        start = min(component, key=lambda n: (earliest.get(n, 0), n))
        if len(component) > 1 or g.has_edge(start, start):
            cycle = nx.find_cycle(g.subgraph(component), source=start)
            found.append(tuple(first[(u, v)] for u, v in cycle))
    return tuple(sorted(found, key=lambda routes: written[id(routes[0])]))


def _may_cycle(routes: list[ir.Route]) -> bool:
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


def cycle_text(routes: tuple[ir.Route, ...]) -> str:
    """`a --> b --> c --> a`."""
    return " --> ".join([r.source for r in routes] + [routes[0].source])
