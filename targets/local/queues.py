"""SQS queues: standard (at-least-once, best-effort order) and FIFO (order per message group).

A received message is invisible until its consumer settles it; a failed one reappears when
its visibility timeout ends, with its receive count up by one. A receive beyond
`max_receives` moves it to the dead-letter queue instead. Messages older than the
retention period expire (the audit reports them lost, or dropped when the queue declares
`on_exhausted: drop` and the message had failed). FIFO queues hold a failing
message's group until it reappears and drop a re-sent message with the same deduplication
id within five minutes.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from evtc import ir
from evtc.targets.local.ledger import DEAD_LETTERED, DROPPED, Tracked
from evtc.targets.local.shapes import arn, message_id

if TYPE_CHECKING:
    from evtc.targets.local.core import Core
DEDUP_WINDOW = 300.0


class Message:
    __slots__ = ("envelope", "group", "number", "receives", "sent_at")

    def __init__(self, envelope: Tracked, number: int, sent_at: float, group: str | None) -> None:
        self.envelope = envelope
        self.number = number
        self.receives = 0
        self.sent_at = sent_at
        self.group = group

    @property
    def message_id(self) -> str:
        return message_id(self.number)


class QueueSim:
    kind = "queue"

    def __init__(self, core: Core, component: ir.Queue) -> None:
        self.core, self.ir, self.name = core, component, component.name
        self.arn = arn("sqs", component.name)
        # NOTE: a fresh message waits as its bare envelope, with its send time in `stamps` (the
        # same float object for every send at one virtual time): no per-message object until
        # a poller receives it. Redelivered and delayed messages wait as `Message`s.
        self.ready: deque[Tracked | Message] = deque()
        self.stamps: deque[float] = deque()
        self.listeners: list[Callable[[], None]] = []
        self.sent = 0
        self.sweeping = False
        self.asleep = True  # set by a poller that found nothing to receive

    # ---- sending -------------------------------------------------------------------------------
    def accept(self, envelope: Tracked) -> None:
        envelope.live += 1
        if self.ir.delay > 0 or self.core.chaos_duplicates:
            self.sent += 1
            message = Message(envelope, self.sent, self.core.clock.now, None)
            self._enter(message)
            if self.core.chaos_duplicates and self.core.rng.random() < self.core.chaos_duplicates:
                envelope.live += 1
                self._enter(Message(envelope, self.sent, message.sent_at, None))
            return
        # NOTE: the common case inlined: nothing delays a fresh message, nothing can expire it,
        # and the pollers need a call only when they found the queue empty last time.
        self.ready.append(envelope)
        self.stamps.append(self.core.clock.now)
        if self.asleep or not self.sweeping:
            self._wake()

    def _enter(self, message: Message) -> None:
        if self.ir.delay > 0:
            self.core.clock.at(message.sent_at + self.ir.delay, self.arrive, message)
        else:
            self.arrive(message)

    def arrive(self, message: Message) -> None:
        if self._expired(message):
            return
        self.ready.append(message)
        self.stamps.append(message.sent_at)
        self._wake()

    def _wake(self) -> None:
        self.asleep = False
        for listener in self.listeners:
            listener()
        if not self.sweeping:
            self.sweeping = True
            self.core.clock.at(self.core.clock.now + self.ir.retention, self._sweep, passive=True)

    # ---- receiving and settling -------------------------------------------------------------------
    def receive(self, limit: int) -> list[Message]:
        if self.core.chaos_reorder and len(self.ready) > 1:
            self._shuffle()
        ready, stamps = self.ready, self.stamps
        batch: list[Message] = []
        oldest = self.core.clock.now - self.ir.retention
        watched = self.ir.max_receives is not None
        while ready and len(batch) < limit:
            item, sent_at = ready.popleft(), stamps.popleft()
            if type(item) is Message:
                message = item
            else:
                self.sent += 1
                message = Message(item, self.sent, sent_at, None)  # type: ignore[arg-type]
            if sent_at > oldest and not watched:
                message.receives += 1  # NOTE: the common case inlined; `_admit` does the rest
                batch.append(message)
            elif self._admit(message):
                batch.append(message)
        return batch

    def _shuffle(self) -> None:
        pairs = list(zip(self.ready, self.stamps))
        self.core.rng.shuffle(pairs)
        self.ready = deque(item for item, _ in pairs)
        self.stamps = deque(stamp for _, stamp in pairs)

    def _admit(self, message: Message) -> bool:
        """Count the receive; expire or redrive the message instead when it is due."""
        if self._expired(message):
            return False
        message.receives += 1
        limit = self.ir.max_receives
        if limit is not None and self.ir.dead_letter and message.receives > limit:
            self.redrive(message)
            return False
        return True

    def retry(self, message: Message, received_at: float) -> None:
        self.core.clock.at(received_at + self.ir.visibility_timeout, self.arrive, message)

    def redrive(self, message: Message) -> None:
        envelope = message.envelope
        envelope.live -= 1
        envelope.fate |= DEAD_LETTERED
        self.core.stores[str(self.ir.dead_letter)].accept(envelope)

    def _expired(self, message: Message) -> bool:
        return self._expired_item(message, message.sent_at)

    def _sweep(self, _: object) -> None:
        kept = [(item, stamp) for item, stamp in zip(self.ready, self.stamps) if not self._expired_item(item, stamp)]
        self.ready = deque(item for item, _ in kept)
        self.stamps = deque(stamp for _, stamp in kept)
        self.sweeping = bool(kept)
        if kept:
            oldest = min(stamp for _, stamp in kept)
            self.core.clock.at(oldest + self.ir.retention, self._sweep, passive=True)

    def _expired_item(self, item: Tracked | Message, stamp: float) -> bool:
        if self.core.clock.now - stamp < self.ir.retention:
            return False
        envelope = item.envelope if type(item) is Message else item
        if self.ir.on_exhausted == "drop" and type(item) is Message and item.receives > 0:
            # NOTE: without a redrive policy SQS retries a failing message until retention
            # deletes it; `on_exhausted: drop` declares that end intended.
            envelope.live -= 1  # type: ignore[union-attr]
            envelope.fate |= DROPPED  # type: ignore[union-attr]
            return True
        self.core.ledger.lose(envelope, f"expired in queue '{self.name}' after {self.ir.retention:g}s")  # type: ignore[arg-type]
        return True

    def held(self) -> list[Tracked]:
        return [item.envelope if type(item) is Message else item for item in self.ready]  # type: ignore[misc]


class FifoQueueSim(QueueSim):
    """Order per message group: one batch per group in flight, a failure blocks its group."""

    def __init__(self, core: Core, component: ir.Queue) -> None:
        super().__init__(core, component)
        self.groups: dict[str, deque[Message]] = {}
        self.locked: set[str] = set()
        self.seen: dict[str, float] = {}
        self.seen_order: deque[tuple[float, str]] = deque()
        self.taken: list[str] = []  # the groups the last receive locked

    def accept(self, envelope: Tracked) -> None:
        dedup = self._dedup_id(envelope)
        now = self.core.clock.now
        while self.seen_order and self.seen_order[0][0] <= now:
            self.seen.pop(self.seen_order.popleft()[1], None)
        if dedup in self.seen:
            return  # NOTE: AWS accepts the send and drops the copy; the first copy stands for it
        self.seen[dedup] = now + DEDUP_WINDOW
        self.seen_order.append((now + DEDUP_WINDOW, dedup))
        self.sent += 1
        envelope.live += 1
        self._enter(Message(envelope, self.sent, now, self._group(envelope)))

    def _group(self, envelope: Tracked) -> str:
        if self.ir.key_constant is not None:
            return self.ir.key_constant  # NOTE: one group: total order
        if self.ir.key_random:
            return envelope.id  # a group of its own per message
        field = self.ir.group_by
        data = envelope.data if isinstance(envelope.data, dict) else {}
        if field and field in data:
            return str(data[field])
        return envelope.partitionkey or "default"

    def _dedup_id(self, envelope: Tracked) -> str:
        if self.ir.content_dedup:
            return hashlib.sha256(json.dumps(envelope.data, sort_keys=True).encode()).hexdigest()
        return envelope.id

    def arrive(self, message: Message) -> None:
        if self._expired(message):
            return
        self.groups.setdefault(str(message.group), deque()).append(message)
        self._wake()

    def receive(self, limit: int) -> list[Message]:
        batch: list[Message] = []
        self.taken = []
        for group, messages in self.groups.items():
            if group in self.locked or not messages:
                continue
            self.locked.add(group)
            self.taken.append(group)
            while messages and len(batch) < limit:
                message = messages.popleft()
                if self._admit(message):
                    batch.append(message)
            if len(batch) >= limit:
                break
        return batch

    def settle_group(self, group: str, returned: list[Message], received_at: float) -> None:
        """Put a failed message and those after it back at the head of their group."""
        if not returned:
            self.unlock(group)
            return
        self.groups[group].extendleft(reversed(returned))
        self.core.clock.at(received_at + self.ir.visibility_timeout, self.unlock, group)

    def unlock(self, group: str) -> None:
        self.locked.discard(group)
        messages = self.groups.get(group)
        if messages:
            self._wake()
        elif messages is not None:
            del self.groups[group]

    def _sweep(self, _: object) -> None:
        remaining: list[Message] = []
        for group, messages in self.groups.items():
            self.groups[group] = deque(m for m in messages if not self._expired(m))
            remaining.extend(self.groups[group])
        self.sweeping = bool(remaining)
        if remaining:
            oldest = min(m.sent_at for m in remaining)
            self.core.clock.at(oldest + self.ir.retention, self._sweep, passive=True)

    def held(self) -> list[Tracked]:
        return [m.envelope for messages in self.groups.values() for m in messages]
