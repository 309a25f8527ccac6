"""Writes to tables and buckets (`evtc.write` in a handler, or `Runtime.put_item` from a
test): the table's items kept in memory, and each write turned into the change record a
deployed stream would carry, sent on through the topology.

A put of a key the table does not hold is an `INSERT`, of one it holds a `MODIFY` (with
the old image beside the new one), and no record at all when it changes nothing; a delete of a held key is a `REMOVE` with the old
image, of an absent one no record at all, as DynamoDB does. The record arrives as the
event type the table binds to that kind (or the type bound to none, which takes every
change); a kind no type takes is written and delivered nowhere. A put to a bucket is its
"Object Created" notification, the first event type the bucket emits.

A handler may write only what its function declares in `writes` (on AWS its role may not
write elsewhere), and only the kinds a bound write names (`writes: [orders: "MODIFY"]`:
DynamoDB refuses the conditional put that would insert), else UndeclaredWriteError.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from evtc import ir
from evtc.envelope import Envelope
from evtc.plan.tables import table_key
from evtc.plan.writes import KINDS_ALL, writes_of
from evtc.targets.local.ledger import Tracked
from evtc.targets.local.shapes import ACCOUNT
from evtc.write import KindNotDeclaredError, UndeclaredWriteError

if TYPE_CHECKING:
    from evtc.targets.local.runtime import Runtime

# The fields of an s3 source's event a local put fills, as S3's "Object Created" event has them.
S3_LOCAL = ("bucket", "key", "size", "etag", "version_id", "sequencer", "requester", "source_ip", "reason")


class Change(Tracked):
    """A table's change record: its kind and, for a modification, the item before it."""

    __slots__ = ("kind", "old")


class ChangeView(Envelope):
    """A change record as a consumer without clearance sees it (@sensitive fields removed)."""

    __slots__ = ("kind", "old")


def change_view(e: Envelope, data: Any, prune: Callable[[Any], Any]) -> Envelope:
    """`e` with `data`, keeping the change kind and the (pruned) old item of a table write."""
    kind = getattr(e, "kind", None)
    if kind is None:
        return Envelope(e.id, e.source, e.type, e.time, e.recordedtime, data, e.partitionkey)
    found = ChangeView(e.id, e.source, e.type, e.time, e.recordedtime, data, e.partitionkey)
    old = getattr(e, "old", None)
    found.kind, found.old = kind, prune(old) if isinstance(old, dict) else old
    return found


def as_change(envelope: Tracked, kind: str, old: Any) -> Change:
    found = Change(
        envelope.id, envelope.source, envelope.type, envelope.time, envelope.recordedtime, envelope.data, None
    )
    found.partitionkey = envelope.partitionkey
    found.kind, found.old = kind, old
    return found


