"""`evtc diff` and the exported schemas agree: when diff finds no schema change that breaks
backward compatibility, every event valid under the old schema is valid under the new one
(new consumers read old events); when it finds none breaking forward compatibility, every
event valid under the new schema is valid under the old one."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evtc.diff.engine import diff
from evtc.diff.sides import from_files
from evtc.export.jsonschema import event_schema
from evtc.export.validate import validator_for

from .test_jsonschema_roundtrip import (
    FieldSpec,
    compiled_event,
    field_spec,
    field_specs,
    render,
    valid_fields,
)

SECURITY = {"CMP010"}


def _text(fields: str) -> bytes:
    return f"topology t\nevent E {{ {fields} }}\n".encode()


def _findings(old: str, new: str, mode: str) -> set[str]:
    result = diff(from_files("old", [("old.evt", _text(old))]), from_files("new", [("new.evt", _text(new))]), mode)
    return {d.code for d in result.diagnostics} - SECURITY


def edited(data: st.DataObject, fields: dict[str, FieldSpec]) -> dict[str, FieldSpec]:
    """`fields` with one edit: a field added, dropped, retyped, or one annotation changed."""
    new = dict(fields)
    name = data.draw(st.sampled_from(sorted(new)))
    kind, optional, sensitive, maxlen, maxitems, attribute = new[name]
    edit = data.draw(st.sampled_from(["add", "drop", "replace", "optional", "maxlen", "maxitems"]))
    if edit == "add":
        new[data.draw(st.sampled_from(["x", "y", "z"]))] = data.draw(field_spec(1, attributes=False))
    elif edit == "drop" and len(new) > 1:
        del new[name]
    elif edit == "replace":
        new[name] = data.draw(field_spec(2, attributes=False))
    elif edit == "optional":
        new[name] = (kind, not optional, sensitive, maxlen, maxitems, attribute)
    elif edit == "maxlen":
        new[name] = (kind, optional, sensitive, data.draw(st.none() | st.integers(0, 4)), maxitems, attribute)
    else:
        new[name] = (kind, optional, sensitive, maxlen, data.draw(st.none() | st.integers(0, 3)), attribute)
    return new


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), field_specs(2, attributes=False), st.sampled_from(["backward", "forward"]))
def test_no_finding_means_every_event_still_validates(
    data: st.DataObject, fields: dict[str, FieldSpec], mode: str
) -> None:
    old, new = render(fields), render(edited(data, fields))
    if _findings(old, new, mode):
        return
    before, after = compiled_event(old), compiled_event(new)
    writer, reader = (before, after) if mode == "backward" else (after, before)
    payload = data.draw(valid_fields(writer.fields))
    assert validator_for(event_schema(reader)).is_valid(payload), (mode, old, new, payload)


@settings(max_examples=60, deadline=None)
@given(field_specs(2, attributes=False).map(render))
def test_an_unchanged_event_has_no_findings(fields: str) -> None:
    assert _findings(fields, fields, "full") == set()
