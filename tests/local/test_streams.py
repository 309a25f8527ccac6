"""Kinesis semantics: shards by key, order per shard, positions, retention, replay, retries."""

from __future__ import annotations

from typing import Any

from evtc.local import records

from .conftest import build, ok

STREAM = """
topology s
event Tick { key: string  n: number }
source app1: app { emits: [Tick] }
stream ticks { shards: 4  partition_key: key  retention: 1d }
queue failures { retention: 14d }
function reader { handler: "x:y" }
function auditor { handler: "x:y" }
route app1.Tick -> ticks
route ticks -> reader { batch_size: 5  ROUTE }
route ticks -> auditor
"""


def stream(reader: Any, route: str = "", auditor: Any = ok) -> Any:
    return build(STREAM.replace("ROUTE", route), {"reader": reader, "auditor": auditor})


def test_order_per_key_and_batches_per_shard() -> None:
    batches: list[list[tuple[str, int]]] = []
    rt = stream(lambda e, c: batches.append([(r.data["key"], r.data["n"]) for r in records(e)]))
    for n in range(40):
        rt.emit("app1", "Tick", {"key": f"k{n % 7}", "n": n})
    rt.run_until_idle()
    flat = [item for batch in batches for item in batch]
    for key in {k for k, _ in flat}:
        ns = [n for k, n in flat if k == key]
        assert ns == sorted(ns)
    assert all(len(b) <= 5 for b in batches) and len(flat) == 40
    assert len(rt.deliveries("auditor")) == 40  # each consumer reads the whole stream


def test_a_failing_batch_blocks_its_shard_then_goes_to_the_dead_letter() -> None:
    seen: list[tuple[float, list[int]]] = []

    def reader(event: Any, context: Any) -> None:
        ns = [r.data["n"] for r in records(event)]
        seen.append((rt.now, ns))
        if 0 in ns:
            raise ValueError("poison")

    rt = stream(reader, "retries: 2  dead_letter: failures")
    rt.emit("app1", "Tick", {"key": "a", "n": 0})
    rt.emit("app1", "Tick", {"key": "a", "n": 1})
    rt.run_until_idle()
    assert [ns for _, ns in seen] == [[0, 1], [0, 1], [0, 1]]  # first try + 2 retries, shard blocked
    assert [e.data["n"] for e in rt.dead_letters("failures")] == [0, 1]
    assert rt.audit().counts == {"dead_lettered": 2}


def test_bisect_splits_the_failing_batch_down_to_the_poison_record() -> None:
    seen: list[list[int]] = []

    def reader(event: Any, context: Any) -> None:
        ns = [r.data["n"] for r in records(event)]
        seen.append(ns)
        if 2 in ns:
            raise ValueError("poison")

    rt = stream(reader, "retries: 1  bisect: true  dead_letter: failures")
    for n in range(4):
        rt.emit("app1", "Tick", {"key": "a", "n": n})
    rt.run_until_idle()
    assert seen[0] == [0, 1, 2, 3] and [0, 1] in seen
    assert [e.data["n"] for e in rt.dead_letters("failures")] == [2]
    delivered_ok = {n for ns in seen for n in ns if 2 not in ns}
    assert delivered_ok == {0, 1, 3}


def test_partial_failure_checkpoints_at_the_failed_record() -> None:
    seen: list[list[int]] = []

    def reader(event: Any, context: Any) -> dict[str, Any]:
        ns = [r.data["n"] for r in records(event)]
        seen.append(ns)
        if len(seen) == 1:
            return {"batchItemFailures": [{"itemIdentifier": event["Records"][2]["kinesis"]["sequenceNumber"]}]}
        return {"batchItemFailures": []}

    rt = stream(reader)
    for n in range(4):
        rt.emit("app1", "Tick", {"key": "a", "n": n})
    rt.run_until_idle()
    assert seen == [[0, 1, 2, 3], [2, 3]]


def test_max_age_ends_retries_even_when_retries_remain() -> None:
    rt = stream(lambda e, c: 1 / 0, "retries: 10000  max_age: 1m  dead_letter: failures")
    rt.emit("app1", "Tick", {"key": "a", "n": 0})
    rt.run_until_idle()
    assert rt.now < 200 and len(rt.dead_letters("failures")) == 1


def test_without_a_dead_letter_exhausted_records_are_lost_unless_dropped_by_policy() -> None:
    rt = stream(lambda e, c: 1 / 0, "retries: 1")
    rt.emit("app1", "Tick", {"key": "a", "n": 0})
    rt.run_until_idle()
    assert not rt.audit().ok
    rt = stream(lambda e, c: 1 / 0, "retries: 1  on_exhausted: drop")
    rt.emit("app1", "Tick", {"key": "a", "n": 0})
    rt.run_until_idle()
    assert rt.audit().ok and rt.audit().counts == {"dropped": 1}


def test_retention_trims_records_a_stuck_consumer_never_read() -> None:
    rt = stream(lambda e, c: 1 / 0)  # retries unbounded: AWS retries until the record expires
    rt.emit("app1", "Tick", {"key": "a", "n": 0})
    rt.run_until_idle(max_seconds=3600)
    assert rt.audit().counts == {"held": 1}
    rt.advance(86400)
    audit = rt.audit()
    assert (
        not audit.ok
        and "expired from stream 'ticks'" in audit.lost[0][2]
        and "'reader' kept failing" in audit.lost[0][2]
    )


def test_replay_from_the_start_a_time_or_the_latest() -> None:
    rt = stream(ok)
    rt.emit("app1", "Tick", {"key": "a", "n": 0})
    rt.advance(100)
    rt.emit("app1", "Tick", {"key": "a", "n": 1})
    rt.run_until_idle()
    assert len(rt.deliveries("reader")) == 2
    rt.replay("reader", "trim_horizon")
    rt.run_until_idle()
    assert [e.data["n"] for e in rt.deliveries("reader")] == [0, 1, 0, 1]
    rt.replay("reader", 50.0)
    rt.run_until_idle()
    assert [e.data["n"] for e in rt.deliveries("reader")][4:] == [1]
    rt.replay("reader", "latest")
    rt.run_until_idle()
    assert len(rt.deliveries("reader")) == 5 and rt.audit().ok


def test_one_batch_in_flight_per_shard() -> None:
    rt = build(STREAM.replace("ROUTE", ""), {"reader": ok, "auditor": ok}, durations={"reader": 2.0})
    for n in range(200):
        rt.emit("app1", "Tick", {"key": f"k{n}", "n": n})
    rt.run_until_idle()
    assert rt.consumers["reader"].peak == 4  # four shards, one batch each at a time
    assert len(rt.deliveries("reader")) == 200
