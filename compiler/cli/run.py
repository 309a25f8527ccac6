"""`evtc run FILE [--events FILE.jsonl] [--seed N]`: run a topology locally and say what happened.

Each line of the events file is `{"source": ..., "type": ..., "data": {...}}`, optionally
with `"time"`, for a verifying webhook `"signature"` (unsigned ones are signed with a
local stand-in secret when emitted), and for an external producer the `"account"` it sends
from; or a webhook request `{"source": ..., "body": ..., "headers"?: {...}}`, judged as the
deployed ingress judges it (unsigned ones signed the same way). Without `--events`, seeded
sample events are made from the schemas. Exit code 0 when the audit finds nothing lost,
1 when it does (or the file does not compile), 2 on unusable input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from evtc.cli._topology import compiled, topology_argument

CHUNK = 1000  # events emitted between runs of the clock on long runs
OUTCOME_STYLE = {
    "lost": "bold red",
    "dead_lettered": "yellow",
    "held": "cyan",
    "dropped": "magenta",
    "delivered": "green",
    "filtered": "dim",
}


@click.command()
@topology_argument
@click.option(
    "--events",
    "events_path",
    type=click.Path(exists=True, dir_okay=False),
    help="recorded events, one JSON object per line",
)
@click.option("--seed", type=int, default=0, show_default=True, help="seed for chaos, ordering and sample events")
@click.option(
    "--count", type=int, default=30, show_default=True, help="sample events to make when --events is not given"
)
@click.option("--show", type=int, default=100, show_default=True, help="list at most this many events one by one")
def command(file: str, events_path: str | None, seed: int, count: int, show: int) -> None:
    """Run FILE in-process on a virtual clock and report what happened to every event."""
    from evtc.local import EmitError, HandlerError, Runtime, TopologyError, webhook_secrets
    from evtc.samples import sample_events

    compilation = compiled(file)
    secrets = webhook_secrets(compilation)
    try:
        rt = Runtime(compilation, seed=seed, secrets=secrets)
    except (HandlerError, TopologyError) as error:
        raise click.ClickException(str(error)) from None
    records = list(_read_events(Path(events_path)) if events_path else sample_events(compilation.topology, count, seed))
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    what = f"{len(records)} events from {events_path}" if events_path else f"{len(records)} sample events (seed {seed})"
    console.print(f"[bold]{file}[/bold]: running {what} in-process on a virtual clock")
    rejected = _drive(rt, records, console, EmitError)
    _report(rt, console, rejected, show, decided_fields(compilation))
    sys.exit(0 if rt.audit().ok else 1)


def _read_events(path: Path) -> Iterator[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise click.UsageError(f"cannot read {path}: {error}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            raise click.UsageError(f"{path}:{number}: not JSON: {error}") from None
        if not isinstance(record, dict) or not isinstance(record.get("source"), str):
            raise click.UsageError(f'{path}:{number}: expected {{"source": ..., "type": ..., "data": {{...}}}}')
        if not isinstance(record.get("type"), str) and "body" not in record:
            raise click.UsageError(
                f'{path}:{number}: expected "type" and "data" (an event), or "body" (a webhook request)'
            )
        yield record


def _drive(rt: Any, records: list[dict[str, Any]], console: Console, rejection: type[Exception]) -> list[str]:
    """Emit every record, running the clock between chunks; a progress bar on long runs."""
    rejected: list[str] = []
    with Progress(console=console, transient=True, disable=len(records) <= CHUNK) as progress:
        task = progress.add_task("running", total=len(records))
        for start in range(0, len(records), CHUNK):
            for number, record in enumerate(records[start : start + CHUNK], start + 1):
                try:
                    answer = _one(rt, record)
                except (rejection, ValueError) as error:
                    rejected.append(f"event {number}: rejected: {error}")
                else:
                    if answer is not None:
                        rejected.append(f"event {number}: {answer}")
            rt.run_until_idle()
            progress.advance(task, min(CHUNK, len(records) - start))
    return rejected


def _arriving(rt: Any, record: dict[str, Any]) -> dict[str, Any]:
    """A record with an `account`: the external producer's EventBridge event as it arrives
    from that account (the bus policy may refuse it, as AWS would)."""
    from evtc.plan.foreign import wire_type

    producer = rt.topology.component(record["source"])
    found = {"account": record["account"], "detail": record.get("data") or {}}
    if producer is not None and getattr(producer, "external", False):
        found |= {"source": producer.event_source, "detail-type": wire_type(producer, record["type"])}
    return found | ({"time": record["time"]} if "time" in record else {})


def _one(rt: Any, record: dict[str, Any]) -> str | None:
    """Emit one record (or send one webhook request); what went wrong with a request, if anything.

    NOTE: a local run has only stand-in webhook secrets: unsigned records are signed with
    them at the virtual time they are sent, a record that brings its own signature is
    checked against them."""
    source = record["source"]
    if "account" in record:
        rt.inject(source, _arriving(rt, record))
        return None
    if "body" in record:
        headers = dict(record.get("headers") or {})
        stand_in = rt.sign_webhook(source, record["body"])
        if not {k.lower() for k in headers} & {k.lower() for k in stand_in}:
            headers.update(stand_in)
        response = rt.webhook(source, record["body"], headers)
        if response.status == 202:
            return None
        return f"{'ignored' if response.status == 200 else 'rejected'} ({response.status}): {response.message}"
    data = record.get("data")
    signature = record.get("signature")
    if signature is None and isinstance(data, dict):
        signature = rt.emit_signature(source, data)
    rt.emit(source, record["type"], data, time=record.get("time"), signature=signature)
    return None


def decided_fields(compilation: Any) -> dict[str, tuple[str, ...]]:
    """Event type → the field paths that some route's `when` filter reads, in first-use order."""
    from evtc.frontend.fields import leaves

    found: dict[str, dict[str, None]] = {}
    for route in compilation.topology.routes:
        if route.when is None:
            continue
        paths = [str(leaf.path) for leaf in leaves(route.when)]
        for _, event in compilation.graph.carried.get(route.id, ()):
            found.setdefault(event, {}).update(dict.fromkeys(paths))
    return {event: tuple(paths) for event, paths in found.items()}


