"""Property specs: the type, range and documentation of a written property, carried by the
IR field it sets (`prop(default, Spec(…))`), so that the property schema is read off the
IR (`evtc.frontend.schema`) and a documented property cannot lack a field.

A field may carry several specs when kinds spell one attribute differently (a dynamodb
source's `emits` binds change kinds, an external one's binds detail-types).
"""

from __future__ import annotations

from dataclasses import Field, field, fields
from typing import Any

from evtc.util.record import record

EXTERNAL = "external"  # the kind of a component owned elsewhere (`KEYWORD NAME: external`)


@record
class Spec:
    """How one property is written: its type, range, documentation and who takes it.

    `kinds` empty: the keyword's own property, which each of its kinds takes (and an
    external component, but for an external source, which takes only what names
    `external`: see `evtc.frontend.schema.specs_for`); otherwise only these kinds take it
    (`external` for an external component). `name` is the written
    name when it is not the field's. `pairs` names the field that takes a `bindings`
    property's bound strings (its own field takes the event types). `attr` is filled in
    when the schema is derived: the IR field the property sets.
    """

    type: str  # duration | size | int | bool | string | name | names | strings | bindings | enum | memory | archive
    # | cron | url_path | account | region | key | writes
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    required: bool = False
    doc: str = ""
    kinds: tuple[str, ...] = ()
    name: str = ""
    pairs: str = ""
    attr: str = ""


def enum(*choices: str, doc: str = "", kinds: tuple[str, ...] = ()) -> Spec:
    return Spec("enum", choices=choices, doc=doc, kinds=kinds)


def prop(default: Any, *specs: Spec) -> Any:
    """A dataclass field with `default` that `specs` say how to write."""
    return field(default=default, metadata={"specs": specs})


def specs_of(cls: type) -> list[tuple[Field[Any], Spec]]:
    """Every (field, spec) pair of an IR dataclass, in field order."""
    return [(f, spec) for f in fields(cls) for spec in f.metadata.get("specs", ())]
