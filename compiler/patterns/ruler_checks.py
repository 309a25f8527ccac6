"""The pattern rules of EventBridge's matching library that the other dialects lack,
worded as the library words them."""

from __future__ import annotations

from typing import Any

from evtc.patterns.addresses import mask_problem
from evtc.patterns.exactness import comparable
from evtc.patterns.limits import RULER_RESERVED


def reserved_in_or(branch: dict[str, Any]) -> str | None:
    """Why a `$or` branch is refused: an operator's name used as a field name in it, at any depth."""
    for key, value in branch.items():
        if key == "$or" and isinstance(value, list):
            for inner in value:
                reason = reserved_in_or(inner) if isinstance(inner, dict) else None
                if reason:
                    return reason
        elif key in RULER_RESERVED:
            return f"{key} is Ruler reserved fieldName which cannot be used inside $or."
        elif isinstance(value, dict):
            reason = reserved_in_or(value)
            if reason:
                return reason
    return None


def number_problem(number: Any, inexact: set[float]) -> str | None:
    if comparable(number) and not (type(number) is float and number in inexact):
        return None
    return f"Cannot compare number : {number}"


def cidr_problem(operand: str) -> str | None:
    return mask_problem(operand)


def escape_problem(pattern: str) -> str | None:
    """An escape other than `\\*` or `\\\\` in a wildcard pattern."""
    index = 0
    while index < len(pattern):
        if pattern[index] == "\\":
            if index + 1 >= len(pattern) or pattern[index + 1] not in "*\\":
                return f"Invalid escape character at pos {index + 1}"
            index += 1
        index += 1
    return None


def consecutive_wildcards(pattern: str) -> int | None:
    """The position of an unescaped `*` right after another, or None (`\\**` is fine)."""
    index, previous_star = 0, False
    while index < len(pattern):
        if pattern[index] == "\\":
            index, previous_star = index + 2, False
            continue
        star = pattern[index] == "*"
        if star and previous_star:
            return index
        previous_star = star
        index += 1
    return None
