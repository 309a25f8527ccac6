"""Payload validation against the exported schemas, with the `jsonschema` library.

The validator is 2020-12 plus evtc's one assertion keyword, `x-evtc-maxBytes` (a string's
UTF-8 length, what `@maxlen` means), and a `date-time` format check, so that evtc rejects
exactly what the schema it publishes says is invalid.

>>> from evtc.frontend import compile_text
>>> t = compile_text("topology t event E { n: number }", "t.evt").topology
>>> check = payload_checker(t.event("E"))
>>> check({"n": 1}), check({"n": "1"})
(None, "n: '1' is not of type 'number'")
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from evtc import ir
from evtc.export.jsonschema import event_schema
from evtc.schemacheck import MAX_BYTES, compile_schema, is_datetime

Checker = Callable[[Any], str | None]  # None when valid, else the first problem


def _max_bytes(validator: Any, limit: int, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and len(instance.encode("utf-8", "surrogatepass")) > limit:
        yield ValidationError(f"{instance!r} is longer than {limit} bytes")


def validator_class() -> Any:
    """Draft 2020-12 with `x-evtc-maxBytes` (built on first use: jsonschema loads slowly)."""
    global _VALIDATOR
    if _VALIDATOR is None:
        try:
            from jsonschema import Draft202012Validator, validators
        except ImportError:
            raise ImportError(
                "validating event payloads needs the jsonschema package: pip install 'evtc[local]'"
            ) from None

        _VALIDATOR = validators.extend(Draft202012Validator, {MAX_BYTES: _max_bytes})
    return _VALIDATOR


_VALIDATOR: Any = None


def format_checker() -> Any:
    from jsonschema import FormatChecker

    checker = FormatChecker(())
    checker.checks("date-time")(is_datetime)
    return checker


def validator_for(schema: dict[str, Any]) -> Any:
    return validator_class()(schema, format_checker=format_checker())


def payload_checker(event: ir.Event) -> Checker:
    """A function that says what is wrong with a payload of `event`, or None when it is valid."""
    schema = event_schema(event)
    validator = validator_for(schema)
    fast = compile_schema(schema) or validator.is_valid

    def check(data: Any) -> str | None:
        if fast(data):
            return None
        error = min(validator.iter_errors(data), key=lambda e: (list(e.absolute_path), e.message))
        where = ".".join(str(p) for p in error.absolute_path)
        return f"{where}: {error.message}" if where else error.message

    return check
