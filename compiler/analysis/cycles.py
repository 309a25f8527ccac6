"""Cycles along which events can trigger themselves: strongly connected components of the
routes that carry events (linear, Tarjan via networkx), one representative cycle each.
"""

from __future__ import annotations

import networkx as nx
from evtc import ir
from evtc.graph import TopologyGraph


def find_cycles(graph: TopologyGraph) -> tuple[tuple[ir.Route, ...], ...]:
    g = nx.DiGraph()
    first: dict[tuple[str, str], ir.Route] = {}
    earliest: dict[str, int] = {}  # a cycle is told from its earliest-written route
    for r in graph.topology.routes:
        if graph.carried.get(r.id):
            g.add_edge(r.source, r.target)
            first.setdefault((r.source, r.target), r)
            earliest.setdefault(r.source, r.span.line)
    found = []
    for component in nx.strongly_connected_components(g):
        start = min(component, key=lambda n: (earliest.get(n, 0), n))
        if len(component) > 1 or g.has_edge(start, start):
            cycle = nx.find_cycle(g.subgraph(component), source=start)
            found.append(tuple(first[(u, v)] for u, v in cycle))
    return tuple(sorted(found, key=lambda routes: routes[0].span.line))


def cycle_text(routes: tuple[ir.Route, ...]) -> str:
    """`a --> b --> c --> a`."""
    return " --> ".join([r.source for r in routes] + [routes[0].source])
