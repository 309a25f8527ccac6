"""What AWS rejects, and why, per dialect; valid patterns give no reasons."""

from __future__ import annotations

from typing import Any

import pytest

from evtc.filters import InvalidPatternError, compile, validate

EB = "Event pattern is not valid. Reason: "
SNS = "Invalid parameter: FilterPolicy: "
MIXED = "Inside anything but list, either all values are number or string, mixed type is not supported"

INVALID_EVENTBRIDGE: list[tuple[Any, str]] = [
    ([], "Filter must be a JSON object"),
    ({"source": "shop"}, '"source" must be an object or an array at source'),
    ({"n": 42}, '"n" must be an object or an array at n'),
    ({"resources": []}, "Empty arrays are not allowed at resources"),
    ({"a": [["nested"]]}, "Match value must be String, number, true, false, or null at a"),
    ({"a": [{"prefix": "x", "suffix": "y"}]}, "Only one key allowed in match expression at a"),
    ({"a": [{"EXISTS": True}]}, "Unrecognized match type EXISTS at a"),
    ({"a": [{"exists": "yes"}]}, "exists match pattern must be either true or false. at a"),
    ({"a": [{"prefix": 1}]}, "prefix match pattern must be a string at a"),
    ({"a": [{"prefix": ["x"]}]}, "prefix match pattern must be a string at a"),
    ({"a": [{"suffix": {"equals-ignore-case": 1}}]}, "suffix match pattern must be a string at a"),
    ({"a": [{"equals-ignore-case": ["x"]}]}, "equals-ignore-case match pattern must be a string at a"),
    ({"a": [{"wildcard": "a**b"}]}, "Consecutive wildcard characters at pos 2 at a"),
    ({"a": [{"wildcard": 5}]}, "wildcard match pattern must be a string at a"),
    ({"a": [{"numeric": 5}]}, "Value of numeric must be an array. at a"),
    ({"a": [{"numeric": ["==", 5]}]}, "Unrecognized numeric range operator: == at a"),
    ({"a": [{"numeric": [">", "5"]}]}, "Value of > must be numeric at a"),
    ({"a": [{"numeric": ["<", 5, ">", 1]}]}, "Too many elements in numeric expression at a"),
    ({"a": [{"numeric": [">", 5, ">", 1]}]}, "Bad numeric range operator: > at a"),
    ({"a": [{"numeric": [">", 5, "<"]}]}, "Value of < must be numeric at a"),
    ({"a": [{"numeric": [">", 5, "<", 1]}]}, "Bottom must be less than top at a"),
    ({"a": [{"numeric": [">", 6e9]}]}, "Value must be between -5.0E+09 and 5.0E+09, inclusive at a"),
    ({"a": [{"cidr": "10.0.0.0"}]}, "Nonstandard IP address: 10.0.0.0 at a"),
    ({"a": [{"cidr": "10.0.0.0/33"}]}, "IPv4 mask bits must be < 32 at a"),
    ({"a": [{"cidr": ["10.0.0.0/8"]}]}, "cidr match pattern must be a string at a"),
    ({"a": [{"anything-but": None}]}, "Value of anything-but must be an array or single string/number value. at a"),
    ({"a": [{"anything-but": ["x", None]}]}, "Inside anything but list, start|null|boolean is not supported. at a"),
    ({"a": [{"anything-but": ["x", 1]}]}, MIXED + " at a"),
    ({"a": [{"anything-but": {"prefix": ""}}]}, "Null prefix/suffix not allowed at a"),
    ({"a": [{"anything-but": {"prefix": 5}}]}, "prefix/suffix match pattern must be a string at a"),
    ({"a": [{"anything-but": {"exists": True}}]}, "Unsupported anything-but pattern: exists at a"),
    (
        {"a": [{"anything-but": {"equals-ignore-case": [1]}}]},
        "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported. at a",
    ),
    ({"$or": {"a": ["x"]}}, "It must be an Array followed with $or."),
    ({"$or": [{"a": ["x"]}]}, "There must have at least 2 Objects in $or relationship."),
    ({"$or": [{"a": ["x"]}, "b"]}, "Only JSON object is allowed in array of $or relationship."),
]


@pytest.mark.parametrize(("pattern", "reason"), INVALID_EVENTBRIDGE)
def test_eventbridge_rejects(pattern: Any, reason: str) -> None:
    assert validate(pattern, dialect="eventbridge") == [EB + reason]


def test_every_problem_is_reported() -> None:
    assert len(validate({"a": [], "b": "x", "c": [{"exists": 1}]}, dialect="eventbridge")) == 3


