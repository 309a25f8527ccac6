"""SQS semantics: visibility timeout, receive counts, redrive, retention, delay, FIFO."""

from __future__ import annotations

from typing import Any

from evtc.local import records

from .conftest import build, failing

QUEUE = """
topology q
event Job { job_id: string  group: string  n: number }
source app1: app { emits: [Job] }
queue jobs { visibility_timeout: 30s  max_receives: 3  dead_letter: jobs_dlq  retention: 1h  delay: DELAY }
queue jobs_dlq { retention: 14d }
function worker { handler: "x:y" }
route app1.Job -> jobs
route jobs -> worker { batch_size: 10 }
"""


def queue(handler: Any, delay: str = "0s", **options: Any) -> Any:
    return build(QUEUE.replace("DELAY", delay), {"worker": handler}, **options)


def job(n: int, group: str = "g") -> dict[str, Any]:
    return {"job_id": f"j{n}", "group": group, "n": n}


def test_failed_message_reappears_after_the_visibility_timeout_then_redrives() -> None:
    seen: list[tuple[float, int]] = []

    def handler(event: Any, context: Any) -> None:
        seen.extend((rt.now, int(r["attributes"]["ApproximateReceiveCount"])) for r in event["Records"])
        raise RuntimeError("down")

    rt = queue(handler)
    rt.emit("app1", "Job", job(1))
    rt.run_until_idle()
    assert seen == [(0.0, 1), (30.0, 2), (60.0, 3)]  # max_receives: 3, then the dead-letter queue
    assert [e.data["job_id"] for e in rt.dead_letters("jobs_dlq")] == ["j1"]
    assert rt.audit().counts == {"dead_lettered": 1} and rt.audit().ok
    assert rt.errors and "RuntimeError: down" in rt.errors[0][2]


def test_partial_batch_failure_retries_only_the_failed_messages() -> None:
    calls: list[list[int]] = []

    def handler(event: Any, context: Any) -> dict[str, Any]:
        calls.append([e.data["n"] for e in records(event)])
        bad = [r["messageId"] for r, e in zip(event["Records"], records(event)) if e.data["n"] == 2 and len(calls) == 1]
        return {"batchItemFailures": [{"itemIdentifier": m} for m in bad]}

    rt = queue(handler)
    for n in range(1, 4):
        rt.emit("app1", "Job", job(n))
    rt.run_until_idle()
    assert calls == [[1, 2, 3], [2]]
    assert rt.audit().counts == {"delivered": 3}


def test_an_unknown_item_identifier_fails_the_whole_batch() -> None:
    calls: list[int] = []

    def handler(event: Any, context: Any) -> dict[str, Any]:
        calls.append(len(event["Records"]))
        return {"batchItemFailures": [{"itemIdentifier": ""}]} if len(calls) == 1 else {}

    rt = queue(handler)
    rt.emit("app1", "Job", job(1))
    rt.emit("app1", "Job", job(2))
    rt.run_until_idle()
    assert calls == [2, 2]


def test_retention_expires_unconsumed_messages_and_the_audit_reports_them_lost() -> None:
    text = QUEUE.replace("DELAY", "0s").replace("route jobs -> worker { batch_size: 10 }", "")
    rt = build(text.replace('function worker { handler: "x:y" }', ""))
    rt.emit("app1", "Job", job(1))
    rt.run_until_idle()
    assert rt.audit().counts == {"held": 1}
    rt.advance(3601)
    audit = rt.audit()
    assert not audit.ok and "expired in queue 'jobs'" in audit.lost[0][2]


def test_delay_holds_a_message_back() -> None:
    seen: list[float] = []
    rt = queue(lambda e, c: seen.append(rt.now), delay="45s")
    rt.emit("app1", "Job", job(1))
    rt.run_until_idle()
    assert seen == [45.0]


def test_batches_hold_at_most_batch_size() -> None:
    sizes: list[int] = []
    rt = queue(lambda e, c: sizes.append(len(e["Records"])))
    for n in range(25):
        rt.emit("app1", "Job", job(n))
    rt.run_until_idle()
    assert sizes == [10, 10, 5]


FIFO = """
topology f
event Job { job_id: string  group: string  n: number }
source app1: app { emits: [Job] }
queue jobs { fifo: true  group_by: group  visibility_timeout: 30s }
function worker { handler: "x:y" }
route app1.Job -> jobs
route jobs -> worker { batch_size: 2 }
"""


def test_fifo_keeps_order_per_group_and_a_failure_blocks_only_its_group() -> None:
    seen: list[tuple[float, str, int]] = []

    def handler(event: Any, context: Any) -> dict[str, Any]:
        failed = []
        for record, e in zip(event["Records"], records(event)):
            seen.append((rt.now, e.data["group"], e.data["n"]))
            if e.data["n"] == 1 and sum(1 for s in seen if s[2] == 1) == 1:
                failed.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failed}

    rt = build(FIFO, {"worker": handler})
    for n, group in [(1, "a"), (2, "a"), (3, "b"), (4, "a"), (5, "b")]:
        rt.emit("app1", "Job", job(n, group))
    rt.run_until_idle()
    a = [n for _, g, n in seen if g == "a"]
    assert a == [1, 2, 1, 2, 4]  # 1 failed: it and 2 (after it) came back together, in order
    assert [n for _, g, n in seen if g == "b"] == [3, 5]
    assert max(t for t, g, _ in seen if g == "b") == 0.0  # group b was never blocked
    assert min(t for t, g, n in seen if g == "a" and n == 4) == 30.0
    assert rt.audit().counts == {"delivered": 5}


def test_fifo_drops_a_duplicate_send_within_five_minutes() -> None:
    text = FIFO.replace("queue jobs { fifo: true", "queue jobs { content_dedup: true  fifo: true")
    rt = build(text, {"worker": lambda e, c: None})
    rt.emit("app1", "Job", job(1))
    rt.emit("app1", "Job", job(1))
    rt.advance(301)
    rt.emit("app1", "Job", job(1))
    rt.run_until_idle()
    assert len(rt.deliveries("worker")) == 2


def test_filtered_messages_are_deleted_without_reaching_the_function() -> None:
    text = QUEUE.replace("DELAY", "0s").replace("route jobs -> worker {", "route jobs -> worker when n > 1 {")
    rt = build(text, {"worker": lambda e, c: None})
    rt.emit("app1", "Job", job(1))
    rt.emit("app1", "Job", job(2))
    rt.run_until_idle()
    assert [e.data["n"] for e in rt.deliveries("worker")] == [2]
    assert rt.audit().counts == {"filtered": 1, "delivered": 1}


def test_a_queue_without_dead_letter_retries_until_retention(make: Any) -> None:
    text = QUEUE.replace("DELAY", "0s").replace(
        "visibility_timeout: 30s  max_receives: 3  dead_letter: jobs_dlq", "visibility_timeout: 10m"
    )
    text = text.replace("queue jobs_dlq { retention: 14d }", "")
    rt = make(text, {"worker": failing})
    rt.emit("app1", "Job", job(1))
    rt.run_until_idle()
    assert len(rt.deliveries("worker")) == 6  # 0, 10, 20, 30, 40, 50 minutes, then expired at 1h
    assert not rt.audit().ok
