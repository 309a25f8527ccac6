"""Event source mappings (and EventBridge Pipes): what reads a queue or a stream in batches.

A poller hands each batch to a `Sink`: a function (the batch in Lambda's shape for that
source) or a forwarder (a pipe into a topic, bus, queue or stream, which never fails).
Queue batches settle per message; a stream shard has one batch in flight (Lambda's
default parallelization factor), retried until `retries`/`max_age`, bisected on error when
asked, then sent to the route's dead letter so the shard moves on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evtc import ir
from evtc.envelope import Envelope
from evtc.targets.local.consumers import ALL, FunctionSim, Result
from evtc.targets.local.hops import envelope_decider
from evtc.targets.local.ledger import DELIVERED, FILTERED, Tracked
from evtc.targets.local.queues import FifoQueueSim, Message, QueueSim
from evtc.targets.local.shapes import sqs_batch, stream_batch
from evtc.targets.local.streams import StreamSim, sequence_number

if TYPE_CHECKING:
    from evtc.targets.local.core import Core
STREAM_BACKOFF_CAP = 60.0


class Forward:
    """A pipe's target: every record is handed on; the copy read from the source ends."""

    def __init__(self, core: Core, route: ir.Route) -> None:
        self.core, self.route, self.name = core, route, route.target

    def available(self) -> bool:
        return True

    def send(self, envelopes: list[Tracked]) -> None:
        for envelope in envelopes:
            self.core.deliver(self.route, envelope)


Sink = FunctionSim | Forward


class QueuePoller:
    def __init__(self, core: Core, queue: QueueSim, route: ir.Route, sink: Sink) -> None:
        self.core, self.queue, self.route, self.sink = core, queue, route, sink
        self.target_name = route.target
        self.batch_size = route.batch_size or 10
        self.window = route.batching_window or 0.0
        self.decide = envelope_decider(core.compilation.graph, route)
        self.pending = False
        queue.listeners.append(self.wake)

    def wake(self) -> None:
        if not self.pending:
            self.pending = True
            self.core.clock.at(self.core.clock.now + self.window, self.poll)

    def poll(self, _: object = None) -> None:
        self.pending = False
        sink, queue = self.sink, self.queue
        while True:
            if not sink.available():
                sink.wait(self.wake)  # type: ignore[union-attr]
                return
            batch = queue.receive(self.batch_size)
            groups = list(queue.taken) if isinstance(queue, FifoQueueSim) else None
            if not batch and not groups:
                queue.asleep = True
                return
            self.dispatch(batch, groups)

    def dispatch(self, batch: list[Message], groups: list[str] | None) -> None:
        kept = batch if self.decide is None else self._filter(batch)
        received_at = self.core.clock.now
        if isinstance(self.sink, Forward):
            self.sink.send([m.envelope for m in kept])
            self._settle(kept, None, received_at, groups, handed_on=True)
            return
        if not kept:
            self._settle(kept, None, received_at, groups)
            return
        fn = self.sink
        views: list[Envelope] = [fn.view(m.envelope) for m in kept] if fn.strip else [m.envelope for m in kept]
        fn.delivered.extend(views)
        fn.invoke(
            sqs_batch(self.queue.arn, views, kept), lambda result: self._settle(kept, result, received_at, groups)
        )

    def _filter(self, batch: list[Message]) -> list[Message]:
        kept = []
        for message in batch:
            if self.decide(message.envelope):  # type: ignore[misc]
                kept.append(message)
            else:  # NOTE: Lambda deletes SQS messages its filter criteria reject
                message.envelope.live -= 1
                message.envelope.fate |= FILTERED
        return kept

    def _settle(
        self, kept: list[Message], result: Result, received_at: float, groups: list[str] | None, handed_on: bool = False
    ) -> None:
        # NOTE: a pipe's copy ends without a fate of its own: what the pipe's target does with
        # the event (delivered, filtered, lost) is the event's fate.
        done = 0 if handed_on else DELIVERED
        if groups is not None:
            self._settle_fifo(kept, result, received_at, groups, done)
            return
        for message in kept:
            if result is None or (result is not ALL and message.message_id not in result):
                message.envelope.live -= 1
                message.envelope.fate |= done
            else:
                self.queue.retry(message, received_at)

    def _settle_fifo(
        self, kept: list[Message], result: Result, received_at: float, groups: list[str], done: int
    ) -> None:
        returned: dict[str, list[Message]] = {group: [] for group in groups}
        for message in kept:
            group = str(message.group)
            failed = result is ALL or (result is not None and message.message_id in result)
            if failed or returned[group]:  # NOTE: what follows a failure in its group goes back too
                returned[group].append(message)
            else:
                message.envelope.live -= 1
                message.envelope.fate |= done
        for group, messages in returned.items():
            self.queue.settle_group(group, messages, received_at)  # type: ignore[attr-defined]


