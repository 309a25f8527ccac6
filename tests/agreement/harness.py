"""The agreement check: for one topology and its events, every hop's decision (delivered
or filtered, to which component) in the local runtime against the decision computed from
the pulumi-aws plan's artefacts (`aws_model`).

A hop is a (component, target) pair with at least one route; it is compared for an event
that reached the component on both sides, so one disagreement is reported where it
starts, not again at every hop after it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

import evtc
from evtc import ir
from evtc.check.checker import check_compilation
from evtc.diagnostics import Severity
from evtc.frontend import Compilation, compile_text
from evtc.local import Runtime, records, sign
from evtc.targets.pulumi_aws.context import BuildError
from evtc.targets.pulumi_aws.planner import plan

from .aws_model import DEFAULT_NAME, AwsModel, Named, matched, onward, s3_event

Key = tuple[str, str]
SECRET = "agreement-test-key"
RELAY = "relay"  # the generated function that emits (generate._relay)
COPIES = "copies"


@dataclass(frozen=True)
class Disagreement:
    hop: Key  # (component, target), or ("copies", consumer) for how many copies a consumer receives
    event: str  # "<emitter>.<type> <data>"
    local: bool | int
    aws: bool | int
    resource: str

    def __str__(self) -> str:
        if self.hop[0] == COPIES:
            return f"{self.hop[1]} receives {self.event} {self.local} times locally, {self.aws} times as deployed"
        said = {True: "delivers", False: "filters"}
        return (
            f"{self.hop[0]} -> {self.hop[1]} for {self.event}: local {said[bool(self.local)]}, "
            f"the deployed plan ({self.resource}) {said[bool(self.aws)]}"
        )


@dataclass
class Tally:
    topologies: int = 0
    events: int = 0
    hops: int = 0
    copies: int = 0  # (event, consumer) copy counts compared
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    disagreements: list[tuple[str, Disagreement]] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.topologies += other.topologies
        self.events += other.events
        self.hops += other.hops
        self.copies += other.copies
        for reason, count in other.skipped.items():
            self.skipped[reason] += count
        self.disagreements.extend(other.disagreements)


class TracingRuntime(Runtime):
    """The local runtime, recording the events each (component, target) hop let through."""

    def __init__(self, compilation: Compilation, handlers: dict[str, Any]) -> None:
        self.passed: dict[Key, set[str]] = defaultdict(set)
        self.children: dict[str, list[str]] = defaultdict(list)  # event id -> ids a relay emitted for it
        if compilation.topology.component(RELAY) is not None:
            handlers = {**handlers, RELAY: self._relay}
        super().__init__(compilation, handlers)

    def _relay(self, event: Any, context: Any) -> None:
        for received in records(event):
            self.children[received.id].append(evtc.emit("B", dict(received.data)))

    def ids(self, event_id: str) -> set[str]:
        return {event_id, *self.children.get(event_id, ())}

    def _sender(self, route: ir.Route, source: ir.Component) -> Any:
        send = super()._sender(route, source)
        passed = self.passed[(route.source, route.target)]

        def traced(envelope: Any) -> None:
            passed.add(envelope.id)
            send(envelope)

        return traced

    def _poll(self, store: Any, route: ir.Route) -> None:
        super()._poll(store, route)
        poller = next(
            p for p in reversed(self.pollers) if p.route.source == route.source and p.target_name == route.target
        )
        decide = poller.decide
        passed = self.passed[(route.source, route.target)]

        def traced(envelope: Any) -> bool:
            ok = decide is None or decide(envelope)
            if ok:
                passed.add(envelope.id)
            return ok

        poller.decide = traced


def compare(text: str, emitted: list[tuple[str, str, dict[str, Any]]]) -> Tally:
    """Run `emitted` through the local runtime and through the plan; tally the hops."""
    tally = Tally()
    compilation = compile_text(text, "agree.evt")
    errors = [d for d in [*compilation.diagnostics, *check_compilation(compilation)] if d.severity is Severity.ERROR]
    if errors:
        tally.skipped[f"check error {errors[0].code}"] += 1
        return tally
    try:
        model = AwsModel(plan(compilation), compilation.topology)
    except BuildError as error:
        reason = re.sub(r"'[^']*'", "'…'", str(error))[:90]  # NOTE: one count per kind of refusal
        tally.skipped[f"check passed, build refused: {reason}"] += 1
        return tally
    functions = [c.name for c in compilation.topology.components if isinstance(c, ir.Function)]
    runtime = TracingRuntime(compilation, {name: _ok for name in functions})
    runtime.secrets = {"hooksecret": SECRET}
    for emitter, event, data in emitted:
        runtime.emit(emitter, event, data, signature=sign(SECRET, data) if emitter == "hook" else None)
    runtime.run_until_idle()
    tally.topologies, tally.events = 1, len(emitted)
    for envelope, (emitter, _, data) in zip(runtime.ledger.emitted[: len(emitted)], emitted, strict=True):
        label = f"{emitter}.{envelope.type} {data}"
        for hop, (aws, resource) in aws_decisions(model, compilation.topology, emitter, envelope.to_dict()).items():
            ids = runtime.ids(envelope.id)
            if not _arrived(runtime, compilation.topology, hop[0], ids):
                continue
            tally.hops += 1
            local = bool(ids & runtime.passed.get(hop, set()))
            if local != aws:
                tally.disagreements.append((text, Disagreement(hop, label, local, aws, resource)))
        if not _competing(compilation.topology):
            _compare_copies(tally, text, runtime, model, compilation.topology, (emitter, envelope, label))
    return tally


def _compare_copies(
    tally: Tally, text: str, runtime: TracingRuntime, model: AwsModel, topology: ir.Topology, sent: tuple[str, Any, str]
) -> None:
    """How many copies each consumer receives, locally and as deployed (a FIFO queue on
    the way deduplicates, so there only whether it arrives is compared)."""
    emitter, envelope, label = sent
    ids = runtime.ids(envelope.id)
    expected, deduplicated = aws_copies(model, topology, emitter, envelope.to_dict())
    for name, consumer in runtime.consumers.items():
        local = sum(1 for e in consumer.delivered if e.id in ids)
        aws = expected.get(name, 0)
        if name in deduplicated:
            local, aws = min(local, 1), min(aws, 1)
        tally.copies += 1
        if local != aws:
            tally.disagreements.append((text, Disagreement((COPIES, name), label, local, aws, "the whole plan")))


def _competing(topology: ir.Topology) -> bool:
    """Several consumers of one queue: which one receives a message is chance on AWS."""
    return any(
        len({r.target for r in topology.routes if r.source == q.name}) > 1
        for q in topology.components
        if isinstance(q, ir.Queue)
    )


def _ok(event: Any, context: Any) -> None:
    return None


def _arrived(runtime: TracingRuntime, topology: ir.Topology, component: str, ids: set[str]) -> bool:
    if isinstance(topology.component(component), ir.Source):
        return True
    return any(ids & passed for (_, target), passed in runtime.passed.items() if target == component)


def aws_decisions(
    model: AwsModel, topology: ir.Topology, emitter: str, envelope: dict[str, Any]
) -> dict[Key, tuple[bool, str]]:
    """Per hop the event reaches on AWS: whether the deployed resources let it through."""
    decisions: dict[Key, tuple[bool, str]] = {}
    work: deque[tuple[str, Named, dict[str, Any]]] = deque([(emitter, (DEFAULT_NAME, envelope["type"]), envelope)])
    seen: set[str] = set()
    while work:
        name, detail_type, envelope = work.popleft()
        if name in seen:
            continue
        seen.add(name)
        component = topology.component(name)
        if isinstance(component, ir.Source) and component.kind == "dynamodb":
            table = model.tables[name]
            decisions[(name, table)] = (True, "the table's stream")
            work.append((table, detail_type, envelope))
            continue
        for hop in model.out_of(name):
            if isinstance(component, ir.Source) and component.kind == "s3":
                seen_object = s3_event(f"source_{name}", envelope["data"]["key"])
            else:
                seen_object = matched(hop.shape, envelope, detail_type)
            ok = hop.decide(seen_object)
            before = decisions.get((name, hop.target), (False, hop.resource))
            decisions[(name, hop.target)] = (before[0] or ok, hop.resource if ok or not before[0] else before[1])
            if ok and isinstance(topology.component(hop.target), (*ir.STORES, *ir.ROUTERS)):
                work.append((hop.target, *onward(hop, detail_type, envelope)))
            elif ok and hop.target == RELAY:  # it emits a B with the data it received
                relayed = {**envelope, "type": "B", "source": "evtc://agree/relay"}
                work.append((RELAY, (DEFAULT_NAME, "B"), relayed))
        for route in topology.routes:
            if route.source == name:
                decisions.setdefault((name, route.target), (False, "no resource"))
    return decisions


def classify(text: str, found: Disagreement) -> str | None:
    """The known cause (`generate.KNOWN`) a disagreement shows, on its hop or upstream of
    it (a mis-deployed hop can let an event through with the wrong detail-type, so the next
    hop decides differently), or None when it is new."""
    topology = compile_text(text, "agree.evt").topology
    return _cause(topology, found.hop, set())


def _cause(topology: ir.Topology, hop: Key, seen: set[Key]) -> str | None:
    seen.add(hop)
    if hop[0] == COPIES:  # a consumer's copies: the cause is on some path into it
        return _cause_upstream(topology, hop[1], seen)
    source = topology.component(hop[0])
    if isinstance(source, ir.Queue) and len({r.target for r in topology.routes if r.source == source.name}) > 1:
        return "competing-consumers"
    shared = [r for r in topology.routes if (r.source, r.target) == hop]
    if len(shared) > 1 and isinstance(source, ir.STORES) and not isinstance(topology.component(hop[1]), ir.Function):
        return "shared-pipe"
    joined = {f"{r.source}_{r.target}" for r in topology.routes if (r.source, r.target) != hop}
    if f"{hop[0]}_{hop[1]}" in joined:
        return "name-collision"
    if len(shared) > 1 and isinstance(source, ir.Source) and source.kind == "schedule":
        return "shared-schedule"
    return _cause_upstream(topology, hop[0], seen)


def _cause_upstream(topology: ir.Topology, component: str, seen: set[Key]) -> str | None:
    hops = {(r.source, r.target) for r in topology.routes if r.target == component} - seen
    return next((cause for key in sorted(hops) if (cause := _cause(topology, key, seen))), None)


def aws_copies(
    model: AwsModel, topology: ir.Topology, emitter: str, envelope: dict[str, Any]
) -> tuple[Counter[str], set[str]]:
    """Copies each consumer receives on AWS, path by path through the deployed resources;
    and the consumers some path reaches through a FIFO queue (which deduplicates)."""
    copies: Counter[str] = Counter()
    deduplicated: set[str] = set()
    work: deque[tuple[str, Named, dict[str, Any], bool]] = deque(
        [(emitter, (DEFAULT_NAME, envelope["type"]), envelope, False)]
    )
    while work and sum(copies.values()) < 1000:
        name, detail_type, carried, fifo = work.popleft()
        component = topology.component(name)
        if isinstance(component, ir.Source) and component.kind == "dynamodb":
            work.append((model.tables[name], detail_type, carried, fifo))
            continue
        for hop in model.out_of(name):
            seen_object = (
                s3_event(f"source_{name}", carried["data"]["key"])
                if isinstance(component, ir.Source) and component.kind == "s3"
                else matched(hop.shape, carried, detail_type)
            )
            if not hop.decide(seen_object):
                continue
            target = topology.component(hop.target)
            through = fifo or (isinstance(target, ir.Queue) and target.fifo)
            if isinstance(target, (*ir.STORES, *ir.ROUTERS)):
                work.append((hop.target, *onward(hop, detail_type, carried), through))
                continue
            copies[hop.target] += 1
            if through:
                deduplicated.add(hop.target)
            if hop.target == RELAY:
                work.append(
                    (RELAY, (DEFAULT_NAME, "B"), {**carried, "type": "B", "source": "evtc://agree/relay"}, through)
                )
    return copies, deduplicated
