"""`evtc graph --format html`: the SVG picture in a standalone page (no scripts, no network)."""

from __future__ import annotations

from html import escape

from evtc.graph import TopologyGraph
from evtc.report.drawing.svg import svg

PAGE_STYLE = (
    "body { font: 14px sans-serif; margin: 24px; color: #1d2731; } .evtc-graph { max-width: 100%; height: auto; }"
)


def page(graph: TopologyGraph) -> str:
    name = escape(graph.topology.name)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{name}: topology</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{name}</h1>\n<p>{escape(graph.topology.file)}</p>\n{svg(graph)}</body>\n</html>\n"
    )