class StreamPoller:
    def __init__(self, core: Core, stream: StreamSim, route: ir.Route, sink: Sink) -> None:
        self.core, self.stream, self.route, self.sink = core, stream, route, sink
        self.target_name = route.target
        self.batch_size = route.batch_size or 100
        self.window = route.batching_window or 0.0
        self.decide = envelope_decider(core.compilation.graph, route)
        count = len(stream.shards)
        self.positions = [0] * count
        self.limits = [self.batch_size] * count
        self.attempts = [0] * count
        self.busy = [False] * count
        self.scheduled = [False] * count
        stream.consumers.append(self)
        stream.listeners.append(self.wake)

    def wake(self, shard: int) -> None:
        if not self.scheduled[shard] and not self.busy[shard]:
            self.scheduled[shard] = True
            self.core.clock.at(self.core.clock.now + self.window, self.poll, shard)

    def poll(self, shard: int) -> None:
        self.scheduled[shard] = False
        if self.busy[shard]:
            return
        if not self.sink.available():
            self.sink.wait(lambda: self.wake(shard))  # type: ignore[union-attr]
            return
        batch = self.stream.read(shard, self.positions[shard], self.limits[shard])
        if not batch:
            return
        matched = [item for item in batch if self.decide is None or self.decide(item[1][0])]
        if isinstance(self.sink, Forward) or not matched:
            if isinstance(self.sink, Forward):
                self.sink.send([record[0] for _, record in matched])
            self._advance(shard, batch, batch[-1][0] + 1, {i for i, _ in matched})
            return
        self.busy[shard] = True
        self._invoke(shard, batch, matched)

    def _invoke(self, shard: int, batch: list[tuple[int, Any]], matched: list[tuple[int, Any]]) -> None:
        fn, stream = self.sink, self.stream
        shard_id = f"shardId-{shard:012d}"
        views = [fn.view(record[0]) for _, record in matched]  # type: ignore[union-attr]
        fn.delivered.extend(views)  # type: ignore[union-attr]
        positions = [(stream.arn, shard_id, sequence_number(shard, i), record[1]) for i, record in matched]

        def done(result: Result) -> None:
            self._settle(shard, batch, matched, result)

        fn.invoke(stream_batch(stream.dynamodb, views, positions, stream.kinds), done)  # type: ignore[union-attr]

    def _settle(self, shard: int, batch: list[tuple[int, Any]], matched: list[tuple[int, Any]], result: Result) -> None:
        self.busy[shard] = False
        indices = {i for i, _ in matched}
        if result is None:
            self.attempts[shard] = 0
            self.limits[shard] = self.batch_size
            self._advance(shard, batch, batch[-1][0] + 1, indices)
            return
        failing = self._first_failure(shard, matched, result)
        self._advance(shard, batch, failing, indices, wake=False)  # checkpoint: successes stay done
        rest = [item for item in batch if item[0] >= failing]
        self.attempts[shard] += 1
        if self.route.bisect and result is ALL and len(rest) > 1:
            self.limits[shard] = max(1, len(rest) // 2)
        if self._exhausted(shard, rest):
            self._give_up(shard, rest, indices)
            return
        delay = min(2.0 ** min(self.attempts[shard] - 1, 8), STREAM_BACKOFF_CAP)
        self.core.clock.at(self.core.clock.now + delay, lambda _: self.wake(shard))

    def _first_failure(self, shard: int, matched: list[tuple[int, Any]], result: Result) -> int:
        if result is ALL:
            return matched[0][0]
        failed = [i for i, _ in matched if sequence_number(shard, i) in result]  # type: ignore[operator]
        return min(failed) if failed else matched[0][0]  # NOTE: unknown ids fail the whole batch

    def _exhausted(self, shard: int, rest: list[tuple[int, Any]]) -> bool:
        retries, max_age = self.route.retries, self.route.max_age
        if self.route.bisect and self.limits[shard] > 1 and len(rest) > 1:
            return False  # NOTE: splitting the batch comes before counting retries
        too_old = max_age is not None and self.core.clock.now - rest[0][1][1] > max_age
        return too_old or (retries is not None and self.attempts[shard] > retries)

    def _give_up(self, shard: int, rest: list[tuple[int, Any]], matched: set[int]) -> None:
        where = f"{self.stream.name} -> {self.target_name} (shard {shard})"
        for index, (envelope, _) in rest:
            if index < self.positions[shard]:
                continue
            if index in matched:
                self.core.exhaust(envelope, self.route, f"retries exhausted on {where}")
            else:
                envelope.live -= 1
                envelope.fate |= FILTERED
        self.positions[shard] = rest[-1][0] + 1
        self.attempts[shard] = 0
        self.limits[shard] = self.batch_size
        self.wake(shard)

    def _advance(
        self, shard: int, batch: list[tuple[int, Any]], until: int, matched: set[int], wake: bool = True
    ) -> None:
        """Move the position to `until`, ending this consumer's copy of each record passed."""
        start = self.positions[shard]
        for index, (envelope, _) in batch:
            if start <= index < until:
                envelope.live -= 1
                envelope.fate |= DELIVERED if index in matched and not isinstance(self.sink, Forward) else 0
                envelope.fate |= FILTERED if index not in matched else 0
        self.positions[shard] = max(start, until)
        if wake and self.positions[shard] < self.stream.end(shard):
            self.wake(shard)

    def replay(self, shard: int, position: int) -> None:
        """Move back to `position`, reopening this consumer's copy of each record it re-reads."""
        for _index, (envelope, _) in self.stream.read(shard, position, max(0, self.positions[shard] - position)):
            envelope.live += 1
        self.positions[shard] = max(position, self.stream.base[shard])
        self.wake(shard)
