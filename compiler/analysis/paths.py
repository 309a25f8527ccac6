"""Path guarantees by dynamic programming over the routes each (emitter, event) travels.

For one emitted event type, the routes that carry it form a small graph. Nodes are
visited in topological order (Kahn's algorithm); a node's facts are the worst case over
its incoming routes, so the work is linear in the routes carried, never in the number of
paths (a diamond or a wide fan-out costs one visit per node). Nodes left on a cycle are
finalised once with unbounded retries and marked `cyclic`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace

from evtc import ir
from evtc.analysis import payload
from evtc.analysis.cycles import find_cycles
from evtc.analysis.hops import hop as hop_facts
from evtc.analysis.model import TOTAL, Analysis, Break, Flow, Hop, PathFacts, Size
from evtc.graph import EventRef, TopologyGraph
from evtc.plan import DeliveryPlan, plan_graph
from evtc.span import Span

INF = float("inf")


def analyze_graph(graph: TopologyGraph, plan: DeliveryPlan | None = None) -> Analysis:
    t = graph.topology
    plan = plan or plan_graph(graph)
    hops = {r.id: h for r in t.routes if r.id in plan.routes and (h := hop_facts(t, plan.routes[r.id])) is not None}
    by_ref: dict[EventRef, list[ir.Route]] = {}
    for r in t.routes:
        for ref in graph.carried.get(r.id, ()):
            if r.id in hops:
                by_ref.setdefault(ref, []).append(r)
    shared = _shared_events(graph)
    flows = {ref: _flow(t, ref, routes, hops, shared) for ref, routes in sorted(by_ref.items())}
    return Analysis(flows, hops, find_cycles(graph))


def _shared_events(graph: TopologyGraph) -> dict[tuple[str, str], tuple[str, ...]]:
    """(node id, event) → its emitters, where one node receives an event type from several."""
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for node, refs in graph.arriving.items():
        by_event: dict[str, set[str]] = {}
        for emitter, event in refs:
            by_event.setdefault(event, set()).add(emitter)
        for event, emitters in by_event.items():
            if len(emitters) > 1:
                found[(node, event)] = tuple(sorted(emitters))
    return found


def _flow(
    t: ir.Topology,
    ref: EventRef,
    routes: list[ir.Route],
    hops: dict[str, Hop],
    shared: dict[tuple[str, str], tuple[str, ...]],
) -> Flow:
    emitter, event_name = ref
    event = t.event(event_name)
    source = t.component(emitter)
    mode = source.payload if isinstance(source, ir.Source) else "state"
    size = payload.event_size(event) if event else Size(0)
    sensitive = payload.sensitive_fields(event) if event else ()
    reach = _propagate(t, ref, routes, hops, shared)
    return Flow(emitter, event_name, mode, size, sensitive, reach)


def _start(t: ir.Topology, ref: EventRef) -> PathFacts:
    component = t.component(ref[0])
    node = component.id if component else ref[0]
    return PathFacts(ref[0], ref[1], node, (ref[0],), (), 1, TOTAL, None, (), 1.0, 0.0, (), (), (), (), ())


def _propagate(
    t: ir.Topology,
    ref: EventRef,
    routes: list[ir.Route],
    hops: dict[str, Hop],
    shared: dict[tuple[str, str], tuple[str, ...]],
) -> dict[str, PathFacts]:
    out: dict[str, list[ir.Route]] = {}
    indegree: dict[str, int] = {}
    for r in routes:
        out.setdefault(r.source, []).append(r)
        indegree[r.target] = indegree.get(r.target, 0) + 1
    done: dict[str, PathFacts] = {ref[0]: _start(t, ref)}
    pending: dict[str, list[PathFacts]] = {}
    ready = deque([ref[0]])
    while True:
        _drain(t, ready, out, indegree, done, pending, hops, shared)
        stuck = sorted(n for n in pending if n not in done)
        if not stuck:
            break
        # What is left waits on a cycle: settle the first node with what reached it.
        node = stuck[0]
        done[node] = _cyclic(_join(pending.pop(node)))
        ready.append(node)
    return {facts.node: facts for name, facts in done.items() if name != ref[0] or facts.hops}


def _drain(
    t: ir.Topology,
    ready: deque[str],
    out: dict[str, list[ir.Route]],
    indegree: dict[str, int],
    done: dict[str, PathFacts],
    pending: dict[str, list[PathFacts]],
    hops: dict[str, Hop],
    shared: dict[tuple[str, str], tuple[str, ...]],
) -> None:
    while ready:
        name = ready.popleft()
        for r in out.get(name, ()):
            if r.target in done:
                continue  # a route back into a settled node closes a cycle
            target = t.component(r.target)
            assert target is not None
            pending.setdefault(r.target, []).append(extend(done[name], hops[r.id], target, shared))
            indegree[r.target] -= 1
            if indegree[r.target] == 0:
                done[r.target] = _join(pending.pop(r.target))
                ready.append(r.target)


def extend(facts: PathFacts, h: Hop, target: ir.Component, shared: dict[tuple[str, str], tuple[str, ...]]) -> PathFacts:
    key, lost, keys = _ordering(facts, h, target, shared)
    replay = _replayable(target)
    return PathFacts(
        facts.emitter,
        facts.event,
        target.id,
        facts.via + (target.name,),
        facts.hops + (h,),
        facts.paths,
        key,
        lost,
        keys,
        facts.attempts * h.attempts,
        facts.give_up + h.give_up,
        facts.drops + h.drops,
        facts.dead_letters + ((h.dead_letter,) if h.dead_letter else ()),
        facts.retained + (((target.name, h.store_retention),) if h.store_retention is not None else ()),
        facts.replayable + ((replay,) if replay else ()),
        _union(facts.holders, h.holders),
        facts.cyclic,
    )


def _ordering(
    facts: PathFacts, h: Hop, target: ir.Component, shared: dict[tuple[str, str], tuple[str, ...]]
) -> tuple[str | None, Break | None, tuple[tuple[str, str, Span], ...]]:
    keys = facts.keys
    if h.key is not None:
        owner_prop = "group_by" if isinstance(target, ir.Queue) else "partition_key"
        keys = keys + ((h.key, target.name, target.span_of(owner_prop)),)
    if facts.order_lost is not None:
        return None, facts.order_lost, keys
    if h.order is not None:
        return None, h.order, keys
    emitters = shared.get((target.id, facts.event))
    if emitters:
        reason = f"'{target.name}' receives {facts.event} from {len(emitters)} emitters ({', '.join(emitters)})"
        return None, Break(target.name, reason, h.route.span), keys
    if h.key is None or facts.order_key in (TOTAL, h.key):
        return (h.key or facts.order_key), None, keys
    reason = f"'{target.name}' re-keys events by {h.key}, but they were ordered per {facts.order_key} before it"
    return None, Break(target.name, reason, keys[-1][2]), keys


def _replayable(target: ir.Component) -> str | None:
    if isinstance(target, ir.Stream) or (isinstance(target, ir.Bus) and target.archive is not None):
        return target.name
    return None


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(x for x in b if x not in a)


def _join(states: list[PathFacts]) -> PathFacts:
    if len(states) == 1:
        return states[0]
    first = states[0]
    paths = sum(s.paths for s in states)
    lost = first.order_lost or next((s.order_lost for s in states if s.order_lost), None)
    if lost is None:
        node = first.via[-1]
        lost = Break(
            node,
            f"'{node}' is reached by {paths} paths, so events arrive twice and out of order",
            first.hops[-1].route.span,
        )
    merged = first
    for s in states[1:]:
        merged = PathFacts(
            merged.emitter,
            merged.event,
            merged.node,
            merged.via,
            merged.hops,
            merged.paths,
            None,
            lost,
            merged.keys + tuple(k for k in s.keys if k not in merged.keys),
            merged.attempts + s.attempts,
            max(merged.give_up, s.give_up),
            merged.drops + tuple(d for d in s.drops if d not in merged.drops),
            _union(merged.dead_letters, s.dead_letters),
            merged.retained,
            _union(merged.replayable, s.replayable),
            _union(merged.holders, s.holders),
            merged.cyclic or s.cyclic,
        )
    return _with_paths(merged, paths, lost)


def _with_paths(facts: PathFacts, paths: int, lost: Break) -> PathFacts:
    return replace(facts, paths=paths, order_key=None, order_lost=lost)


def _cyclic(facts: PathFacts) -> PathFacts:
    return replace(facts, attempts=INF, give_up=INF, cyclic=True)
