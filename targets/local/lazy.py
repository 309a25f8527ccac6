"""A Lambda record that builds its AWS fields only when the handler first looks at them.

Serialising every envelope into an SQS body or base64 Kinesis data costs more than the
rest of a delivery together, and most handlers call `evtc.local.records(event)`, which
takes the envelope straight from `record.envelope`. A handler that reads `record["body"]`
(or iterates, `.get`s, prints or JSON-dumps the record) sees exactly AWS's shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from evtc.envelope import Envelope

Fill = Callable[[Envelope, Any], dict[str, Any]]


class LazyRecord(dict):  # type: ignore[type-arg]
    """A dict holding one seed key (so JSON encoders never take the empty fast path) until used.

    >>> r = LazyRecord(eventSource="aws:sqs")
    >>> r.envelope, r.fill, r.extra = None, lambda e, x: {"eventSource": "aws:sqs", "body": x}, "{}"
    >>> r["body"], len(r)
    ('{}', 2)
    """

    __slots__ = ("envelope", "fill", "extra")

    def ready(self) -> None:
        fill = self.fill
        if fill is not None:
            self.fill = None
            dict.update(self, fill(self.envelope, self.extra))

    def __missing__(self, key: str) -> Any:
        if self.fill is None:
            raise KeyError(key)
        self.ready()
        return self[key]

    def get(self, key: str, default: Any = None) -> Any:
        self.ready()
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        self.ready()
        return dict.__contains__(self, key)

    def __iter__(self) -> Iterator[str]:
        self.ready()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self.ready()
        return dict.__len__(self)

    def keys(self) -> Any:
        self.ready()
        return dict.keys(self)

    def items(self) -> Any:
        self.ready()
        return dict.items(self)

    def values(self) -> Any:
        self.ready()
        return dict.values(self)

    def copy(self) -> dict[str, Any]:
        self.ready()
        return dict(dict.items(self))

    def __eq__(self, other: object) -> bool:
        self.ready()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self.ready()
        return dict.__repr__(self)

    def __reduce__(self) -> Any:
        # NOTE: pickled and deep-copied records become plain dicts with every field.
        return (dict, (self.copy(),))


def lazy(seed: tuple[str, str], envelope: Envelope, fill: Fill, extra: Any) -> LazyRecord:
    record = LazyRecord((seed,))
    record.envelope = envelope
    record.fill = fill
    record.extra = extra
    return record
