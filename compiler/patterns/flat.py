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
from functools import lru_cache
from typing import Any

from evtc.patterns.conditions import MISSING, Predicate, accepts_absent, leaf_predicate
from evtc.patterns.limits import Dialect

Path = tuple[str, ...]
Membership = tuple[tuple[int, int], ...]  # (array id, element index) per array crossed
Fields = dict[str, list[tuple[Any, Membership]]]


def fields(event: dict[str, Any], wanted: frozenset[str] | None = None) -> Fields:
    """The event's fields by dotted name; with `wanted`, only under those names (a pattern's
    paths and their prefixes), as the library reads only the fields its rules use."""
    found: Fields = {}
    arrays = 0
    # NOTE: iterative, so a deeply nested event cannot exhaust the stack
    stack: list[tuple[str, Any, Membership]] = [("", event, ())]
    pop, push = stack.pop, stack.append
    while stack:
        name, value, membership = pop()
        kind = type(value)
        if kind is dict:
            prefix = name + "." if name else ""
            for key, child in value.items():
                inner = prefix + key
                if wanted is None or inner in wanted:
                    push((inner, child, membership))
        elif kind is list:
            arrays += 1
            for index, item in enumerate(value):
                push((name, item, (*membership, (arrays, index))))
        elif name in found:
            found[name].append((value, membership))
        else:
            found[name] = [(value, membership)]
    return found


def conjunct_matcher(paths: list[tuple[Path, list[Any]]], spec: Dialect) -> Callable[[dict[str, Any]], bool]:
    """The library's decision of one `$or`-free alternative, for an event object.

    The library walks the pattern's paths in sorted order. NOTE: so `exists: false` means
    "no field at this path from the array elements chosen so far": an absent path sorted
    before every other is absent from the whole event, one sorted after a path that picked
    an array element need only be absent from that element.
    """
    tests = sorted((".".join(path), leaf_predicate(array, spec), accepts_absent(array)) for path, array in paths)
    wanted = frozenset(".".join(path[:end]) for path, _ in paths for end in range(1, len(path) + 1))

    def decide(event: dict[str, Any]) -> bool:
        return _search(tests, 0, fields(event, wanted), {})

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
    for array, index in membership:  # NOTE: a loop, not all(generator): this is the hot spot
        if taken.get(array, index) != index:
            return False
    return True


def sorted_before(path: Path, others: list[Path]) -> bool:
    """True when some other path comes before `path` in the library's order."""
    name = ".".join(path)
    return any(".".join(other) < name for other in others)


ABSENT, IN_ARRAYS, PLAIN = 0, 1, 2


def where_field(value: Any, path: Path) -> int:
    """Whether the event has a field at `path`: ABSENT, only IN_ARRAYS, or somewhere PLAIN
    (under no array, so in every array element's view)."""
    return probe(path)(value)


@lru_cache(maxsize=4096)
def probe(path: Path, walk: bool = True) -> Callable[[Any], int]:
    """`where_field` for one path, unrolled into Python source: plain objects walked first;
    arrays on the way, or a dotted key above the leaf where the path is missing, go to the
    general walk (`walk=False`: an array on the way answers IN_ARRAYS, "perhaps", at once)."""
    levels = ["o0"]
    for segment in path[: len(path) - 2]:
        levels.append(f"K({levels[-1]}.get({segment!r}, E))")
    spellings = [
        f"{'.'.join(path[depth:end])!r} in {level}"
        for depth, level in enumerate(levels)
        for end in range(depth + 2, len(path) + 1)
    ]
    dotted = " or ".join(spellings) or "False"
    absent = f"return W(o0, P) if {dotted} else 0"
    lines = ["def probe(o0):", "    v = o0"]
    for segment in path:
        lines += ["    if type(v) is not dict:", "        if type(v) is list: return W(o0, P)", f"        {absent}"]
        lines += [f"    v = v.get({segment!r}, M)"]
    lines += ["    if type(v) is list: return W(o0, P)", "    if v is not M and type(v) is not dict: return 2"]
    lines += [f"    {absent}"]
    namespace: dict[str, Any] = {"M": MISSING, "W": _where if walk else _perhaps, "P": path, "K": _keys, "E": _EMPTY}
    exec("\n".join(lines), namespace)  # noqa: S102 - our own generated source
    found: Callable[[Any], int] = namespace["probe"]
    return found


def _perhaps(value: Any, path: Path) -> int:
    return IN_ARRAYS


def _keys(value: Any) -> Any:
    return value if type(value) is dict else _EMPTY


_EMPTY: dict[str, Any] = {}


def _where(value: Any, path: Path, start: int = 0, in_array: bool = False) -> int:
    """Whether the event has a field at `path` (through arrays and dotted keys): ABSENT,
    only IN_ARRAYS, or somewhere PLAIN (under no array, so in every array element's view)."""
    kind = type(value)
    if kind is list:
        return max((_where(item, path, start, True) for item in value), default=ABSENT)
    if start == len(path):
        return ABSENT if kind is dict else IN_ARRAYS if in_array else PLAIN
    if kind is not dict:
        return ABSENT
    child = value.get(path[start], MISSING)
    found = ABSENT if child is MISSING else _where(child, path, start + 1, in_array)
    if (
        found < PLAIN and start < len(path) - 1 and "." in "".join(value)
    ):  # NOTE: one C-level pass; dotted keys are rare
        for end in range(start + 2, len(path) + 1):
            key = ".".join(path[start:end])
            if key in value:
                found = max(found, _where(value[key], path, end, in_array))
    return found
