"""SNS message attributes (issue 13, gap 8): `@attribute` fields → plan scope → pulumi
subscription and the Lambda runtime's Publish → the local runtime's decisions."""

from __future__ import annotations

from typing import Any

import pytest

from evtc.check.checker import check_compilation
from evtc.emit import EmitError
from evtc.frontend import compile_text
from evtc.local import Runtime
from evtc.plan import plan_of
from evtc.targets.pulumi_aws.plan import Json, Resource, ordered
from evtc.targets.pulumi_aws.planner import plan
from evtc.targets.pulumi_aws.runtime.aws_runtime import LambdaBackend, decode_hops

HEAD = """topology fan
event Metric { sensor: string  kind: string @attribute  value: number @attribute  tags: [string] @attribute  unit: string }
event Offline { sensor: string  reason: string }
source sensors: app { emits: [Metric, Offline] }
topic metrics {}
queue hot { max_receives: 5  dead_letter: dlq }
queue dlq { retention: 14d }
function alarm { handler: "h:ok" }
route sensors -> metrics
route hot -> alarm
"""
HOT = HEAD + 'route metrics -> hot when kind == "temperature" and value >= 40\n'
METRIC = {"sensor": "s1", "kind": "temperature", "value": 41, "tags": ["roof"], "unit": "C"}


def routes(text: str) -> dict[str, Any]:
    return {f"{p.route.source}->{p.route.target}": p for p in plan_of(compile_text(text, "t.evt")).routes.values()}


def codes(text: str) -> list[str]:
    return sorted(d.code for d in check_compilation(compile_text(text, "t.evt")) if not d.suppressed)


def resources(text: str) -> dict[str, Resource]:
    return {r.var: r for r in ordered(plan(compile_text(text, "t.evt")).entries) if isinstance(r, Resource)}


def test_a_filter_on_attributes_only_is_planned_in_attribute_scope() -> None:
    hop = routes(HOT)["metrics->hot"]
    assert (hop.dialect, hop.scope) == ("sns_attributes", "MessageAttributes")
    assert hop.filter == {"kind": ["temperature"], "value": [{"numeric": [">=", 40]}]}
    assert codes(HOT) == []


def test_a_qualified_route_selects_by_the_evtc_type_attribute() -> None:
    hop = routes(HEAD + 'route metrics.Metric -> hot when tags in ["roof"]\n')["metrics->hot"]
    assert hop.filter == {"evtc.type": ["Metric"], "tags": ["roof"]}


def test_the_body_is_filtered_when_attributes_cannot_say_it() -> None:
    on_body_field = HEAD + 'route metrics -> hot when unit == "C"\n'
    assert routes(on_body_field)["metrics->hot"].dialect == "sns"
    via_bus = HOT.replace("route sensors -> metrics", "bus b {}\nroute sensors -> b\nroute b -> metrics")
    assert routes(via_bus)["metrics->hot"].dialect == "sns"  # EventBridge sets no message attributes
    shared = HOT + "route metrics.Offline -> hot\n"  # one subscription; Offline has no attributes
    dialects = {p.dialect for p in plan_of(compile_text(shared, "t.evt")).routes.values() if p.route.target == "hot"}
    assert dialects == {"sns"}


def test_attributes_sns_cannot_carry_are_reported() -> None:
    nested = HEAD.replace("unit: string }", "unit: string  where: { site: string @attribute } }")
    assert "REF021" in codes(nested)
    boolean = HEAD.replace("unit: string }", "unit: string  ok: boolean @attribute }")
    assert "REF021" in codes(boolean)
    sensitive = HEAD.replace("sensor: string  kind", "sensor: string @sensitive @attribute  kind")
    assert "REF021" in codes(sensitive)  # SNS does not encrypt attributes
    many = " ".join(f"a{i}: string @attribute" for i in range(7))
    assert "REF021" in codes(HEAD.replace("unit: string }", f"unit: string {many} }}"))
    assert "REF021" not in codes(HEAD.replace("unit: string }", f"unit: string {' '.join(many.split(' ')[:12])} }}"))


