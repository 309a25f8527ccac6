"""`evtc lsp`: the language server for .evt files, on stdin and stdout (see docs/editors.md)."""

from __future__ import annotations

import gc

import click


@click.command()
@click.option("--stdio", is_flag=True, help="talk over stdin and stdout (the default and only transport)")
def command(stdio: bool) -> None:
    """Run the .evt language server (diagnostics, hover, completion, rename, …) over stdio."""
    # NOTE: `evtc` turns the cyclic collector off for short runs; a server lives for hours.
    gc.enable()
    try:
        from evtc.lsp.server import serve
    except ModuleNotFoundError as error:
        raise click.ClickException(f"{error.name} is not installed: pip install 'evtc[lsp]'") from None
    serve()
