"""The virtual clock: a heap of timers, run in (time, insertion) order, so runs are repeatable.

Timers are *active* (a poll, a retry, a visibility timeout: work the topology still has
to do) or *passive* (a retention sweep: something that happens only if time passes).
`run_until_idle` stops when no active timer is left; `advance` runs both kinds.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

EPOCH = 1767225600.0  # 2026-01-01T00:00:00Z: virtual second 0, so traces read as real dates


class Clock:
    __slots__ = ("_heap", "_seq", "active", "now")

    def __init__(self) -> None:
        self.now = 0.0
        self._heap: list[tuple[float, int, bool, Callable[[Any], None], Any]] = []
        self._seq = 0
        self.active = 0

    @property
    def wall(self) -> float:
        """The current virtual time as epoch seconds."""
        return EPOCH + self.now

    def at(self, when: float, action: Callable[[Any], None], arg: Any = None, passive: bool = False) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (max(when, self.now), self._seq, passive, action, arg))
        if not passive:
            self.active += 1

    def run_until_idle(self, limit: float) -> None:
        """Run timers while active ones remain, never past virtual second `limit`."""
        heap = self._heap
        while self.active and heap and heap[0][0] <= limit:
            self._step(heapq.heappop(heap))

    def advance_to(self, until: float) -> None:
        heap = self._heap
        while heap and heap[0][0] <= until:
            self._step(heapq.heappop(heap))
        self.now = max(self.now, until)

    def _step(self, timer: tuple[float, int, bool, Callable[[Any], None], Any]) -> None:
        when, _, passive, action, arg = timer
        self.now = when
        if not passive:
            self.active -= 1
        action(arg)

    def next_active(self) -> float | None:
        return min((t[0] for t in self._heap if not t[2]), default=None)
