"""Leaf conditions: one pattern array (`["a", {"prefix": "b"}]`) turned into one fast predicate.

A leaf predicate receives whatever the event holds at the leaf's path (a scalar, a list, an
object, or `MISSING`) and answers with AWS's rules: an array matches when any of its scalar
elements matches, objects and empty arrays count as absent, `exists: false` is the only
thing that matches an absent field, and `null` is a present value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evtc.patterns.addresses import in_network, read_address, read_network
from evtc.patterns.exactness import comparable
from evtc.patterns.folding import ends_folded, equals_folded, starts_folded
from evtc.patterns.limits import SNS, Dialect
from evtc.patterns.values import is_number, network_test, quantise, wildcard_regex

Predicate = Callable[[Any], bool]


class _Missing:
    """The value at a path the event does not have."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def double_key(number: float) -> float | None:
    """The key the library compares numbers on (when `library_numbers` is on): the double
    itself, or None for a number no double holds exactly (it then matches only its spelling)."""
    return float(number) if comparable(number) else None


def spelling(number: float) -> str:
    return repr(number)


class Exact:
    """The exact literals of one pattern array, grouped by JSON type for set lookups.

    `spec.ruler`: a string literal that spells an IP address matches every spelling of
    that address, as the library reads them (`::1` and `0:0:0:0:0:0:0:1`).
    """

    def __init__(self, spec: Dialect = SNS, addresses: bool = False) -> None:
        self.strings: set[str] = set()
        self.numbers: set[Any] = set()
        self.big_numbers: set[Any] = set()
        self.bools: set[bool] = set()
        self.null = False
        self.addresses: set[tuple[int, int]] = set()
        self.read_addresses = addresses and spec.ruler
        self.key = double_key if spec.library_numbers else quantise
        self.literal: Callable[[Any], Any] = spelling if spec.library_numbers else float

    def add(self, literal: Any) -> None:
        if literal is None:
            self.null = True
        elif type(literal) is bool:
            self.bools.add(literal)
        elif is_number(literal):
            key = self.key(literal)
            if key is None:
                self.big_numbers.add(self.literal(literal))
            else:
                self.numbers.add(key)
        else:
            self.strings.add(str(literal))
            address = read_address(literal) if self.read_addresses else None
            if address is not None:
                self.addresses.add(address)

    def contains(self, value: Any) -> bool:
        kind = type(value)
        if kind is str:
            return value in self.strings or (bool(self.addresses) and read_address(value) in self.addresses)
        if kind is bool:
            return value in self.bools
        if kind is int or kind is float:
            key = self.key(value)
            return key in self.numbers if key is not None else self.literal(value) in self.big_numbers
        return value is None and self.null

    def __bool__(self) -> bool:
        return bool(self.strings or self.numbers or self.big_numbers or self.bools or self.null)


def _string_test(test: Callable[[str], bool]) -> Predicate:
    return lambda value: type(value) is str and test(value)


def _prefix(operand: Any, spec: Dialect = SNS) -> Predicate:
    if isinstance(operand, dict) and spec.ruler:
        return _string_test(starts_folded(str(operand.get("equals-ignore-case", ""))))
    if isinstance(operand, dict):
        folded = str(operand.get("equals-ignore-case", "")).lower()
        return _string_test(lambda value: value.lower().startswith(folded))
    return _string_test(lambda value: value.startswith(operand))


def _suffix(operand: Any, spec: Dialect = SNS) -> Predicate:
    if isinstance(operand, dict) and spec.ruler:
        return _string_test(ends_folded(str(operand.get("equals-ignore-case", ""))))
    if isinstance(operand, dict):
        folded = str(operand.get("equals-ignore-case", "")).lower()
        return _string_test(lambda value: value.lower().endswith(folded))
    return _string_test(lambda value: value.endswith(operand))


def _ignore_case(operand: Any, spec: Dialect = SNS) -> Predicate:
    if spec.ruler:
        tests = [equals_folded(str(item)) for item in _as_list(operand)]
        return _string_test(lambda value: any(test(value) for test in tests))
    folded = {str(item).lower() for item in _as_list(operand)}
    return _string_test(lambda value: value.lower() in folded)


def _exactly(operand: Any, spec: Dialect = SNS) -> Predicate:
    return lambda value: value == operand and type(value) is str


def _wildcard(operand: Any, spec: Dialect = SNS) -> Predicate:
    regexes = [wildcard_regex(str(item)) for item in _as_list(operand)]
    return _string_test(lambda value: any(regex.fullmatch(value) for regex in regexes))


def _numeric(operand: list[Any], spec: Dialect = SNS) -> Predicate:
    key_of = double_key if spec.library_numbers else quantise
    low, low_open, high, high_open = numeric_bounds(operand, key_of)

    def test(value: Any) -> bool:
        if not is_number(value):
            return False
        key = key_of(value)
        if key is None:
            return False
        if low is not None and (key < low or (low_open and key == low)):
            return False
        return high is None or not (key > high or (high_open and key == high))

    return test