def test_pulumi_deploys_the_scope_and_the_runtime_publishes_the_attributes() -> None:
    subscription = resources(HOT)["subscription_metrics_hot"].args
    assert subscription["filter_policy_scope"] == "MessageAttributes"
    assert isinstance(subscription["filter_policy"], Json) and subscription["filter_policy"].value["kind"] == [
        "temperature"
    ]
    records = decode_hops(plan(compile_text(HOT, "t.evt")).outputs["sensors"]["hops"].value)
    (topic,) = records["Metric"]
    assert topic["attributes"] == {"Metric": {"kind": "String", "value": "Number", "tags": "String.Array"}}
    sent: list[dict[str, Any]] = []
    client = type("C", (), {"publish": lambda self, **kw: sent.append(kw)})
    LambdaBackend("fan", "sensors", records, client=lambda _: client()).emit("Metric", METRIC)
    LambdaBackend("fan", "sensors", records, client=lambda _: client()).emit("Offline", {"sensor": "s1", "reason": "x"})
    assert sent[0]["MessageAttributes"] == {
        "evtc.type": {"DataType": "String", "StringValue": "Metric"},
        "kind": {"DataType": "String", "StringValue": "temperature"},
        "value": {"DataType": "Number", "StringValue": "41"},
        "tags": {"DataType": "String.Array", "StringValue": '["roof"]'},
    }
    assert "MessageAttributes" not in sent[1]


def test_locally_attribute_filters_decide_and_subscribers_see_the_attributes() -> None:
    text = HOT + 'function raw { handler: "h:ok" }\nroute metrics -> raw when value < 0 or exists kind\n'
    seen: list[Any] = []
    rt = Runtime(compile_text(text, "t.evt"), {"alarm": lambda e, c: None, "raw": lambda e, c: seen.append(e)})
    rt.emit("sensors", "Metric", METRIC)
    rt.emit("sensors", "Metric", {**METRIC, "value": 12})
    with pytest.raises(EmitError, match="kind"):  # SNS refuses an empty attribute value
        rt.emit("sensors", "Metric", {**METRIC, "kind": ""})
    rt.emit("sensors", "Offline", {"sensor": "s1", "reason": "battery"})
    rt.run_until_idle()
    assert [e.data["value"] for e in rt.deliveries("alarm")] == [41]
    assert len(rt.deliveries("raw")) == 2  # the Offline event has no `kind` attribute
    attributes = seen[0]["Records"][0]["Sns"]["MessageAttributes"]
    assert attributes["value"] == {"Type": "Number", "Value": "41"} and attributes["evtc.type"]["Value"] == "Metric"


def test_diff_reports_a_string_becoming_an_attribute_as_narrowing() -> None:
    from evtc.diff.engine import diff
    from evtc.diff.sides import from_files

    def side(name: str, text: str) -> object:
        return from_files(name, [(f"{name}.evt", text.encode())])

    before = HEAD.replace("kind: string @attribute", "kind: string")
    found = {d.code for d in diff(side("old", before), side("new", HEAD), "backward").diagnostics}
    assert found - {"CMP010"}, "adding @attribute makes an empty `kind` invalid: readers must be told"
    assert not {d.code for d in diff(side("old", HEAD), side("new", before), "backward").diagnostics} - {"CMP010"}


def test_subscriptions_of_one_topic_filter_in_their_own_scope_locally() -> None:
    """One subscription filtering message attributes beside one taking the body: each
    decides on what its own hop sees (the local fan-out once judged both on the last
    subscription's view, and filtered out what the attribute filter accepts)."""
    text = (
        "topology t\n"
        "event A { key: string  tag: string @attribute }\n"
        "source app: app { emits: [A] }\n"
        "topic t0 {}\n"
        "queue q1 { retention: 1d }\n"
        "queue q2 { retention: 1d }\n"
        "route app.A -> t0\n"
        'route t0 -> q1 when tag in ["a", "b"]\n'
        "route t0 -> q2\n"
    )
    compilation = compile_text(text, "t.evt")
    scopes = {r.target: plan_of(compilation).routes[r.id].dialect for r in compilation.topology.routes}
    assert scopes["q1"] == "sns_attributes" and scopes["q2"] == "sns"
    rt = Runtime(compilation)
    rt.emit("app", "A", {"key": "k", "tag": "a"})
    rt.emit("app", "A", {"key": "k", "tag": "c"})
    rt.run_until_idle()
    assert [len(rt.dead_letters("q1")), len(rt.dead_letters("q2"))] == [1, 2]  # NOTE: what each queue holds
