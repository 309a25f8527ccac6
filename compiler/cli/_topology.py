"""The one way the commands that take a topology (`explain`, `graph`, `run`, `export`, …)
read it: FILE (its topology, all of its files) or DIR (the topology whose files are there)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from evtc.diagnostics import has_errors
from evtc.frontend import Compilation

F = TypeVar("F", bound=Callable[..., Any])


def topology_argument(function: F) -> F:
    return click.argument("file", metavar="FILE|DIR", type=click.Path(exists=True))(function)  # type: ignore[return-value]


def compiled(path: str) -> Compilation:
    """The topology `path` names; its errors are printed and exit 1, a path naming none or
    several topologies is a usage error."""
    from evtc.check.catalog import catalog
    from evtc.frontend.load import LoadError, load_topology
    from evtc.report.formatters import text

    try:
        compilation = load_topology(path)
    except LoadError as error:
        raise click.UsageError(str(error)) from None
    if has_errors(list(compilation.diagnostics)):
        sys.stderr.write(text.write(compilation.diagnostics, compilation.sources, catalog()))
        sys.exit(1)
    return compilation
