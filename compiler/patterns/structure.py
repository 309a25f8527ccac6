"""The shape of a pattern: `$or` expanded into alternatives, each a set of leaf paths.

AWS evaluates a pattern as the OR of its `$or`-free alternatives (a disjunctive normal
form); both the matcher and the SNS complexity limit are defined on that form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Path = tuple[str, ...]
# One alternative: every leaf path with the pattern arrays that must all hold there.
Conjunct = dict[Path, list[list[Any]]]

RESERVED = frozenset(
    {"prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr"}
)


def is_sns_or(value: Any) -> bool:
    """SNS's three conditions for reading `"$or"` as OR rather than as an attribute name."""
    if not isinstance(value, list) or len(value) < 2:
        return False
    return all(isinstance(branch, dict) and not (RESERVED & branch.keys()) for branch in value)


def eventbridge_or(value: Any) -> bool:
    return isinstance(value, list)


def split_key(key: str) -> Path:
    """A pattern key is a dotted path: `"a.b": [...]` means `"a": {"b": [...]}`."""
    return tuple(key.split("."))


def expand(
    pattern: dict[str, Any], is_or: Callable[[Any], bool] = eventbridge_or, split: bool = True
) -> list[Conjunct]:
    """The `$or`-free alternatives of a (validated) pattern.

    `split=False` keeps dotted keys whole: SNS attribute names are flat, `a.b` is one name.
    """
    return _expand(pattern, (), is_or, split_key if split else lambda key: (key,))


def _expand(
    pattern: dict[str, Any], prefix: Path, is_or: Callable[[Any], bool], split: Callable[[str], Path]
) -> list[Conjunct]:
    result: list[Conjunct] = [{}]
    for key, value in pattern.items():
        if key == "$or" and is_or(value):
            options = [c for branch in value for c in _expand(branch, prefix, is_or, split)]
        elif isinstance(value, dict):
            options = _expand(value, prefix + split(key), is_or, split)
        else:
            options = [{prefix + split(key): [value]}]
        result = [_merge(left, right) for left in result for right in options]
    return result


def expand_ruler(pattern: dict[str, Any]) -> list[Conjunct]:
    """The alternatives as EventBridge's matching library builds them, in key order.

    A path given twice (beside and inside `$or`, or nested and dotted) is not an AND of
    both: the later occurrence replaces the earlier, in every alternative built so far.
    """
    rules: list[Conjunct] = []
    _ruler_object(pattern, (), rules)
    return rules or [{}]


def _ruler_object(pattern: dict[str, Any], prefix: Path, rules: list[Conjunct]) -> None:
    for key, value in pattern.items():
        if key == "$or" and isinstance(value, list):
            current = [dict(rule) for rule in rules]
            rules.clear()
            for branch in value:
                branch_rules = [dict(rule) for rule in current] or [{}]
                _ruler_object(branch, prefix, branch_rules)
                rules.extend(branch_rules)
        elif isinstance(value, dict):
            _ruler_object(value, prefix + split_key(key), rules)
        else:
            if not rules:
                rules.append({})
            for rule in rules:
                rule[prefix + split_key(key)] = [value]


def _merge(left: Conjunct, right: Conjunct) -> Conjunct:
    merged = {path: list(arrays) for path, arrays in left.items()}
    for path, arrays in right.items():
        merged.setdefault(path, []).extend(arrays)
    return merged


def combinations(pattern: dict[str, Any]) -> int:
    """SNS's complexity measure: per alternative, the product over leaf arrays of
    (number of values x nesting depth), summed over the alternatives."""
    total = 0
    for conjunct in expand(pattern, is_sns_or):
        product = 1
        for path, arrays in conjunct.items():
            for array in arrays:
                product *= max(len(array), 1) * len(path)
        total += product
    return total


def top_level_keys(pattern: dict[str, Any]) -> set[str]:
    """The keys SNS counts against its five-key limit: top-level names, through `$or`."""
    keys: set[str] = set()
    for key, value in pattern.items():
        if key == "$or" and is_sns_or(value):
            for branch in value:
                keys |= top_level_keys(branch)
        else:
            keys.add(key)
    return keys
