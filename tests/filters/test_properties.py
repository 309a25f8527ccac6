"""Invariants of the engine over generated patterns and events (hypothesis)."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from evtc.filters import compile, matches, validate
from evtc.patterns import values
from evtc.patterns.conditions import leaf_predicate
from evtc.patterns.normalise import canonical_json, normalise

KEYS = st.sampled_from(["a", "b", "c"])
TEXT = st.sampled_from(["", "p", "pq", "Pq", "q", "p*q", "10.0.0.1", "2001:db8::1", "2001:db9::"])
NUMBER = st.sampled_from([-1, 0, 1.5, 300, 300.0, 5e9 + 1])
SCALAR = st.one_of(TEXT, NUMBER, st.booleans(), st.none())

CONDITION = st.one_of(
    SCALAR,
    st.builds(lambda t: {"prefix": t}, TEXT),
    st.builds(lambda t: {"suffix": t}, TEXT),
    st.builds(lambda t: {"equals-ignore-case": t}, TEXT),
    st.builds(lambda v: {"anything-but": v}, st.lists(TEXT, min_size=1, max_size=3)),
    st.builds(lambda v: {"anything-but": v}, st.lists(st.sampled_from([0, 1.5, 300]), min_size=1, max_size=2)),
    st.builds(lambda op, n: {"numeric": [op, n]}, st.sampled_from(["=", "<", "<=", ">", ">="]), NUMBER),
    st.builds(
        lambda lo, span: {"numeric": [">", lo, "<=", lo + span]},
        st.sampled_from([-1, 0, 1.5]),
        st.sampled_from([1, 299]),
    ),
    st.builds(lambda b: {"exists": b}, st.booleans()),
    st.builds(lambda c: {"cidr": c}, st.sampled_from(["10.0.0.0/24", "2001:db8::/32"])),
    st.builds(lambda w: {"wildcard": w}, st.sampled_from(["p*", "*q", "*", "p\\*q", "p*q"])),
    st.builds(lambda v: {"anything-but": v}, st.sampled_from([0, 300.0, "p"])),
    st.builds(
        lambda name, texts: {"anything-but": {name: texts}},
        st.sampled_from(["prefix", "suffix", "equals-ignore-case", "wildcard"]),
        st.one_of(TEXT, st.lists(TEXT, min_size=1, max_size=2)),
    ),
)
VALUES = st.lists(CONDITION, min_size=1, max_size=3)
PATTERN: st.SearchStrategy[dict[str, Any]] = st.recursive(
    st.dictionaries(KEYS, VALUES, min_size=1, max_size=3),
    lambda inner: st.dictionaries(KEYS, st.one_of(VALUES, inner), min_size=1, max_size=3),
    max_leaves=6,
)
EVENT: st.SearchStrategy[dict[str, Any]] = st.recursive(
    st.dictionaries(KEYS, st.one_of(SCALAR, st.lists(SCALAR, max_size=3)), max_size=3),
    lambda inner: st.dictionaries(KEYS, st.one_of(SCALAR, inner, st.lists(inner, max_size=2)), max_size=3),
    max_leaves=8,
)


def valid(pattern: dict[str, Any], dialect: str = "eventbridge") -> dict[str, Any]:
    assume(validate(pattern, dialect=dialect) == [])
    return pattern


def decide(pattern: dict[str, Any], event: Any, dialect: str = "eventbridge") -> bool:
    return matches(pattern, event, dialect=dialect)


@settings(max_examples=300, deadline=None)
@given(PATTERN, PATTERN, EVENT)
def test_or_matches_when_either_alternative_does(a: dict[str, Any], b: dict[str, Any], event: dict[str, Any]) -> None:
    valid(a), valid(b)
    assert decide({"$or": [a, b]}, event) == (decide(a, event) or decide(b, event))


def _renamed(pattern: dict[str, Any]) -> dict[str, Any]:
    return {key.upper(): value for key, value in pattern.items()}


@settings(max_examples=300, deadline=None)
@given(PATTERN, PATTERN, EVENT, EVENT)
def test_fields_on_distinct_keys_must_all_match(
    a: dict[str, Any], b: dict[str, Any], event: dict[str, Any], other: dict[str, Any]
) -> None:
    valid(a), valid(b)
    b, event = _renamed(b), {**event, **_renamed(other)}  # b's top-level keys differ from a's
    assert decide({**a, **b}, event) == (decide(a, event) and decide(b, event))


@settings(max_examples=300, deadline=None)
@given(PATTERN, EVENT)
def test_json_round_trip_preserves_decisions(pattern: dict[str, Any], event: dict[str, Any]) -> None:
    valid(pattern)
    expected = decide(pattern, event)
    assert decide(json.loads(json.dumps(pattern)), json.loads(json.dumps(event))) == expected
    assert compile(pattern, dialect="eventbridge").matches(json.dumps(event)) == expected


@settings(max_examples=300, deadline=None)
@given(PATTERN, EVENT)
def test_normalising_is_idempotent_and_keeps_decisions(pattern: dict[str, Any], event: dict[str, Any]) -> None:
    valid(pattern)
    once = normalise(pattern)
    assert normalise(once) == once
    assert canonical_json(once) == canonical_json(pattern)
    assert validate(once, dialect="eventbridge") == []
    assert decide(once, event) == decide(pattern, event)


@settings(max_examples=300, deadline=None)
@given(PATTERN, EVENT)
def test_eventbridge_and_sns_bodies_agree_on_shared_operators(pattern: dict[str, Any], event: dict[str, Any]) -> None:
    valid(pattern), valid(pattern, "sns")
    # NOTE: `exists: false` over an array of objects is where EventBridge (as event-ruler
    # decides) and SNS differ on purpose (docs/filters.md); everything else must agree.
    assume(not ('"exists": false' in json.dumps(pattern) and _objects_in_arrays(event)))
    assert decide(pattern, event, "sns") == decide(pattern, event)


def _objects_in_arrays(value: Any, inside: bool = False) -> bool:
    if isinstance(value, dict):
        return inside or any(_objects_in_arrays(v) for v in value.values())
    if isinstance(value, list):
        return any(_objects_in_arrays(v, True) for v in value)
    return False


@settings(deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=3), TEXT)
def test_anything_but_is_the_negation_on_a_present_value(excluded: list[str], value: str) -> None:
    listed = decide({"k": excluded}, {"k": value})
    assert decide({"k": [{"anything-but": excluded}]}, {"k": value}) == (not listed)


@settings(deadline=None)
@given(KEYS, EVENT)
def test_exists_true_and_false_are_complements(key: str, event: dict[str, Any]) -> None:
    present = decide({key: [{"exists": True}]}, event)
    assert decide({key: [{"exists": False}]}, event) == (not present)


ELEMENT = st.one_of(SCALAR, st.lists(SCALAR, max_size=2), st.dictionaries(KEYS, SCALAR, max_size=1))


@settings(max_examples=500, deadline=None)
@given(VALUES, st.one_of(SCALAR, st.lists(SCALAR, max_size=3), st.lists(ELEMENT, max_size=3)))
def test_generated_fast_paths_agree_with_the_full_predicate(values: list[Any], value: Any) -> None:
    pattern = valid({"k": values})
    expected = leaf_predicate(values)(value)
    assert decide(pattern, {"k": value}) == expected
    # a field decided early must still leave the later ones ("z" sorts after "k") to decide
    assert decide({**pattern, "z": ["on"]}, {"k": value, "z": "on"}) == expected
    assert decide({**pattern, "z": ["on"]}, {"k": value, "z": "off"}) is False


@settings(max_examples=300, deadline=None)
@given(VALUES, st.lists(st.one_of(SCALAR, st.lists(SCALAR, max_size=2)), min_size=1, max_size=4))
def test_an_array_matches_when_one_of_its_scalars_does(values: list[Any], array: list[Any]) -> None:
    leaf = leaf_predicate(values)
    scalars = [x for item in array for x in (item if isinstance(item, list) else [item])]
    expected = any(leaf(x) for x in scalars) if scalars else leaf([])
    assert leaf(array) == expected
    assert decide(valid({"k": values}), {"k": array}) == expected


IPV6_TEXT = st.lists(st.sampled_from(["0", "1", "db8", "ffff", "FFFF", "12345", "", "g"]), max_size=10).map(":".join)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(IPV6_TEXT, st.text(alphabet="0123456789abcdefABCDEF:.%", max_size=45)))
def test_ipv6_addresses_read_as_the_standard_library_reads_them(text: str) -> None:
    try:
        expected: int | None = int(ipaddress.IPv6Address(text))
    except ValueError:
        expected = None
    assert values._ipv6(text) == expected


def _as_attribute(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        return {"Type": "String", "Value": value}
    if type(value) in (int, float):
        return {"Type": "Number", "Value": repr(value)}
    return {"Type": "String.Array", "Value": json.dumps(value)}  # lists, booleans, null


FLAT_EVENT = st.dictionaries(KEYS, st.one_of(SCALAR, st.lists(SCALAR, min_size=1, max_size=3)), max_size=3)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=3), FLAT_EVENT)
def test_sns_attributes_decide_as_the_same_values_in_a_body(pattern: dict[str, Any], event: dict[str, Any]) -> None:
    valid(pattern, "sns")
    attributes = {key: _as_attribute(value) for key, value in event.items()}
    in_body = matches(pattern, event, dialect="sns")
    assert matches(pattern, attributes, dialect="sns", scope="MessageAttributes") == in_body
