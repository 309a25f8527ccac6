"""`evtc dump FILE`: print the IR the compiler built, with the span of every node."""

from __future__ import annotations

import sys

import click

from evtc.check.catalog import catalog
from evtc.cli._topology import topology_argument
from evtc.diagnostics import has_errors
from evtc.frontend.load import LoadError, load_topology
from evtc.report.dump import dump_topology
from evtc.report.formatters import text


@click.command()
@topology_argument
def command(file: str) -> None:
    """Print what the compiler understood of FILE (a debugging aid)."""
    try:
        compilation = load_topology(file)
    except LoadError as error:
        raise click.UsageError(str(error)) from None
    if compilation.diagnostics:
        sys.stderr.write(text.write(compilation.diagnostics, compilation.sources, catalog()))
    sys.stdout.write(dump_topology(compilation.topology))
    sys.exit(1 if has_errors(list(compilation.diagnostics)) else 0)
