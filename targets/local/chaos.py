"""Seeded adversity: only what AWS may do to a topology, never what it may not.

Duplicates and reordering apply to standard queues only (never to a FIFO group or a
stream shard, whose order AWS guarantees); a crash makes an invocation fail after its
handler ran, so the batch is redelivered; an outage takes a consumer fleet down for a
window of virtual seconds while its queue or stream keeps the events; a delivery outage
makes a function's Invoke API refuse a bus's, a topic's or a schedule's hand-over (a
revoked permission, a regional fault), which that service retries and dead-letters by
its own policy, before Lambda's retries of the handler are ever involved.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chaos:
    """What may go wrong, and how often.

    >>> Chaos(duplicates=0.05, outages=(("scanner", 0, 3600),)).down("scanner", 10.0)
    True
    """

    duplicates: float = 0.0  # probability that a standard queue delivers a message twice
    reorder: bool = False  # standard queues hand out messages out of send order
    crash_rate: float = 0.0  # probability that an invocation crashes after its handler ran
    outages: tuple[tuple[str, float, float], ...] | list[tuple[str, float, float]] = ()
    delivery_outages: tuple[tuple[str, float, float], ...] | list[tuple[str, float, float]] = ()

    def __post_init__(self) -> None:
        for name, value in (("duplicates", self.duplicates), ("crash_rate", self.crash_rate)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"Chaos.{name} must be a probability between 0 and 1, not {value}")
        object.__setattr__(self, "outages", tuple(tuple(o) for o in self.outages))
        object.__setattr__(self, "delivery_outages", tuple(tuple(o) for o in self.delivery_outages))

    def down(self, component: str, now: float) -> bool:
        return any(name == component and start <= now < end for name, start, end in self.outages)

    def refuses(self, component: str, now: float) -> bool:
        """Whether `component`'s Invoke API refuses deliveries at `now` (a delivery outage)."""
        return any(name == component and start <= now < end for name, start, end in self.delivery_outages)

    def back_up(self, component: str, now: float) -> float:
        """When the outage covering `now` ends (now itself when the component is up)."""
        ends = [end for name, start, end in self.outages if name == component and start <= now < end]
        return max(ends, default=now)

    @property
    def calm(self) -> bool:
        return not (self.duplicates or self.reorder or self.crash_rate or self.outages or self.delivery_outages)
