"""Properties over random topologies, events and chaos: nothing is lost where the topology
gives every failure somewhere to go, and per-key order holds wherever the path analysis
(`evtc.analysis`) says the path guarantees it."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import evtc
from evtc.analysis import analyze
from evtc.local import Chaos, records

from .conftest import build

HEADER = """topology random
event E { key: string  n: number  tag: string }
event F { key: string  n: number }
source src: app { emits: [E] }
queue dlq { retention: 14d }
"""
FILTERS = ["", "when n > 10", 'when tag in ["a", "b"]', 'when tag != "c"']


@st.composite
def topologies(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A random topology whose every failing hop has a dead letter, and its function names
    (those named `*_emitter` emit an F per record they receive)."""
    lines, functions = [HEADER], []
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["queue", "fifo", "stream", "topic", "bus", "function", "chain"]))
        name = f"c{i}"
        when = draw(st.sampled_from(FILTERS))
        if kind in ("queue", "fifo"):
            fifo = "fifo: true  group_by: key  " if kind == "fifo" else ""
            lines.append(f"queue {name} {{ {fifo}visibility_timeout: 30s  max_receives: 3  dead_letter: dlq }}")
            lines.append(f"route src.E -> {name}")
            functions.append(_consumer(lines, name, draw(st.sampled_from([1, 2, 10])), when, ""))
        elif kind == "stream":
            lines.append(f"stream {name} {{ shards: {draw(st.integers(1, 3))}  partition_key: key }}")
            lines.append(f"route src.E -> {name}")
            bisect = draw(st.sampled_from(["", "bisect: true"]))
            functions.append(
                _consumer(
                    lines, name, draw(st.sampled_from([1, 3, 100])), when, f"retries: 2  dead_letter: dlq  {bisect}"
                )
            )
        elif kind in ("topic", "bus"):
            lines.append(f"{kind} {name} {{}}")
            lines.append(f"route src.E -> {name}")
            for j in range(draw(st.integers(1, 2))):
                sub = f"{name}_q{j}"
                lines.append(f"queue {sub} {{ max_receives: 2  dead_letter: dlq }}")
                lines.append(f"route {name} -> {sub} {draw(st.sampled_from(FILTERS))}")
                functions.append(_consumer(lines, sub, 10, "", ""))
            lines.append(f'function {name}_fn {{ handler: "x:y" }}')
            lines.append(f"route {name} -> {name}_fn {when} {{ dead_letter: dlq }}")
            functions.append(f"{name}_fn")
        elif kind == "chain":
            lines.append(f"queue {name} {{ visibility_timeout: 30s  max_receives: 3  dead_letter: dlq }}")
            lines.append(f"route src.E -> {name}")
            lines.append(f'function {name}_emitter {{ handler: "x:y"  emits: [F] }}')
            lines.append(f"route {name} -> {name}_emitter {when} {{ batch_size: 5 }}")
            lines.append(f"queue {name}_out {{ max_receives: 2  dead_letter: dlq }}")
            lines.append(f"route {name}_emitter.F -> {name}_out")
            functions += [f"{name}_emitter", _consumer(lines, f"{name}_out", 10, "", "")]
        else:
            lines.append(f'function {name} {{ handler: "x:y" }}')
            lines.append(f"route src.E -> {name} {{ dead_letter: dlq }}")
            functions.append(name)
    return "\n".join(lines) + "\n", functions


def _consumer(lines: list[str], store: str, batch: int, when: str, extra: str) -> str:
    lines.append(f'function {store}_fn {{ handler: "x:y" }}')
    lines.append(f"route {store} -> {store}_fn {when} {{ batch_size: {batch}  {extra} }}")
    return f"{store}_fn"


def poisoned(event: Any, context: Any) -> None:
    """Fails every batch holding a poison event (n divisible by 13): retried, then dead-lettered."""
    if any(e.data["n"] % 13 == 0 for e in records(event)):
        raise ValueError("poison")


def emitting(event: Any, context: Any) -> None:
    """Emits an F for every record (a crash or poison later makes some F twice), then as `poisoned`."""
    for e in records(event):
        evtc.emit("F", {"key": e.data["key"], "n": e.data["n"] + 1})
    poisoned(event, context)


def handlers(functions: list[str]) -> dict[str, Any]:
    return {name: emitting if name.endswith("_emitter") else poisoned for name in functions}


chaos_settings = st.builds(
    Chaos,
    duplicates=st.sampled_from([0.0, 0.1, 0.5]),
    reorder=st.booleans(),
    crash_rate=st.sampled_from([0.0, 0.1, 0.3]),
    outages=st.sampled_from([(), (("c0_fn", 0.0, 600.0),), (("c1_fn", 10.0, 3600.0),)]),
)
events = st.lists(
    st.tuples(st.sampled_from(["k1", "k2", "k3"]), st.integers(1, 40), st.sampled_from("abc")), max_size=25
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(topologies(), events, chaos_settings, st.integers(0, 2**16))
def test_nothing_is_lost_and_guaranteed_order_holds(
    spec: tuple[str, list[str]], batch: list[tuple[str, int, str]], chaos: Chaos, seed: int
) -> None:
    text, functions = spec
    rt = build(text, handlers(functions), chaos=chaos, seed=seed)
    for index, (key, n, tag) in enumerate(batch):
        rt.emit("src", "E", {"key": key, "n": index * 41 + n, "tag": tag})  # n grows with emit order
    rt.run_until_idle()
    audit = rt.audit()
    assert audit.ok, (audit.lost, text)
    assert sum(audit.counts.values()) == len(rt.ledger.emitted) >= len(batch)
    flow = analyze(rt.compilation).flows.get(("src", "E"))
    for name in functions:
        facts = flow.reach.get(f"function:{name}") if flow else None
        if facts is None or facts.order_key is None or facts.paths != 1:
            continue
        event(f"per-key order checked ({facts.via[1]} is a {rt.topology.component(facts.via[1]).keyword})")
        for key, ns in _first_order(rt.deliveries(name)).items():
            assert ns == sorted(ns), (name, key, facts.order_key, text)


def _first_order(delivered: list[Any]) -> dict[str, list[int]]:
    firsts: dict[str, list[int]] = {}
    for e in delivered:
        seen = firsts.setdefault(e.data["key"], [])
        if e.data["n"] not in seen:
            seen.append(e.data["n"])
    return firsts


@settings(max_examples=20, deadline=None)
@given(topologies(), events, st.integers(0, 2**16))
def test_same_seed_same_trace(spec: tuple[str, list[str]], batch: list[tuple[str, int, str]], seed: int) -> None:
    text, functions = spec
    chaos = Chaos(duplicates=0.2, reorder=True, crash_rate=0.2)

    def trace() -> list[tuple[str, str]]:
        rt = build(text, handlers(functions), chaos=chaos, seed=seed)
        for index, (key, n, tag) in enumerate(batch):
            rt.emit("src", "E", {"key": key, "n": index * 41 + n, "tag": tag})
        rt.run_until_idle()
        return [(name, e.id) for name in functions for e in rt.deliveries(name)]

    assert trace() == trace()
