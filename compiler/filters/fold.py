"""Fold the conditions one `and` puts on one field into the one array AWS evaluates there.

An AWS pattern array is an OR of its entries, so an AND on one field must become a single
entry: equality sets are intersected and filtered, numeric bounds intersected (minus any
excluded numbers), prefixes and suffixes combined. What cannot be folded is reported.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from evtc import ir
from evtc.patterns.conditions import Exact
from evtc.patterns.engine import compile as compile_pattern
from evtc.patterns.normalise import Interval, spell_interval
from evtc.patterns.values import wildcard_tokens

Condition = tuple[Any, ...]  # (kind, *operands)
_COMPLEMENT = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_SPLIT_HINT = "AWS ORs the conditions on one field: split the route in two, or filter on another field"


class NotExpressible(Exception):
    """The filter has no equivalent in the dialect; `reason` says why, `hint` what to do."""

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


class Unsatisfiable(Exception):
    """The conditions on one field exclude each other: this alternative never matches."""


class NeverMatches(NotExpressible):
    """No alternative of the filter can ever match: a delivery problem (DLV009), not a
    dialect's limit (LIM003). Raised by the compiler, which alone decides it."""


def fold_field(literals: list[tuple[bool, ir.Compare | ir.Exists]]) -> list[Any]:
    """The pattern array for one field from its (negated, comparison) literals."""
    field = str(literals[0][1].path)
    conditions = [condition(negated, leaf) for negated, leaf in literals]
    exists = {c[1] for c in conditions if c[0] == "exists"}
    rest = [c for c in conditions if c[0] != "exists"]
    if False in exists:
        if rest or True in exists:
            raise Unsatisfiable
        return [{"exists": False}]
    if not rest:
        return [{"exists": True}]
    equal = [c for c in rest if c[0] == "in" and not c[2]]
    if equal:
        return _candidates(equal, rest)
    return _combine(field, rest)


def condition(negated: bool, leaf: ir.Compare | ir.Exists) -> Condition:
    """One literal as a condition tuple, its negation folded in."""
    if isinstance(leaf, ir.Exists):
        return ("exists", not negated)
    op, value, ignorecase = leaf.op, leaf.value, leaf.ignorecase
    if op in _COMPLEMENT:
        return ("range", *_bounds(_COMPLEMENT[op] if negated else op, value))
    if op in ("==", "!=", "in", "not in"):
        values = tuple(value) if isinstance(value, tuple) else (value,)
        positive = (op in ("==", "in")) != negated
        return ("in" if positive else "not_in", values, ignorecase)
    if op == "matches":
        return _wildcard(negated, str(value))
    if op == "cidr":
        if negated:
            raise NotExpressible("`not (… in cidr …)` has no AWS pattern", "list the allowed ranges instead")
        return ("cidr", value)
    kind = "prefix" if op == "startswith" else "suffix"
    return ("not_" + kind if negated else kind, value, ignorecase)


def _bounds(op: str, number: Any) -> Interval:
    low = number if op in (">", ">=") else None
    high = number if op in ("<", "<=") else None
    return low, op == ">=", high, op == "<="


def _wildcard(negated: bool, pattern: str) -> Condition:
    """`matches` written with the simplest operator that means the same."""
    tokens = wildcard_tokens(pattern)
    stars = [i for i, token in enumerate(tokens) if token is None]
    text = "".join(token for token in tokens if token is not None)
    if not stars:
        return ("not_in" if negated else "in", (text,), False)
    if stars == [len(tokens) - 1]:
        return ("not_prefix" if negated else "prefix", text, False)
    if stars == [0]:
        return ("not_suffix" if negated else "suffix", text, False)
    return ("not_wildcard" if negated else "wildcard", pattern)


