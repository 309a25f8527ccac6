"""`evtc dump FILE`: print the IR the compiler built, with the span of every node."""

from __future__ import annotations

import sys

import click

from evtc.check.catalog import catalog
from evtc.diagnostics import has_errors
from evtc.frontend import compile_file
from evtc.report.dump import dump_topology
from evtc.report.formatters import text


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def command(file: str) -> None:
    """Print what the compiler understood of FILE (a debugging aid)."""
    compilation = compile_file(file)
    if compilation.diagnostics:
        sys.stderr.write(text.write(compilation.diagnostics, {compilation.file: compilation.text}, catalog()))
    sys.stdout.write(dump_topology(compilation.topology))
    sys.exit(1 if has_errors(list(compilation.diagnostics)) else 0)
