"""AWS's documented matching behaviour, operator by operator, in both dialects.

Each case is (pattern, event, expected). Events are EventBridge-shaped where it matters;
the same cases run as SNS body filters unless the operator is EventBridge-only.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from evtc.filters import InvalidPatternError, compile, matches, validate

Case = tuple[dict[str, Any], Any, bool]

EXACT: list[Case] = [
    ({"state": ["running"]}, {"state": "running"}, True),
    ({"state": ["running"]}, {"state": "Running"}, False),  # case-sensitive
    ({"state": ["running", "stopped"]}, {"state": "stopped"}, True),  # values are OR
    ({"state": ["running"]}, {"other": "running"}, False),  # missing field
    ({"n": [300]}, {"n": 300.0}, True),  # numbers compare as numbers
    ({"n": [300]}, {"n": 3.0e2}, True),
    ({"n": [300]}, {"n": "300"}, False),  # a string is not a number
    ({"n": ["300"]}, {"n": 300}, False),
    ({"n": [0.1]}, {"n": 0.1000001}, True),  # six decimal digits of precision
    ({"n": [0.1]}, {"n": 0.10001}, False),
    ({"ok": [True]}, {"ok": True}, True),
    ({"ok": [True]}, {"ok": "true"}, False),
    ({"v": [None]}, {"v": None}, True),  # null matches null
    ({"v": [None]}, {}, False),  # but not a missing field
    ({"v": [None]}, {"v": ""}, False),
    ({"v": [""]}, {"v": ""}, True),  # the empty string matches itself
    ({"v": [""]}, {"v": None}, False),  # and not null
    ({"a": {"b": ["x"]}}, {"a": {"b": "x", "c": 1}}, True),  # nesting, extra fields ignored
    ({"a": {"b": ["x"]}}, {"a": "x"}, False),
]

ARRAYS: list[Case] = [
    ({"tags": ["a"]}, {"tags": ["b", "a"]}, True),  # any element matches
    ({"tags": ["a", "b"]}, {"tags": ["c", "b"]}, True),
    ({"tags": ["a"]}, {"tags": ["b", "c"]}, False),
    ({"tags": ["a"]}, {"tags": [["x", ["a"]]]}, True),  # nested arrays are flattened
    ({"tags": [{"exists": True}]}, {"tags": []}, False),  # an empty array is absent
    ({"tags": [{"exists": False}]}, {"tags": []}, True),
    ({"a": {"b": ["x"]}}, {"a": [{"b": "y"}, {"b": "x"}]}, True),  # objects in arrays
    # array consistency: both fields must come from the same element
    ({"a": {"b": ["x"], "c": ["y"]}}, {"a": [{"b": "x", "c": "z"}, {"b": "z", "c": "y"}]}, False),
    ({"a": {"b": ["x"], "c": ["y"]}}, {"a": [{"b": "x", "c": "z"}, {"b": "x", "c": "y"}]}, True),
    ({"a": {"b": ["x"]}, "d": ["y"]}, {"a": [{"b": "x"}], "d": ["q", "y"]}, True),  # distinct arrays
    # an array of text decided element by element must still leave later fields to decide
    ({"k": ["p"], "z": ["on"]}, {"k": ["q", ["p"]], "z": "off"}, False),
    ({"k": ["p"], "z": ["on"]}, {"k": ["q", ["p"]], "z": "on"}, True),
    ({"k": [{"prefix": "p"}], "z": ["on"]}, {"k": ["q", 5, "pq"], "z": "off"}, False),
    ({"k": [{"suffix": "q"}], "z": ["on"]}, {"k": [1, "pq"], "z": "on"}, True),
    ({"k": [{"equals-ignore-case": "P"}]}, {"k": ["x", {"p": 1}, "p"]}, True),
    ({"k": [{"prefix": "p"}]}, {"k": ["x", None, True]}, False),
    ({"k": [300], "z": ["on"]}, {"k": [1, [300.0]], "z": "off"}, False),  # and arrays of numbers
    ({"k": [300], "z": ["on"]}, {"k": [1, [3.0e2]], "z": "on"}, True),
    ({"k": [{"numeric": [">", 5]}]}, {"k": [1, "9", 7]}, True),
    ({"k": [{"numeric": [">", 5]}]}, {"k": [1, True, "9"]}, False),
    ({"k": [1]}, {"k": [True]}, False),  # true is not the number 1
    # `exists: false` under an array of objects: see SNS_PER_ELEMENT and tests/filters/test_library_rows.py
    ({"a": {"b": [{"exists": False}]}}, {"a": [{"b": 1}, {"b": 2}]}, False),
    ({"a": {"b": [{"exists": False}]}}, {"a": [1, "x"]}, True),
    ({"a": {"b": [{"exists": False}]}}, {"a": [[{"b": 1}]]}, False),
]

PREFIX_SUFFIX: list[Case] = [
    ({"t": [{"prefix": "2017-10"}]}, {"t": "2017-10-02T18:43:48Z"}, True),
    ({"t": [{"prefix": "2017-10"}]}, {"t": "2018-10-02"}, False),
    ({"t": [{"prefix": ""}]}, {"t": "anything"}, True),
    ({"t": [{"prefix": "1"}]}, {"t": 123}, False),  # string operators ignore numbers
    ({"f": [{"suffix": ".png"}]}, {"f": "a.png"}, True),
    ({"f": [{"suffix": ".png"}]}, {"f": "a.PNG"}, False),
    ({"f": [{"suffix": ".png"}, {"prefix": "img"}]}, {"f": "img.gif"}, True),  # alternatives
]

IGNORE_CASE: list[Case] = [
    ({"s": [{"equals-ignore-case": "Alice"}]}, {"s": "aLiCe"}, True),
    ({"s": [{"equals-ignore-case": "Alice"}]}, {"s": "Alicia"}, False),
    ({"s": [{"equals-ignore-case": ""}]}, {"s": ""}, True),
]

EVENTBRIDGE_ONLY: list[Case] = [
    ({"s": [{"prefix": {"equals-ignore-case": "EventB"}}]}, {"s": "eventbridge"}, True),
    ({"s": [{"suffix": {"equals-ignore-case": "BRIDGE"}}]}, {"s": "EventBridge"}, True),
    ({"s": [{"suffix": {"equals-ignore-case": "BRIDGE"}}]}, {"s": "EventBus"}, False),
    ({"p": [{"wildcard": "dir/*.png"}]}, {"p": "dir/a/b.png"}, True),
    ({"p": [{"wildcard": "dir/*.png"}]}, {"p": "dir/a/b.jpg"}, False),
    ({"p": [{"wildcard": "*"}]}, {"p": ""}, True),
    ({"p": [{"wildcard": "a\\*b"}]}, {"p": "a*b"}, True),  # escaped star is literal
    ({"p": [{"wildcard": "a\\*b"}]}, {"p": "axb"}, False),
    ({"p": [{"wildcard": ""}]}, {"p": "x"}, False),
    ({"s": [{"anything-but": {"suffix": ".txt"}}]}, {"s": "a.txt"}, False),
    ({"s": [{"anything-but": {"suffix": [".txt", ".md"]}}]}, {"s": "a.png"}, True),
    ({"s": [{"anything-but": {"equals-ignore-case": ["Stop", "halt"]}}]}, {"s": "STOP"}, False),
    ({"s": [{"anything-but": {"equals-ignore-case": "Stop"}}]}, {"s": "go"}, True),
    ({"s": [{"anything-but": {"wildcard": "*/tmp/*"}}]}, {"s": "/a/tmp/b"}, False),
    ({"s": [{"anything-but": {"wildcard": "*/tmp/*"}}]}, {"s": "/a/var/b"}, True),
    ({"s": [{"anything-but": {"prefix": ["init", "test"]}}]}, {"s": "testing"}, False),
]

ANYTHING_BUT: list[Case] = [
    ({"s": [{"anything-but": "stopped"}]}, {"s": "running"}, True),
    ({"s": [{"anything-but": "stopped"}]}, {"s": "stopped"}, False),
    ({"s": [{"anything-but": ["a", "b"]}]}, {"s": "b"}, False),
    ({"s": [{"anything-but": "stopped"}]}, {}, False),  # a missing field never matches
    ({"s": [{"anything-but": "stopped"}]}, {"s": None}, True),  # null is a value that is not it
    ({"s": [{"anything-but": "stopped"}]}, {"s": 5}, True),
    ({"n": [{"anything-but": [100, 200]}]}, {"n": 100.0}, False),
    ({"n": [{"anything-but": [100, 200]}]}, {"n": "100"}, True),
    ({"s": [{"anything-but": {"prefix": "init"}}]}, {"s": "initialising"}, False),
    ({"s": [{"anything-but": {"prefix": "init"}}]}, {"s": "running"}, True),
    ({"tags": [{"anything-but": ["a"]}]}, {"tags": ["a", "b"]}, True),  # some element is not "a"
    ({"tags": [{"anything-but": ["a"]}]}, {"tags": ["a"]}, False),
]

NUMERIC: list[Case] = [
    ({"n": [{"numeric": ["=", 301.5]}]}, {"n": 3.015e2}, True),
    ({"n": [{"numeric": ["<", 0]}]}, {"n": -1}, True),
    ({"n": [{"numeric": ["<", 0]}]}, {"n": 0}, False),
    ({"n": [{"numeric": ["<=", 0]}]}, {"n": 0}, True),
    ({"n": [{"numeric": [">", 0]}]}, {"n": 0}, False),
    ({"n": [{"numeric": [">=", 0]}]}, {"n": 0}, True),
    ({"n": [{"numeric": [">", 0, "<=", 5]}]}, {"n": 5}, True),
    ({"n": [{"numeric": [">", 0, "<=", 5]}]}, {"n": 5.000001}, False),
    ({"n": [{"numeric": [">", 0, "<", 5]}]}, {"n": 5}, False),
    ({"n": [{"numeric": [">", 0]}]}, {"n": "7"}, False),  # numeric needs a JSON number
    ({"n": [{"numeric": [">", 0]}]}, {"n": True}, False),  # booleans are not numbers
    ({"n": [{"numeric": [">", 0]}]}, {"n": None}, False),
    ({"n": [{"numeric": [">", 0]}]}, {"n": [-3, 4]}, True),
    ({"n": [{"numeric": [">", 0]}]}, {"n": 6e9}, False),  # beyond AWS's numeric range
]

CIDR: list[Case] = [
    ({"ip": [{"cidr": "10.0.0.0/24"}]}, {"ip": "10.0.0.255"}, True),
    ({"ip": [{"cidr": "10.0.0.0/24"}]}, {"ip": "10.0.1.0"}, False),
    ({"ip": [{"cidr": "10.0.0.0/24"}]}, {"ip": "10.0.0.256"}, False),
    ({"ip": [{"cidr": "10.0.0.0/24"}]}, {"ip": "not an ip"}, False),
    ({"ip": [{"cidr": "10.0.0.0/8"}]}, {"ip": 10}, False),
    ({"ip": [{"cidr": "2001:db8::/32"}]}, {"ip": "2001:0db8:0000:0000:0000:0000:0000:0001"}, True),
    ({"ip": [{"cidr": "2001:db8::/32"}]}, {"ip": "2001:db9::1"}, False),
    ({"ip": [{"cidr": "2001:db8::/32"}]}, {"ip": "10.0.0.1"}, False),
]

EXISTS: list[Case] = [
    ({"s": [{"exists": True}]}, {"s": "x"}, True),
    ({"s": [{"exists": True}]}, {"s": None}, True),  # null exists
    ({"s": [{"exists": True}]}, {"s": {"deeper": 1}}, False),  # only leaves exist
    ({"s": [{"exists": True}]}, {}, False),
    ({"s": [{"exists": False}]}, {}, True),
    ({"s": [{"exists": False}]}, {"s": None}, False),
    ({"s": [{"exists": False}]}, {"s": {"deeper": 1}}, True),
    ({"a": {"b": {"c": [{"exists": False}]}}}, {"a": "scalar"}, True),  # missing parents
    ({"a": {"b": [{"exists": False}], "c": ["x"]}}, {"a": {"c": "x"}}, True),
    ({"s": [{"exists": True}, {"prefix": "never"}]}, {"s": "x"}, True),
]

OR: list[Case] = [
    ({"$or": [{"a": ["1"]}, {"b": ["2"]}]}, {"b": "2"}, True),
    ({"$or": [{"a": ["1"]}, {"b": ["2"]}]}, {"a": "2", "b": "1"}, False),
    ({"s": ["x"], "$or": [{"a": ["1"]}, {"b": ["2"]}]}, {"s": "x", "a": "1"}, True),
    ({"s": ["x"], "$or": [{"a": ["1"]}, {"b": ["2"]}]}, {"s": "y", "a": "1"}, False),
    ({"d": {"$or": [{"a": [{"numeric": [">", 5]}]}, {"b": [{"prefix": "z"}]}]}}, {"d": {"b": "zz"}}, True),
    ({"d": {"$or": [{"a": [{"numeric": [">", 5]}]}, {"b": [{"prefix": "z"}]}]}}, {"d": {"a": 1}}, False),
    # each alternative is array-consistent on its own
    ({"x": {"a": ["1"]}, "$or": [{"x": {"b": ["2"]}}, {"y": ["3"]}]}, {"x": [{"a": "1"}, {"b": "2"}]}, False),
    ({"x": {"a": ["1"]}, "$or": [{"x": {"b": ["2"]}}, {"y": ["3"]}]}, {"x": [{"a": "1", "b": "2"}]}, True),
]

DOTTED: list[Case] = [
    ({"a.b": ["x"]}, {"a": {"b": "x"}}, True),  # a dotted pattern key is a path
    ({"a": {"b": ["x"]}}, {"a.b": "x"}, True),  # a dotted event key is a path too
    ({"a.b.c": ["x"]}, {"a": {"b.c": "x"}}, True),
    ({"a.b": ["x"]}, {"a": {"b": "y"}}, False),
]

COMMON = EXACT + ARRAYS + PREFIX_SUFFIX + IGNORE_CASE + ANYTHING_BUT + NUMERIC + CIDR + EXISTS + OR + DOTTED


@pytest.mark.parametrize(("pattern", "event", "expected"), COMMON + EVENTBRIDGE_ONLY)
def test_eventbridge(pattern: dict[str, Any], event: Any, expected: bool) -> None:
    assert matches(pattern, event, dialect="eventbridge") is expected


# SNS decides `exists: false` under an array of objects per element (its own matcher, kept);
# EventBridge and Lambda look at the whole event (test_library_rows.py).
SNS_PER_ELEMENT: list[Case] = [
    ({"a": {"b": ["x"], "c": [{"exists": False}]}}, {"a": [{"b": "x", "c": 1}, {"b": "x"}]}, True),
    ({"a": {"b": [{"exists": False}]}}, {"a": [{"b": 1}, {"c": 2}]}, True),
]


@pytest.mark.parametrize(("pattern", "event", "expected"), COMMON + SNS_PER_ELEMENT)
def test_sns_body(pattern: dict[str, Any], event: Any, expected: bool) -> None:
    assert matches(pattern, event, dialect="sns") is expected


# Lambda event filtering has no anything-but sub-forms (prefix, suffix, ...), cidr or wildcard.
LAMBDA = [
    c for c in EXACT + ARRAYS + ANYTHING_BUT + NUMERIC + EXISTS + OR if '"anything-but": {' not in json.dumps(c[0])
]


@pytest.mark.parametrize(("pattern", "event", "expected"), LAMBDA)
def test_lambda_filters(pattern: dict[str, Any], event: Any, expected: bool) -> None:
    assert matches(pattern, event, dialect="esm") is expected


def test_empty_pattern_matches_everything_in_sns_only() -> None:
    assert matches({}, "not json at all", dialect="sns")
    with pytest.raises(InvalidPatternError, match="Empty objects are not allowed"):
        matches({}, {"anything": 1}, dialect="eventbridge")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"price": 3.015e2}', True),  # SNS bodies arrive as text; numbers in any spelling
        ('  {"price": 301.5}\n', True),
        ('{"price": 301.5', False),  # not JSON: nothing matches
        ("301.5", False),  # JSON, but not an object
        (b'{"price": 301.5}', True),
    ],
)
def test_sns_raw_body(body: str | bytes, expected: bool) -> None:
    assert matches({"price": [{"numeric": ["=", 301.5]}]}, body, dialect="sns") is expected


def test_text_event_for_eventbridge_is_parsed() -> None:
    shop = compile({"source": ["shop"]}, dialect="eventbridge")
    assert shop.matches('{"source": "shop"}')
    assert not shop.matches("{broken")
    assert not shop.matches(["shop"])


def test_sns_reads_malformed_or_as_an_attribute_name() -> None:
    # one alternative only: SNS reads "$or" as an attribute whose values are objects
    reasons = validate({"$or": [{"a": ["1"]}]}, dialect="sns")
    assert reasons == ["Invalid parameter: FilterPolicy: Unrecognized match type a at $or"]
    assert matches({"$or": ["x"]}, {"$or": "x"}, dialect="sns")


def test_deep_events_and_patterns_do_not_crash() -> None:
    deep_list: Any = "x"
    for _ in range(5000):
        deep_list = [deep_list]
    assert matches({"k": ["x"]}, {"k": deep_list}, dialect="eventbridge")
    assert not matches({"k": ["x"]}, '{"k": ' + "[" * 100000 + "]" * 100000 + "}", dialect="sns")
    pattern: dict[str, Any] = {"k": ["x"]}
    event: dict[str, Any] = {"k": "x"}
    for _ in range(90):
        pattern, event = {"n": pattern}, {"n": event}
    assert matches(pattern, event, dialect="eventbridge")  # deeper than inlining goes
    for _ in range(20):
        pattern = {"n": pattern}
    assert validate(pattern, dialect="eventbridge")[0].endswith(
        "Pattern is nested more than 100 levels deep at " + ".".join(["n"] * 100)
    )
