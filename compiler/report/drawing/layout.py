"""Left-to-right layered layout of a topology graph, with grandalf's Sugiyama layout.

grandalf lays out top to bottom; evtc's pictures flow left to right like `rankdir=LR`, so
each node's width and height are swapped going in and every coordinate coming out.
"""

from __future__ import annotations

from typing import Any

from evtc.graph import TopologyGraph
from evtc.util.record import record

CHAR_WIDTH = 7.2  # px per character at the 12px font the pictures use
LINE_HEIGHT = 16.0
PAD_X, PAD_Y = 18.0, 12.0
LAYER_GAP = 110.0  # room between layers for edge labels
COMPONENT_GAP = 40.0

Point = tuple[float, float]


@record(slots=False)
class Box:
    node: str
    x: float  # centre
    y: float
    width: float
    height: float


@record(slots=False)
class Line:
    source: str
    target: str
    kind: str  # route | dead_letter | reads | writes
    data: dict[str, Any]
    points: tuple[Point, ...]


@record(slots=False)
class Layout:
    boxes: dict[str, Box]
    lines: tuple[Line, ...]
    width: float
    height: float


def node_size(lines: list[str], shape: str) -> tuple[float, float]:
    width = max(len(text) for text in lines) * CHAR_WIDTH + 2 * PAD_X
    height = len(lines) * LINE_HEIGHT + 2 * PAD_Y
    if shape in ("topic", "stream", "source"):
        width += 24
    elif shape == "bus":
        width, height = width * 1.5, height * 1.5
    elif shape == "endpoint":
        width, height = width * 1.25, height * 1.2
    elif shape == "queue":
        height += 12
    return width, height


class _View:
    def __init__(self, w: float, h: float) -> None:
        self.w, self.h = w, h
        self.xy: Point = (0.0, 0.0)


def layout(graph: TopologyGraph, sizes: dict[str, tuple[float, float]], gap: float = LAYER_GAP) -> Layout:
    try:
        from grandalf.graphs import Edge, Graph, Vertex
        from grandalf.layouts import SugiyamaLayout
        from grandalf.routing import EdgeViewer, route_with_lines
    except ImportError:
        import click

        raise click.ClickException("drawing a picture needs grandalf: pip install 'evtc[docs]'") from None

    vertices = {}
    for node in sorted(graph.nodes):
        vertex = Vertex(node)
        width, height = sizes[node]
        vertex.view = _View(height, width)  # NOTE: swapped: grandalf's layers run down, ours across
        vertices[node] = vertex
    edges = []
    for u, v, key, data in sorted(graph.edges, key=lambda e: (e[0], e[1], e[2])):
        if u == v:
            continue  # NOTE: grandalf cannot route a self-loop; svg draws it as an arc
        edge = Edge(vertices[u], vertices[v], data={"key": key, "kind": data["kind"], "attrs": data})
        edge.view = EdgeViewer()
        edges.append(edge)
    g = Graph(list(vertices.values()), edges)
    boxes: dict[str, Box] = {}
    lines: list[Line] = []
    offset = 0.0
    for component in g.C:
        sugiyama = SugiyamaLayout(component)
        sugiyama.yspace = gap
        sugiyama.xspace = 30
        sugiyama.route_edge = route_with_lines
        sugiyama.init_all()
        sugiyama.draw()
        placed = {v.data: v.view.xy for v in component.sV}
        low = min(x - vertices[n].view.w / 2 for n, (x, _) in placed.items())
        for node, (x, y) in placed.items():
            width, height = sizes[node]
            boxes[node] = Box(node, y, x - low + offset, width, height)
        for e in component.sE:
            points = tuple((py, px - low + offset) for px, py in getattr(e.view, "_pts", []) or [])
            lines.append(Line(e.v[0].data, e.v[1].data, e.data["kind"], e.data["attrs"], points))
        offset = max(b.y + b.height / 2 for b in boxes.values()) + COMPONENT_GAP
    for u, v, _, data in graph.edges:
        if u == v:
            lines.append(Line(u, v, data["kind"], data, ()))
    return _normalised(boxes, lines)


def _normalised(boxes: dict[str, Box], lines: list[Line]) -> Layout:
    """Shift everything so the picture starts at a margin from (0, 0)."""
    margin = 24.0
    if not boxes:
        return Layout({}, (), 2 * margin, 2 * margin)
    left = min(b.x - b.width / 2 for b in boxes.values())
    top = min(b.y - b.height / 2 for b in boxes.values())
    dx, dy = margin - left, margin - top
    moved = {n: Box(n, b.x + dx, b.y + dy, b.width, b.height) for n, b in boxes.items()}
    routed = tuple(
        Line(ln.source, ln.target, ln.kind, ln.data, tuple((x + dx, y + dy) for x, y in ln.points)) for ln in lines
    )
    width = max(b.x + b.width / 2 for b in moved.values()) + margin
    height = max(b.y + b.height / 2 for b in moved.values()) + margin
    return Layout(moved, routed, width, height)
