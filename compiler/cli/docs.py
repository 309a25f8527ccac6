"""`evtc docs FILE|DIR… -o SITE/`: a static catalog of the topologies, viewable offline."""

from __future__ import annotations

from pathlib import Path

import click

from evtc.check.checker import UsageError, check_paths


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "out", type=click.Path(file_okay=False), required=True, help="the folder to write")
def command(paths: tuple[str, ...], out: str) -> None:
    """Write a catalog: the drawing, a page per event and per component, the diagnostics."""
    from evtc.report.site.build import write_site

    try:
        result = check_paths(paths)
    except UsageError as error:
        raise click.UsageError(str(error)) from None
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = write_site(result, folder)
    click.echo(f"wrote {len(written)} pages: {folder / 'index.html'}")
