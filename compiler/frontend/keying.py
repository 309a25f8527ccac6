"""Typed IR attributes of an ordering key, from its converted property value.

An ordering key (`partition_key` of a stream, `group_by` of a FIFO queue) is a field of
the event (a name), a constant (a quoted string: every record in one shard or message
group) or `random` (a fresh key per record: spread, no order). The IR keeps the field in
`partition_key`/`group_by` (None otherwise, so every reader of a field sees only fields)
and the other two in `key_constant` and `key_random`.
"""

from __future__ import annotations

from typing import Any

RANDOM = "random"  # `partition_key: random`, `group_by: random`: a fresh key per record


def key_attributes(attr: str, value: tuple[str, str | None]) -> dict[str, Any]:
    """`("field", name)`, `("constant", text)` or `("random", None)` as the IR's attributes."""
    mode, text = value
    found: dict[str, Any] = {attr: text if mode == "field" else None}
    if mode == "constant":
        found["key_constant"] = text
    elif mode == "random":
        found["key_random"] = True
    return found
