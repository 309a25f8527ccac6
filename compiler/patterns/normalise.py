"""One spelling per filter: equal filters normalise to byte-identical JSON.

Keys are sorted, value arrays deduplicated and sorted, overlapping `numeric` ranges in one
array merged (they are alternatives, so their union is the same filter), `anything-but`
values always spelled as a list, and `$or` alternatives sorted.

>>> canonical_json({"b": ["y", "x", "x"], "a": [{"numeric": [">", 5]}, {"numeric": [">", 1, "<", 9]}]})
'{"a":[{"numeric":[">",1]}],"b":["x","y"]}'
"""

from __future__ import annotations

import json
from typing import Any

Interval = tuple[float | None, bool, float | None, bool]  # low, low included, high, high included


def canonical_json(pattern: dict[str, Any]) -> str:
    """The normalised pattern as compact JSON text: the form evtc deploys and compares."""
    return json.dumps(normalise(pattern), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def normalise(pattern: dict[str, Any]) -> dict[str, Any]:
    """The normal form of a (valid) pattern; normalising twice changes nothing."""
    result: dict[str, Any] = {}
    for key in sorted(pattern):
        value = pattern[key]
        if key == "$or" and isinstance(value, list) and all(isinstance(b, dict) for b in value):
            result[key] = _unique([normalise(branch) for branch in value])
        elif isinstance(value, dict):
            result[key] = normalise(value)
        elif isinstance(value, list):
            result[key] = _values(value)
        else:
            result[key] = value
    return result


def _values(items: list[Any]) -> list[Any]:
    ranges = [item["numeric"] for item in items if _is_range(item)]
    others = [_expression(item) for item in items if not _is_range(item)]
    merged = [{"numeric": spell_interval(interval)} for interval in _merge([_interval(r) for r in ranges])]
    return _unique(others) + merged  # ranges in ascending order, after the other values


def _is_range(item: Any) -> bool:
    return isinstance(item, dict) and list(item) == ["numeric"] and isinstance(item["numeric"], list)


def _expression(item: Any) -> Any:
    if isinstance(item, dict) and list(item) == ["anything-but"]:
        return {"anything-but": _anything_but(item["anything-but"])}
    return item


def _anything_but(operand: Any) -> Any:
    # NOTE: values always as a list (the form every dialect takes); a sub-form (prefix,
    # suffix, ...) with one operand as a plain string (lists there are EventBridge-only).
    if isinstance(operand, dict):
        return {name: _one_or_list(_sorted_list(inner)) for name, inner in operand.items()}
    return _sorted_list(operand)


def _one_or_list(items: list[Any]) -> Any:
    return items[0] if len(items) == 1 else items


def _sorted_list(operand: Any) -> Any:
    return _unique(operand if isinstance(operand, list) else [operand])


def _unique(items: list[Any]) -> list[Any]:
    by_text = {json.dumps(item, sort_keys=True): item for item in items}
    return [by_text[text] for text in sorted(by_text)]


def _interval(operand: list[Any]) -> Interval:
    low: float | None = None
    high: float | None = None
    low_in = high_in = False
    for op, number in zip(operand[::2], operand[1::2]):
        if op in ("=", ">", ">="):
            low, low_in = number, op != ">"
        if op in ("=", "<", "<="):
            high, high_in = number, op != "<"
    return low, low_in, high, high_in


def _merge(intervals: list[Interval]) -> list[Interval]:
    """The union of intervals as disjoint, non-touching intervals, lowest first."""
    ordered = sorted(intervals, key=lambda i: (float("-inf") if i[0] is None else i[0], not i[1]))
    merged: list[Interval] = []
    for interval in ordered:
        if merged and _overlaps(merged[-1], interval):
            merged[-1] = _join(merged[-1], interval)
        else:
            merged.append(interval)
    # NOTE: a union covering every number has no `numeric` spelling; keep the pieces then.
    if any(low is None and high is None for low, _, high, _ in merged):
        return sorted(set(intervals), key=lambda i: json.dumps(i))
    return merged


def _overlaps(left: Interval, right: Interval) -> bool:
    high, high_in = left[2], left[3]
    low, low_in = right[0], right[1]
    if high is None or low is None:
        return True
    return low < high or (low == high and (high_in or low_in))


def _join(left: Interval, right: Interval) -> Interval:
    if left[2] is None or right[2] is None:
        return left[0], left[1], None, False
    if right[2] > left[2] or (right[2] == left[2] and right[3]):
        return left[0], left[1], right[2], right[3]
    return left


def spell_interval(interval: Interval) -> list[Any]:
    low, low_in, high, high_in = interval
    if low is not None and low == high:
        return ["=", low]
    lower = [">=" if low_in else ">", low] if low is not None else []
    upper = ["<=" if high_in else "<", high] if high is not None else []
    return lower + upper