def array(cond: Condition) -> list[Any]:
    """The pattern array meaning exactly `cond`."""
    kind = cond[0]
    if kind == "in":
        return [{"equals-ignore-case": v} for v in cond[1]] if cond[2] else list(cond[1])
    if kind == "not_in":
        return [{"anything-but": {"equals-ignore-case": list(cond[1])} if cond[2] else list(cond[1])}]
    if kind == "range":
        return [{"numeric": spell_interval(cond[1:])}]
    if kind in ("prefix", "suffix"):
        return [{kind: {"equals-ignore-case": cond[1]} if cond[2] else cond[1]}]
    if kind in ("not_prefix", "not_suffix"):
        if cond[2]:
            raise NotExpressible("AWS has no case-insensitive `anything-but` prefix or suffix", _SPLIT_HINT)
        return [{"anything-but": {kind[4:]: cond[1]}}]
    if kind == "not_wildcard":
        return [{"anything-but": {"wildcard": cond[1]}}]
    if kind == "either":
        return array(cond[1]) + list(cond[2])
    return [{kind: cond[1]}]  # wildcard, cidr, exists


def _candidates(equal: list[Condition], rest: list[Condition]) -> list[Any]:
    """The values of the first equality that every other condition lets through."""
    tests = _tests([c for c in rest if c is not equal[0]])
    values = [v for v in equal[0][1] if all(test(v) for test in tests)]
    if not values:
        raise Unsatisfiable
    return distinct(values)


def _tests(conds: list[Condition]) -> list[Callable[[Any], bool]]:
    """One predicate per kind of condition, each built once, so that checking the candidates
    is linear in the filter: equality sets become set lookups, exclusions one set, ranges
    one interval; the rest is decided by the engine itself, so folding agrees with matching."""
    exact = [c for c in conds if c[0] in ("in", "not_in") and not c[2]]
    ranges = [c[1:] for c in conds if c[0] == "range"]
    others = distinct([c for c in conds if c[0] != "range" and not (c[0] in ("in", "not_in") and not c[2])])
    tests = [_set(c[1]).contains for c in exact if c[0] == "in"]
    excluded = _set(v for c in exact if c[0] == "not_in" for v in c[1])
    if excluded:
        tests.append(lambda value: not excluded.contains(value))
    if ranges:
        others.append(("range", *_intersect(ranges)))
    return tests + [_engine_test(c) for c in others]


def _set(values: Iterable[Any]) -> Exact:
    exact = Exact()
    for value in values:
        exact.add(value)  # also booleans and null, which anything-but cannot spell
    return exact


def _engine_test(cond: Condition) -> Callable[[Any], bool]:
    decide = compile_pattern({"v": array(cond)}, dialect="eventbridge").matches
    return lambda value: bool(decide({"v": value}))


def _combine(field: str, rest: list[Condition]) -> list[Any]:
    ranges = [c for c in rest if c[0] == "range"]
    others = [c for c in rest if c[0] != "range"]
    if ranges:
        return _numeric(field, _intersect([c[1:] for c in ranges]), others)
    excluded = [c for c in others if c[0] == "not_in" and not c[2]]
    if len(excluded) > 1:
        kept = [c for c in others if not (c[0] == "not_in" and not c[2])]
        others = kept + [("not_in", _union(excluded), False)]
    others = _merge_affixes(field, others)
    if len(others) == 1:
        return array(others[0])
    raise NotExpressible(f"the conditions on `{field}` cannot all be required in one AWS pattern", _SPLIT_HINT)


def _numeric(field: str, interval: Interval, others: list[Condition]) -> list[Any]:
    """A range, minus numbers excluded with `!=` / `not in`: a union of sub-ranges."""
    holes: set[Any] = set()
    for cond in others:
        if cond[0] != "not_in" or cond[2] or not all(_is_number(v) for v in cond[1]):
            raise NotExpressible(f"`{field}` is compared as a number and also in another way", _SPLIT_HINT)
        holes.update(cond[1])
    pieces = [interval]
    for hole in sorted(holes):  # NOTE: ascending, so only the last piece can hold the next hole
        pieces.extend(_cut(pieces.pop(), hole))
    if not pieces:
        raise Unsatisfiable
    return [{"numeric": spell_interval(piece)} for piece in pieces]


