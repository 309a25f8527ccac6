"""Chaos: only what AWS may do (duplicates, reordering on standard queues, crashes, outages)."""

from __future__ import annotations

from typing import Any

import pytest

from evtc.local import Chaos, Runtime, records

from .conftest import build, ok

TOPOLOGY = """
topology x
event Job { job_id: string  key: string  n: number }
source app1: app { emits: [Job] }
queue standard { visibility_timeout: 30s }
queue ordered { fifo: true  group_by: key  visibility_timeout: 30s }
stream log { shards: 2  partition_key: key }
function a { handler: "x:y" }
function b { handler: "x:y" }
function c { handler: "x:y" }
route app1.Job -> standard
route app1.Job -> ordered
route app1.Job -> log
route standard -> a
route ordered -> b
route log -> c { batch_size: 5 }
"""


def run(chaos: Chaos, seed: int = 1, count: int = 60) -> Runtime:
    rt = build(TOPOLOGY, {"a": ok, "b": ok, "c": ok}, chaos=chaos, seed=seed)
    for n in range(count):
        rt.emit("app1", "Job", {"job_id": str(n), "key": f"k{n % 3}", "n": n})
    rt.run_until_idle()
    return rt


def per_key_first_order(rt: Runtime, consumer: str) -> dict[str, list[int]]:
    firsts: dict[str, list[int]] = {}
    for e in rt.deliveries(consumer):
        seen = firsts.setdefault(e.data["key"], [])
        if e.data["n"] not in seen:
            seen.append(e.data["n"])
    return firsts


def test_duplicates_and_reordering_hit_standard_queues_only() -> None:
    rt = run(Chaos(duplicates=0.3, reorder=True))
    a = [e.data["n"] for e in rt.deliveries("a")]
    assert len(a) > 60 and a != sorted(a)  # duplicated and reordered
    for consumer in ("b", "c"):
        assert len(rt.deliveries(consumer)) == 60
        for key, ns in per_key_first_order(rt, consumer).items():
            assert ns == [n for n in range(60) if f"k{n % 3}" == key]
    assert rt.audit().ok


def test_crashes_cause_redelivery_but_never_reorder_a_group_or_a_shard() -> None:
    rt = run(Chaos(crash_rate=0.3))
    for consumer in ("b", "c"):
        assert len(rt.deliveries(consumer)) > 60
        for key, ns in per_key_first_order(rt, consumer).items():
            assert ns == sorted(ns), (consumer, key)
    assert rt.audit().ok and rt.audit().counts == {"delivered": 60}


def test_an_outage_holds_events_in_the_queue_until_the_fleet_is_back() -> None:
    seen: list[float] = []
    rt = build(
        TOPOLOGY, {"a": lambda e, c: seen.append(rt.now), "b": ok, "c": ok}, chaos=Chaos(outages=[("a", 0, 3600)])
    )
    rt.emit("app1", "Job", {"job_id": "1", "key": "k", "n": 1})
    rt.run_until_idle()
    assert seen == [3600.0] and rt.audit().ok


@pytest.mark.parametrize("seed", [1, 2])
def test_same_seed_same_trace(seed: int) -> None:
    chaos = Chaos(duplicates=0.2, reorder=True, crash_rate=0.2)

    def trace(rt: Runtime) -> list[tuple[str, str]]:
        return [(name, e.id) for name in ("a", "b", "c") for e in rt.deliveries(name)]

    first, second = run(chaos, seed), run(chaos, seed)
    assert trace(first) == trace(second) and first.now == second.now
    assert trace(run(chaos, seed + 10)) != trace(first)


def test_chaos_rejects_impossible_settings() -> None:
    with pytest.raises(ValueError, match="probability"):
        Chaos(duplicates=1.5)


def test_a_crash_after_side_effects_is_visible_to_the_handler_as_a_redelivery() -> None:
    counts: dict[str, int] = {}

    def handler(event: Any, context: Any) -> None:
        for e in records(event):
            counts[e.id] = counts.get(e.id, 0) + 1

    rt = build(TOPOLOGY, {"a": handler, "b": ok, "c": ok}, chaos=Chaos(crash_rate=0.5), seed=3)
    for n in range(20):
        rt.emit("app1", "Job", {"job_id": str(n), "key": "k", "n": n})
    rt.run_until_idle()
    assert max(counts.values()) > 1 and len(counts) == 20
