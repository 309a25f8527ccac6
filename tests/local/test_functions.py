"""Functions: concurrency, timeouts, emitting, clearance, webhooks, handler loading."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import evtc
from evtc.local import EmitError, HandlerError, Runtime, records, sign

from .conftest import build, ok

CHAIN = """
topology c
event Job { job_id: string  secret: string @sensitive }
event Done { job_id: string }
source app1: app { emits: [Job] }
queue jobs { visibility_timeout: 1m }
queue done {}
function worker { handler: "x:y"  concurrency: 2  timeout: 10s  emits: [Done]  clearance: [sensitive] }
function watcher { handler: "x:y" }
route app1.Job -> jobs
route jobs -> worker { batch_size: 1 }
route worker.Done -> done
route done -> watcher
"""


def chain(worker: Any, **options: Any) -> Runtime:
    return build(CHAIN, {"worker": worker, "watcher": ok}, **options)


def test_reserved_concurrency_is_honoured() -> None:
    rt = chain(ok, durations={"worker": 4.0})
    for n in range(10):
        rt.emit("app1", "Job", {"job_id": str(n), "secret": "s"})
    rt.run_until_idle()
    assert rt.consumers["worker"].peak == 2 and rt.now == 20.0
    assert len(rt.deliveries("worker")) == 10


def test_an_invocation_longer_than_the_timeout_fails_and_is_retried() -> None:
    rt = chain(ok, durations={"worker": 30.0})
    rt.emit("app1", "Job", {"job_id": "1", "secret": "s"})
    rt.run_until_idle(max_seconds=3600)
    assert len(rt.deliveries("worker")) > 1 and rt.audit().counts == {"held": 1}


def test_handlers_emit_with_evtc_emit_and_only_what_they_own() -> None:
    def worker(event: Any, context: Any) -> None:
        for e in records(event):
            evtc.emit("Done", {"job_id": e.data["job_id"]})
            assert context.function_name == "worker" and context.get_remaining_time_in_millis() == 10_000

    rt = chain(worker)
    rt.emit("app1", "Job", {"job_id": "1", "secret": "s"})
    rt.run_until_idle()
    (done,) = rt.deliveries("watcher")
    assert done.type == "Done" and done.source == "evtc://c/worker" and done.data == {"job_id": "1"}

    rt = chain(lambda e, c: evtc.emit("Job", {"job_id": "x", "secret": "s"}))
    rt.emit("app1", "Job", {"job_id": "1", "secret": "s"})
    rt.run_until_idle(max_seconds=120)
    assert "does not emit Job" in rt.errors[0][2]


def test_emit_outside_an_invocation_needs_a_backend() -> None:
    with pytest.raises(evtc.emit.NoBackendError):
        evtc.emit("Done", {"job_id": "1"})


@pytest.mark.parametrize(
    ("source", "event", "data", "message"),
    [
        ("nope", "Job", {}, "not a source"),
        ("app1", "Done", {"job_id": "1"}, "does not emit Done"),
        ("app1", "Job", {"job_id": "1"}, "does not match its schema: 'secret' is a required property"),
        ("app1", "Job", {"job_id": 1, "secret": "s"}, "job_id: 1 is not of type 'string'"),
        ("app1", "Job", ["x"], "must be a JSON object"),
    ],
)
def test_bad_emits_raise_a_clear_error(source: str, event: str, data: Any, message: str) -> None:
    with pytest.raises(EmitError, match=message.replace("[", r"\[").replace("]", r"\]")):
        chain(ok).emit(source, event, data)


def test_sensitive_fields_never_reach_an_uncleared_consumer() -> None:
    text = CHAIN.replace("route done -> watcher", "route app1.Job -> watcher")
    rt = build(text, {"worker": ok, "watcher": ok})
    rt.emit("app1", "Job", {"job_id": "1", "secret": "hunter2"})
    rt.run_until_idle()
    assert rt.deliveries("watcher")[0].data == {"job_id": "1"}
    assert rt.deliveries("worker")[0].data == {"job_id": "1", "secret": "hunter2"}


WEBHOOK = """
topology w
event Paid { payment_id: string }
source stripe: webhook { verify: hmac_sha256  secret: "stripe-signing"  emits: [Paid] }
queue payments {}
route stripe.Paid -> payments
"""


def test_a_webhook_source_checks_signatures() -> None:
    rt = build(WEBHOOK, secrets={"stripe-signing": "k"})
    data = {"payment_id": "p1"}
    rt.emit("stripe", "Paid", data, signature=sign("k", data))
    with pytest.raises(EmitError, match="rejected"):
        rt.emit("stripe", "Paid", data, signature=sign("wrong", data))
    with pytest.raises(EmitError, match="rejected"):
        rt.emit("stripe", "Paid", data)
    with pytest.raises(EmitError, match="pass secrets"):
        build(WEBHOOK).emit("stripe", "Paid", data, signature="x")
    assert len(rt.dead_letters("payments")) == 1


def test_handlers_are_imported_relative_to_the_evt_file(tmp_path: Path) -> None:
    (tmp_path / "local_handlers_pkg").mkdir()
    (tmp_path / "local_handlers_pkg" / "__init__.py").write_text("")
    (tmp_path / "local_handlers_pkg" / "work.py").write_text(
        "SEEN = []\ndef run(event, context):\n    SEEN.append(event)\n"
    )
    (tmp_path / "t.evt").write_text(
        "topology t\nevent E { n: number }\nsource s: app { emits: [E] }\nqueue q {}\n"
        'function f { handler: "local_handlers_pkg.work:run" }\nroute s.E -> q\nroute q -> f\n'
    )
    rt = Runtime.from_file(tmp_path / "t.evt")
    rt.emit("s", "E", {"n": 1})
    rt.run_until_idle()
    assert len(rt.deliveries("f")) == 1


@pytest.mark.parametrize("handler", ["missing_module_xyz:run", "json:no_such_callable", "no-colon"])
def test_unloadable_handlers_are_a_clear_error(tmp_path: Path, handler: str) -> None:
    (tmp_path / "t.evt").write_text(f'topology t\nfunction f {{ handler: "{handler}" }}\n')
    with pytest.raises(HandlerError, match="function 'f'"):
        Runtime.from_file(tmp_path / "t.evt")


def test_handlers_for_unknown_functions_and_broken_files_are_errors(tmp_path: Path) -> None:
    from evtc.local import TopologyError

    with pytest.raises(HandlerError, match="unknown functions"):
        build(CHAIN, {"worker": ok, "watcher": ok, "wroker": ok})
    (tmp_path / "bad.evt").write_text("topology t\nqueue {")
    with pytest.raises(TopologyError, match="does not compile"):
        Runtime.from_file(tmp_path / "bad.evt")
