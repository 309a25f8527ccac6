"""`evtc match PATTERN.json EVENT.json --dialect ...`: EventBridge's TestEventPattern, offline.

Prints `match` (exit 0) or `no match` (exit 1); an unreadable file or a pattern AWS would
reject prints the reasons and exits 2.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from evtc.filters import DIALECTS, SCOPES, compile, validate


def _read(path: str) -> str:
    try:
        with click.open_file(path, encoding="utf-8") as handle:
            text: str = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise click.UsageError(f"cannot read {path}: {error}") from None
    return text


def _parse(path: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise click.UsageError(f"{path} is not valid JSON: {error}") from None
    except RecursionError:
        raise click.UsageError(f"{path} is nested too deeply to read") from None


def _event(path: str, dialect: str, scope: str) -> Any:
    text = _read(path)
    if dialect == "sns" and scope == "MessageBody":
        return text  # an SNS body is any text; the engine decides how JSON it is
    return _parse(path, text)


@click.command()
@click.argument("pattern_file", metavar="PATTERN.json", type=click.Path(dir_okay=False, allow_dash=True))
@click.argument("event_file", metavar="EVENT.json", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--dialect",
    type=click.Choice(DIALECTS),
    required=True,
    help="eventbridge (bus rules), sns (subscription filter policies), esm (Lambda FilterCriteria)",
)
@click.option(
    "--scope",
    type=click.Choice(SCOPES),
    default="MessageBody",
    show_default=True,
    help="SNS only: filter on the message body or on message attributes (SNS form)",
)
def command(pattern_file: str, event_file: str, dialect: str, scope: str) -> None:
    """Decide whether EVENT.json matches PATTERN.json exactly as AWS would."""
    pattern = _parse(pattern_file, _read(pattern_file))
    event = _event(event_file, dialect, scope)
    reasons = validate(pattern, dialect=dialect, scope=scope)
    if reasons:
        for reason in reasons:
            click.echo(f"{pattern_file}: {reason}", err=True)
        sys.exit(2)
    decided = compile(pattern, dialect=dialect, scope=scope).matches(event)
    click.echo("match" if decided else "no match")
    sys.exit(0 if decided else 1)
