"""Issue 13, gap 1: evtc's own events under the EventBridge names the user chooses, and a
per-hop wire format. Each construct from the text to the IR, the plan, the pulumi resources
(patterns, grants, targets, the runtime's hop records), the Lambda runtime's puts and the
local runtime's deliveries; a property holds the deployed rules and the local filters to
the same decisions for random names, another the local bodies to the deployed targets."""

from __future__ import annotations

import json
import sys
import types
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evtc.check.checker import check_compilation
from evtc.envelope import EnvelopeError, records
from evtc.frontend import compile_text
from evtc.local import Runtime
from evtc.plan import plan_of
from evtc.plan.wire import WireName

pytest.importorskip("pulumi")

from evtc.targets.pulumi_aws.planner import plan as pulumi_plan  # noqa: E402
from evtc.targets.pulumi_aws.runtime.aws_runtime import LambdaBackend, decode_hops  # noqa: E402

SHOP = """topology shop
event OrderPlaced { id: string total: number }
event OrderPaid { id: string }
source checkout: app { source: "com.example.webstore" emits: [OrderPlaced: "Order Placed"] }
function pay { handler: "wire_handlers:pay" source: "com.example.payments" emits: [OrderPaid: "Order Paid"] }
function audit { handler: "wire_handlers:audit" }
function poller: external { name: "team-b-poller" }
bus shared {}
queue partner { max_receives: 3 dead_letter: dlq }
queue mine { max_receives: 3 dead_letter: dlq }
queue dlq { retention: 14d }
route checkout -> shared { wire: payload }
route pay -> shared
route shared.OrderPlaced -> pay when total > 0 { dead_letter: dlq }
route shared.OrderPaid -> partner { wire: payload }
route shared.OrderPaid -> mine
route partner -> poller
route mine -> audit
"""


def _plan(text: str = SHOP) -> Any:
    return plan_of(compile_text(text, "t.evt"))


def _hop(plan: Any, source: str, target: str) -> Any:
    return next(p for p in plan.routes.values() if (p.route.source, p.route.target) == (source, target))


def _resources(text: str = SHOP) -> dict[str, Any]:
    return {e.var: e for e in pulumi_plan(compile_text(text, "t.evt")).entries if hasattr(e, "var")}


# ---- text -> IR ------------------------------------------------------------------------------------
def test_emitters_take_a_source_and_detail_type_bindings_and_routes_a_wire() -> None:
    t = compile_text(SHOP, "t.evt").topology
    checkout, pay = t.component("checkout"), t.component("pay")
    assert (checkout.event_source, checkout.emits, checkout.detail_types) == (
        "com.example.webstore",
        ("OrderPlaced",),
        (("OrderPlaced", "Order Placed"),),
    )
    assert (pay.event_source, pay.detail_types) == ("com.example.payments", (("OrderPaid", "Order Paid"),))
    assert [r.wire for r in t.routes][:4] == ["payload", "envelope", "envelope", "payload"]
    assert not [d for d in check_compilation(compile_text(SHOP, "t.evt")) if d.severity.value == "error"]


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("route checkout -> shared { wire: bare }", "REF004"),
        ("route checkout -> shared { wire: 3 }", "REF004"),
        ('function f { handler: "h:f" emits: [OrderPaid: 7] }', "SYN002"),
        ('source s: schedule { rate: 1m source: "com.x" emits: [OrderPaid] }', "REF003"),
    ],
)
def test_bad_wire_input_is_a_diagnostic_with_a_position(line: str, code: str) -> None:
    found = check_compilation(compile_text(SHOP + line + "\n", "t.evt"))
    assert code in {d.code for d in found}
    assert all(d.span.line > 0 for d in found)


# ---- the plan ---------------------------------------------------------------------------------------
def test_the_plan_names_each_event_once_and_says_each_hops_wire() -> None:
    plan = _plan()
    assert plan.name_of("checkout", "OrderPlaced") == WireName("com.example.webstore", "Order Placed")
    assert plan.name_of("pay", "OrderPaid") == WireName("com.example.payments", "Order Paid")
    into = _hop(plan, "checkout", "shared")
    assert (into.wire, into.names) == ("payload", (WireName("com.example.webstore", "Order Placed"),))
    # put in its own shape, the order is filtered at `detail`, by both its names
    out = _hop(plan, "shared", "pay")
    assert out.dialect == "eventbridge_native"
    assert out.filter == {
        "source": ["com.example.webstore"],
        "detail-type": ["Order Placed"],
        "detail": {"total": [{"numeric": [">", 0]}]},
    }
    # evtc's envelope, selected by the detail-type its emitter bound
    assert _hop(plan, "shared", "mine").filter == {"detail-type": ["Order Paid"]}
    assert _hop(plan, "shared", "partner").wire == "payload"


