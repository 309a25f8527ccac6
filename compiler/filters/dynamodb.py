"""Data patterns rewritten for DynamoDB stream records, whose attributes are typed.

A record's `NewImage` holds `{"field": {"S": "text"}}`, `{"N": "42"}`, `{"BOOL": true}`,
`{"NULL": true}` and maps as `{"M": {...}}`. So each condition must name the attribute
type, and numbers are text: equality on a number can be filtered (on its canonical text),
numeric ranges cannot.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evtc.envelope import dynamodb_number
from evtc.filters.fold import NotExpressible

_TYPE_LETTER = {"string": "S", "timestamp": "S", "number": "N", "integer": "N", "boolean": "BOOL"}
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
    if name == "anything-but" and isinstance(operand, list):
        return _anything_but(operand, declared, field)
    return "S", item


def _anything_but(excluded: list[Any], declared: str | None, field: str) -> tuple[str, Any]:
    """`!=` / `not in` on a typed attribute: the attribute's type, then what it may not be.

    Values of another type (`null` above all) can never equal an attribute of this type, so
    excluding them only asks for the attribute; a boolean is the other boolean.
    """
    letter = _declared_letter(declared, field)
    kept = [v for v in excluded if v is not None and _letter(v) == letter]
    if letter == "BOOL":
        rest = [b for b in (True, False) if b not in kept]
        if not rest:
            raise NotExpressible(f"`{field}` is neither true nor false, which no boolean is", "remove the condition")
        return letter, rest[0] if len(rest) == 1 else {"exists": True}
    if not kept:
        return letter, {"exists": True}
    spelt = [number_text(v, field) for v in kept] if letter == "N" else kept
    return letter, {"anything-but": spelt}


def _letter(value: Any) -> str:
    return "BOOL" if isinstance(value, bool) else "N" if isinstance(value, (int, float)) else "S"  # NOTE: bool first


def _declared_letter(declared: str | None, field: str) -> str:
    letter = _TYPE_LETTER.get(declared or "")
    if letter is None:
        raise NotExpressible(
            f"`{field}` needs its DynamoDB type, and its declared type is {declared or 'unknown'}",
            "declare the field as string, number or boolean in the event",
        )
    return letter


def number_text(number: float, field: str) -> str:
    """The text DynamoDB stores for a number (the envelope's `dynamodb_number`)."""
    try:
        return dynamodb_number(number)
    except ValueError as problem:
        raise NotExpressible(f"`{field}`: {problem}", "compare with a number DynamoDB can store") from None
