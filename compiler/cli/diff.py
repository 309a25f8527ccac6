"""`evtc diff OLD [NEW]`: what changed between two versions that breaks consumers."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from evtc.check.catalog import catalog
from evtc.check.checker import UsageError
from evtc.check.config import COMPATIBILITY_MODES, ConfigError
from evtc.diagnostics import Severity
from evtc.report.formatters import FORMATS


@click.command()
@click.argument("old")
@click.argument("new", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True)
@click.option(
    "--compatibility",
    type=click.Choice(COMPATIBILITY_MODES),
    help="schema mode (default: [tool.evtc] compatibility, else backward)",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="lowest severity that makes the exit code 1",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="write the report to a file")
def command(
    old: str, new: tuple[str, ...], fmt: str, compatibility: str | None, fail_on: str, output: str | None
) -> None:
    """Compare OLD with NEW (files or folders), or a git revision OLD with the work tree
    (NEW defaults to `.`): schema compatibility per event and topology changes that break
    consumers, in check's formats."""
    from evtc.diff.engine import config_for, diff, diff_catalog
    from evtc.diff.sides import is_revision, read_paths, read_revision

    paths = new or (".",)
    cwd = Path.cwd()
    try:
        config = config_for(Path(paths[0]))
        before = read_revision(old, paths, cwd) if is_revision(old, cwd) else read_paths((old,), "old")
        after = read_paths(paths, "new")
    except (UsageError, ConfigError) as error:
        raise click.UsageError(str(error)) from None
    result = diff(before, after, compatibility or config.compatibility, config)
    codes = {**catalog(), **diff_catalog()} if fmt == "sarif" else {}  # compile errors of either side, too
    report = FORMATS[fmt](result.diagnostics, result.sources, codes)
    if output:
        Path(output).write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
    sys.exit(result.exit_code(Severity(fail_on)))