def numeric_bounds(operand: list[Any], key_of: Callable[[Any], Any] = quantise) -> tuple[Any, bool, Any, bool]:
    """(low, low is open, high, high is open) of a validated `numeric` array, as keys."""
    low: Any = None
    high: Any = None
    low_open = high_open = False
    for op, number in zip(operand[::2], operand[1::2]):
        key = key_of(number)
        if op in ("=", ">", ">="):
            low, low_open = key, op == ">"
        if op in ("=", "<", "<="):
            high, high_open = key, op == "<"
    return low, low_open, high, high_open


def _cidr(operand: Any, spec: Dialect = SNS) -> Predicate:
    if spec.ruler:
        network = read_network(str(operand))
        return in_network(*network) if network is not None else lambda value: False
    return network_test(str(operand))


def _anything_but(operand: Any, spec: Dialect = SNS) -> Predicate:
    if isinstance(operand, dict):
        # {"prefix" | "suffix" | "equals-ignore-case" | "wildcard": text or [texts]}
        ((name, inner),) = operand.items()
        tests = [_OPERATORS[name](item, spec) for item in _as_list(inner)]
        return lambda value: not any(test(value) for test in tests)
    exact = Exact(spec)
    for literal in _as_list(operand):
        exact.add(literal)
    return lambda value: not exact.contains(value)


def _as_list(operand: Any) -> list[Any]:
    return operand if isinstance(operand, list) else [operand]


_OPERATORS: dict[str, Callable[[Any, Dialect], Predicate]] = {
    "exactly": _exactly,
    "prefix": _prefix,
    "suffix": _suffix,
    "equals-ignore-case": _ignore_case,
    "wildcard": _wildcard,
    "numeric": _numeric,
    "cidr": _cidr,
    "anything-but": _anything_but,
}


def leaf_predicate(items: list[Any], spec: Dialect = SNS) -> Predicate:
    """Compile one (validated) pattern array into a predicate over the event's value."""
    exact = Exact(spec, addresses=True)
    tests: list[Predicate] = []
    exists: set[bool] = set()
    for item in items:
        if not isinstance(item, dict):
            exact.add(item)
            continue
        ((name, operand),) = item.items()
        if name == "exists":
            exists.add(bool(operand))
        else:
            tests.append(_OPERATORS[name](operand, spec))
    return _assemble(exact, tuple(tests), True in exists, False in exists)


def _assemble(exact: Exact, tests: tuple[Predicate, ...], present: bool, absent: bool) -> Predicate:
    scalar = _scalar_test(exact, tests, present)
    strings = frozenset(exact.strings)
    # NOTE: the common case (only exact strings) answers a string in one set lookup.
    only_strings = not tests and not present and bool(strings) and not (exact.numbers or exact.bools)
    only_strings = only_strings and not exact.addresses
    nothing_but_strings = only_strings and not (exact.null or exact.big_numbers)

    def leaf(value: Any) -> bool:
        kind = type(value)
        if kind is str and only_strings:
            return value in strings
        if kind is list:
            values = scalars(value)
            if not values:
                return absent
            # NOTE: scalars are hashable, and no number, boolean or null equals a string.
            return not strings.isdisjoint(values) if nothing_but_strings else any(map(scalar, values))
        if kind is dict or value is MISSING:
            return absent
        return scalar(value)

    return leaf


def _scalar_test(exact: Exact, tests: tuple[Predicate, ...], present: bool) -> Predicate:
    """The test for one present scalar, specialised on which kinds of condition exist."""
    if present:
        return lambda value: True
    if not tests:
        return exact.contains
    if not exact and len(tests) == 1:
        return tests[0]
    contains = exact.contains if exact else None

    def scalar(value: Any) -> bool:
        if contains is not None and contains(value):
            return True
        for test in tests:
            if test(value):
                return True
        return False

    return scalar


def scalars(values: list[Any]) -> list[Any]:
    """The scalar elements of an event array, nested arrays flattened, objects skipped."""
    for value in values:
        kind = type(value)
        if kind is list or kind is dict:
            break
    else:
        return values  # NOTE: the usual array of scalars, returned as it is
    return [value for value in flatten(values) if type(value) is not dict]


def flatten(values: list[Any]) -> list[Any]:
    """The elements of an array with nested arrays spliced in, in order.

    NOTE: iterative, so an event nested thousands of arrays deep cannot exhaust the stack.
    """
    for value in values:
        if type(value) is list:
            break
    else:
        return values
    result: list[Any] = []
    stack: list[Any] = [iter(values)]
    while stack:
        for value in stack[-1]:
            if type(value) is list:
                stack.append(iter(value))
                break
            result.append(value)
        else:
            stack.pop()
    return result


def accepts_absent(items: list[Any]) -> bool:
    """True when the pattern array matches a field the event does not have."""
    return any(isinstance(item, dict) and item.get("exists") is False for item in items)
