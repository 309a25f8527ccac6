"""Reject what AWS rejects: the syntax of each match operator and each dialect's limits.

Reasons are worded like AWS's own (`Event pattern is not valid. Reason: ...` for
EventBridge and Lambda filters, `Invalid parameter: FilterPolicy: ...` for SNS) so that a
user who has seen the AWS error recognises it.
"""

from __future__ import annotations

import json
from typing import Any

from evtc.patterns.exactness import load_with_spellings
from evtc.patterns.limits import DIALECTS, MAX_WILDCARD_COMPLEXITY, Dialect
from evtc.patterns.ruler_checks import (
    cidr_problem,
    consecutive_wildcards,
    escape_problem,
    number_problem,
    reserved_in_or,
)
from evtc.patterns.structure import combinations, is_sns_or, top_level_keys
from evtc.patterns.values import is_number, parse_network, wildcard_complexity

_OPERATORS = ("prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr")
_RANGE_OPS = ("=", "<", "<=", ">", ">=")
MAX_DEPTH = 100


def validate(pattern: Any, *, dialect: str = "eventbridge", scope: str = "MessageBody") -> list[str]:
    """The reasons AWS would reject `pattern`; empty when it would accept it.

    `pattern` is a dict, or its JSON text: text keeps each number's spelling, so a number
    no double holds exactly (`0.1234567890123456789`) can be refused as AWS refuses it.

    >>> validate({"source": ["shop"]}, dialect="eventbridge")
    []
    >>> validate({"source": []}, dialect="eventbridge")
    ['Event pattern is not valid. Reason: Empty arrays are not allowed at source']
    """
    spec = DIALECTS.get(dialect)
    if spec is None:
        return [f"unknown dialect {dialect!r}; use one of {', '.join(sorted(DIALECTS))}"]
    inexact: set[float] = set()
    if isinstance(pattern, str):
        try:
            pattern, inexact = load_with_spellings(pattern)
        except ValueError as error:
            return [f"Filter is not valid JSON: {error}"]
    checker = _Checker(spec, scope, inexact)
    if not isinstance(pattern, dict):
        checker.fail((), "Filter must be a JSON object")
    else:
        checker.object(pattern, ())
        if not checker.errors:
            checker.limits(pattern)
    return checker.errors


