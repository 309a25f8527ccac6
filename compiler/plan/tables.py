"""What evtc deploys for a DynamoDB source: the table's key and whether AWS can build it."""

from __future__ import annotations

from evtc import ir
from evtc.plan.carriers import table_streams


def change_stream(t: ir.Topology, source: ir.Source) -> ir.Stream | None:
    """The stream declared as `source`'s change stream, if a route names one."""
    for stream, table in sorted(table_streams(t).items()):
        found = t.component(stream)
        if table == source.name and isinstance(found, ir.Stream):
            return found
    return None


def table_key(t: ir.Topology, source: ir.Source) -> str | None:
    """The table's partition key: its change stream's `partition_key`, else the first field
    of the first event it emits; None when neither exists."""
    stream = change_stream(t, source)
    if stream is not None and stream.partition_key:
        return stream.partition_key
    event = t.event(source.emits[0]) if source.emits else None
    return event.fields[0].name if event is not None and event.fields else None
