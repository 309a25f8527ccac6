"""`evtc check [FILE|DIR|-]…`: report every problem, in the format CI or a person wants.

The options are ruff's (see docs/configuration.md): rule selection merged with
`[tool.evtc]`, `--fix`, `--exit-zero`, `--statistics`, `--quiet`, `--output-format`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from evtc.check.checker import UsageError, check_paths
from evtc.check.config import Config
from evtc.check.ruleset import plugin_errors
from evtc.cli._options import config_option, configuration, files_or_fail, paths_argument, stdin_filename_option
from evtc.cli._report import FORMAT_NAMES, Report, use_color
from evtc.diagnostics import Severity
from evtc.util.cache import Cache

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def _codes(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """`--select SEC,DLV001 --select ORD` → ("SEC", "DLV001", "ORD"), as ruff splits them."""
    return tuple(code.strip() for item in value for code in item.split(",") if code.strip())


def _selection(name: str, what: str) -> Callable[[F], F]:
    return click.option(name, multiple=True, callback=_codes, metavar="CODES", help=what)


@click.command()
@paths_argument
@click.option(
    "--format",
    "--output-format",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    default="full",
    show_default=True,
    help="full (text with the quoted line and hint; also `text`), concise (one line each), json, sarif, github, junit",
)
@_selection("--select", "only these codes or prefixes (comma-separated; replaces `select` in the configuration)")
@_selection("--extend-select", "these codes or prefixes too, on top of the configuration's `select`")
@_selection("--ignore", "not these codes or prefixes (added to the configuration's `ignore`)")
@config_option
@stdin_filename_option
@click.option("--fix", is_flag=True, help="apply the safe fixes, then report what is left")
@click.option("--unsafe-fixes", is_flag=True, help="with --fix, apply the unsafe fixes too (they change behaviour)")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="lowest severity that makes the exit code 1",
)
@click.option("--exit-zero", is_flag=True, help="exit 0 even when problems are found (2 still means a usage error)")
@click.option("--statistics", is_flag=True, help="print how many findings each code has, instead of the findings")
@click.option("-q", "--quiet", is_flag=True, help="print the findings only, no summary")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="colour the text formats (auto: when writing to a terminal; NO_COLOR and FORCE_COLOR are honoured)",
)
@click.option("--no-cache", is_flag=True, help="recompile every file instead of reusing cached results")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="write the report to a file")
def command(
    paths: tuple[str, ...],
    fmt: str,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    config: str | None,
    stdin_filename: str | None,
    fix: bool,
    unsafe_fixes: bool,
    fail_on: str,
    exit_zero: bool,
    statistics: bool,
    quiet: bool,
    color: str,
    no_cache: bool,
    output: str | None,
) -> None:
    """Check .evt files and report every problem found.

    Directories are searched for *.evt (respecting .gitignore, skipping hidden folders and
    virtual environments); no path means the current directory; `-` reads standard input.
    """
    configure = configuration(config)

    def config_for(path: Path) -> Config:
        return configure(path.parent).overridden(select, ignore, extend_select).for_file(path)

    severity = Severity(fail_on)
    if paths == ("-",):
        from evtc.cli._stdin import check_stdin

        result, fixed = _usage(lambda: check_stdin(stdin_filename or "-", config_for, severity, fix, unsafe_fixes))
    else:
        files = files_or_fail(paths, config)
        cache = None if no_cache else Cache()
        fixed = 0
        if fix:
            from evtc.cli._fix import fix_files

            fixed = _usage(lambda: fix_files(files, config_for, unsafe_fixes))
        result = _usage(lambda: check_paths(files, cache=cache, fail_on=severity, config_for=config_for))
    for broken in plugin_errors():
        # NOTE: a plugin that fails to import must not pass unnoticed: its policy is not checked.
        click.echo(f"warning: rule plugin {broken}; its rules did not run", err=True)
    painted = use_color(color, output is None and fmt in ("full", "text", "concise"))
    report = Report(fmt, quiet, statistics, painted, fixed, fix and unsafe_fixes).render(result)
    if output:
        Path(output).write_text(report, encoding="utf-8")
    else:
        (sys.stderr if paths == ("-",) and fix else sys.stdout).write(report)
    sys.exit(0 if exit_zero else result.exit_code)


def _usage(call: Callable[[], T]) -> T:
    try:
        return call()
    except UsageError as error:
        raise click.UsageError(str(error)) from None