def test_defaults_are_evtc_topology_and_the_type_name() -> None:
    text = SHOP.replace(' source: "com.example.payments" emits: [OrderPaid: "Order Paid"]', " emits: [OrderPaid]")
    assert _plan(text).name_of("pay", "OrderPaid") == WireName("evtc.shop", "OrderPaid")


# ---- the pulumi program ------------------------------------------------------------------------------
def test_rules_grants_and_the_runtime_hop_records_carry_the_plans_names() -> None:
    found = _resources()
    assert found["rule_shared_pay"].args["event_pattern"].value == _hop(_plan(), "shared", "pay").filter
    assert found["rule_shared_mine"].args["event_pattern"].value == {
        "source": ["com.example.payments"],
        "detail-type": ["Order Paid"],
    }
    policy = json.dumps(found["function_pay_role_policy"].args["policy"].value, default=str)
    assert '"events:detail-type": ["Order Paid"], "events:source": ["com.example.payments"]' in policy
    hops = decode_hops(found["function_pay"].args["environment"]["variables"]["EVTC_HOPS"].value)
    assert hops["OrderPaid"][0] | {"arn": None} == {
        "kind": "bus",
        "arn": None,
        "source": "com.example.payments",
        "detail_types": {"OrderPaid": "Order Paid"},
    }


def test_a_payload_hop_out_of_a_bus_is_the_rule_targets_input_path() -> None:
    found = _resources()
    assert found["rule_shared_partner_target"].args["input_path"] == "$.detail.data"
    assert found["rule_shared_mine_target"].args["input_path"] == "$.detail"
    text = SHOP.replace("route shared.OrderPaid -> partner { wire: payload }", "route shared.OrderPlaced -> partner")
    text = text.replace("route shared.OrderPlaced -> pay when", "route shared.OrderPlaced -> mine when")
    text += "route shared.OrderPlaced -> audit { wire: payload lossy: true }\n"
    again = _resources(text)
    assert "input_path" not in again["rule_shared_partner_target"].args  # its own shape, whole
    assert again["rule_shared_audit_target"].args["input_path"] == "$.detail"  # its payload


def test_the_lambda_runtime_puts_the_names_and_the_payload_the_record_says() -> None:
    calls: list[tuple[str, dict[str, Any]]] = []

    class Client:
        def __init__(self, service: str) -> None:
            self.service = service

        def __getattr__(self, operation: str) -> Any:
            return lambda **kwargs: calls.append((operation, kwargs)) or {}

    hops = {
        "OrderPlaced": [
            {"kind": "bus", "arn": "arn:b", "source": "com.example.webstore", "wire": "payload",
             "detail_types": {"OrderPlaced": "Order Placed"}},
            {"kind": "queue", "arn": "arn:q", "url": "https://q", "wire": "payload"},
            {"kind": "topic", "arn": "arn:t"},
        ]
    }  # fmt: skip
    LambdaBackend("shop", "checkout", hops, client=Client).emit("OrderPlaced", {"id": "o1", "total": 3})
    (entry,) = calls[0][1]["Entries"]
    assert (entry["Source"], entry["DetailType"], json.loads(entry["Detail"])) == (
        "com.example.webstore",
        "Order Placed",
        {"id": "o1", "total": 3},
    )
    assert json.loads(calls[1][1]["MessageBody"]) == {"id": "o1", "total": 3}
    assert json.loads(calls[2][1]["Message"])["data"] == {"id": "o1", "total": 3}  # the envelope, by default


# ---- what AWS cannot do ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ("bus other {}\nroute shared -> other { wire: payload }", "a bus takes EventBridge events"),
        ("topic t {}\nroute pay -> t\nroute t -> audit { wire: payload }", "SNS delivers raw messages"),
        ("topic t {}\nqueue q2 {}\nroute pay -> t\nroute t -> q2 { wire: payload }", "as it was published"),
        ("route mine -> poller { wire: payload }", "hands records over as they are stored"),
        ('route partner -> audit when id == "x"', "not in evtc's envelope"),
    ],
)
def test_a_wire_aws_cannot_deliver_is_lim010_at_the_wire(extra: str, says: str) -> None:
    found = [d for d in check_compilation(compile_text(SHOP + extra + "\n", "t.evt")) if d.code == "LIM010"]
    assert found and says in found[0].message and found[0].hint


