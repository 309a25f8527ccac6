"""`evtc rules [CODE]`: list every rule, or print one rule's documentation."""

from __future__ import annotations

import sys

import click

from evtc.check.rulesdoc import markdown, page, table
from evtc.util.registry import rules


@click.command()
@click.argument("code", required=False)
@click.option("--markdown", "as_markdown", is_flag=True, help="print docs/rules.md (every rule's page)")
def command(code: str | None, as_markdown: bool) -> None:
    """List the rules (code, name, severity, category), or print the page of CODE."""
    if as_markdown:
        sys.stdout.write(markdown())
        return
    if code is None:
        sys.stdout.write(table())
        return
    from evtc.util.registry import diff_rules  # NOTE: `evtc diff`'s rules, only when asked for one

    found = [r for r in [*rules(), *diff_rules()] if code in (r.code, r.name)]
    if not found:
        raise click.UsageError(f"no rule '{code}'; `evtc rules` lists them")
    sys.stdout.write(page(found[0]))