class _Checker:
    """Walks one pattern, collecting every reason instead of stopping at the first."""

    def __init__(self, spec: Dialect, scope: str, inexact: set[float] | None = None) -> None:
        self.spec = spec
        self.scope = scope
        self.inexact = inexact or set()
        self.errors: list[str] = []
        self.depth = 0

    def fail(self, path: tuple[str, ...], reason: str) -> None:
        where = f" at {'.'.join(path)}" if path else ""
        if self.spec.name == "sns":
            self.errors.append(f"Invalid parameter: FilterPolicy: {reason}{where}")
        else:
            self.errors.append(f"Event pattern is not valid. Reason: {reason}{where}")

    def object(self, pattern: dict[str, Any], path: tuple[str, ...]) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            # NOTE: evtc's own limit, far beyond any real pattern, so nothing recurses unbounded
            self.fail(path, f"Pattern is nested more than {MAX_DEPTH} levels deep")
        else:
            self._members(pattern, path)
        self.depth -= 1

    def _members(self, pattern: dict[str, Any], path: tuple[str, ...]) -> None:
        if not pattern and self.spec.ruler:
            self.fail(path, "Empty objects are not allowed")
        for key, value in pattern.items():
            if key == "$or" and self._is_or(value, path):
                for branch in value:
                    reserved = reserved_in_or(branch) if self.spec.ruler else None
                    if reserved:
                        self.fail(path, reserved)
                    else:
                        self.object(branch, path)
            elif key == "$or" and self.spec.name != "sns":
                continue  # a malformed $or, already reported
            elif isinstance(value, dict):
                self._nested(value, path + (key,))
            elif isinstance(value, list):
                self.values(value, path + (key,))
            else:
                self.fail(path + (key,), f'"{key}" must be an object or an array')

    def _is_or(self, value: Any, path: tuple[str, ...]) -> bool:
        if self.spec.name == "sns":
            # NOTE: SNS reads a malformed "$or" as an ordinary attribute name.
            return is_sns_or(value)
        if not isinstance(value, list):
            self.fail(path, "It must be an Array followed with $or.")
        elif not all(isinstance(branch, dict) for branch in value):
            self.fail(path, "Only JSON object is allowed in array of $or relationship.")
        elif len(value) < 2:
            self.fail(path, "There must have at least 2 Objects in $or relationship.")
        else:
            return True
        return False

    def _nested(self, value: dict[str, Any], path: tuple[str, ...]) -> None:
        if self.spec.name == "sns" and self.scope == "MessageAttributes":
            self.fail(path, "Filter policy scope MessageAttributes does not support nested filter policy")
        else:
            self.object(value, path)

    def values(self, items: list[Any], path: tuple[str, ...]) -> None:
        if not items:
            self.fail(path, "Empty arrays are not allowed")
        for item in items:
            if isinstance(item, dict):
                self.expression(item, path)
            elif isinstance(item, list):
                self.fail(path, "Match value must be String, number, true, false, or null")
            elif is_number(item) and self.spec.name == "sns":
                self.number(item, path)

    def number(self, value: Any, path: tuple[str, ...]) -> bool:
        limit = self.spec.number_limit
        if not -limit <= value <= limit:
            self.fail(path, f"Value must be between {-limit:.1E} and {limit:.1E}, inclusive")
            return False
        return True

    def expression(self, item: dict[str, Any], path: tuple[str, ...]) -> None:
        if len(item) != 1:
            self.fail(path, "Only one key allowed in match expression" if item else "Match expression name not found")
            return
        ((name, operand),) = item.items()
        library_only = name == "exactly" and self.spec.library_numbers
        if not library_only and (name not in _OPERATORS or name not in self.spec.operators):
            self.fail(path, f"Unrecognized match type {name}")
            return
        reason = getattr(self, "_" + name.replace("-", "_"))(operand, path)
        if reason:
            self.fail(path, reason)

    def _prefix(self, operand: Any, path: tuple[str, ...], name: str = "prefix") -> str | None:
        if isinstance(operand, str):
            return None
        ignoring_case = isinstance(operand, dict) and list(operand) == ["equals-ignore-case"]
        if ignoring_case and self.spec.ignore_case_affixes and isinstance(operand["equals-ignore-case"], str):
            return None
        return f"{name} match pattern must be a string"

    def _suffix(self, operand: Any, path: tuple[str, ...]) -> str | None:
        return self._prefix(operand, path, "suffix")

    def _exactly(self, operand: Any, path: tuple[str, ...]) -> str | None:
        return None if isinstance(operand, str) else "exact match pattern must be a string"

    def _equals_ignore_case(self, operand: Any, path: tuple[str, ...]) -> str | None:
        return None if isinstance(operand, str) else "equals-ignore-case match pattern must be a string"

    def _wildcard(self, operand: Any, path: tuple[str, ...]) -> str | None:
        if not isinstance(operand, str):
            return "wildcard match pattern must be a string"
        return wildcard_problem(operand)

    def _exists(self, operand: Any, path: tuple[str, ...]) -> str | None:
        return None if isinstance(operand, bool) else "exists match pattern must be either true or false."

    def _cidr(self, operand: Any, path: tuple[str, ...]) -> str | None:
        if not isinstance(operand, str):
            return "cidr match pattern must be a string"
        if self.spec.ruler:
            return cidr_problem(operand)
        if operand.count("/") != 1 or parse_network(operand) is None:
            return f"Nonstandard IP address: {operand}"
        return None

    def _numeric(self, operand: Any, path: tuple[str, ...]) -> str | None:
        if not isinstance(operand, list):
            return "Value of numeric must be an array."
        reason = numeric_problem(operand)
        if reason is None:
            for number in operand[1::2]:
                reason = self._comparable(number)
                if reason or (not self.spec.library_numbers and not self.number(number, path)):
                    return reason
        return reason

    def _comparable(self, number: Any) -> str | None:
        return number_problem(number, self.inexact) if self.spec.ruler else None

    def _anything_but(self, operand: Any, path: tuple[str, ...]) -> str | None:
        if isinstance(operand, dict):
            return self._anything_but_object(operand)
        if isinstance(operand, list):
            reason = anything_but_list_problem(operand)
            numbers = [item for item in operand if is_number(item)]
            return reason or next(filter(None, map(self._comparable, numbers)), None)
        if is_number(operand):
            return self._comparable(operand)
        if isinstance(operand, str):
            return None
        return "Value of anything-but must be an array or single string/number value."

    def _anything_but_object(self, operand: dict[str, Any]) -> str | None:
        if len(operand) != 1:
            return "Only one key allowed in match expression"
        ((name, inner),) = operand.items()
        if name not in self.spec.anything_but:
            return f"Unsupported anything-but pattern: {name}"
        items = inner if isinstance(inner, list) else [inner]
        if not items:
            return "Empty arrays are not allowed"
        for item in items:
            reason = _anything_but_text_problem(name, item)
            if reason:
                return reason
        return None

    def limits(self, pattern: dict[str, Any]) -> None:
        spec = self.spec
        text = json.dumps(pattern, separators=(",", ":"), ensure_ascii=False)
        if spec.max_chars is not None and len(text) > spec.max_chars:
            self.fail((), f"Pattern is too long: {len(text)} characters, the limit is {spec.max_chars}")
        if spec.max_keys is not None:
            keys = top_level_keys(pattern)
            if len(keys) > spec.max_keys:
                self.fail((), f"Filter policy can not have more than {spec.max_keys} keys")
        if spec.max_combinations is not None and combinations(pattern) > spec.max_combinations:
            self.fail((), "Filter policy is too complex")


