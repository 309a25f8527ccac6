"""`evtc graph FILE --format mermaid|dot|svg|html`: draw the topology."""

from __future__ import annotations

import sys

import click

from evtc.cli._topology import compiled, topology_argument
from evtc.report.draw import DRAWERS
from evtc.report.drawing import PICTURES


@click.command()
@topology_argument
@click.option(
    "--format", "fmt", type=click.Choice(sorted({**DRAWERS, **PICTURES})), default="mermaid", show_default=True
)
def command(file: str, fmt: str) -> None:
    """Draw FILE's topology: node shapes by kind, filters on the edges."""
    compilation = compiled(file)
    drawing = {**DRAWERS, **PICTURES}[fmt](compilation.graph)
    # NOTE: the file's name as a comment of the drawing's own language, so the output stays a valid drawing
    comment = {"mermaid": "%% ", "dot": "// "}.get(fmt)
    sys.stdout.write(f"{comment}{file}\n{drawing}" if comment else drawing)
