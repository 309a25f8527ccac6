"""Issue 10, "the local runtime behaves differently from the deployment": one named
regression test per defect, each asserting what AWS does."""

from __future__ import annotations

from typing import Any

import pytest

from evtc import analysis, aws
from evtc.check.checker import check_compilation
from evtc.frontend import compile_text
from evtc.local import Chaos, records

from .conftest import build, failing, ok

QUALIFIED = """
topology t
event A {{ id: string }}
event B {{ id: string }}
source s: app {{ emits: [A, B] }}
{kind} b {{}}
function fa {{ handler: "h:ok" }}
route s -> b
route b.A -> fa
"""


@pytest.mark.parametrize("kind", ["bus", "topic", "queue", "stream"])
def test_an_event_type_qualifier_without_when_selects_that_type(kind: str) -> None:
    rt = build(QUALIFIED.format(kind=kind), {"fa": ok})
    rt.emit("s", "A", {"id": "1"})
    rt.emit("s", "B", {"id": "2"})
    rt.run_until_idle()
    assert [e.type for e in rt.deliveries("fa")] == ["A"]
    assert rt.audit().counts == {"delivered": 1, "filtered": 1}


def test_a_topic_as_a_route_dead_letter_receives_the_failures() -> None:
    rt = build(
        """
        topology t
        event A { id: string }
        source s: app { emits: [A] }
        topic failures {}
        queue failed_work { retention: 14d }
        function f { handler: "h:ok" }
        route s -> f { dead_letter: failures }
        route failures -> failed_work
        """,
        {"f": failing},
    )
    rt.emit("s", "A", {"id": "1"})
    rt.run_until_idle()
    assert [e.data for e in rt.dead_letters("failed_work")] == [{"id": "1"}]
    assert rt.audit().ok and rt.audit().counts == {"dead_lettered": 1}


RETAINED = """
topology t
event A { id: string }
source s: app { emits: [A] }
queue q { retention: 10m }
function f { handler: "h:ok" }
route s -> q
route q -> f
"""


def test_retention_expires_when_the_clock_passes_it_inside_run_until_idle() -> None:
    # AWS's clock does not stop while a consumer is down: a message that waits out a
    # 1-hour outage in a queue with 10 minutes' retention expires on the way.
    rt = build(RETAINED, {"f": ok}, chaos=Chaos(outages=[("f", 0, 3600)]))
    rt.emit("s", "A", {"id": "1"})
    rt.run_until_idle()
    assert rt.deliveries("f") == [] and rt.now == 3600.0
    assert "expired in queue 'q'" in rt.audit().lost[0][2]


def test_run_until_idle_never_moves_the_clock_only_to_expire() -> None:
    rt = build(RETAINED.replace("route q -> f\n", ""), {"f": ok})
    rt.emit("s", "A", {"id": "1"})
    rt.run_until_idle()
    assert rt.now == 0.0 and rt.audit().counts == {"held": 1}
    rt.advance(601)
    assert rt.audit().counts == {"lost": 1}


def test_on_exhausted_drop_on_a_queue_is_a_declared_drop() -> None:
    rt = build(RETAINED.replace("retention: 10m", "retention: 10m  on_exhausted: drop"), {"f": failing})
    rt.emit("s", "A", {"id": "1"})
    rt.run_until_idle()
    assert len(rt.deliveries("f")) == 20  # every 30 s visibility timeout for 10 minutes
    audit = rt.audit()
    assert audit.ok and audit.counts == {"dropped": 1}


def test_an_unread_message_still_expires_as_lost_under_on_exhausted_drop() -> None:
    text = RETAINED.replace("retention: 10m", "retention: 10m  on_exhausted: drop").replace("route q -> f\n", "")
    rt = build(text, {"f": ok})
    rt.emit("s", "A", {"id": "1"})
    rt.advance(601)
    assert rt.audit().counts == {"lost": 1}  # nothing failed on it: the drop policy is not about it


PIPED = """
topology t
event A { id: string  k: string }
source s: app { emits: [A] }
queue q {}
topic tp {}
function f { handler: "h:ok" }
route s -> q
route q -> tp
route tp -> f when k == "x"
"""


def test_an_event_through_a_queue_to_topic_pipe_that_reaches_no_consumer_is_not_delivered() -> None:
    rt = build(PIPED, {"f": ok})
    rt.emit("s", "A", {"id": "1", "k": "y"})
    rt.emit("s", "A", {"id": "2", "k": "x"})
    rt.run_until_idle()
    audit = rt.audit()
    assert [e.data["id"] for e in rt.deliveries("f")] == ["2"]
    assert sorted(audit.outcomes.values()) == ["delivered", "filtered"]