class Tables:
    """The items of every table and the objects of every bucket, written so far."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime, self.topology = runtime, runtime.topology
        self.items: dict[str, dict[str, dict[str, Any]]] = {}
        self.objects: dict[str, dict[str, bytes]] = {}
        self.allowed = {(w.source, w.target): w.kinds for w in writes_of(self.topology)}
        self.keys: dict[str, str | None] = {}  # table -> its key field (plan.tables), found once

    def put_item(self, writer: ir.Function | None, table: str, item: Mapping[str, Any]) -> str:
        source = self._sink(writer, table, "dynamodb")
        key = self._key(source, item)
        held = self.items.setdefault(table, {})
        old = held.get(key)
        kind = "MODIFY" if old is not None else "INSERT"
        self._allow(writer, table, kind)
        held[key] = dict(item)
        if old != held[key]:  # NOTE: DynamoDB writes no stream record for a write that changes nothing
            self._changed(source, kind, dict(item), old)
        return kind

    def update_item(
        self, writer: ir.Function | None, table: str, key: Mapping[str, Any], values: Mapping[str, Any]
    ) -> str:
        source = self._sink(writer, table, "dynamodb")
        old = self.items.get(table, {}).get(self._key(source, key))
        return self.put_item(writer, table, {**(old or {}), **values, **key})

    def delete_item(self, writer: ir.Function | None, table: str, key: Mapping[str, Any]) -> bool:
        source = self._sink(writer, table, "dynamodb")
        self._allow(writer, table, "REMOVE")
        old = self.items.get(table, {}).pop(self._key(source, key), None)
        if old is not None:
            self._changed(source, "REMOVE", old, None)
        return old is not None

    def put_object(self, writer: ir.Function | None, bucket: str, key: str, body: bytes | str) -> None:
        source = self._sink(writer, bucket, "s3")
        data = body.encode() if isinstance(body, str) else bytes(body)
        self.objects.setdefault(bucket, {})[key] = data
        if not source.emits:
            return
        count = sum(len(objects) for objects in self.objects.values())
        facts = {
            "bucket": source.bucket or source.name,
            "key": key,
            "size": len(data),
            "etag": hashlib.md5(data).hexdigest(),  # noqa: S324 - S3's ETag of a single-part upload
            "version_id": "null",
            "sequencer": f"{count:016X}",
            "requester": ACCOUNT,
            "source_ip": "127.0.0.1",
            "reason": "PutObject",
        }
        event = self.topology.event(source.emits[0])
        names = {f.name for f in event.fields} if event is not None else set()
        self.runtime.emit(source.name, source.emits[0], {k: v for k, v in facts.items() if k in names})

    def observe(self, table: str, event_type: str, data: Mapping[str, Any]) -> None:
        """`Runtime.emit` as a table: the item now is (or, for a REMOVE type, no longer is) in it,
        so a later write of its key is a MODIFY, as it would be on AWS."""
        source = self.topology.component(table)
        if not isinstance(source, ir.Source) or type(data) is not dict:
            return
        key = self._key_of(source)
        if key is None or key not in data:
            return
        held = self.items.setdefault(table, {})
        if (event_type, "REMOVE") in source.change_kinds:
            held.pop(str(data[key]), None)
        else:
            held[str(data[key])] = dict(data)

    # ---- checks ----------------------------------------------------------------------------
    def _sink(self, writer: ir.Function | None, name: str, kind: str) -> ir.Source:
        found = self.topology.component(name)
        what = "table" if kind == "dynamodb" else "bucket"
        if not isinstance(found, ir.Source) or found.kind != kind:
            raise UndeclaredWriteError(f"'{name}' is not a {what} ({kind} source) of this topology")
        if writer is not None and name not in writer.writes:
            raise UndeclaredWriteError(
                f"'{writer.name}' does not declare `writes: [{name}]`: on AWS its role may not write to that {what}"
            )
        return found

    def _allow(self, writer: ir.Function | None, table: str, kind: str) -> None:
        kinds = self.allowed.get((writer.name, table), KINDS_ALL) if writer is not None else KINDS_ALL
        if kind not in kinds:
            declared = ", ".join(f'{table}: "{k}"' for k in kinds)
            raise KindNotDeclaredError(
                f"'{writer.name if writer else ''}' declares `writes: [{declared}]`, "
                f"but this write is a {kind} (DynamoDB refuses the conditional write)"
            )

    def _key_of(self, source: ir.Source) -> str | None:
        if source.name not in self.keys:
            self.keys[source.name] = table_key(self.topology, source)
        return self.keys[source.name]

    def _key(self, source: ir.Source, item: Mapping[str, Any]) -> str:
        key = self._key_of(source)
        if key is None or key not in item:
            raise UndeclaredWriteError(f"table '{source.name}' is keyed by {key!r}: the item has no value for it")
        return str(item[key])

    def _changed(self, source: ir.Source, kind: str, data: dict[str, Any], old: Any) -> None:
        event = _event_of(source, kind)
        if event is not None:
            self.runtime.emit_change(source.name, event, data, kind, old)


def _event_of(source: ir.Source, kind: str) -> str | None:
    """The type a change of `kind` arrives as: the first bound to it, else the first bound to none."""
    bound = next((event for event, k in source.change_kinds if k == kind), None)
    if bound is not None:
        return bound
    named = {event for event, _ in source.change_kinds}
    return next((event for event in source.emits if event not in named), None)


class Writing:
    """`Runtime.put_item` and friends: writes as the application (or a test) makes them,
    from outside any function, so no `writes` is needed."""

    tables: Tables

    def put_item(self, table: str, item: Mapping[str, Any]) -> str:
        """Write an item to a table; return "INSERT" or "MODIFY"."""
        return self.tables.put_item(None, table, item)

    def update_item(self, table: str, key: Mapping[str, Any], values: Mapping[str, Any]) -> str:
        """Set attributes of an item (created when absent); return "INSERT" or "MODIFY"."""
        return self.tables.update_item(None, table, key, values)

    def delete_item(self, table: str, key: Mapping[str, Any]) -> bool:
        """Delete an item of a table (a REMOVE record when it existed); return whether it did."""
        return self.tables.delete_item(None, table, key)

    def put_object(self, bucket: str, key: str, body: bytes | str) -> None:
        """Store an object in a bucket (its "Object Created" notification)."""
        self.tables.put_object(None, bucket, key, body)
