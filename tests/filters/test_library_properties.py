"""Properties of EventBridge's matching, written from its documented semantics, checked on
generated patterns and events (hypothesis); and the compiled matcher checked against the
library's model of a decision (`flat`, simple and slow) on events with dotted keys."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from evtc.filters import NotExpressible, compile_when, matches
from evtc.frontend import compile_text
from evtc.patterns.flat import conjunct_matcher
from evtc.patterns.limits import EVENTBRIDGE
from evtc.patterns.structure import expand, expand_ruler

KEYS = st.sampled_from(["a", "b", "a.b", "b.a"])
TEXT = st.sampled_from(["x", "X", "ß", "SS", "k", "\u212a", "ς", "Σ", "10.0.0.1", "::1", "0:0:0:0:0:0:0:1", ""])
SCALAR = st.one_of(TEXT, st.sampled_from([0, 1, 2.5, 300]), st.booleans(), st.none())
CONDITION = st.one_of(
    SCALAR,
    st.builds(lambda t: {"prefix": t}, TEXT),
    st.builds(lambda t: {"equals-ignore-case": t}, TEXT),
    st.builds(lambda t: {"prefix": {"equals-ignore-case": t}}, TEXT),
    st.builds(lambda t: {"anything-but": t}, TEXT),
    st.builds(lambda n: {"numeric": [">", n]}, st.sampled_from([0, 1, 2.5])),
    st.builds(lambda b: {"exists": b}, st.booleans()),
    st.builds(lambda c: {"cidr": c}, st.sampled_from(["10.0.0.0/8", "::/64"])),
)
VALUES = st.lists(CONDITION, min_size=1, max_size=2)
PATTERN: st.SearchStrategy[dict[str, Any]] = st.recursive(
    st.dictionaries(KEYS, VALUES, min_size=1, max_size=3),
    lambda inner: st.one_of(
        st.dictionaries(KEYS, st.one_of(VALUES, inner), min_size=1, max_size=3),
        st.builds(lambda a, b, rest: {**rest, "$or": [a, b]}, inner, inner, st.dictionaries(KEYS, VALUES, max_size=1)),
    ),
    max_leaves=6,
)
EVENT: st.SearchStrategy[dict[str, Any]] = st.recursive(
    st.dictionaries(KEYS, st.one_of(SCALAR, st.lists(SCALAR, max_size=3)), max_size=3),
    lambda inner: st.dictionaries(KEYS, st.one_of(SCALAR, inner, st.lists(inner, max_size=2)), max_size=3),
    max_leaves=8,
)


def library_model(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    """The decision as the library's model defines it: any alternative, on the flattened event."""
    return any(
        conjunct_matcher([(path, array) for path, arrays in conjunct.items() for array in arrays], EVENTBRIDGE)(event)
        for conjunct in expand_ruler(pattern)
    )


@settings(max_examples=400, deadline=None)
@given(PATTERN, EVENT)
def test_compiled_matcher_decides_as_the_library_model(pattern: dict[str, Any], event: dict[str, Any]) -> None:
    assert matches(pattern, event, dialect="eventbridge") is library_model(pattern, event)


def _dotted(event: dict[str, Any]) -> dict[str, Any]:
    """The same fields, every nested object spelled with dotted keys."""
    flat: dict[str, Any] = {}
    for key, value in event.items():
        if isinstance(value, dict) and value:
            for inner, leaf in _dotted(value).items():
                flat[f"{key}.{inner}"] = leaf
        else:
            flat[key] = value
    return flat


@settings(max_examples=300, deadline=None)
@given(PATTERN, EVENT)
def test_dotted_and_nested_event_keys_are_the_same_field(pattern: dict[str, Any], event: dict[str, Any]) -> None:
    flat = _dotted(event)
    if len(flat) == len({k.lower() for k in flat}):  # NOTE: no two keys spelling one field twice
        assert matches(pattern, event, dialect="eventbridge") is matches(pattern, flat, dialect="eventbridge")


@settings(max_examples=300, deadline=None)
@given(VALUES, VALUES, EVENT)
def test_a_path_given_twice_counts_once_the_later(first: list[Any], later: list[Any], event: dict[str, Any]) -> None:
    once = {"a.b": later}
    assert matches({"a": {"b": first}, "a.b": later}, event, dialect="eventbridge") is matches(
        once, event, dialect="eventbridge"
    )
    beside = {"a": first, "$or": [{"a": later}, {"b": ["q"]}]}
    replaced = {"$or": [{"a": later}, {"a": first, "b": ["q"]}]}
    assert matches(beside, event, dialect="eventbridge") is matches(replaced, event, dialect="eventbridge")


