"""The exported JSON Schema and the `.evt` type accept exactly the same payloads.

Random event declarations are compiled from text; random payloads near each type (valid,
or broken in one of the ways a payload can be) are judged three ways: by a reading of the
`.evt` type written here from the language reference, by `jsonschema` on the exported
schema, and by the runtime's compiled fast check. All three must agree, and `evtc.emit`
refuses exactly those payloads on Lambda and in the local runtime.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evtc import ir
from evtc.emit import EmitError
from evtc.export.jsonschema import event_schema, topology_schemas
from evtc.export.validate import validator_for
from evtc.frontend import compile_text
from evtc.local import Runtime
from evtc.schemacheck import compile_schema
from evtc.targets.pulumi_aws.runtime.aws_runtime import LambdaBackend

NAMES = st.sampled_from(["a", "b", "c", "sku", "tags", "when"])
SCALARS = st.sampled_from(["string", "number", "integer", "boolean", "timestamp"])


def _type_text(depth: int, attributes: bool = True) -> st.SearchStrategy[str]:
    if depth == 0:
        return SCALARS
    inner = _type_text(depth - 1, attributes)
    nested = _fields_text(depth - 1, attributes).map(lambda f: f"{{ {f} }}")
    return st.one_of(SCALARS, inner.map(lambda t: f"[{t}]"), nested)


FieldSpec = tuple[
    str, bool, bool, "int | None", "int | None", bool
]  # type, optional, sensitive, maxlen, maxitems, attribute


def field_spec(depth: int, attributes: bool = True) -> st.SearchStrategy[FieldSpec]:
    return st.tuples(
        _type_text(depth, attributes),
        st.booleans(),
        st.booleans(),
        st.none() | st.integers(0, 4),
        st.none() | st.integers(0, 3),
        st.booleans() if attributes else st.just(False),
    )


def field_specs(depth: int, attributes: bool = True) -> st.SearchStrategy[dict[str, FieldSpec]]:
    return st.dictionaries(NAMES, field_spec(depth, attributes), min_size=1, max_size=3)


def render(fields: dict[str, FieldSpec]) -> str:
    return "  ".join(
        f"{name}: {t}"
        + (" @optional" if optional else "")
        + (" @sensitive" if sensitive else "")
        + (f" @maxlen({maxlen})" if maxlen is not None else "")
        + (f" @maxitems({maxitems})" if maxitems is not None else "")
        + (" @attribute" if attribute else "")
        for name, (t, optional, sensitive, maxlen, maxitems, attribute) in fields.items()
    )


def _fields_text(depth: int, attributes: bool = True) -> st.SearchStrategy[str]:
    return field_specs(depth, attributes).map(render)


def compiled_event(fields: str) -> ir.Event:
    compilation = compile_text(f"topology t\nevent E {{ {fields} }}\n", "t.evt")
    event = compilation.topology.event("E")
    assert event is not None, compilation.diagnostics
    return event


# ---- the .evt type, read from docs/language.md ------------------------------------------------
def _limit(f: ir.Field, name: str) -> int | None:
    return next((int(a.args[0]) for a in f.annotations if a.name == name and a.args), None)


def conforms(fields: tuple[ir.Field, ...], value: Any, top: bool = True) -> bool:
    if not isinstance(value, dict):
        return False
    for f in fields:
        if f.name not in value:
            if not f.optional:
                return False
        elif not _conforms_type(f.type, f, value[f.name]):
            return False
        elif top and _attribute_string(f) and value[f.name] == "":
            return False  # SNS refuses an empty attribute value
    return True


def _attribute_string(f: ir.Field) -> bool:
    """A top-level `@attribute` string that SNS can carry (not sensitive: REF021)."""
    marked = any(a.name == "attribute" for a in f.annotations)
    return marked and not f.sensitive and isinstance(f.type, ir.ScalarType) and f.type.name == "string"


def _conforms_type(t: ir.TypeExpr, f: ir.Field, value: Any) -> bool:
    if isinstance(t, ir.ObjectType):
        return conforms(t.fields, value, top=False)
    if isinstance(t, ir.ListType):
        most = _limit(f, "maxitems")
        if not isinstance(value, list) or (most is not None and len(value) > most):
            return False
        return all(_conforms_type(t.item, f, item) for item in value)
    if t.name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t.name == "integer":  # a whole number, as JSON Schema reads it: 2.0 is one
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if t.name == "boolean":
        return isinstance(value, bool)
    if not isinstance(value, str):
        return False
    most = _limit(f, "maxlen")
    if t.name == "string":
        return most is None or len(value.encode()) <= most
    return value in TIMESTAMPS


# ---- payloads near a type ---------------------------------------------------------------------
TIMESTAMPS = ("2026-01-01T00:00:00Z", "2026-12-01T09:30:00.250+01:00")
NOT_TIMESTAMPS = ("yesterday", "2026-01-01", "2026-02-30T00:00:00Z", "2026-01-01T00:00:00")
ANY = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), st.text(max_size=3))


WRONG = st.one_of(ANY, st.text(st.sampled_from("aé€x"), max_size=5), st.sampled_from(NOT_TIMESTAMPS), st.lists(ANY))


def broken(data: st.DataObject, value: Any) -> Any:
    """`value` with at most one thing changed: a field dropped or added, or one value replaced."""
    if isinstance(value, dict) and value and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(value)))
        action = data.draw(st.sampled_from(["drop", "descend", "replace"]))
        if action == "drop":
            return {k: v for k, v in value.items() if k != key}
        inner = broken(data, value[key]) if action == "descend" else data.draw(WRONG)
        return {**value, key: inner}
    if isinstance(value, list) and value and data.draw(st.booleans()):
        index = data.draw(st.integers(0, len(value) - 1))
        return [*value[:index], broken(data, value[index]), *value[index + 1 :]]
    choice = data.draw(st.sampled_from(["keep", "keep", "replace", "grow"]))
    if choice == "replace":
        return data.draw(WRONG)
    if choice == "grow" and isinstance(value, list):
        return value + value[:1]
    if choice == "grow" and isinstance(value, str):
        return value + data.draw(st.sampled_from("a€"))
    if choice == "grow" and isinstance(value, dict):
        return {**value, "extra": data.draw(ANY)}
    return value


def valid_fields(fields: tuple[ir.Field, ...], top: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    def valid(f: ir.Field) -> st.SearchStrategy[Any]:
        found = valid_type(f.type, f)
        return found.filter(lambda v: v != "") if top and _attribute_string(f) else found

    return st.fixed_dictionaries(
        {f.name: valid(f) for f in fields if not f.optional},
        optional={f.name: valid(f) for f in fields if f.optional},
    )


def valid_type(t: ir.TypeExpr, f: ir.Field) -> st.SearchStrategy[Any]:
    if isinstance(t, ir.ObjectType):
        return valid_fields(t.fields, top=False)
    if isinstance(t, ir.ListType):
        return st.lists(valid_type(t.item, f), max_size=_limit(f, "maxitems"))
    if t.name == "number":
        return st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    if t.name == "integer":
        return st.integers() | st.integers(-(2**53), 2**53).map(float)
    if t.name == "boolean":
        return st.booleans()
    if t.name == "timestamp":
        return st.sampled_from(TIMESTAMPS)
    most = _limit(f, "maxlen")
    text = st.text(st.sampled_from("aé€x") | st.characters(exclude_categories=["Cs"]), max_size=(most or 3) + 1)
    return text.filter(lambda s: most is None or len(s.encode()) <= most)


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.data(), _fields_text(2))
def test_schema_type_and_fast_check_agree_on_every_payload(data: st.DataObject, fields: str) -> None:
    event = compiled_event(fields)
    schema = event_schema(event)
    fast = compile_schema(schema)
    assert fast is not None
    payload = broken(data, data.draw(valid_fields(event.fields)))
    expected = conforms(event.fields, payload)
    assert validator_for(schema).is_valid(payload) is expected
    assert fast(payload) is expected


@SETTINGS
@given(st.data(), _fields_text(2))
def test_every_payload_of_the_type_is_valid_under_the_schema(data: st.DataObject, fields: str) -> None:
    event = compiled_event(fields)
    payload = data.draw(valid_fields(event.fields))
    assert validator_for(event_schema(event)).is_valid(payload)


REPRESENTATIVE = (
    "note: string @maxlen(3)  n: number  ok: boolean @optional",
    "at: timestamp  tags: [string] @maxitems(2) @maxlen(2)",
    "dims: { w: number  h: number @optional }  owner: string @sensitive",
    "grid: [[number]] @maxitems(2)  items: [{ sku: string @maxlen(2)  at: timestamp @optional }]",
)


@SETTINGS
@given(st.data(), st.sampled_from(REPRESENTATIVE))
def test_boundaries_of_each_annotation_are_judged_alike(data: st.DataObject, fields: str) -> None:
    event = compiled_event(fields)
    schema = event_schema(event)
    payload = broken(data, data.draw(valid_fields(event.fields)))
    expected = conforms(event.fields, payload)
    assert validator_for(schema).is_valid(payload) is expected
    assert compile_schema(schema)(payload) is expected  # type: ignore[misc]


class _Sent:
    """An SQS client that keeps what the Lambda backend sends."""

    def __init__(self) -> None:
        self.bodies: list[str] = []

    def send_message(self, **request: Any) -> None:
        self.bodies.append(request["MessageBody"])


def _lambda_verdict(backend: LambdaBackend, payload: Any) -> str:
    try:
        backend.emit("E", payload)
    except EmitError:
        return "refused"
    return "sent"


def _local_verdict(rt: Runtime, payload: Any) -> str:
    try:
        rt.emit("app", "E", payload)
    except EmitError:
        return "refused"
    return "sent"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), _fields_text(2, attributes=False))
def test_the_lambda_backend_refuses_exactly_what_the_local_runtime_refuses(data: st.DataObject, fields: str) -> None:
    """`evtc.emit` on Lambda (the bundled schemas, no jsonschema) and in the local runtime."""
    text = f"topology t\nevent E {{ {fields} }}\nsource app: app {{ emits: [E] }}\nqueue q {{}}\nroute app.E -> q\n"
    compilation = compile_text(text, "t.evt")
    event = compilation.topology.event("E")
    assert event is not None and not compilation.diagnostics, compilation.diagnostics
    sent = _Sent()
    hops = {"E": [{"kind": "queue", "arn": "arn:aws:sqs:eu-west-1:1:q", "url": "https://q"}]}
    backend = LambdaBackend("t", "app", hops, client=lambda _: sent, schemas=topology_schemas(compilation.topology))
    payload = broken(data, data.draw(valid_fields(event.fields)))
    verdict = _local_verdict(Runtime(compilation), payload)
    assert _lambda_verdict(backend, payload) == verdict == ("sent" if conforms(event.fields, payload) else "refused")
    assert len(sent.bodies) == (verdict == "sent")
