"""The plan may filter a topic's subscription on message attributes or on the body
(`evtc.plan.attributes`) because both decide alike: for random `when` filters over
`@attribute` fields and random valid events, the `sns_attributes` artefact on the
attributes evtc's producer sets and the `sns` artefact on the message body agree."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evtc.attributes import message_attributes
from evtc.export.jsonschema import event_schema
from evtc.export.validate import validator_for
from evtc.filters import artefact_matcher
from evtc.filters.dialects import compile_when
from evtc.filters.fold import NotExpressible
from evtc.frontend import compile_text
from evtc.frontend.attributes import attribute_types

TEXT = """topology p
event E { s: string @attribute  n: number @attribute  i: integer @attribute  t: [string] @attribute  o: string @optional @attribute }
source a: app { emits: [E] }
topic x {}
queue q {}
route a -> x
route x -> q when {when}
"""
STRINGS = st.sampled_from(["", "a", "ab", "b", "A"])
LEAVES = st.one_of(
    STRINGS.map(lambda v: f"s == {json.dumps(v)}"),
    STRINGS.map(lambda v: f"s != {json.dumps(v)}"),
    STRINGS.map(lambda v: f"o == {json.dumps(v)}"),
    STRINGS.map(lambda v: f's in [{json.dumps(v)}, "b"]'),
    STRINGS.map(lambda v: f"s not in [{json.dumps(v)}]"),
    STRINGS.map(lambda v: f"t in [{json.dumps(v)}]"),
    st.sampled_from([0, 1, 2.5, -1]).map(lambda v: f"n > {v}"),
    st.sampled_from([0, 1, 2.5, -1]).map(lambda v: f"n <= {v}"),
    st.sampled_from([0, 1, 2]).map(lambda v: f"i == {v}"),
    st.sampled_from(
        ["exists o", "not exists o", 's startswith "a"', 's endswith "b" ignorecase', 's == "a" ignorecase']
    ),
)
FILTERS = st.recursive(
    LEAVES,
    lambda inner: st.builds(lambda a, b, op: f"({a}) {op} ({b})", inner, inner, st.sampled_from(["and", "or"])),
    max_leaves=3,
)
EVENTS = st.fixed_dictionaries(
    {
        "s": STRINGS,
        "n": st.sampled_from([0, 1, 2.5, -1, 3, 1e-3]),
        "i": st.sampled_from([0, 1, 2]),
        "t": st.lists(STRINGS, max_size=2),
    },
    optional={"o": STRINGS},
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(FILTERS, EVENTS)
def test_attribute_scope_and_body_scope_decide_alike_on_valid_events(when: str, data: dict[str, Any]) -> None:
    compilation = compile_text(TEXT.replace("{when}", when), "p.evt")
    event = compilation.topology.event("E")
    assert event is not None and not [d for d in compilation.diagnostics if d.severity.value == "error"]
    if not validator_for(event_schema(event)).is_valid(data):
        return  # NOTE: the runtime refuses it at emit (an empty attribute string, say)
    route = compilation.topology.routes[-1]
    try:
        body, attributes = compile_when(route.when, dialect="sns"), compile_when(route.when, dialect="sns_attributes")
    except NotExpressible:
        return
    on_body = artefact_matcher(body, "sns")(json.dumps({"type": "E", "data": data})) if body else True
    sent = message_attributes("E", data, attribute_types(event))
    on_attributes = artefact_matcher(attributes, "sns_attributes")(sent) if attributes else True
    assert on_body == on_attributes, (when, data, body, attributes)


def test_an_empty_attribute_string_is_refused_at_emit() -> None:
    event = compile_text(TEXT.replace("{when}", 's == "a"'), "p.evt").topology.event("E")
    assert event is not None
    valid = {"s": "a", "n": 1, "i": 1, "t": []}
    assert validator_for(event_schema(event)).is_valid(valid)
    assert not validator_for(event_schema(event)).is_valid({**valid, "s": ""})
    assert validator_for(event_schema(event)).is_valid({**valid, "t": [""]})  # a String.Array may hold ""
