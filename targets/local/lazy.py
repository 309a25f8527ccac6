"""Lambda events whose AWS fields are built only when the handler first looks at them.

Serialising every envelope into an SQS body or base64 Kinesis data costs more than the
rest of a delivery together, and most handlers call `evtc.local.records(event)`, which
takes the envelopes straight from the batch (`LazyRecords.envelopes`). A handler that
indexes, iterates, prints, copies or JSON-dumps the records sees exactly AWS's shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evtc.envelope import Envelope

Build = Callable[[], list[dict[str, Any]]]
Fill = Callable[[Envelope, Any], dict[str, Any]]


def _ready_first(cls: type, name: str) -> None:
    """Make `cls.name` build the lazy contents, then do what the base type's method does."""
    base = getattr(cls.__mro__[1], name)

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        self.ready()
        return base(self, *args, **kwargs)

    method.__name__ = name
    setattr(cls, name, method)


class LazyRecords(list):  # type: ignore[type-arg]
    """A batch's `Records` list: its envelopes now, the AWS record dicts on first use.

    >>> batch = LazyRecords()
    >>> batch.envelopes, batch.build = ["e1"], lambda: [{"body": "e1"}]
    >>> len(batch), batch[0]
    (1, {'body': 'e1'})
    """

    __slots__ = ("build", "envelopes")
    envelopes: list[Envelope]
    build: Build | None

    def ready(self) -> None:
        build = self.build
        if build is not None:
            self.build = None
            list.extend(self, build())

    def __len__(self) -> int:
        return len(self.envelopes) if self.build is not None else list.__len__(self)

    __hash__ = None

    def __reduce__(self) -> Any:
        # NOTE: pickled and deep-copied batches become plain lists of plain dicts.
        self.ready()
        return (list, (list(list.__iter__(self)),))


for _name in (
    "__iter__",
    "__getitem__",
    "__contains__",
    "__reversed__",
    "__eq__",
    "__ne__",
    "__repr__",
    "__setitem__",
    "__delitem__",
    "__add__",
    "__iadd__",
    "__mul__",
    "index",
    "count",
    "copy",
    "append",
    "extend",
    "insert",
    "pop",
    "remove",
    "clear",
    "sort",
    "reverse",
):
    _ready_first(LazyRecords, _name)


class LazyRecord(dict):  # type: ignore[type-arg]
    """A dict holding one seed key (so JSON encoders never take the empty fast path) until used.

    >>> r = LazyRecord((("version", "0"),))
    >>> r.envelope, r.fill, r.extra = None, lambda e, x: {"version": "0", "id": x}, "i1"
    >>> r["id"], len(r)
    ('i1', 2)
    """

    __slots__ = ("envelope", "extra", "fill")
    envelope: Envelope
    fill: Fill | None
    extra: Any

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

    __hash__ = None

    def __reduce__(self) -> Any:
        self.ready()
        return (dict, (dict(dict.items(self)),))


for _name in (
    "get",
    "__contains__",
    "__iter__",
    "__len__",
    "keys",
    "items",
    "values",
    "copy",
    "__eq__",
    "__ne__",
    "__repr__",
    "pop",
    "popitem",
    "setdefault",
    "update",
    "__or__",
    "__ior__",
):
    _ready_first(LazyRecord, _name)


def lazy(seed: tuple[str, str], envelope: Envelope, fill: Fill, extra: Any) -> LazyRecord:
    record = LazyRecord((seed,))
    record.envelope = envelope
    record.fill = fill
    record.extra = extra
    return record


def lazy_batch(envelopes: list[Envelope], build: Build) -> dict[str, Any]:
    """`{"Records": [...]}` whose records are built by `build()` when first used."""
    batch = LazyRecords()
    batch.envelopes = envelopes
    batch.build = build
    return {"Records": batch}