def test_a_topic_of_payloads_delivers_them_raw_to_queues() -> None:
    text = SHOP + "topic t {}\nqueue q2 { max_receives: 3 dead_letter: dlq }\nroute pay -> t { wire: payload }\n"
    text += "route t -> q2 { wire: payload }\nroute q2 -> poller\n"
    assert not [d for d in check_compilation(compile_text(text, "t.evt")) if d.code == "LIM010"]
    assert _resources(text)["subscription_t_q2"].args["raw_message_delivery"] is True


def test_names_aws_reserves_or_that_clash_are_lim015() -> None:
    reserved = SHOP.replace('"com.example.webstore"', '"aws.webstore"')
    (found,) = [d for d in check_compilation(compile_text(reserved, "t.evt")) if d.code == "LIM015"]
    assert (found.span.line, found.span.column) == (4, 24) and "aws." in found.message
    clash = SHOP.replace(
        '"com.example.payments" emits: [OrderPaid: "Order Paid"]',
        '"com.example.webstore" emits: [OrderPaid: "Order Placed"]',
    )
    assert (
        "no rule can tell them apart"
        in {d.code: d.message for d in check_compilation(compile_text(clash, "t.evt"))}["LIM015"]
    )


def test_an_own_function_behind_a_stripped_hop_is_warned_dlv023() -> None:
    text = SHOP.replace("route partner -> poller", "route partner -> audit")
    found = [d for d in check_compilation(compile_text(text, "t.evt")) if d.code == "DLV023"]
    assert [d.span.line for d in found] == [17]
    assert not [d for d in check_compilation(compile_text(SHOP, "t.evt")) if d.code == "DLV023"]  # external: fine


# ---- the local runtime -----------------------------------------------------------------------------------
@pytest.fixture
def handlers(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    got: dict[str, list[Any]] = {"pay": [], "audit": [], "bodies": []}
    module = types.ModuleType("wire_handlers")

    def pay(event: Any, context: Any) -> None:
        import evtc

        got["pay"].append(dict(event))
        evtc.emit("OrderPaid", {"id": event["detail"]["id"]})

    def audit(event: Any, context: Any) -> None:
        got["audit"].extend(records(event))
        got["bodies"].extend(r["body"] for r in event["Records"])

    module.pay, module.audit = pay, audit  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "wire_handlers", module)
    return got


def test_locally_each_hop_delivers_exactly_the_wire_it_says(handlers: dict[str, list[Any]]) -> None:
    rt = Runtime(compile_text(SHOP, "t.evt"))
    rt.emit("checkout", "OrderPlaced", {"id": "o1", "total": 3})
    rt.emit("checkout", "OrderPlaced", {"id": "o2", "total": 0})  # filtered at `detail.total`
    rt.run_until_idle()
    (event,) = handlers["pay"]
    assert (event["source"], event["detail-type"], event["detail"]) == (
        "com.example.webstore",
        "Order Placed",
        {"id": "o1", "total": 3},
    )
    (paid,) = handlers["audit"]  # evtc's envelope, named as put: it keeps its provenance
    assert (paid.type, paid.source, paid.data) == ("OrderPaid", "evtc://shop/pay", {"id": "o1"})
    assert [json.loads(m.to_json()) for m in rt.deliveries("poller")] == [{"id": "o1"}]  # the payload alone
    assert rt.audit().ok


def test_locally_records_refuses_a_body_without_an_envelope_as_on_aws(handlers: dict[str, list[Any]]) -> None:
    rt = Runtime(compile_text(SHOP.replace("route partner -> poller", "route partner -> audit"), "t.evt"))
    rt.emit("checkout", "OrderPlaced", {"id": "o1", "total": 3})
    rt.run_until_idle()
    assert rt.errors and {(where, text.split(":")[0]) for _, where, text in rt.errors} == {("audit", "EnvelopeError")}
    assert [m.data for m in rt.dead_letters("dlq")] == [{"id": "o1"}]  # its retries ran out: dead-lettered


def test_a_consumer_topologys_external_producer_matches_what_the_producer_puts() -> None:
    """Cross-team: the web store's deployed put (examples/web_store.evt) is exactly what the
    invoice team's rule (examples/central_bus.evt, the same events as a foreign source) admits."""
    from pathlib import Path

    from evtc.frontend import compile_file
    from evtc.patterns.engine import matches

    examples = Path(__file__).resolve().parents[2] / "examples"
    producer = pulumi_plan(compile_file(examples / "web_store.evt"))
    (record,) = [
        r for r in decode_hops(producer.outputs["order_function"]["hops"].value)["NewOrderCreated"] if r.get("wire")
    ]
    order = {"orderNo": "1", "orderDate": "2020-09-09T22:01:02Z", "customerId": "7",
             "lineItems": {"productCode": "P", "quantityOrdered": 1, "unitPrice": 2.0, "currency": "USD"}}  # fmt: skip
    put = {"source": record["source"], "detail-type": record["detail_types"]["NewOrderCreated"], "detail": order}
    consumer = pulumi_plan(compile_file(examples / "central_bus.evt"))
    (rule,) = [e for e in consumer.entries if getattr(e, "var", "") == "rule_web_store_invoice_processing"]
    assert matches(rule.args["event_pattern"].value, put, dialect="eventbridge")
    assert not matches(rule.args["event_pattern"].value, {**put, "source": "evtc.web_store"}, dialect="eventbridge")