def _is_number(value: Any) -> bool:
    return type(value) in (int, float)


def _intersect(intervals: list[Interval]) -> Interval:
    low, low_in, high, high_in = None, False, None, False
    for lo, lo_in, hi, hi_in in intervals:
        if lo is not None and (low is None or lo > low or (lo == low and not lo_in)):
            low, low_in = lo, lo_in
        if hi is not None and (high is None or hi < high or (hi == high and not hi_in)):
            high, high_in = hi, hi_in
    if low is not None and high is not None and (low > high or (low == high and not (low_in and high_in))):
        raise Unsatisfiable
    return low, low_in, high, high_in


def _cut(piece: Interval, hole: Any) -> list[Interval]:
    low, low_in, high, high_in = piece
    above_low = low is None or hole > low or (hole == low and low_in)
    below_high = high is None or hole < high or (hole == high and high_in)
    if not (above_low and below_high):
        return [piece]
    parts = [(low, low_in, hole, False), (hole, False, high, high_in)]
    return [p for p in parts if not (p[0] is not None and p[0] == p[2])]


def _union(excluded: list[Condition]) -> tuple[Any, ...]:
    return tuple(distinct([v for cond in excluded for v in cond[1]]))


def _merge_affixes(field: str, others: list[Condition]) -> list[Condition]:
    """Two prefixes (or suffixes) on one field: the longer, if it extends the shorter."""
    result: list[Condition] = []
    at: dict[tuple[str, bool], int] = {}  # (prefix|suffix, ignorecase) -> its place in result
    for cond in others:
        key = (cond[0], bool(cond[2])) if cond[0] in ("prefix", "suffix") else None
        if key is None or key not in at:
            if key is not None:
                at[key] = len(result)
            result.append(cond)
            continue
        same = result[at[key]]
        longer, shorter = sorted((same[1], cond[1]), key=len, reverse=True)
        fits = longer.startswith(shorter) if cond[0] == "prefix" else longer.endswith(shorter)
        if not fits:
            raise Unsatisfiable
        result[at[key]] = (cond[0], longer, cond[2])
    return _prefix_and_suffix(result)


def _prefix_and_suffix(conds: list[Condition]) -> list[Condition]:
    """`startswith P and endswith S` as one EventBridge wildcard plus the short overlaps."""
    kinds = sorted(c[0] for c in conds)
    if kinds != ["prefix", "suffix"] or any(c[2] for c in conds):
        return conds
    prefix = next(c[1] for c in conds if c[0] == "prefix")
    suffix = next(c[1] for c in conds if c[0] == "suffix")
    # strings shorter than P+S that start with P and end with S: P's tail is S's head
    overlaps = tuple(
        prefix + suffix[j:] for j in range(1, min(len(prefix), len(suffix)) + 1) if prefix.endswith(suffix[:j])
    )
    wildcard = ("wildcard", _escape(prefix) + "*" + _escape(suffix))
    return [("either", wildcard, overlaps)] if overlaps else [wildcard]


def distinct(items: list[Any]) -> list[Any]:
    """Items without repeats, first kept, by JSON identity.

    NOTE: not a set or dict of the items: Python holds `1 == True` and `0 == False`, JSON does not.
    """
    seen: set[Any] = set()
    result: list[Any] = []
    for item in items:
        key = _identity(item)
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result


def _identity(item: Any) -> Any:
    """What JSON text tells apart: the type and the value; `json.dumps` only for containers."""
    kind = type(item)
    if kind is str or kind is bool or kind is int:
        return (kind, item)
    if kind is float:
        return (kind, repr(item))  # NOTE: -0.0 and 0.0 are different JSON texts
    if item is None:
        return None
    return json.dumps(item, sort_keys=True)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*")
