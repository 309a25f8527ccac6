"""Drawings of a topology graph: Mermaid flowcharts and Graphviz DOT, shapes by kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evtc import ir
from evtc.frontend.unparse import filter_text
from evtc.graph import TopologyGraph

_MERMAID_SHAPES = {
    "source": ('>"', '"]'),
    "queue": ('[("', '")]'),
    "stream": ('[["', '"]]'),
    "topic": ('{{"', '"}}'),
    "bus": ('{"', '"}'),
    "function": ('("', '")'),
    "endpoint": ('(("', '"))'),
}
_DOT_SHAPES = {
    "source": "invhouse",
    "queue": "cylinder",
    "stream": "cds",
    "topic": "hexagon",
    "bus": "diamond",
    "function": "box",
    "endpoint": "ellipse",
}


def _label(c: ir.Component) -> str:
    kind = getattr(c, "kind", None)
    where = f"\naccount {c.account}" if c.account else ""  # NOTE: ownership boundaries, visible
    return f"{c.name}\n{c.keyword}" + (f": {kind}" if kind else "") + where


def edge_label(route: ir.Route) -> str:
    parts = [route.event] if route.event else []
    if route.when is not None:
        parts.append(f"when {filter_text(route.when)}")
    return " ".join(parts)


def _sorted_edges(graph: TopologyGraph) -> list[tuple[str, str, dict[str, Any]]]:
    edges = sorted(graph.edges, key=lambda e: (e[0], e[1], e[3]["kind"], e[2]))
    return [(u, v, data) for u, v, _, data in edges]


def _mermaid_id(node: str) -> str:
    return node.replace(":", "__")


_MERMAID_PLAIN = frozenset(" _-.,:=!()[]{}*/+?@$%^~>")  # NOTE: `>` alone opens no tag


def _mermaid_text(text: str) -> str:
    """`text` as a quoted Mermaid label that shows exactly `text`: every character that Mermaid
    or HTML could read (`"`, `#…;` entity codes, `<`, `&`, backticks, …) as a `#NN;` code."""
    return "".join(
        "<br/>" if ch == "\n" else ch if ch.isalnum() or ch in _MERMAID_PLAIN else f"#{ord(ch)};" for ch in text
    )


def mermaid(graph: TopologyGraph) -> str:
    lines = ["flowchart LR"]
    for node in sorted(graph.nodes):
        c = graph.component(node)
        left, right = _MERMAID_SHAPES[c.keyword]
        lines.append(f"    {_mermaid_id(node)}{left}{_mermaid_text(_label(c))}{right}")
    for u, v, data in _sorted_edges(graph):
        arrow = {"route": "-->", "dead_letter": "-.->", "reads": "-..->", "writes": "==>"}[data["kind"]]
        label = (
            edge_label(data["route"])
            if data["kind"] == "route"
            else data.get("label") or data["kind"].replace("_", " ")
        )
        shown = f'|"{_mermaid_text(label)}"|' if label else ""
        lines.append(f"    {_mermaid_id(u)} {arrow}{shown} {_mermaid_id(v)}")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    """`text` inside a DOT double-quoted string: backslashes doubled (so no `\\N`-style
    expansion), quotes escaped, line breaks as `\\n`; nothing else is special there."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def dot(graph: TopologyGraph) -> str:
    lines = [f'digraph "{_dot_text(graph.topology.name)}" {{', "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for node in sorted(graph.nodes):
        c = graph.component(node)
        style = ', style="rounded"' if c.keyword == "function" else ""
        lines.append(f'  "{_dot_text(node)}" [label="{_dot_text(_label(c))}", shape={_DOT_SHAPES[c.keyword]}{style}];')
    for u, v, data in _sorted_edges(graph):
        label = (
            edge_label(data["route"])
            if data["kind"] == "route"
            else data.get("label") or data["kind"].replace("_", " ")
        )
        style = {"route": "", "writes": ", style=bold"}.get(data["kind"], ", style=dashed")
        lines.append(f'  "{_dot_text(u)}" -> "{_dot_text(v)}" [label="{_dot_text(label)}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


DRAWERS: dict[str, Callable[[TopologyGraph], str]] = {"mermaid": mermaid, "dot": dot}