# ---- properties ----------------------------------------------------------------------------------------------
NAMES = st.sampled_from(["Order Placed", "order.placed", "OrderPlaced", "Placed v2", "x"])
SOURCES = st.sampled_from(["com.example.webstore", "shop", "evtc.other"])


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=SOURCES, placed=NAMES, paid=NAMES, payload=st.booleans(), total=st.sampled_from([0, 1, 5]))
def test_deployed_rule_patterns_and_local_filters_agree_on_chosen_names(
    source: str, placed: str, paid: str, payload: bool, total: int
) -> None:
    """Random names and wires: the deployed rule pattern, matched against what the emitter's
    hop record makes the runtime put, decides as the local runtime does."""
    from evtc.patterns.engine import matches

    text = f"""topology shop
event OrderPlaced {{ id: string total: number }}
event OrderPaid {{ id: string total: number }}
source checkout: app {{ source: "{source}" emits: [OrderPlaced: "{placed}", OrderPaid: "{paid}"] }}
bus shared {{}}
queue a {{ retention: 1d }}
queue b {{ retention: 1d }}
route checkout -> shared{" { wire: payload }" if payload else ""}
route shared.OrderPlaced -> a when total > 1
route shared.OrderPaid -> b
"""
    compilation = compile_text(text, "t.evt")
    if placed == paid:
        assert "LIM015" in {d.code for d in check_compilation(compilation)}
        return
    program = pulumi_plan(compilation)
    (record,) = decode_hops(program.outputs["checkout"]["hops"].value)["OrderPlaced"]
    rules = {e.var: e.args["event_pattern"].value for e in program.entries if getattr(e, "cls", "") == "EventRule"}
    rt = Runtime(compilation)
    for event in ("OrderPlaced", "OrderPaid"):
        data = {"id": "1", "total": total}
        rt.emit("checkout", event, data)
        body = data if record.get("wire") == "payload" else {"type": event, "data": data}
        put = {"source": record["source"], "detail-type": record["detail_types"][event], "detail": body}
        for var, queue in (("rule_shared_a", "a"), ("rule_shared_b", "b")):
            deployed = matches(rules[var], put, dialect="eventbridge")
            rt.run_until_idle()
            local = any(m.id for m in rt.dead_letters(queue) if m.type == event)
            assert deployed == local, (var, event, put, rules[var])


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    wire=st.sampled_from(["envelope", "payload"]),
    own_shape=st.booleans(),
    target=st.sampled_from(["queue", "function"]),
)
def test_local_bodies_are_what_the_deployed_target_hands_over(wire: str, own_shape: bool, target: str) -> None:
    """What a rule target hands over (its input path applied to the event on the bus, as
    deployed) is the body the local runtime delivers, for both wires and both shapes on the bus."""
    into = "{ wire: payload }" if own_shape else ""
    sink = "queue out { retention: 1d }" if target == "queue" else 'function out { handler: "wire_sink:f" }'
    text = f"""topology shop
event OrderPlaced {{ id: string total: number }}
source checkout: app {{ source: "com.example.webstore" emits: [OrderPlaced: "Order Placed"] }}
bus shared {{}}
{sink}
route checkout -> shared {into}
route shared -> out {{ wire: {wire} lossy: true }}
"""
    got: list[Any] = []
    module = types.ModuleType("wire_sink")
    module.f = lambda event, context: got.append(json.loads(json.dumps(event)))  # type: ignore[attr-defined]
    sys.modules["wire_sink"] = module
    compilation = compile_text(text, "t.evt")
    program = pulumi_plan(compilation)
    (target_args,) = [e.args for e in program.entries if getattr(e, "var", "") == "rule_shared_out_target"]
    rt = Runtime(compilation)
    rt.emit("checkout", "OrderPlaced", {"id": "o1", "total": 3})
    rt.run_until_idle()
    local = json.loads(rt.dead_letters("out")[0].to_json()) if target == "queue" else got[0]
    on_bus = _bus_event(local, own_shape)
    path = target_args.get("input_path")
    assert _input_path(on_bus, path) == _comparable(local), (path, local)


