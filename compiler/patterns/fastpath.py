"""Inline tests for the common pattern arrays, for the generated matcher.

For an array like `["a", "b"]` or `[{"numeric": [">", 0]}]`, the generated code tests the
usual case (a scalar of the expected type) as one Python expression, and falls back to the
array's full predicate (`conditions.leaf_predicate`) for everything else: lists, missing
fields, other types. The expressions must agree with that predicate on the types they
accept; `tests/filters` checks both paths against the same cases.
"""

from __future__ import annotations

from typing import Any

from evtc.patterns.addresses import in_network, read_address, read_network
from evtc.patterns.conditions import numeric_bounds
from evtc.patterns.limits import SNS, Dialect
from evtc.patterns.values import NUMBER_LIMIT, network_test, wildcard_regex

_STR: frozenset[type] = frozenset({str})
_NUM: frozenset[type] = frozenset({int, float})
_SCALAR: frozenset[type] = frozenset({str, int, float, bool, type(None)})
_QUANTISED = f"int(1000000.0 * ({NUMBER_LIMIT!r} + {{v}}))"
_IN_RANGE = f"{-NUMBER_LIMIT!r} <= {{v}} <= {NUMBER_LIMIT!r}"

# (types the expression handles, expression over `{v}` and `{c}` (one constant), constant)
Fast = tuple[frozenset[type], str, Any]


def fast_test(array: list[Any], spec: Dialect = SNS) -> Fast | None:
    """The inline test for `array`, or None when only the full predicate will do."""
    if all(type(item) is str for item in array):
        if spec.ruler and any(read_address(item) for item in array):
            return None  # an address literal matches its other spellings: the predicate's work
        return _STR, "{v} in {c}", frozenset(array)
    if all(type(item) in _NUM for item in array):
        return None if spec.library_numbers else _exact_numbers(array)
    if len(array) != 1 or not isinstance(array[0], dict) or len(array[0]) != 1:
        return None
    ((name, operand),) = array[0].items()
    if spec.library_numbers and _has_numbers(operand):
        return None
    if spec.ruler:
        return _ruler_single(name, operand)
    return _single(name, operand)


def _has_numbers(operand: Any) -> bool:
    items = operand if isinstance(operand, list) else [operand]
    return any(type(item) in _NUM for item in items)


def _ruler_single(name: str, operand: Any) -> Fast | None:
    """The library's case folding and address reading, inline where it is cheap (ASCII)."""
    if name == "equals-ignore-case":
        if isinstance(operand, str) and operand.isascii():
            return _STR, "{v}.isascii() and {v}.lower() == {c}", operand.lower()
        return None
    if name == "cidr" and isinstance(operand, str):
        network = read_network(operand)
        return None if network is None else (_STR, "{c}({v})", in_network(*network))
    if name == "anything-but" and isinstance(operand, dict) and "equals-ignore-case" in operand:
        texts = operand["equals-ignore-case"]
        texts = texts if isinstance(texts, list) else [texts]
        if all(type(text) is str and text.isascii() for text in texts):
            return _STR, "not ({v}.isascii() and {v}.lower() in {c})", frozenset(t.lower() for t in texts)
        return None
    return _single(name, operand)


_POSITIVE_ON_TEXT = frozenset({"prefix", "suffix", "equals-ignore-case", "wildcard", "cidr"})


def true_only_of_its_types(array: list[Any]) -> bool:
    """True when the array's inline test can only be true of a value of the types it handles
    (text tests of strings, numeric tests of numbers), so an event array made of such values
    matches exactly when one of its elements passes the test."""
    if all(type(item) is str for item in array) or all(type(item) in _NUM for item in array):
        return True
    if len(array) != 1 or not isinstance(array[0], dict) or len(array[0]) != 1:
        return False
    ((name, _),) = array[0].items()
    return name in _POSITIVE_ON_TEXT or name == "numeric"


def _exact_numbers(array: list[Any]) -> Fast | None:
    if any(not -NUMBER_LIMIT <= item <= NUMBER_LIMIT for item in array):
        return None  # out-of-range literals match by text: leave them to the predicate
    keys = frozenset(int(1_000_000.0 * (NUMBER_LIMIT + item)) for item in array)
    return _NUM, f"{_IN_RANGE} and {_QUANTISED} in {{c}}", keys


def _single(name: str, operand: Any) -> Fast | None:
    if name == "exists":
        # present scalars exist; `exists: false` is only ever true of what the predicate sees
        return (_SCALAR, "True", None) if operand is True else (_SCALAR, "False", None)
    if name in ("prefix", "suffix") and isinstance(operand, str):
        method = "startswith" if name == "prefix" else "endswith"
        return _STR, f"{{v}}.{method}({{c}})", operand
    if name == "equals-ignore-case" and isinstance(operand, str):
        return _STR, "{v}.lower() == {c}", operand.lower()
    if name == "numeric":
        return _numeric(operand)
    if name == "anything-but":
        return _anything_but(operand)
    if name == "wildcard" and isinstance(operand, str):
        return _STR, "{c}({v}) is not None", wildcard_regex(operand).fullmatch
    if name == "cidr" and isinstance(operand, str):
        return _STR, "{c}({v})", network_test(operand)
    return None


_EXCLUDED_TEXT = {
    "prefix": "not {v}.startswith({c})",
    "suffix": "not {v}.endswith({c})",
    "equals-ignore-case": "{v}.lower() not in {c}",
}


def _anything_but(operand: Any) -> Fast | None:
    if isinstance(operand, dict):  # {"prefix" | "suffix" | "equals-ignore-case" | "wildcard": text or [texts]}
        return _anything_but_text(*next(iter(operand.items())))
    excluded = operand if isinstance(operand, list) else [operand]
    if all(type(item) is str for item in excluded):
        return _STR, "{v} not in {c}", frozenset(excluded)
    exact = _exact_numbers(excluded) if all(type(item) in _NUM for item in excluded) else None
    if exact is None:
        return None
    # NOTE: an event number outside AWS's range equals no in-range literal, so it is not excluded.
    return _NUM, f"not ({exact[1]})", exact[2]


def _numeric(operand: list[Any]) -> Fast:
    low, low_open, high, high_open = numeric_bounds(operand)
    checks = [_IN_RANGE]
    if low is not None:
        checks.append(f"{low} {'<' if low_open else '<='} {_QUANTISED}")
    if high is not None:
        checks.append(f"{_QUANTISED} {'<' if high_open else '<='} {high}")
    return _NUM, " and ".join(checks), None


def _anything_but_text(name: str, operand: Any) -> Fast | None:
    texts = operand if isinstance(operand, list) else [operand]
    if not texts or not all(type(text) is str for text in texts):
        return None
    if name == "equals-ignore-case":
        return _STR, _EXCLUDED_TEXT[name], frozenset(text.lower() for text in texts)
    if name in _EXCLUDED_TEXT:
        return _STR, _EXCLUDED_TEXT[name], tuple(texts)  # NOTE: startswith takes a tuple of prefixes
    if name == "wildcard":
        regexes = [wildcard_regex(text).fullmatch for text in texts]
        if len(regexes) == 1:
            return _STR, "{c}({v}) is None", regexes[0]
    return None
