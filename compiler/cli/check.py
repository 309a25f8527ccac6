"""`evtc check FILE|DIR…`: report every problem, in text, json, sarif or github format."""

from __future__ import annotations

import sys

import click

from evtc.cache import Cache
from evtc.catalog import catalog
from evtc.checker import UsageError, check_paths
from evtc.diagnostics import Severity
from evtc.formatters import FORMATS
from evtc.ruleset import plugin_errors


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="lowest severity that makes the exit code 1",
)
@click.option("--no-cache", is_flag=True, help="recompile every file instead of reusing cached results")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="write the report to a file")
def command(paths: tuple[str, ...], fmt: str, fail_on: str, no_cache: bool, output: str | None) -> None:
    """Check .evt files (directories are searched for *.evt) and report every problem found."""
    try:
        result = check_paths(paths, cache=None if no_cache else Cache(), fail_on=Severity(fail_on))
    except UsageError as error:
        raise click.UsageError(str(error)) from None
    for broken in plugin_errors():
        # NOTE: a plugin that fails to import must not pass unnoticed: its policy is not checked.
        click.echo(f"warning: rule plugin {broken}; its rules did not run", err=True)
    # Only SARIF lists the rules; the other formats must not load them on a cached re-check.
    report = FORMATS[fmt](result.diagnostics, result.sources, catalog() if fmt == "sarif" else {})
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(report)
    else:
        sys.stdout.write(report)
    sys.exit(result.exit_code)