def _anything_but_text_problem(name: str, item: Any) -> str | None:
    if name == "equals-ignore-case":
        if not isinstance(item, str):
            return "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
        return None
    if not isinstance(item, str):
        return f"{'prefix/suffix' if name != 'wildcard' else 'wildcard'} match pattern must be a string"
    if name == "wildcard":
        return wildcard_problem(item)
    return "Null prefix/suffix not allowed" if item == "" else None


def anything_but_list_problem(items: list[Any]) -> str | None:
    """AWS's rule for `anything-but: [...]`: all strings or all numbers, nothing else."""
    if any(not (isinstance(item, str) or is_number(item)) for item in items):
        return "Inside anything but list, start|null|boolean is not supported."
    kinds = {isinstance(item, str) for item in items}
    if len(kinds) != 1:
        return "Inside anything but list, either all values are number or string, mixed type is not supported"
    return None


def wildcard_problem(pattern: str) -> str | None:
    """Why AWS refuses a wildcard pattern, or None."""
    reason = escape_problem(pattern)
    if reason:
        return reason
    position = consecutive_wildcards(pattern)
    if position is not None:
        return f"Consecutive wildcard characters at pos {position}"
    if wildcard_complexity(pattern) > MAX_WILDCARD_COMPLEXITY:
        return (
            "Rule is too complex - try using fewer wildcard characters or fewer repeating "
            "character sequences after a wildcard character"
        )
    return None


def numeric_problem(items: list[Any]) -> str | None:
    """Why a `numeric` array is malformed (`[op, n]` or `[">"|">=", n, "<"|"<=", m]`), or None."""
    if not items or not isinstance(items[0], str):
        return f"Invalid member in numeric match: {items[0] if items else ']'}"
    if items[0] not in _RANGE_OPS:
        return f"Unrecognized numeric range operator: {items[0]}"
    if len(items) < 2 or not is_number(items[1]):
        return f"Value of {items[0]} must be numeric"
    if len(items) == 2:
        return None
    if items[0] not in (">", ">="):
        return "Too many elements in numeric expression"
    return _upper_bound_problem(items)


def _upper_bound_problem(items: list[Any]) -> str | None:
    if not isinstance(items[2], str):
        return f"Bad value in numeric range: {items[2]}"
    if items[2] not in ("<", "<="):
        return f"Bad numeric range operator: {items[2]}"
    if len(items) < 4 or not is_number(items[3]):
        return f"Value of {items[2]} must be numeric"
    if len(items) > 4:
        return "Too many terms in numeric range expression"
    if items[3] <= items[1]:
        return "Bottom must be less than top"
    return None
