"""One test per row of issue 11: filters decide as EventBridge's matching library
(aws/event-ruler) does, except where docs/filters.md says why not.

Each row says what the library answers, and whether evtc follows it (`follow`), keeps its
own answer where the library has a defect (`keep`), or keeps AWS's guide where the guide and
the library disagree (`documented`, under the `library_numbers` switch of the dialect table).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest

from evtc.filters import matches, validate
from evtc.patterns import limits
from evtc.patterns.engine import _compile_text

RULER = ("eventbridge", "esm")  # Lambda event source mappings and Pipes use the same matching

# (row, pattern, event, evtc's answer): matching, patterns both sides accept
MATCHING: list[tuple[str, Any, Any, bool]] = [
    ("follow: dotted event key beside its parent", {"a": {"b": ["x"]}}, {"a": {}, "a.b": "x"}, True),
    ("follow: dotted event key beside a scalar parent", {"a": {"b": ["x"]}}, {"a": 0, "a.b": "x"}, True),
    (
        "follow: dotted key joins an array element",
        {"a": {"b": ["x"], "c": ["y"]}},
        {"a": [{"b": "x"}], "a.c": "y"},
        True,
    ),
    ("follow: sharp s folds to SS", {"a": [{"equals-ignore-case": "ß"}]}, {"a": "SS"}, True),
    ("follow: sharp s does not fold to ss", {"a": [{"equals-ignore-case": "ß"}]}, {"a": "ss"}, False),
    ("follow: Kelvin sign folds to k", {"a": [{"equals-ignore-case": "\u212a"}]}, {"a": "k"}, True),
    ("follow: k does not fold to the Kelvin sign", {"a": [{"equals-ignore-case": "k"}]}, {"a": "\u212a"}, False),
    ("follow: final sigma folds to capital sigma", {"a": [{"equals-ignore-case": "ς"}]}, {"a": "Σ"}, True),
    ("follow: ignore-case prefix folds", {"a": [{"prefix": {"equals-ignore-case": "ß"}}]}, {"a": "SSx"}, True),
    ("follow: ignore-case suffix folds", {"a": [{"suffix": {"equals-ignore-case": "ß"}}]}, {"a": "xSS"}, True),
    (
        "follow: anything-but ignore-case folds",
        {"a": [{"anything-but": {"equals-ignore-case": "ß"}}]},
        {"a": "SS"},
        False,
    ),
    ("follow: ASCII ignore-case stays ASCII", {"a": [{"equals-ignore-case": "AbC"}]}, {"a": "aBc"}, True),
    ("follow: path beside $or replaced inside it", {"a": ["x"], "$or": [{"a": ["y"]}, {"b": ["z"]}]}, {"a": "y"}, True),
    ("follow: path after $or replaces inside it", {"$or": [{"a": ["y"]}, {"b": ["z"]}], "a": ["x"]}, {"a": "y"}, False),
    ("follow: dotted path replaces nested", {"a": {"b": ["x"]}, "a.b": ["y"]}, {"a": {"b": "y"}}, True),
    ("follow: dotted path replaced by nested", {"a.b": ["y"], "a": {"b": ["x"]}}, {"a": {"b": "y"}}, False),
    ("follow: value and parent", {"a": [{"anything-but": "x"}], "a.b": [{"exists": False}]}, {"a": "y"}, True),
    ("follow: exists false in array of objects", {"a": {"b": [{"exists": False}]}}, {"a": [{"b": "x"}, {}]}, False),
    (
        "follow: exists false after a path that picks the element",
        {"e": {"f": ["Anna"], "ids": [{"exists": False}]}},
        {"e": [{"f": "John", "ids": 1}, {"f": "Anna"}]},
        True,
    ),
    ("follow: IPv4 leading zeros in the event", {"a": [{"cidr": "10.0.0.0/8"}]}, {"a": "010.0.0.1"}, True),
    ("follow: IPv6 zone id in the event", {"a": [{"cidr": "fe80::/64"}]}, {"a": "fe80::1%eth0"}, False),
    ("follow: IP literal, other spelling", {"a": ["::1"]}, {"a": "0:0:0:0:0:0:0:1"}, True),
    ("follow: IP literal, hex case", {"a": ["FE80::1"]}, {"a": "fe80::1"}, True),
    ("follow: IPv4 literal, leading zero", {"a": ["10.0.0.1"]}, {"a": "010.0.0.1"}, True),
    ("follow: IPv4-mapped IPv6 read as IPv4", {"a": [{"cidr": "10.0.0.0/8"}]}, {"a": "::ffff:a00:1"}, True),
    (
        "follow: IPv4-mapped with a dotted quad is no address",
        {"a": [{"cidr": "10.0.0.0/8"}]},
        {"a": "::ffff:10.0.0.1"},
        False,
    ),
    ("keep: emoji under ignore-case", {"a": [{"equals-ignore-case": "😀"}]}, {"a": "😀"}, True),
    ("keep: titlecase under ignore-case", {"a": [{"equals-ignore-case": "ǅ"}]}, {"a": "ǅ"}, True),
    ("keep: IP literal of the other family", {"a": ["0.0.0.0"]}, {"a": "::1"}, False),
    ("keep: cidr against a number", {"a": [{"cidr": "10.0.0.0/0"}]}, {"a": 10}, False),
    ("keep: cidr of the other family", {"a": [{"cidr": "::/0"}]}, {"a": "10.0.0.1"}, False),
    (
        "keep: wildcard and anything-but in one array",
        {"a": [{"anything-but": {"wildcard": "*"}}, {"anything-but": {"equals-ignore-case": "x"}}]},
        {"a": "y"},
        True,
    ),
    ("documented: seventh decimal", {"a": [{"numeric": ["=", 1]}]}, {"a": 1.0000001}, True),
    ("documented: not exactly a double", {"a": [9007199254740993]}, {"a": 9007199254740992}, True),
    ("documented: beyond 5e9", {"a": [{"numeric": [">", 0]}]}, {"a": 6e9}, False),
]

# (row, pattern as JSON text, accepted)
VALIDATION: list[tuple[str, str, bool]] = [
    ("reject: anything-but number beyond a double", '{"a":[{"anything-but":12345678901234567890}]}', False),
    ("reject: numeric operand with too many digits", '{"a":[{"numeric":["=",0.1234567890123456789]}]}', False),
    ("reject: anything-but infinity", '{"a":[{"anything-but":[1e400]}]}', False),
    ("reject: empty pattern", "{}", False),
    ("reject: empty nested object", '{"a":{}}', False),
    ("reject: reserved name inside $or", '{"$or":[{"prefix":["x"]},{"b":["y"]}]}', False),
    ("reject: reserved name deep inside $or", '{"$or":[{"c":{"numeric":["x"]}},{"b":["y"]}]}', False),
    ("reject: cidr /32", '{"a":[{"cidr":"10.0.0.1/32"}]}', False),
    ("reject: cidr /128", '{"a":[{"cidr":"::1/128"}]}', False),
    ("accept: cidr /31", '{"a":[{"cidr":"10.0.0.0/31"}]}', True),
    ("accept: cidr with leading zeros", '{"a":[{"cidr":"010.0.0.0/8"}]}', True),
    ("accept: cidr mask with a sign", '{"a":[{"cidr":"10.0.0.0/+8"}]}', True),
    ("reject: cidr with a zone id", '{"a":[{"cidr":"fe80::1%eth0/64"}]}', False),
    ("reject: cidr with an embedded dotted quad", '{"a":[{"cidr":"::ffff:10.0.0.0/104"}]}', False),
    ("reject: wildcard invalid escape", '{"a":[{"wildcard":"a\\\\b"}]}', False),
    ("reject: wildcard lone backslash", '{"a":[{"wildcard":"\\\\"}]}', False),
    ("accept: wildcard escaped star then star", '{"a":[{"wildcard":"\\\\**"}]}', True),
    ("reject: wildcard two stars", '{"a":[{"wildcard":"a**"}]}', False),
    ("keep: anything-but empty prefix list", '{"a":["x",{"anything-but":{"prefix":[]}}]}', False),
    ("keep: pattern longer than 2048 characters", json.dumps({"a": ["x" * 2100]}), False),
    ("documented: numeric beyond 5e9", '{"a":[{"numeric":[">",6e9]}]}', False),
    ("documented: exactly", '{"a":[{"exactly":"x"}]}', False),
]


@pytest.mark.parametrize("dialect", RULER)
@pytest.mark.parametrize(("row", "pattern", "event", "expected"), MATCHING, ids=[r[0] for r in MATCHING])
def test_matching_row(row: str, pattern: Any, event: Any, expected: bool, dialect: str) -> None:
    if dialect == "esm" and validate(pattern, dialect="esm"):
        pytest.skip("Lambda filters lack the operator (cidr, wildcard, anything-but sub-forms)")
    assert matches(pattern, event, dialect=dialect) is expected


@pytest.mark.parametrize(("row", "text", "accepted"), VALIDATION, ids=[r[0] for r in VALIDATION])
def test_validation_row(row: str, text: str, accepted: bool) -> None:
    assert (validate(text, dialect="eventbridge") == []) is accepted


def test_esm_validates_as_eventbridge_does() -> None:
    for text in ('{"a":[{"anything-but":12345678901234567890}]}', "{}", '{"$or":[{"prefix":["x"]},{"b":["y"]}]}'):
        assert validate(text, dialect="esm")


def test_sns_keeps_its_own_matcher() -> None:
    """SNS: no conformance vector or SNS document supports these changes, so none applies."""
    assert matches({"a": [{"equals-ignore-case": "ß"}]}, {"a": "SS"}, dialect="sns") is False
    assert matches({"a": {"b": [{"exists": False}]}}, {"a": [{"b": "x"}, {}]}, dialect="sns") is True
    assert validate({}, dialect="sns") == []


@pytest.fixture
def library_numbers() -> Iterator[None]:
    """The documented rows' switch flipped, as it would be once AWS is observed to follow the library."""
    saved = dict(limits.DIALECTS)
    for name in RULER:
        limits.DIALECTS[name] = dataclasses.replace(saved[name], library_numbers=True)
    _compile_text.cache_clear()
    yield
    limits.DIALECTS.update(saved)
    _compile_text.cache_clear()


@pytest.mark.usefixtures("library_numbers")
def test_the_switch_flips_every_documented_row() -> None:
    assert matches({"a": [{"numeric": ["=", 1]}]}, {"a": 1.0000001}, dialect="eventbridge") is False
    assert matches({"a": [9007199254740993]}, {"a": 9007199254740992}, dialect="eventbridge") is False
    assert matches({"a": [{"numeric": [">", 0]}]}, {"a": 6e9}, dialect="eventbridge") is True
    assert validate('{"a":[{"numeric":[">",6e9]}]}', dialect="eventbridge") == []
    assert matches({"a": [{"exactly": "x"}]}, {"a": "x"}, dialect="eventbridge") is True
    assert matches({"a": [{"numeric": [">", 0.1]}]}, {"a": 0.2}, dialect="esm") is True
