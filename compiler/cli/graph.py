"""`evtc graph FILE --format mermaid|dot|svg|html`: draw the topology."""

from __future__ import annotations

import sys

import click

from evtc.check.catalog import catalog
from evtc.diagnostics import has_errors
from evtc.frontend import compile_file
from evtc.report.draw import DRAWERS
from evtc.report.drawing import PICTURES
from evtc.report.formatters import text


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(sorted({**DRAWERS, **PICTURES})), default="mermaid", show_default=True
)
def command(file: str, fmt: str) -> None:
    """Draw FILE's topology: node shapes by kind, filters on the edges."""
    compilation = compile_file(file)
    if has_errors(list(compilation.diagnostics)):
        sys.stderr.write(text.write(compilation.diagnostics, {compilation.file: compilation.text}, catalog()))
        sys.exit(1)
    drawing = {**DRAWERS, **PICTURES}[fmt](compilation.graph)
    # NOTE: the file's name as a comment of the drawing's own language, so the output stays a valid drawing
    comment = {"mermaid": "%% ", "dot": "// "}.get(fmt)
    sys.stdout.write(f"{comment}{file}\n{drawing}" if comment else drawing)
