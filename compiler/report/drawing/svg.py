"""The topology as an SVG picture: shapes by kind, routes labelled with event and filter,
dead letters and read grants dashed.

>>> from evtc.frontend import compile_file
>>> picture = svg(compile_file("examples/orders.evt").graph)
>>> picture.startswith("<svg") and 'data-node="queue:fraud_jobs"' in picture
True
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from html import escape

from evtc import ir
from evtc.graph import TopologyGraph
from evtc.report.draw import edge_label
from evtc.report.drawing import layout as lay

WRAP = 30  # characters per line of an edge label
Link = Callable[[ir.Component], str | None]
STYLE = """
.evtc-node path, .evtc-node polygon, .evtc-node rect, .evtc-node ellipse { fill: #f4f7fb; stroke: #34495e; stroke-width: 1.4; }
.evtc-node.source polygon { fill: #e8f6ef; } .evtc-node.function rect { fill: #fdf5e6; }
.evtc-node.topic polygon, .evtc-node.bus polygon { fill: #eef0fb; } .evtc-node.endpoint ellipse { fill: #fbeef2; }
.evtc-node text { font: 12px sans-serif; fill: #1d2731; text-anchor: middle; }
.evtc-node .kind { fill: #5d6d7e; font-size: 11px; }
.evtc-edge { fill: none; stroke: #5d6d7e; stroke-width: 1.3; }
.evtc-edge.dead_letter { stroke: #c0392b; stroke-dasharray: 6 4; } .evtc-edge.reads { stroke-dasharray: 2 3; } .evtc-edge.writes { stroke-width: 2.5; }
.evtc-label text { font: 11px sans-serif; fill: #34495e; text-anchor: middle; }
.evtc-label rect { fill: #ffffff; opacity: 0.85; }
"""


def node_lines(c: ir.Component) -> list[str]:
    kind = getattr(c, "kind", None)
    where = f", account {c.account}" if c.account else ""
    return [c.name, c.keyword + (f": {kind}" if kind else "") + where]


def edge_text(data: dict[str, object]) -> list[str]:
    route = data.get("route")
    if data["kind"] == "route" and isinstance(route, ir.Route):
        return textwrap.wrap(edge_label(route), WRAP, break_on_hyphens=False) or []
    return [str(data.get("label") or data["kind"]).replace("_", " ")]


def svg(graph: TopologyGraph, link: Link | None = None) -> str:
    sizes = {node: lay.node_size(node_lines(c), c.keyword) for node, c in graph.nodes.items()}
    widest = max((len(line) for _, _, _, d in graph.edges for line in edge_text(d)), default=0)
    placed = lay.layout(graph, sizes, gap=max(90.0, widest * 6.6 + 50))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="evtc-graph" viewBox="0 0 {placed.width:.0f} {placed.height:.0f}" '
        f'width="{placed.width:.0f}" height="{placed.height:.0f}" role="img" aria-label="{escape(graph.topology.name)}">',
        f"<title>{escape(graph.topology.name)}</title>",
        f"<style>{STYLE}</style>",
        '<defs><marker id="evtc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#5d6d7e"/></marker></defs>',
    ]
    for line in placed.lines:
        parts.append(_edge(line, placed.boxes))
    for node, box in sorted(placed.boxes.items()):
        parts.append(_node(graph.component(node), box, link))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _node(c: ir.Component, box: lay.Box, link: Link | None) -> str:
    left, top = box.x - box.width / 2, box.y - box.height / 2
    right, bottom = left + box.width, top + box.height
    shape = _shape(c.keyword, left, top, right, bottom, box)
    name, kind = node_lines(c)
    text = (
        f'<text x="{box.x:.1f}" y="{box.y - 2:.1f}">{escape(name)}</text>'
        f'<text class="kind" x="{box.x:.1f}" y="{box.y + 13:.1f}">{escape(kind)}</text>'
    )
    body = f'<g class="evtc-node {c.keyword}" data-node="{escape(c.id)}">{shape}{text}</g>'
    href = link(c) if link else None
    return f'<a href="{escape(href)}">{body}</a>' if href else body


def _shape(keyword: str, left: float, top: float, right: float, bottom: float, box: lay.Box) -> str:
    cx, cy = box.x, box.y

    def polygon(*points: tuple[float, float]) -> str:
        return '<polygon points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>'

    if keyword == "source":  # invhouse, pointing the way events go
        return polygon((left, top), (right - 14, top), (right, cy), (right - 14, bottom), (left, bottom))
    if keyword == "stream":  # cds
        return polygon(
            (left, top), (right - 12, top), (right, cy), (right - 12, bottom), (left, bottom), (left + 8, cy)
        )
    if keyword == "topic":  # hexagon
        return polygon(
            (left + 12, top), (right - 12, top), (right, cy), (right - 12, bottom), (left + 12, bottom), (left, cy)
        )
    if keyword == "bus":  # diamond
        return polygon((cx, top), (right, cy), (cx, bottom), (left, cy))
    if keyword == "queue":  # cylinder
        ry = 6.0
        return (
            f'<path d="M {left:.1f} {top + ry:.1f} A {(right - left) / 2:.1f} {ry} 0 0 1 {right:.1f} {top + ry:.1f} L {right:.1f} {bottom - ry:.1f} '
            f"A {(right - left) / 2:.1f} {ry} 0 0 1 {left:.1f} {bottom - ry:.1f} Z M {left:.1f} {top + ry:.1f} "
            f'A {(right - left) / 2:.1f} {ry} 0 0 0 {right:.1f} {top + ry:.1f}"/>'
        )
    if keyword == "endpoint":
        return f'<ellipse cx="{cx:.1f}" cy="{cy:.1f}" rx="{(right - left) / 2:.1f}" ry="{(bottom - top) / 2:.1f}"/>'
    return f'<rect x="{left:.1f}" y="{top:.1f}" width="{right - left:.1f}" height="{bottom - top:.1f}" rx="9"/>'  # function


def _edge(line: lay.Line, boxes: dict[str, lay.Box]) -> str:
    start, end = boxes[line.source], boxes[line.target]
    if line.source == line.target:
        x, y = start.x + start.width / 2, start.y
        d = f"M {x:.1f} {y - 8:.1f} C {x + 50:.1f} {y - 50:.1f}, {x + 50:.1f} {y + 50:.1f}, {x:.1f} {y + 8:.1f}"
        middle = (x + 40, y)
    else:
        forward = end.x >= start.x
        first = (start.x + start.width / 2, start.y) if forward else (start.x - start.width / 2, start.y)
        last = (end.x - end.width / 2, end.y) if forward else (end.x + end.width / 2, end.y)
        points = [first, *line.points[1:-1], last]
        d = "M " + " L ".join(f"{x:.1f} {y:.1f}" for x, y in points)
        middle = _middle(points)
    label = _label(edge_text(line.data), middle)
    kind = line.kind
    return (
        f'<g class="evtc-link {kind}"><path class="evtc-edge {kind}" d="{d}" marker-end="url(#evtc-arrow)"/>{label}</g>'
    )


def _middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    i = (len(points) - 1) // 2
    (x1, y1), (x2, y2) = points[i], points[i + 1]
    return (x1 + x2) / 2, (y1 + y2) / 2


def _label(lines: list[str], at: tuple[float, float]) -> str:
    if not lines:
        return ""
    x, y = at
    width = max(len(s) for s in lines) * 6.4 + 8
    height = len(lines) * 13 + 4
    top = y - height / 2
    texts = "".join(
        f'<text x="{x:.1f}" y="{top + 13 * (i + 1) - 1:.1f}">{escape(s)}</text>' for i, s in enumerate(lines)
    )
    return (
        f'<g class="evtc-label"><rect x="{x - width / 2:.1f}" y="{top:.1f}" width="{width:.1f}" '
        f'height="{height:.1f}" rx="3"/>{texts}</g>'
    )
