"""DynamoDB change kinds: which event type each change of a table arrives as.

A table's change stream carries every write as a record whose `eventName` says what
happened: `INSERT`, `MODIFY` or `REMOVE`. A `dynamodb` source binds its event types to
them (`emits: [Added: "INSERT", Changed: "MODIFY", Removed: "REMOVE"]`), so a deletion
arrives as its own type, with the item in `OldImage` (there is no new image). Routes out
of the table then select by `eventName`: a route of one type takes its kind only, and an
unqualified route takes the bound kinds only. An unbound type takes every change, which
DLV021 reports. Read by the plan's filters, the pulumi-aws table and the local runtime.
"""

from __future__ import annotations

import json
from typing import Any

from evtc import ir
from evtc.patterns.normalise import canonical_json
from evtc.plan.carriers import table_streams

KINDS = ("INSERT", "MODIFY", "REMOVE")


def table_of(t: ir.Topology, route: ir.Route) -> ir.Source | None:
    """The dynamodb source a route reads changes of (directly, or through its change stream)."""
    name = table_streams(t).get(route.source, route.source)
    found = t.component(name)
    return found if isinstance(found, ir.Source) and found.kind == "dynamodb" else None


def kinds_of(source: ir.Source) -> dict[str, tuple[str, ...]]:
    """Event type -> the change kinds it is bound to (`[Upserted: "INSERT", Upserted: "MODIFY"]`)."""
    found: dict[str, tuple[str, ...]] = {}
    for event, kind in source.change_kinds:
        found[event] = (*found.get(event, ()), kind)
    return found


def kind_of(source: ir.Source, event: str) -> str | None:
    """The change kind a record of `event` is written as (the first it is bound to)."""
    return next((kind for name, kind in source.change_kinds if name == event), None)


def image_of(kind: str | None) -> str:
    """Where the item is in a record of this kind: a deletion has only the old image."""
    return "OldImage" if kind == "REMOVE" else "NewImage"


def stream_view(source: ir.Source) -> str:
    """The table's `StreamViewType`: old images when a deletion or global table needs them."""
    if source.replicas or any(kind == "REMOVE" for _, kind in source.change_kinds):
        return "NEW_AND_OLD_IMAGES"  # NOTE: global tables require it; it includes the new image
    return "KEYS_ONLY" if source.payload == "notification" else "NEW_IMAGE"


def selected(t: ir.Topology, route: ir.Route, artefact: dict[str, Any] | None) -> dict[str, Any] | None:
    """The route's FilterCriteria with the `eventName` of the kinds it takes, the item's
    fields matched in the image that kind carries; unchanged for a table with no bindings."""
    source = table_of(t, route)
    if source is None or not source.change_kinds or route.target in table_streams(t):
        return artefact  # NOTE: the table's own stream carries every change; its readers select
    bound = kinds_of(source)
    events = (route.event,) if route.event else tuple(e for e in source.emits if e in bound)
    names = sorted({kind for e in events for kind in bound.get(e, ())})
    if not names:
        return artefact
    patterns = [json.loads(f["Pattern"]) for f in (artefact or {}).get("Filters", [])] or [{}]
    image = image_of(names[0]) if len(names) == 1 else "NewImage"  # NOTE: a filter on both images is two routes
    texts = sorted({canonical_json(_with_kind(p, names, image)) for p in patterns})
    return {"Filters": [{"Pattern": text} for text in texts]}


def _with_kind(pattern: dict[str, Any], names: list[str], image: str) -> dict[str, Any]:
    found = dict(pattern)
    record = dict(found.get("dynamodb", {}))
    if "NewImage" in record and image != "NewImage":
        record[image] = record.pop("NewImage")
    if record:
        found["dynamodb"] = record
    found["eventName"] = names
    return found
