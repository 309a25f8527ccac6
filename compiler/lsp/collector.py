"""When the language server runs Python's cyclic garbage collector: while nobody waits.

A compile and a check of a large file leave a hundred thousand new objects (a plan, an
analysis, diagnostics) and almost no cycles: everything they drop, reference counting
frees. The collector, left to itself, scans those objects in the middle of the next
publication (a scan of one check's objects takes tens of milliseconds, a full one more),
and the user waits for nothing. The server (`evtc.lsp.server.serve`) therefore turns the
automatic collector off and collects here: a moment after the last publication, when no
other is under way, and, should typing never pause, after every `most` publications.
"""

from __future__ import annotations

import asyncio
import gc


class IdleCollector:
    def __init__(self, quiet: float = 1.0, most: int = 50) -> None:
        self.quiet = quiet  # seconds without a publication before collecting
        self.most = most  # publications after which to collect, idle or not
        self.busy = 0  # publications under way (they overlap when typing goes on)
        self.since = 0  # publications since the last collection
        self.collections = 0
        self._timer: asyncio.TimerHandle | None = None

    def started(self) -> None:
        self.busy += 1
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def finished(self) -> None:
        """A publication's last findings were sent (or it failed, or was cancelled)."""
        self.busy -= 1
        self.since += 1
        if self.busy > 0:
            return
        if self.since >= self.most:
            self.collect()
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # NOTE: no loop (a test driving the session directly): collect at once
            self.collect()
            return
        self._timer = loop.call_later(self.quiet, self.collect)

    def collect(self) -> None:
        self._timer = None
        if self.busy == 0:
            gc.collect()
            self.since = 0
            self.collections += 1
