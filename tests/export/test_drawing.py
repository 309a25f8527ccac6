"""`evtc graph --format svg|html`: a laid-out picture with the shapes and labels of the topology."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from evtc.cli import main
from evtc.frontend import compile_file, compile_text
from evtc.report.draw import edge_label
from evtc.report.drawing.svg import svg

ROOT = Path(__file__).resolve().parents[2]
NS = {"s": "http://www.w3.org/2000/svg"}
SHAPES = {
    "source": "polygon",
    "stream": "polygon",
    "topic": "polygon",
    "bus": "polygon",
    "queue": "path",
    "function": "rect",
    "endpoint": "ellipse",
}


def parsed(text: str) -> ET.Element:
    return ET.fromstring(text)


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.evt")), ids=lambda p: p.stem)
def test_every_node_is_drawn_once_with_its_shape(path: Path) -> None:
    graph = compile_file(path).graph
    root = parsed(svg(graph))
    groups = {g.get("data-node"): g for g in root.iter(f"{{{NS['s']}}}g") if g.get("data-node")}
    assert set(groups) == set(graph.nodes)
    for node, group in groups.items():
        keyword = graph.component(node).keyword
        assert group.find(f"s:{SHAPES[keyword]}", NS) is not None, node


def test_nodes_flow_left_to_right() -> None:
    graph = compile_file(ROOT / "examples/orders.evt").graph
    root = parsed(svg(graph))
    x = {}
    for g in root.iter(f"{{{NS['s']}}}g"):
        if g.get("data-node"):
            x[g.get("data-node")] = float(g.find("s:text", NS).get("x"))  # type: ignore[union-attr]
    for u, v, _, data in graph.edges:
        if data["kind"] == "route":
            assert x[u] < x[v], (u, v)


def test_routes_are_labelled_and_dead_letters_dashed() -> None:
    compilation = compile_file(ROOT / "examples/orders.evt")
    text = svg(compilation.graph)
    root = parsed(text)
    labels = " ".join(t.text or "" for t in root.iter(f"{{{NS['s']}}}text"))
    for route in compilation.topology.routes:
        for word in edge_label(route).split():
            assert word in labels
    kinds = [p.get("class") for p in root.iter(f"{{{NS['s']}}}path") if "evtc-edge" in (p.get("class") or "")]
    dead_letters = sum(1 for *_, attrs in compilation.graph.edges if attrs["kind"] == "dead_letter")
    assert dead_letters >= 3 and kinds.count("evtc-edge dead_letter") == dead_letters and "stroke-dasharray" in text


def test_labels_are_escaped() -> None:
    text = 'topology t event E { s: string }\nsource a: app { emits: [E] }\nfunction f { handler: "x:y" }\n'
    text += 'route a.E -> f when s == "<b>&"\n'
    root = parsed(svg(compile_text(text, "t.evt").graph))  # parses: nothing unescaped
    assert any('"<b>&"' in (t.text or "") for t in root.iter(f"{{{NS['s']}}}text"))


def test_a_self_loop_and_a_cycle_are_drawn() -> None:
    text = """topology t
event E { n: number }
function f { handler: "x:y"  emits: [E] }
topic loop {}
route f.E -> loop
route loop -> f
"""
    root = parsed(svg(compile_text(text, "t.evt").graph))
    assert len([g for g in root.iter(f"{{{NS['s']}}}g") if g.get("data-node")]) == 2


@pytest.mark.parametrize("fmt", ["svg", "html"])
def test_cli_formats(fmt: str) -> None:
    result = CliRunner().invoke(main, ["graph", str(ROOT / "examples/orders.evt"), "--format", fmt])
    assert result.exit_code == 0
    assert result.output.startswith("<svg" if fmt == "svg" else "<!doctype html>")
    assert 'data-node="function:billing"' in result.output