def _bus_event(local: Any, own_shape: bool) -> dict[str, Any]:
    """The event on the bus, rebuilt from what was delivered (only its shape matters here)."""
    data = {"id": "o1", "total": 3}
    detail = data if own_shape else {**_envelope_of(local), "data": data}
    return {"source": "com.example.webstore", "detail-type": "Order Placed", "detail": detail}


def _envelope_of(local: Any) -> dict[str, Any]:
    if isinstance(local, dict) and "specversion" in local:
        return local
    if isinstance(local, dict) and isinstance(local.get("detail"), dict) and "specversion" in local["detail"]:
        return local["detail"]
    return {}


def _input_path(event: dict[str, Any], path: str | None) -> Any:
    if path is None:
        return _comparable(event)
    found: Any = event
    for part in path.removeprefix("$.").split("."):
        found = found[part]
    return _comparable(found)


def _comparable(value: Any) -> Any:
    """The parts AWS and the local runtime both decide: the names and the body's shape."""
    if isinstance(value, dict) and "detail" in value:
        return {k: value[k] for k in ("source", "detail-type")} | {"detail": _comparable(value["detail"])}
    if isinstance(value, dict) and "specversion" in value:
        return {"envelope": value["data"]}
    return value


def test_envelope_error_is_what_records_raises_on_a_payload() -> None:
    with pytest.raises(EnvelopeError):
        records({"Records": [{"eventSource": "aws:sqs", "body": json.dumps({"id": "o1"})}]})


# ---- a detail-type taken from the payload ---------------------------------------------------------------------
TYPED = """topology shop
event OrderPlaced { id: string kind: string }
event OrderPaid { id: string kind: string }
source checkout: app { source: "com.example.webstore" type_field: "kind" emits: [OrderPlaced, OrderPaid] }
bus shared {}
function f { handler: "wire_typed:f" }
route checkout -> shared
route shared.OrderPlaced -> f { lossy: true }
"""


def test_a_detail_type_from_a_payload_field_is_put_and_selected_by_the_envelopes_type(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compilation = compile_text(TYPED, "t.evt")
    assert not [d for d in check_compilation(compilation) if d.severity.value == "error"]
    plan = plan_of(compilation)
    assert plan.name_of("checkout", "OrderPlaced") == WireName("com.example.webstore", "", "kind")
    assert _hop(plan, "shared", "f").filter == {"detail": {"type": ["OrderPlaced"]}}
    program = {e.var: e for e in pulumi_plan(compilation).entries if hasattr(e, "var")}
    assert program["rule_shared_f"].args["event_pattern"].value == {
        "source": ["com.example.webstore"],
        "detail": {"type": ["OrderPlaced"]},
    }
    calls: list[dict[str, Any]] = []

    class Client:
        def __getattr__(self, operation: str) -> Any:
            return lambda **kwargs: calls.append(kwargs) or {}

    hops = decode_hops(pulumi_plan(compilation).outputs["checkout"]["hops"].value)
    LambdaBackend("shop", "checkout", hops, client=lambda s: Client()).emit(
        "OrderPlaced", {"id": "1", "kind": "Placed"}
    )
    assert calls[0]["Entries"][0]["DetailType"] == "Placed"
    got: list[Any] = []
    module = types.ModuleType("wire_typed")
    module.f = lambda event, context: got.append(dict(event))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "wire_typed", module)
    rt = Runtime(compilation)
    rt.emit("checkout", "OrderPlaced", {"id": "1", "kind": "Placed"})
    rt.emit("checkout", "OrderPaid", {"id": "2", "kind": "Paid"})
    rt.run_until_idle()
    assert [(e["source"], e["detail-type"], e["detail"]["data"]["id"]) for e in got] == [
        ("com.example.webstore", "Placed", "1")
    ]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ("emits: [OrderPlaced, OrderPaid] }", "has no such field"),
        ('emits: [OrderPlaced: "P", OrderPaid] }', "binds OrderPlaced too"),
    ],
)
def test_a_type_field_every_event_cannot_fill_is_lim015(change: str, says: str) -> None:
    text = TYPED.replace('type_field: "kind"', 'type_field: "meta.kind"' if "no such" in says else 'type_field: "kind"')
    text = text.replace("emits: [OrderPlaced, OrderPaid] }", change)
    found = [d for d in check_compilation(compile_text(text, "t.evt")) if d.code == "LIM015"]
    assert found and says in " ".join(d.message for d in found)
    assert found[0].span.line == 4 and found[0].hint
