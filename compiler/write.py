"""`evtc.write`: how a handler writes to a table or bucket it declares in `writes`, locally
and on AWS alike.

>>> class Table:
...     def put_item(self, table, item):
...         return "INSERT"
...     def update_item(self, table, key, values):
...         return "MODIFY"
...     def delete_item(self, table, key):
...         return False
...     def put_object(self, bucket, key, body):
...         return None
>>> from evtc.emit import active
>>> with active(Table()):
...     put_item("orders", {"id": "o-1"})
'INSERT'

`put_item` replaces a whole item, `update_item` sets some of its attributes.
Inside the local runtime the write becomes the table's change record (INSERT or MODIFY
as the key existed before, REMOVE with the old image) or the bucket's "Object Created"
notification, and flows on through the topology as the deployed stream would carry it.
On Lambda it is a boto3 call on the resource named in `EVTC_WRITES`, which the pulumi-aws
target sets, with the role granted exactly the write actions on exactly those resources.
A write to a resource the function does not declare raises, in both places.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from evtc.emit import _resolve


@runtime_checkable
class WriteBackend(Protocol):
    def put_item(self, table: str, item: Mapping[str, Any]) -> str:
        """Create or replace an item; return the change kind it made (INSERT or MODIFY)."""
        ...

    def update_item(self, table: str, key: Mapping[str, Any], values: Mapping[str, Any]) -> str:
        """Set `values` on the item with `key`, creating it when absent; return the change kind."""
        ...

    def delete_item(self, table: str, key: Mapping[str, Any]) -> bool:
        """Delete the item with `key` (a REMOVE change); return whether it existed."""
        ...

    def put_object(self, bucket: str, key: str, body: bytes | str) -> None:
        """Store an object (an "Object Created" notification)."""
        ...


class UndeclaredWriteError(RuntimeError):
    """A write to a table or bucket the function does not declare in `writes`, or a change
    kind its `writes` does not bind (`writes: [orders: "MODIFY"]` and an insertion)."""


class KindNotDeclaredError(UndeclaredWriteError):
    """The write would make a change kind its `writes` does not name: a put of an existing
    key under `writes: [orders: "INSERT"]` (on AWS, DynamoDB's ConditionalCheckFailedException
    on the conditional write, raised as this). A duplicate delivery is the usual cause."""


def put_item(table: str, item: Mapping[str, Any]) -> str:
    """Write `item` to `table`; return "INSERT" or "MODIFY", as its stream will say."""
    return _backend().put_item(table, item)


def update_item(table: str, key: Mapping[str, Any], values: Mapping[str, Any]) -> str:
    """Set `values` on the item of `table` with `key` (`{"id": "o-1"}`), creating it when
    absent (as DynamoDB's UpdateItem does); return "INSERT" or "MODIFY"."""
    return _backend().update_item(table, key, values)


def delete_item(table: str, key: Mapping[str, Any]) -> bool:
    """Delete the item of `table` with `key` (`{"id": "o-1"}`); return whether it existed."""
    return _backend().delete_item(table, key)


def put_object(bucket: str, key: str, body: bytes | str) -> None:
    """Store `body` as object `key` of `bucket`."""
    _backend().put_object(bucket, key, body)


def _backend() -> WriteBackend:
    backend = _resolve()
    if not isinstance(backend, WriteBackend):
        raise UndeclaredWriteError(f"the emit backend {type(backend).__name__} cannot write to tables or buckets")
    return backend
