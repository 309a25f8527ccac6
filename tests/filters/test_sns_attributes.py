"""SNS attribute scope: values arrive as typed text and are compared by their type."""

from __future__ import annotations

from typing import Any

import pytest

from evtc.filters import matches


def attr(kind: str, value: Any) -> dict[str, Any]:
    return {"Type": kind, "Value": value}


CASES: list[tuple[dict[str, Any], dict[str, Any], bool]] = [
    ({"store": ["shop"]}, {"store": attr("String", "shop")}, True),
    ({"store": ["shop"]}, {"store": attr("String", "Shop")}, False),
    ({"store": ["shop"]}, {}, False),
    ({"price": [100]}, {"price": attr("Number", "100")}, True),
    ({"price": [100]}, {"price": attr("Number", "1.0e2")}, True),  # Number text is a number
    ({"price": [100]}, {"price": attr("String", "100")}, False),  # String text is a string
    ({"price": [{"numeric": [">", 99]}]}, {"price": attr("Number", "99.5")}, True),
    ({"price": [{"numeric": [">", 99]}]}, {"price": attr("String", "150")}, False),
    ({"price": [{"anything-but": ["100"]}]}, {"price": attr("Number", "100")}, True),
    ({"price": [{"anything-but": [100]}]}, {"price": attr("Number", "100")}, False),
    # String.Array: the value is JSON text; any element may match
    ({"sport": ["rugby"]}, {"sport": attr("String.Array", '["soccer", "rugby"]')}, True),
    ({"sport": ["rugby"]}, {"sport": attr("String.Array", '["soccer"]')}, False),
    ({"n": [100]}, {"n": attr("String.Array", "[100, 50]")}, True),
    ({"ok": [True]}, {"ok": attr("String.Array", "[true]")}, True),
    ({"sport": ["rugby"]}, {"sport": attr("String.Array", "['rugby']")}, False),  # not JSON
    ({"sport": [{"exists": True}]}, {"sport": attr("String.Array", "['rugby']")}, True),
    ({"sport": [{"prefix": "rug"}]}, {"sport": attr("String.Array", '["soccer", "rugby"]')}, True),
    # custom type labels keep their base type
    ({"n": [5]}, {"n": attr("Number.int", "5")}, True),
    ({"s": ["x"]}, {"s": attr("String.id", "x")}, True),
    # Binary attributes are ignored: as if absent
    ({"b": [{"exists": True}]}, {"b": attr("Binary", "AAEC")}, False),
    ({"b": [{"exists": False}]}, {"b": attr("Binary", "AAEC")}, True),
    # boto3's spelling of attributes works too
    ({"store": ["shop"]}, {"store": {"DataType": "String", "StringValue": "shop"}}, True),
    # attribute names are flat: a dot is part of the name
    ({"a.b": ["x"]}, {"a.b": attr("String", "x")}, True),
    ({"$or": [{"a": ["1"]}, {"b": ["2"]}]}, {"b": attr("String", "2")}, True),
    ({"ip": [{"cidr": "10.0.0.0/24"}]}, {"ip": attr("String", "10.0.0.7")}, True),
    ({"s": [{"equals-ignore-case": "SHOP"}]}, {"s": attr("String", "shop")}, True),
]


@pytest.mark.parametrize(("pattern", "attributes", "expected"), CASES)
def test_attribute_scope(pattern: dict[str, Any], attributes: dict[str, Any], expected: bool) -> None:
    assert matches(pattern, attributes, dialect="sns", scope="MessageAttributes") is expected


def test_attributes_that_are_not_an_object_match_nothing() -> None:
    assert not matches({"a": [{"exists": False}]}, "text", dialect="sns", scope="MessageAttributes")
    assert matches({}, "text", dialect="sns", scope="MessageAttributes")