ASCII_WORD = st.text(alphabet="abcXYZ-_09", min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(ASCII_WORD, st.lists(st.booleans(), min_size=6, max_size=6))
def test_ignore_case_matches_every_casing_of_ascii_text(word: str, upper: list[bool]) -> None:
    cased = "".join(c.upper() if up else c.lower() for c, up in zip(word, upper))
    for dialect in ("eventbridge", "esm"):
        assert matches({"a": [{"equals-ignore-case": word}]}, {"a": cased}, dialect=dialect)
        assert matches({"a": [{"prefix": {"equals-ignore-case": word}}]}, {"a": cased + "!"}, dialect=dialect)
        assert matches({"a": [{"suffix": {"equals-ignore-case": word}}]}, {"a": "!" + cased}, dialect=dialect)
    assert not matches({"a": [{"anything-but": {"equals-ignore-case": word}}]}, {"a": cased}, dialect="eventbridge")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aßςΣkK\u212aİiǆǄxé", min_size=1, max_size=4))
def test_ignore_case_matches_the_upper_case_form_of_each_character(word: str) -> None:
    assert matches({"a": [{"equals-ignore-case": word}]}, {"a": word}, dialect="eventbridge")
    upper = "".join(c.upper() for c in word)
    assert matches({"a": [{"equals-ignore-case": word}]}, {"a": upper}, dialect="eventbridge")


ADDRESS = st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6))


def _spellings(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[str]:
    if address.version == 4:
        return [str(address), ".".join(f"{int(o):03d}" for o in str(address).split("."))]
    if address.ipv4_mapped is not None:
        return [str(address.ipv4_mapped)]
    return [str(address), address.exploded, address.exploded.upper()]


@settings(max_examples=300, deadline=None)
@given(ADDRESS, ADDRESS)
def test_an_address_literal_matches_every_spelling_of_that_address(
    literal: ipaddress.IPv4Address | ipaddress.IPv6Address, event: ipaddress.IPv4Address | ipaddress.IPv6Address
) -> None:
    for pattern_text in _spellings(literal):
        for event_text in _spellings(event):
            same = _spellings(literal)[0] == _spellings(event)[0]
            assert matches({"a": [pattern_text]}, {"a": event_text}, dialect="eventbridge") is same


@settings(max_examples=300, deadline=None)
@given(ADDRESS, st.integers(min_value=0, max_value=127), ADDRESS)
def test_cidr_holds_exactly_the_addresses_of_its_range(
    base: ipaddress.IPv4Address | ipaddress.IPv6Address, bits: int, event: ipaddress.IPv4Address | ipaddress.IPv6Address
) -> None:
    if base.version == 6 and base.ipv4_mapped is not None:
        return  # read as IPv4 with an IPv6 mask: refused
    mask = bits % (32 if base.version == 4 else 128)
    network = ipaddress.ip_network(f"{base}/{mask}", strict=False)
    inside = event.version == network.version and event in network
    if event.version == 6 and event.ipv4_mapped is not None:
        inside = network.version == 4 and event.ipv4_mapped in network
    assert matches({"a": [{"cidr": f"{base}/{mask}"}]}, {"a": str(event)}, dialect="eventbridge") is inside


PRELUDE = """topology t
event E { a: number b: string c: boolean }
source s: app { emits: [E] }
queue q {}
route s.E -> q when """
LEAF = st.sampled_from(['b == "x"', 'b startswith "y"', "a > 1", "a <= 5", "c == true", "exists b", 'b in ["p", "q"]'])
WHEN = st.recursive(
    LEAF,
    lambda inner: st.one_of(
        st.builds(lambda x: f"not ({x})", inner),
        st.builds(lambda x, y: f"({x}) and ({y})", inner, inner),
        st.builds(lambda x, y: f"({x}) or ({y})", inner, inner),
    ),
    max_leaves=5,
)


@settings(max_examples=200, deadline=None)
@given(WHEN, st.sampled_from(["eventbridge", "envelope", "esm_sqs"]))
def test_when_compiler_never_gives_a_path_twice(text: str, dialect: str) -> None:
    """Where a path is given twice the library keeps only the later: evtc must never need that."""
    route = compile_text(PRELUDE + text, "t.evt").topology.routes[0]
    try:
        artefact = compile_when(route.when, dialect=dialect, event="E")
    except NotExpressible:
        return
    patterns = [json.loads(f["Pattern"]) for f in artefact["Filters"]] if "Filters" in artefact else [artefact]
    for pattern in patterns:
        for conjunct in expand(pattern):
            assert all(len(arrays) == 1 for arrays in conjunct.values()), pattern
