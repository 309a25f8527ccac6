"""`evtc export jsonschema|asyncapi FILE`: publish the contract consumers build against."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from evtc.cli._topology import compiled, topology_argument
from evtc.frontend import Compilation
from evtc.util.suggest import did_you_mean


@click.group()
def command() -> None:
    """Export FILE's events and channels as JSON Schema or AsyncAPI."""


def _compiled(file: str) -> Compilation:
    compilation = compiled(file)
    return compilation


def _write(document: Any, output: str | None) -> None:
    rendered = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output:
        Path(output).write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered)


@command.command("jsonschema")
@topology_argument
@click.argument("event", required=False)
@click.option("-o", "--output", type=click.Path(writable=True), help="a file (one EVENT) or a folder (one file each)")
def jsonschema_command(file: str, event: str | None, output: str | None) -> None:
    """A JSON Schema (2020-12) per event of FILE, or EVENT's alone."""
    from evtc.export.jsonschema import topology_schemas

    schemas = topology_schemas(_compiled(file).topology)
    if event is not None:
        if event not in schemas:
            hint = did_you_mean(event, list(schemas)) or f"events: {', '.join(schemas) or 'none'}"
            raise click.UsageError(f"'{event}' is not an event of {file}; {hint}")
        _write(schemas[event], output)
    elif output:
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas.items():
            _write(schema, str(folder / f"{name}.schema.json"))
    else:
        _write(schemas, None)


@command.command("asyncapi")
@topology_argument
@click.option("--version", "doc_version", default="1.0.0", show_default=True, help="the document's info.version")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="write to a file")
def asyncapi_command(file: str, doc_version: str, output: str | None) -> None:
    """An AsyncAPI 3.0 document of FILE: channels, messages, operations, AWS bindings."""
    from evtc.export.asyncapi import asyncapi

    _write(asyncapi(_compiled(file), doc_version), output)
