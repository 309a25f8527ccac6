"""The server's cyclic collector runs when no publication is under way: a moment after the
last one, or after every `most` of them when typing never pauses (evtc.lsp.collector)."""

from __future__ import annotations

import asyncio

from evtc.lsp.collector import IdleCollector


def test_collects_after_a_quiet_moment_and_never_while_a_publication_is_under_way() -> None:
    async def run() -> list[int]:
        collector = IdleCollector(quiet=0.05, most=100)
        seen = []
        collector.started()
        collector.started()  # NOTE: two overlapping publications (typing went on)
        collector.finished()
        await asyncio.sleep(0.1)
        seen.append(collector.collections)  # one is still under way
        collector.finished()
        collector.started()  # the next keystroke's, before the quiet moment is over
        await asyncio.sleep(0.1)
        seen.append(collector.collections)
        collector.finished()
        await asyncio.sleep(0.1)
        seen.append(collector.collections)
        return seen

    assert asyncio.run(run()) == [0, 0, 1]


def test_collects_every_most_publications_when_typing_never_pauses() -> None:
    async def run() -> list[int]:
        collector = IdleCollector(quiet=60, most=3)
        seen = []
        for _ in range(7):
            collector.started()
            collector.finished()
            seen.append(collector.collections)
        return seen

    assert asyncio.run(run()) == [0, 0, 1, 1, 1, 2, 2]
