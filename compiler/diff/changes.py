"""Field-by-field changes between two versions of one event schema, computed in one walk.

>>> from evtc.frontend import compile_text
>>> old = compile_text("topology t event E { a: string  n: number }", "o.evt").topology.event("E")
>>> new = compile_text("topology t event E { b: string  n: string }", "n.evt").topology.event("E")
>>> [(c.kind, c.path) for c in field_changes(old.fields, new.fields)]
[('retyped', 'n'), ('renamed', 'a')]
"""

from __future__ import annotations

from collections.abc import Iterator

from evtc import ir
from evtc.export.jsonschema import annotation_int
from evtc.frontend.attributes import non_empty
from evtc.util.record import record

LIMITS = ("maxlen", "maxitems")


@record
class FieldChange:
    """One change: its kind, the field's dotted path, the field before and after, in words."""

    kind: str  # removed added renamed retyped list_scalar required optional narrowed widened unsensitive
    path: str
    old: ir.Field | None
    new: ir.Field | None
    detail: str = ""


def signature(t: ir.TypeExpr) -> str:
    """The type as text, without positions (`[string]`, `{a: number}`)."""
    if isinstance(t, ir.ScalarType):
        return t.name
    if isinstance(t, ir.ListType):
        return f"[{signature(t.item)}]"
    return "{" + ", ".join(f"{f.name}: {signature(f.type)}" for f in t.fields) + "}"


def field_changes(old: tuple[ir.Field, ...], new: tuple[ir.Field, ...], prefix: str = "") -> Iterator[FieldChange]:
    before = {f.name: f for f in old}
    after = {f.name: f for f in new}
    for name, f in after.items():
        if name in before:
            yield from _same_field(before[name], f, prefix + name)
    removed = [f for name, f in before.items() if name not in after]
    added = [f for name, f in after.items() if name not in before]
    renames = _renames(removed, added)
    for f in removed:
        if f.name in renames:
            into = renames[f.name]
            yield FieldChange("renamed", prefix + f.name, f, into, f"'{prefix}{f.name}' is now '{prefix}{into.name}'")
        else:
            yield FieldChange("removed", prefix + f.name, f, None)
    renamed_to = {f.name for f in renames.values()}
    for f in added:
        if f.name not in renamed_to:
            yield FieldChange("added", prefix + f.name, None, f)


def _renames(removed: list[ir.Field], added: list[ir.Field]) -> dict[str, ir.Field]:
    """Removed → added pairs of the same type where neither has another candidate."""
    pairs: dict[str, ir.Field] = {}
    for r in removed:
        matches = [a for a in added if signature(a.type) == signature(r.type)]
        if len(matches) == 1:
            back = [x for x in removed if signature(x.type) == signature(matches[0].type)]
            if len(back) == 1:
                pairs[r.name] = matches[0]
    return pairs


def _same_field(old: ir.Field, new: ir.Field, path: str) -> Iterator[FieldChange]:
    yield from _types(old.type, new.type, old, new, path)
    if "." not in path and non_empty(old) != non_empty(new):
        # NOTE: an `@attribute` string must be non-empty (SNS refuses empty attribute values)
        text = "@attribute: an empty string " + ("is no longer valid" if non_empty(new) else "is valid again")
        yield FieldChange("narrowed" if non_empty(new) else "widened", path, old, new, text)
    if old.optional and not new.optional:
        yield FieldChange("required", path, old, new)
    elif new.optional and not old.optional:
        yield FieldChange("optional", path, old, new)
    for limit in LIMITS:
        was, now = annotation_int(old, limit), annotation_int(new, limit)
        if was == now:
            continue
        text = f"@{limit} {'none' if was is None else was} -> {'none' if now is None else now}"
        narrower = now is not None and (was is None or now < was)
        yield FieldChange("narrowed" if narrower else "widened", path, old, new, text)
    if old.sensitive and not new.sensitive:
        yield FieldChange("unsensitive", path, old, new)


def _types(old: ir.TypeExpr, new: ir.TypeExpr, of: ir.Field, nf: ir.Field, path: str) -> Iterator[FieldChange]:
    if isinstance(old, ir.ListType) and isinstance(new, ir.ListType):
        yield from _types(old.item, new.item, of, nf, path)
    elif isinstance(old, ir.ListType) != isinstance(new, ir.ListType):
        yield FieldChange("list_scalar", path, of, nf, f"{signature(old)} -> {signature(new)}")
    elif isinstance(old, ir.ObjectType) and isinstance(new, ir.ObjectType):
        yield from field_changes(old.fields, new.fields, path + ".")
    elif signature(old) != signature(new):
        yield FieldChange("retyped", path, of, nf, f"{signature(old)} -> {signature(new)}")
