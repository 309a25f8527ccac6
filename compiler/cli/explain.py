"""`evtc explain FILE [EMITTER.EVENT]`: what each path from an emitter to a consumer guarantees."""

from __future__ import annotations

import json
import sys

import click

from evtc.cli._topology import compiled, topology_argument
from evtc.report.explain import explain_json, explain_text, rows


@click.command()
@topology_argument
@click.argument("event", required=False, metavar="[EMITTER.EVENT]")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def command(file: str, event: str | None, fmt: str) -> None:
    """Explain FILE's path guarantees: ordering, delivery, durability, confidentiality, payload."""
    compilation = compiled(file)
    if event is not None and not rows(compilation, event):
        known = sorted({f"{f.emitter}.{f.event}" for _, f in rows(compilation)})
        raise click.UsageError(f"no path starts at '{event}'; known: {', '.join(known) or 'none'}")
    if fmt == "json":
        sys.stdout.write(json.dumps({"paths": explain_json(compilation, event)}, indent=2) + "\n")
    else:
        sys.stdout.write(explain_text(compilation, event))
