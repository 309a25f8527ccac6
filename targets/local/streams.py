"""Kinesis streams and DynamoDB change streams: shards by partition-key hash, order per shard.

Records stay in their shard until the retention period trims them, whatever the consumers
did; each consumer route keeps its own position per shard (see `pollers.StreamPoller`).
A record trimmed before a consumer passed it is lost to that consumer, and the audit says so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from evtc import ir
from evtc.targets.local.ledger import Tracked
from evtc.targets.local.shapes import arn

if TYPE_CHECKING:
    from evtc.targets.local.core import Core
    from evtc.targets.local.pollers import StreamPoller
Record = tuple[Tracked, float]  # (envelope, arrival time)


def shard_of(key: str, shards: int) -> int:
    """Kinesis maps the MD5 of the partition key onto equal slices of a 128-bit hash range."""
    if shards == 1:
        return 0
    return int.from_bytes(hashlib.md5(key.encode()).digest(), "big") * shards >> 128


def sequence_number(shard: int, index: int) -> str:
    return f"49{shard:04d}{index:020d}"


class StreamSim:
    kind = "stream"

    def __init__(self, core: Core, component: ir.Stream, dynamodb: bool) -> None:
        self.core, self.ir, self.name = core, component, component.name
        self.dynamodb = dynamodb
        self.kinds: dict[str, str] = {}  # a table's event type -> change kind (set by the core)
        self.arn = arn("dynamodb" if dynamodb else "kinesis", f"stream/{component.name}")
        self.shards: list[list[Record]] = [[] for _ in range(max(1, component.shards))]
        self.base = [0] * len(self.shards)  # absolute index of each shard's first kept record
        self.consumers: list[StreamPoller] = []
        self.listeners: list[Callable[[int], None]] = []
        self.sweeping = False

    def accept(self, envelope: Tracked) -> None:
        stream = self.ir
        if stream.key_constant is not None and not self.dynamodb:
            key = stream.key_constant  # NOTE: every record on one shard
        elif stream.key_random and not self.dynamodb:
            key = envelope.id  # unique per event: spread as a random key would
        else:
            key = envelope.partitionkey or envelope.id
        shard = shard_of(key, len(self.shards))
        self.shards[shard].append((envelope, self.core.clock.now))
        # NOTE: one copy per consumer route, each ending when that consumer passes the record.
        envelope.live += len(self.consumers) or 1
        for listener in self.listeners:
            listener(shard)
        if not self.sweeping:
            self.sweeping = True
            self.core.clock.at(self.core.clock.now + self.ir.retention, self._trim, passive=True)

    def end(self, shard: int) -> int:
        return self.base[shard] + len(self.shards[shard])

    def read(self, shard: int, position: int, limit: int) -> list[tuple[int, Record]]:
        start = max(position, self.base[shard]) - self.base[shard]
        chunk = self.shards[shard][start : start + limit]
        first = self.base[shard] + start
        return [(first + i, record) for i, record in enumerate(chunk)]

    def start_of(self, shard: int, moment: float) -> int:
        """The absolute index of the first record that arrived at or after `moment`."""
        records = self.shards[shard]
        index = next((i for i, (_, arrived) in enumerate(records) if arrived >= moment), len(records))
        return self.base[shard] + index

    def _trim(self, _: object) -> None:
        cutoff = self.core.clock.now - self.ir.retention
        remaining = False
        for shard, records in enumerate(self.shards):
            count = next((i for i, (_, arrived) in enumerate(records) if arrived > cutoff), len(records))
            for index in range(self.base[shard], self.base[shard] + count):
                self._expire(shard, index, records[index - self.base[shard]][0])
            del records[:count]
            self.base[shard] += count
            remaining = remaining or bool(records)
        self.sweeping = remaining
        if remaining:
            oldest = min(records[0][1] for records in self.shards if records)
            self.core.clock.at(oldest + self.ir.retention, self._trim, passive=True)

    def _expire(self, shard: int, index: int, envelope: Tracked) -> None:
        behind = [c for c in self.consumers if c.positions[shard] <= index] if self.consumers else [None]
        for consumer in behind:
            self.core.ledger.lose(envelope, self._why_trimmed(shard, consumer))
        for consumer in self.consumers:
            consumer.positions[shard] = max(consumer.positions[shard], index + 1)

    def _why_trimmed(self, shard: int, consumer: StreamPoller | None) -> str:
        if consumer is None:
            return f"trimmed from stream '{self.name}' with no consumer"
        failures = consumer.attempts[shard]
        if failures:
            route = consumer.route
            bound = (
                "the route retries until records expire (set `retries` or `max_age`, and a `dead_letter`)"
                if route.retries is None and route.max_age is None
                else "before the route's `retries` / `max_age` ran out (lower them below the retention)"
            )
            return (
                f"expired from stream '{self.name}' (retention {self.ir.retention:g}s) while "
                f"'{consumer.target_name}' kept failing on its batch: {failures} failed attempts; {bound}"
            )
        return f"trimmed from stream '{self.name}' before '{consumer.target_name}' read it"

    def held(self) -> list[Tracked]:
        return [envelope for records in self.shards for envelope, _ in records]
