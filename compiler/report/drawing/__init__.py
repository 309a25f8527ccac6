"""Pictures of a topology (`evtc graph --format svg|html`): a layered layout, drawn as SVG.

`layout` places nodes and routes edges with grandalf's Sugiyama layout (pure Python, from
PyPI: no Graphviz binary to install), `svg` draws the shapes `evtc graph` uses for DOT and
Mermaid, `html` wraps the drawing in a standalone page.
"""

from __future__ import annotations

from collections.abc import Callable

from evtc.graph import TopologyGraph


def _svg(graph: TopologyGraph) -> str:
    from evtc.report.drawing.svg import svg

    return svg(graph)


def _html(graph: TopologyGraph) -> str:
    from evtc.report.drawing.html import page

    return page(graph)


PICTURES: dict[str, Callable[[TopologyGraph], str]] = {"svg": _svg, "html": _html}
