"""External components and external producers: parse → IR → plan → local behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest

from evtc.check.checker import check_compilation
from evtc.frontend import compile_text
from evtc.plan import plan_of
from evtc.targets.local.runtime import EmitError, Runtime

TEXT = (Path(__file__).resolve().parent / "fixtures" / "external.evt").read_text(encoding="utf-8")
EVENT = {
    "source": "aws.ec2",
    "detail-type": "EC2 Instance State-change Notification",
    "detail": {"instance_id": "i-1", "state": "stopped"},
}


def codes(text: str) -> list[str]:
    return sorted(d.code for d in check_compilation(compile_text(text, "t.evt")) if not d.suppressed)


def test_external_components_lower_to_references() -> None:
    t = compile_text(TEXT, "t.evt").topology
    partner, poller, default, ec2 = (t.component(n) for n in ("partner", "poller", "default", "ec2"))
    assert partner.external and partner.physical_name == "partner-jobs"
    assert poller.external and poller.physical_name == "team-b-poller" and poller.handler == ""
    assert default.external and default.physical_name == "default"
    assert ec2.kind == "external" and ec2.event_source == "aws.ec2"
    assert ec2.detail_types == (("InstanceStateChange", "EC2 Instance State-change Notification"),)


def test_an_external_store_is_not_reported_unconsumed_and_the_file_checks() -> None:
    assert [c for c in codes(TEXT) if c.startswith(("DLV007", "REF", "SYN", "SEC", "LIM"))] == []
    owned = TEXT.replace("queue partner: external {", "queue partner {").replace(
        'arn: "arn:aws:sqs:eu-west-1:111122223333:partner-jobs" ', ""
    )
    assert "DLV007" in codes(owned)


def test_external_properties_are_checked() -> None:
    assert "REF003" in codes(TEXT.replace('name: "team-b-poller"', 'nmae: "x"'))
    assert "REF007" in codes(
        TEXT.replace("endpoint", "endpoint").replace(
            "topology t", 'topology t\nendpoint e: external { url: "https://x" }'
        )
    )


def test_a_foreign_producer_without_bindings_is_a_security_error() -> None:
    unbound = TEXT.replace(': "EC2 Instance State-change Notification"', "")
    assert codes(unbound).count("SEC020") == 1
    assert "SEC020" in codes(TEXT.replace('source: "aws.ec2"', ""))


def test_the_plan_carries_a_foreign_route_with_a_rule_bound_to_source_and_detail_type() -> None:
    plan = plan_of(compile_text(TEXT, "t.evt"))
    hop = next(p for p in plan.routes.values() if p.route.target == "poller")
    assert (hop.ends, hop.carrier, hop.dialect) == (("foreign", "function"), "foreign-rule", "eventbridge_native")
    assert hop.filter == {
        "source": ["aws.ec2"],
        "detail-type": ["EC2 Instance State-change Notification"],
        "detail": {"state": ["stopped"]},
    }
    assert hop.handler is not None and hop.handler.by == "lambda"
    unfiltered = next(p for p in plan.routes.values() if p.route.target == "stopped")
    assert unfiltered.filter == {"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"]}


def test_injected_native_events_reach_consumers_in_their_own_shape() -> None:
    rt = Runtime(compile_text(TEXT, "t.evt"), handlers={"notify": lambda event, context: None})
    rt.inject("ec2", EVENT)
    rt.inject("ec2", {**EVENT, "detail": {"instance_id": "i-2", "state": "running"}})
    rt.run_until_idle()
    direct = [e.to_dict() for e in rt.deliveries("poller")]
    assert [e["detail"]["instance_id"] for e in direct] == ["i-1"]  # the rule's filter on `detail`
    assert direct[0]["source"] == "aws.ec2" and direct[0]["detail-type"] == EVENT["detail-type"]
    assert [e.to_dict()["source"] for e in rt.deliveries("notify")] == ["aws.ec2", "aws.ec2"]
    assert rt.audit().ok


def test_an_event_of_another_producer_is_refused() -> None:
    rt = Runtime(compile_text(TEXT, "t.evt"), handlers={"notify": lambda event, context: None})
    with pytest.raises(EmitError, match="not one of its"):
        rt.inject("ec2", {**EVENT, "source": "com.example.spoofer"})
    with pytest.raises(EmitError, match="not an external source"):
        rt.inject("s", EVENT)


def test_an_app_publishing_to_an_external_queue_is_held_there() -> None:
    rt = Runtime(compile_text(TEXT, "t.evt"), handlers={"notify": lambda event, context: None})
    rt.emit("s", "A", {"id": "1"})
    rt.run_until_idle()
    assert [e.data for e in rt.dead_letters("partner")] == [{"id": "1"}]


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ('source a: schedule { rate: 1m emits: [A: "x"] }', "REF004"),  # a binding where names are expected
        ("source a: app { source: 7 emits: [A] }", "REF004"),  # an EventBridge source is a string
        ('source x: external { emits: [A: 3] source: "s" }', "SYN002"),
        ("queue q: external { arn: 5 }", "REF004"),
        ('source d: dynamodb { emits: [A: "DELETE"] }', "REF004"),
        ("bus b: extrenal {}", "REF007"),
        ('endpoint e: external { url: "https://x" }', "REF007"),
    ],
)
def test_bad_interop_input_is_a_diagnostic(line: str, code: str) -> None:
    found = codes(f"topology t\nevent A {{ id: string }}\n{line}\n")
    assert code in found


def test_a_misspelt_external_is_suggested() -> None:
    (problem,) = [
        d for d in check_compilation(compile_text("topology t\nbus b: extrenal {}\n", "t.evt")) if d.code == "REF007"
    ]
    assert problem.hint == "did you mean 'external'?"
