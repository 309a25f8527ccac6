"""Conservation bookkeeping: what became of every emitted event.

Each envelope counts its live copies (one per queue message, stream consumer position,
pending async invocation…) and collects fate bits as copies end. An event is *lost* when a
copy ended in a way the topology did not declare (expired, retries exhausted with nowhere
to go); everything else is delivered, filtered, dropped by a declared policy,
dead-lettered or still held.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from evtc.envelope import Envelope

DELIVERED, FILTERED, DROPPED, DEAD_LETTERED, LOST = 1, 2, 4, 8, 16
OUTCOMES = ("lost", "dead_lettered", "held", "dropped", "delivered", "filtered")


class Tracked(Envelope):
    """An envelope with its ledger entry inline (two small ints: no per-event dict)."""

    __slots__ = ("fate", "live")

    def __init__(
        self, id: str, source: str, type: str, time: float, recordedtime: float, data: Any, partitionkey: str | None
    ) -> None:
        # NOTE: every slot set here rather than through Envelope.__init__: one call per event.
        self.id = id
        self.source = source
        self.type = type
        self.time = time
        self.recordedtime = recordedtime
        self.data = data
        self.partitionkey = partitionkey
        self.live = 0
        self.fate = 0


def outcome(envelope: Tracked) -> str:
    """The one word that best describes an event's end, worst news first."""
    fate = envelope.fate
    if fate & LOST:
        return "lost"
    if fate & DEAD_LETTERED:
        return "dead_lettered"
    if envelope.live > 0:
        return "held"
    if fate & DROPPED:
        return "dropped"
    if fate & DELIVERED:
        return "delivered"
    return "filtered" if fate & FILTERED else "lost"


@dataclass(frozen=True)
class Audit:
    """The conservation report. `ok` means no event was lost.

    `lost` lists (event id, type, reason); `outcomes` maps every event id to its outcome.
    """

    counts: dict[str, int]
    outcomes: dict[str, str] = field(repr=False)
    lost: list[tuple[str, str, str]]
    emitted: int

    @property
    def ok(self) -> bool:
        return not self.lost

    def __str__(self) -> str:
        parts = ", ".join(f"{self.counts.get(name, 0)} {name.replace('_', '-')}" for name in OUTCOMES)
        verdict = "ok: nothing lost" if self.ok else f"{len(self.lost)} LOST"
        return f"{self.emitted} events: {parts} ({verdict})"


class Ledger:
    __slots__ = ("emitted", "reasons")

    def __init__(self) -> None:
        self.emitted: list[Tracked] = []
        self.reasons: dict[str, list[str]] = {}

    def lose(self, envelope: Tracked, reason: str) -> None:
        envelope.fate |= LOST
        envelope.live -= 1
        self.reasons.setdefault(envelope.id, []).append(reason)

    def unrouted(self, envelope: Tracked, reason: str) -> None:
        """Nothing could take the event where it was (no copy was opened for it)."""
        envelope.fate |= LOST
        self.reasons.setdefault(envelope.id, []).append(reason)

    def audit(self) -> Audit:
        outcomes = {e.id: outcome(e) for e in self.emitted}
        lost = [
            (e.id, e.type, "; ".join(self.reasons.get(e.id, ["no route carried it anywhere"])))
            for e in self.emitted
            if outcomes[e.id] == "lost"
        ]
        return Audit(dict(Counter(outcomes.values())), outcomes, lost, len(self.emitted))
