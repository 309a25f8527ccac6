"""`evtc build FILE --target NAME --out DIR`: refuse on errors, else let the target write."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from evtc.check.catalog import catalog
from evtc.check.checker import UsageError, check_paths
from evtc.cli._topology import topology_argument
from evtc.frontend.load import LoadError, one_group
from evtc.report.formatters import text
from evtc.target import BuildError
from evtc.util.registry import load_group, targets


def _target_list() -> str:
    found = targets()
    return ", ".join(f"{name} ({getattr(t, 'description', '')})" for name, t in found.items()) or "none installed"


@click.command()
@topology_argument
@click.option(
    "--target",
    "target_name",
    required=True,
    help="the target to build for, such as pulumi-aws or local (an unknown name lists the installed ones)",
)
@click.option("--out", required=True, type=click.Path(file_okay=False), help="directory to write into")
@click.option("--option", "settings", multiple=True, metavar="KEY=VALUE", help="a target option (repeatable)")
def command(file: str, target_name: str, out: str, settings: tuple[str, ...]) -> None:
    """Compile FILE's topology (or DIR's: all its files) for a target (pulumi-aws, local, …) into the directory OUT."""
    available = targets()
    if target_name not in available:
        broken = [e for e in load_group("evtc.targets")[1] if e.name == target_name]
        detail = f" (it failed to load: {broken[0].reason})" if broken else ""
        raise click.UsageError(f"unknown target '{target_name}'{detail}; available: {_target_list()}")
    try:
        result = check_paths(one_group(file).files)
    except (UsageError, LoadError) as error:
        raise click.UsageError(str(error)) from None
    if result.exit_code != 0:
        sys.stderr.write(text.write(result.diagnostics, result.sources, catalog()))
        sys.stderr.write("not building: fix the errors above first\n")
        sys.exit(1)
    target = available[target_name]
    options = _options(target, settings)
    extra = {"options": options} if options else {}
    try:
        written = target.build(result.compilations[0], Path(out), **extra)
    except BuildError as error:
        raise click.ClickException(str(error)) from None
    for path in written:
        click.echo(str(path))


def _options(target: object, settings: tuple[str, ...]) -> dict[str, str]:
    """`KEY=VALUE` settings, each one the target declares in its `options`."""
    known: dict[str, str] = getattr(target, "options", {})
    found = {}
    for setting in settings:
        key, equals, value = setting.partition("=")
        if not equals or key not in known:
            choices = "; ".join(f"{k}: {doc}" for k, doc in known.items()) or "none"
            raise click.UsageError(f"'{setting}' is not an option of this target (options: {choices})")
        found[key] = value
    return found