def _shown(data: Any, paths: tuple[str, ...], summary: str) -> str:
    """The fields the filters decide on (`amount=1250 region="eu-west-1"`), else the data's summary."""
    if not paths or not isinstance(data, dict):
        return summary
    parts = []
    for path in paths:
        value: Any = data
        for key in path.split("."):
            value = value.get(key, _ABSENT) if isinstance(value, dict) else _ABSENT
        parts.append(f"{path}=" + ("(absent)" if value is _ABSENT else json.dumps(value, default=str)))
    return " ".join(parts)


_ABSENT = object()


def _report(rt: Any, console: Console, rejected: list[str], show: int, decided: dict[str, tuple[str, ...]]) -> None:
    from evtc.local import consumer_rows, event_rows, store_rows

    for line in rejected:
        console.print(f"[red]{line}[/red]")
    rows = event_rows(rt)
    listed = rows if len(rows) <= show else [r for r in rows if r.outcome in ("lost", "dead_lettered")][:show]
    emitted = rt.ledger.emitted
    for row in listed:
        style = OUTCOME_STYLE[row.outcome]
        summary = _shown(emitted[row.number - 1].data, decided.get(row.type, ()), row.summary)
        where = " → " + ", ".join(row.reached) if row.reached else ""
        parked = f" (in {', '.join(row.parked)})" if row.parked else ""
        reason = f": {row.reason}" if row.reason and row.outcome == "lost" else ""
        console.print(
            f"{row.number:>4} {row.emitter}.{row.type} {summary} [{style}]{row.outcome}{parked}{reason}[/{style}]{where}"
        )
    if len(listed) < len(rows):
        console.print(f"… {len(rows) - len(listed)} more events not listed (--show to list more)")
    console.print(_consumer_table(consumer_rows(rt)))
    stores = store_rows(rt)
    if stores:
        console.print(
            "now in stores: "
            + ", ".join(f"{name} {n} ({'retained' if kind == 'stream' else 'held'})" for name, kind, n in stores)
        )
    for at, name, error in rt.errors[:5]:
        console.print(f"[yellow]handler error[/yellow] {name} at t={at:g}s: {escape(error)}")  # NOTE: `[…]` is text
    audit = rt.audit()
    console.print(f"[{'green' if audit.ok else 'bold red'}]audit: {audit}[/]")
    for event_id, event_type, reason in audit.lost[:20]:
        console.print(f"  lost {event_type} {event_id}: {escape(reason)}")


def _consumer_table(rows: list[Any]) -> Table:
    table = Table(title=None, show_edge=False)
    for heading in ("consumer", "kind", "invocations", "deliveries", "events", "errors", "peak concurrency"):
        table.add_column(heading, justify="left" if heading in ("consumer", "kind") else "right")
    for r in rows:
        table.add_row(
            r.name, r.kind, str(r.invocations), str(r.deliveries), str(r.distinct), str(r.errors), str(r.peak)
        )
    return table
