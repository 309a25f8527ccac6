"""A pattern decided as EventBridge's matching library decides it, on the flattened event.

The library reads an event as a list of fields: every scalar (string, number, boolean,
null) under its dotted path, with the array elements it sits in. `{"a": {"b": 1}}` and
`{"a.b": 1}` are both the field `a.b`; empty objects and empty arrays are no field at all.
An alternative matches when every path of the pattern has a field that its array matches,
all chosen fields from the same element of every array they share ("array consistency"),
and a path whose array holds `exists: false` may instead be absent from the whole event.

This is the reference the compiled matcher falls back to when an event has dotted keys,
and the one the property tests compare it with. It is simple rather than fast.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

from evtc.filters.conditions import MISSING, Predicate, accepts_absent, leaf_predicate
from evtc.filters.limits import Dialect

Path = tuple[str, ...]
Membership = tuple[tuple[int, int], ...]  # (array id, element index) per array crossed
Fields = dict[str, list[tuple[Any, Membership]]]


def fields(event: dict[str, Any]) -> Fields:
    """The event's fields by dotted name."""
    found: Fields = {}
    ids = count()
    # NOTE: iterative, so a deeply nested event cannot exhaust the stack
    stack: list[tuple[str, Any, Membership]] = [("", event, ())]
    while stack:
        name, value, membership = stack.pop()
        kind = type(value)
        if kind is dict:
            for key, child in value.items():
                stack.append((f"{name}.{key}" if name else key, child, membership))
        elif kind is list:
            array = next(ids)
            for index, item in enumerate(value):
                stack.append((name, item, (*membership, (array, index))))
        else:
            found.setdefault(name, []).append((value, membership))
    return found


def conjunct_matcher(paths: list[tuple[Path, list[Any]]], spec: Dialect) -> Callable[[dict[str, Any]], bool]:
    """The library's decision of one `$or`-free alternative, for an event object.

    The library walks the pattern's paths in sorted order. NOTE: so `exists: false` means
    "no field at this path from the array elements chosen so far": an absent path sorted
    before every other is absent from the whole event, one sorted after a path that picked
    an array element need only be absent from that element.
    """
    tests = sorted((".".join(path), leaf_predicate(array, spec), accepts_absent(array)) for path, array in paths)

    def decide(event: dict[str, Any]) -> bool:
        return _search(tests, 0, fields(event), {})

    return decide


def _search(tests: list[tuple[str, Predicate, bool]], at: int, found: Fields, taken: dict[int, int]) -> bool:
    if at == len(tests):
        return True
    name, test, absent_ok = tests[at]
    here = [(value, membership) for value, membership in found.get(name, ()) if _fits(membership, taken)]
    if absent_ok and not here:
        return _search(tests, at + 1, found, taken)
    for value, membership in here:
        if test(value) and _search(tests, at + 1, found, {**taken, **dict(membership)}):
            return True
    return False


def _fits(membership: Membership, taken: dict[int, int]) -> bool:
    return all(taken.get(array, index) == index for array, index in membership)


def sorted_before(path: Path, others: list[Path]) -> bool:
    """True when some other path comes before `path` in the library's order."""
    name = ".".join(path)
    return any(".".join(other) < name for other in others)


def has_field(value: Any, path: Path, start: int = 0) -> bool:
    """True when the event has a field at `path` (through arrays and dotted keys)."""
    kind = type(value)
    if kind is list:
        return any(has_field(item, path, start) for item in value)
    if start == len(path):
        return kind is not dict
    if kind is not dict:
        return False
    child = value.get(path[start], MISSING)
    if child is not MISSING and has_field(child, path, start + 1):
        return True
    if "." in "".join(value):  # NOTE: one C-level pass; most events have no dotted key
        for end in range(start + 2, len(path) + 1):
            key = ".".join(path[start:end])
            if key in value and has_field(value[key], path, end):
                return True
    return False