def test_a_loss_after_failed_reads_names_the_failures_not_a_trim() -> None:
    rt = build(
        """
        topology t
        event A { id: string }
        source s: app { emits: [A] }
        stream st { partition_key: id }
        function f { handler: "h:ok" }
        route s -> st
        route st -> f
        """,
        {"f": failing},
    )
    rt.emit("s", "A", {"id": "1"})
    rt.run_until_idle()
    rt.advance(2 * 86400)
    failures = len(rt.deliveries("f"))
    ((_, _, reason),) = rt.audit().lost
    assert failures > 1000
    assert f"'f' kept failing on its batch: {failures} failed attempts" in reason
    assert "retries until records expire" in reason and "before 'f' read it" not in reason


def test_a_table_stream_that_also_takes_app_records_is_a_check_error_with_a_position() -> None:
    compilation = compile_text(
        """topology t
event OrderChanged { order_id: string }
source orders_table: dynamodb { table: "orders" emits: [OrderChanged] }
source admin: app { emits: [OrderChanged] }
stream changes { shards: 1 }
function f { handler: "h:ok" }
route orders_table -> changes
route admin -> changes
route changes -> f
""",
        "mixed.evt",
    )
    (found,) = [d for d in check_compilation(compilation) if d.code == "LIM010"]  # route-not-deployable
    assert (found.span.line, found.span.column) == (8, 1)
    assert "'admin -> changes'" in found.message and "table's change stream" in found.message


EMAIL = """
topology t
event A { id: string }
source s: app { emits: [A] }
topic tp {}
endpoint m: email { address: "ops@example.com" }
route s -> tp
route tp -> m
"""


def _explained_attempts(text: str, consumer: str) -> float:
    result = analysis.analyze(compile_text(text, "email.evt"))
    (path,) = [p for p in result.consumers() if p.node == f"endpoint:{consumer}"]
    return path.attempts


@pytest.mark.parametrize(("outage", "delivered"), [(30.0, True), (7 * 3600.0, False)])
def test_email_delivery_retries_as_sns_does_and_as_explain_says(outage: float, delivered: bool) -> None:
    rt = build(EMAIL, chaos=Chaos(outages=[("m", 0, outage)]))
    rt.emit("s", "A", {"id": "1"})
    rt.run_until_idle()
    attempts = _explained_attempts(EMAIL, "m")
    assert attempts == 1 + aws.default("sns.email_retries") == 50
    assert (len(rt.deliveries("m")) == 1) is delivered
    if not delivered:  # every attempt explain counts was made, over SNS's e-mail policy
        assert f"unreachable after {attempts:g} attempts" in rt.audit().lost[0][2]
        assert rt.now == pytest.approx(aws.default("sns.email_max_age"))


def test_envelopes_are_read_only_mappings() -> None:
    from collections.abc import Mapping

    seen: list[Any] = []
    rt = build(QUALIFIED.format(kind="topic"), {"fa": lambda event, context: seen.extend(records(event))})
    rt.emit("s", "A", {"id": "1"})
    rt.run_until_idle()
    (e,) = seen
    assert isinstance(e, Mapping)
    assert e.get("time") == "2026-01-01T00:00:00.000Z" and e.get("nothing") is None
    assert "id" in e and "partitionkey" not in e
    assert list(e.keys()) == list(e.to_dict()) and dict(e) == e.to_dict() and len(e) == len(e.to_dict())
    with pytest.raises(TypeError):
        e["id"] = "x"  # type: ignore[index]


@pytest.mark.parametrize("kind", ["queue", "topic"])
def test_two_filtered_routes_from_one_queue_or_topic_to_one_function_are_one_consumer(kind: str) -> None:
    # Lambda keeps one event source mapping per queue and function, SNS one subscription per
    # topic and endpoint: either route's filter lets an event through, and it arrives once.
    rt = build(
        f"""
        topology t
        event A {{ id: string  key: string }}
        source s: app {{ emits: [A] }}
        {kind} src {{}}
        function f {{ handler: "h:ok" }}
        route s -> src
        route src -> f when key == "a"
        route src -> f when key in ["a", "b"]
        """,
        {"f": ok},
    )
    for n, key in enumerate(["a", "b", "c"]):
        rt.emit("s", "A", {"id": str(n), "key": key})
    rt.run_until_idle()
    assert [e.data["key"] for e in rt.deliveries("f")] == ["a", "b"]
    assert rt.audit().counts == {"delivered": 2, "filtered": 1}


def test_a_router_routed_into_itself_is_refused_not_a_recursion(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from evtc.frontend import compile_text
    from evtc.local import Runtime, TopologyError

    text = "topology t\nevent A { id: string }\nsource s: app { emits: [A] }\nbus b {}\nroute s.A -> b\nroute b -> b\n"
    with pytest.raises(TopologyError, match="its own source"):
        Runtime(compile_text(text, str(tmp_path / "t.evt")))
