"""What the path analysis knows: per hop (one route) and per path (emitter, event → node).

All durations are seconds and may be `inf` (unbounded); sizes are bytes.
"""

from __future__ import annotations

from dataclasses import field

from evtc import ir
from evtc.plan.model import Retry
from evtc.plan.writes import Write
from evtc.span import Span
from evtc.util.record import record

TOTAL = "*"  # order key meaning "everything from the emitter, in emission order"
NIGHT = 12 * 3600.0  # how long a consumer must be able to be down: one night


@record
class Break:
    """Where a guarantee is lost: the hop's component, why, and the text to point at."""

    at: str
    reason: str
    span: Span


@record
class Drop:
    """A place an event can disappear. `kind`: filtered | exhausted | expired | explicit |
    undeliverable (every event, before any attempt)."""

    at: str
    kind: str
    reason: str
    span: Span


@record
class Hop:
    """What one route does to an event: retries, time to give up, drops, ordering effect."""

    route: ir.Route
    style: str  # publish | poll-queue | poll-stream | push-store | push-async | push-endpoint
    attempts: float  # worst-case deliveries of one event over this hop (inf: until expiry)
    give_up: float  # worst-case time until this hop gives up on an event
    needed: float  # time the retries need, to compare with what the store keeps
    dead_letter: str | None  # where failed events go (None: nowhere)
    drops: tuple[Drop, ...]
    order: Break | None  # set when this hop loses order
    key: str | None  # the order key from here on (None: unchanged)
    store_retention: float | None  # what the target keeps, if it is a store
    size_limit: tuple[str, float] | None  # (what, bytes) the hop can carry
    holders: tuple[str, ...] = ()  # components that hold the event's payload after this hop
    # the delivering service's retries and dead letter, when that stage is apart from the
    # consumer's (a bus, a topic or a schedule invoking a function): the plan's `delivery`
    delivery: Retry | None = None


@record
class Size:
    """The largest size of a payload: `bytes` of bounded fields, plus unbounded ones."""

    bytes: int
    unbounded: tuple[str, ...] = ()

    def text(self) -> str:
        from evtc.analysis.payload import human

        more = f" + unbounded ({', '.join(self.unbounded)})" if self.unbounded else ""
        return f"{human(self.bytes)}{more}"


@record(slots=False)
class PathFacts:
    """The guarantees of every path from one (emitter, event) to one node, merged worst-case."""

    emitter: str
    event: str
    node: str
    via: tuple[str, ...]  # one representative chain of component names, emitter first
    hops: tuple[Hop, ...]  # the routes of `via`
    paths: int
    order_key: str | None  # TOTAL, a field name, or None when lost
    order_lost: Break | None
    keys: tuple[tuple[str, str, Span], ...]  # (key, component, span) set along the way
    attempts: float
    give_up: float
    drops: tuple[Drop, ...]
    dead_letters: tuple[str, ...]
    retained: tuple[tuple[str, float], ...]  # (store, retention) on the way
    replayable: tuple[str, ...]
    holders: tuple[str, ...]  # stores, routers and dead letters that hold the payload
    cyclic: bool = False

    @property
    def ref(self) -> tuple[str, str]:
        return (self.emitter, self.event)

    @property
    def delivery(self) -> str:
        if any(d.kind == "undeliverable" for d in self.drops):
            return "none: every event expires before it can be delivered"
        lossy = [d for d in self.drops if d.kind in ("exhausted", "expired")]
        if not lossy:
            return "at-least-once"
        if any(h.attempts <= 1 and any(d.kind in ("exhausted", "expired") for d in h.drops) for h in self.hops):
            return "at-most-once"
        return "at-least-once until retries run out, then dropped"

    @property
    def outage_tolerance(self) -> float:
        """How long the consumer can be down before events are lost (inf: never lost)."""
        if not self.hops:
            return 0.0
        last = self.hops[-1]
        if last.dead_letter and last.style == "poll-stream":
            # NOTE: a stream's dead letter keeps positions, not records: the records can be
            # read back only while the stream still has them.
            return dict(self.retained).get(last.route.source, last.give_up)
        return float("inf") if last.dead_letter else last.give_up


@record(slots=False)
class Flow:
    """Everything known about one emitted event type: its payload and every node it reaches."""

    emitter: str
    event: str
    mode: str  # state | notification
    size: Size
    sensitive: tuple[str, ...]
    reach: dict[str, PathFacts] = field(repr=False)  # node id → facts


@record(slots=False)
class Analysis:
    """The path guarantees of one compilation: per (emitter, event) and node, and per hop."""

    flows: dict[tuple[str, str], Flow]
    hops: dict[str, Hop]  # route id → hop facts (with the route's own settings)
    cycles: tuple[tuple[ir.Route | Write, ...], ...]  # each cycle once, as the routes (and writes) around it

    def consumers(self) -> list[PathFacts]:
        """Facts for every (emitter, event) × consumer pair, sorted."""
        found = [
            facts
            for flow in self.flows.values()
            for node, facts in flow.reach.items()
            if node.startswith(("function:", "endpoint:"))
        ]
        return sorted(found, key=lambda f: (f.emitter, f.event, f.node))