def test_wildcards_that_are_too_complex_are_rejected() -> None:
    assert validate({"arn": [{"wildcard": "arn:aws:events:*:*:event-bus/*"}]}, dialect="eventbridge") == []
    (reason,) = validate({"arn": [{"wildcard": "*:*:*:*:*:*:event-bus/*"}]}, dialect="eventbridge")
    assert "Rule is too complex" in reason


def test_eventbridge_pattern_length_limit() -> None:
    assert validate({"a": ["x" * 2000]}, dialect="eventbridge") == []
    (reason,) = validate({"a": ["x" * 2100]}, dialect="eventbridge")
    assert reason.startswith(EB + "Pattern is too long")


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ({"a": [{"wildcard": "x*"}]}, "Unrecognized match type wildcard at a"),
        ({"a": [{"prefix": {"equals-ignore-case": "x"}}]}, "prefix match pattern must be a string at a"),
        ({"a": [{"anything-but": {"wildcard": "x*"}}]}, "Unsupported anything-but pattern: wildcard at a"),
        ({"a": [1e10]}, "Value must be between -1.0E+09 and 1.0E+09, inclusive at a"),
        (
            {"a": ["1"], "b": ["2"], "c": ["3"], "d": ["4"], "e": ["5"], "f": ["6"]},
            "Filter policy can not have more than 5 keys",
        ),
        ({"a": list(range(151))}, "Filter policy is too complex"),
    ],
)
def test_sns_rejects(pattern: dict[str, Any], reason: str) -> None:
    assert validate(pattern, dialect="sns") == [SNS + reason]


def test_sns_complexity_counts_nesting_depth_and_or_alternatives() -> None:
    # AWS's documented example: 4 values three levels deep, 3 values two levels deep: 72
    nested = {"a": {"b": {"c": ["1", "2", "3", "4"]}}, "d": {"e": ["1", "2", "3"]}}
    assert validate(nested, dialect="sns") == []
    wide = {"a": {"b": {"c": [str(n) for n in range(10)]}}, "d": {"e": [str(n) for n in range(3)]}}
    assert validate(wide, dialect="sns") == [SNS + "Filter policy is too complex"]  # 30 x 6 = 180


def test_sns_body_counts_only_top_level_keys() -> None:
    nested = {"data": {k: ["x"] for k in "abcdef"}}
    assert validate(nested, dialect="sns", scope="MessageBody") == []


def test_sns_attribute_scope_has_no_nesting() -> None:
    assert validate({"a": {"b": ["x"]}}, dialect="sns", scope="MessageAttributes") == [
        SNS + "Filter policy scope MessageAttributes does not support nested filter policy at a"
    ]


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ({"a": [{"cidr": "10.0.0.0/8"}]}, "Unrecognized match type cidr at a"),
        ({"a": [{"wildcard": "x*"}]}, "Unrecognized match type wildcard at a"),
        ({"a": [{"anything-but": {"prefix": "x"}}]}, "Unsupported anything-but pattern: prefix at a"),
        ({"body": {"a": ["x" * 4100]}}, "Pattern is too long: 4119 characters, the limit is 4096"),
    ],
)
def test_lambda_filters_reject(pattern: dict[str, Any], reason: str) -> None:
    assert validate(pattern, dialect="esm") == [EB + reason]


VALID: list[dict[str, Any]] = [
    {"source": ["shop"], "detail": {"total": [{"numeric": [">", 0, "<=", 100]}], "vip": [True, None]}},
    {"a": [{"anything-but": {"prefix": ["x", "y"]}}, {"anything-but": 5}, {"anything-but": [1, 2]}]},
    {"a": [{"cidr": "2001:db8::/32"}, {"exists": False}, {"equals-ignore-case": "X"}]},
    {"$or": [{"a": ["1"]}, {"b": {"c": ["2"]}}]},
    {"a": [{"wildcard": "*/dir/*"}, {"prefix": {"equals-ignore-case": "x"}}]},
]


@pytest.mark.parametrize("pattern", VALID)
def test_valid_eventbridge_patterns(pattern: dict[str, Any]) -> None:
    assert validate(pattern, dialect="eventbridge") == []


def test_compile_raises_with_the_reasons() -> None:
    with pytest.raises(InvalidPatternError) as raised:
        compile({"a": []}, dialect="eventbridge")
    assert raised.value.reasons == [EB + "Empty arrays are not allowed at a"]


def test_unknown_dialect_and_scope() -> None:
    assert validate({}, dialect="kafka") == ["unknown dialect 'kafka'; use one of esm, eventbridge, sns"]
    with pytest.raises(InvalidPatternError):
        compile({}, dialect="sns", scope="Headers")
