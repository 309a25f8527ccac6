"""Data patterns rewritten for DynamoDB stream records, whose attributes are typed.

A record's `NewImage` holds `{"field": {"S": "text"}}`, `{"N": "42"}`, `{"BOOL": true}`,
`{"NULL": true}` and maps as `{"M": {...}}`. So each condition must name the attribute
type, and numbers are text: equality on a number can be filtered (on its canonical text),
numeric ranges cannot.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evtc.filters.fold import NotExpressible

_TYPE_LETTER = {"string": "S", "timestamp": "S", "number": "N", "boolean": "BOOL"}
_HINT = (
    "DynamoDB stream filters compare typed attribute text: filter with ==/in, or move the comparison into the consumer"
)


def typed_image(data: dict[str, Any], types: Mapping[tuple[str, ...], str], at: tuple[str, ...] = ()) -> dict[str, Any]:
    """`{"amount": ["5"]}`-style data pattern -> `{"amount": {"N": ["5"]}}` (maps as `M`)."""
    typed: dict[str, Any] = {}
    for key, value in data.items():
        path = at + (key,)
        if isinstance(value, dict):
            typed[key] = {"M": typed_image(value, types, path)}
        else:
            letter, entries = _typed_array(value, types.get(path), ".".join(path))
            typed[key] = {letter: entries}
    return typed


def _typed_array(items: list[Any], declared: str | None, field: str) -> tuple[str, list[Any]]:
    letters: set[str] = set()
    entries: list[Any] = []
    for item in items:
        letter, entry = _typed_entry(item, declared, field)
        letters.add(letter)
        entries.append(entry)
    if len(letters) != 1:
        raise NotExpressible(f"`{field}` is compared with values of several DynamoDB types", _HINT)
    return letters.pop(), entries


def _typed_entry(item: Any, declared: str | None, field: str) -> tuple[str, Any]:
    if item is None:
        return "NULL", True
    if isinstance(item, bool):
        return "BOOL", item
    if isinstance(item, (int, float)):
        return "N", number_text(item, field)
    if isinstance(item, str):
        return "S", item
    ((name, operand),) = item.items()
    if name == "numeric":
        raise NotExpressible(
            f"`{field}`: DynamoDB stream records carry numbers as text, so ranges cannot be filtered", _HINT
        )
    if name == "exists":
        return _declared_letter(declared, field), item
    if name == "anything-but" and isinstance(operand, list) and operand and not isinstance(operand[0], str):
        return "N", {"anything-but": [number_text(n, field) for n in operand]}
    return "S", item


def _declared_letter(declared: str | None, field: str) -> str:
    letter = _TYPE_LETTER.get(declared or "")
    if letter is None:
        raise NotExpressible(
            f"`exists {field}` needs the DynamoDB type of `{field}`, and its declared type is {declared or 'unknown'}",
            "declare the field as string, number or boolean in the event",
        )
    return letter


def number_text(number: float, field: str) -> str:
    """The text DynamoDB stores for a number: no exponent, no trailing `.0`."""
    if isinstance(number, int):
        return str(number)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    text = repr(number)
    if "e" in text or "inf" in text or "nan" in text:
        raise NotExpressible(f"`{field}`: {text} has no exact DynamoDB number text", _HINT)
    return text
