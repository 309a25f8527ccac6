"""External producers' events forwarded through a bus of ours keep their own shape: the
rules out of that bus match their bound `detail-type` and fields at `detail`, and deliver
the event whole, on AWS (the pulumi plan) as locally."""

from __future__ import annotations

import json
import sys
import types
from typing import Any

import pytest

from evtc.frontend import compile_text
from evtc.local import Runtime
from evtc.plan import plan_of

pytest.importorskip("pulumi")

from evtc.targets.pulumi_aws.planner import plan as pulumi_plan  # noqa: E402

TEXT = """topology t
event A { id: string amount: number }
event B { id: string }
source shop: external { source: "com.shop" emits: [A: "A Happened", B: "B Happened"] bus: hub }
bus hub {}
bus mid {}
queue q { max_receives: 3 dead_letter: dlq }
queue dlq { retention: 14d }
function f { handler: "native_bus_handler:f" }
route shop -> mid
route mid.A -> q when amount > 10
route q -> f
"""


def test_the_plan_filters_the_forwarded_event_in_its_own_shape() -> None:
    hop = next(p for p in plan_of(compile_text(TEXT, "t.evt")).routes.values() if p.route.target == "q")
    assert hop.dialect == "eventbridge_native"
    assert hop.filter == {
        "source": ["com.shop"],
        "detail": {"amount": [{"numeric": [">", 10]}]},
        "detail-type": ["A Happened"],
    }
    program = pulumi_plan(compile_text(TEXT, "t.evt"))
    (rule,) = [e for e in program.entries if getattr(e, "var", "") == "rule_mid_q"]
    assert rule.args["event_pattern"].value == hop.filter
    (target,) = [e for e in program.entries if getattr(e, "var", "") == "rule_mid_q_target"]
    assert "input_path" not in target.args  # the event goes on whole


def test_locally_the_queue_gets_the_producers_event_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    got: list[dict[str, Any]] = []
    module = types.ModuleType("native_bus_handler")
    module.f = lambda event, context: got.extend(json.loads(r["body"]) for r in event["Records"])  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "native_bus_handler", module)
    rt = Runtime(compile_text(TEXT, "t.evt"))
    for detail_type, detail in (("A Happened", {"id": "1", "amount": 20}), ("A Happened", {"id": "2", "amount": 5})):
        rt.inject("shop", {"source": "com.shop", "detail-type": detail_type, "detail": detail})
    rt.inject("shop", {"source": "com.shop", "detail-type": "B Happened", "detail": {"id": "3"}})
    rt.run_until_idle()
    assert [(e["source"], e["detail-type"], e["detail"]) for e in got] == [
        ("com.shop", "A Happened", {"id": "1", "amount": 20})
    ]
    assert rt.audit().ok


def test_a_route_from_a_producer_into_its_own_bus_is_lim010() -> None:
    from evtc.check.checker import check_compilation

    found = check_compilation(compile_text(TEXT + "route shop -> hub\n", "t.evt"))
    assert [d.message for d in found if d.code == "LIM010"] == [
        "'shop -> hub': the producer's events already arrive on 'hub', and a rule there cannot target its own bus"
    ]


MIXED = """topology t
event A { id: string amount: number }
source shop: external { source: "com.shop" emits: [A: "A Happened"] bus: hub }
source web: app { emits: [A] }
bus hub {}
bus mid {}
function f { handler: "native_bus_handler:f" }
queue q { max_receives: 3 dead_letter: dlq }
queue dlq { retention: 14d }
route shop -> mid
route web.A -> mid
route q -> f
"""


@pytest.mark.parametrize(
    ("route", "code"),
    [("route mid -> f when amount > 10", "LIM003"), ("route mid -> q", "LIM010"), ("route mid -> f", None)],
)
def test_a_bus_mixing_both_shapes_refuses_what_one_rule_cannot_hold(route: str, code: str | None) -> None:
    from evtc.check.checker import check_compilation

    found = {d.code for d in check_compilation(compile_text(MIXED + route + "\n", "t.evt"))}
    refusals = found & {"LIM003", "LIM010"}
    assert refusals == ({code} if code else set())
