"""Accounts and regions: parse → IR → plan → the policies the pulumi-aws plan yields →
the local runtime's refusal of a producer no policy admits."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from evtc.frontend import compile_file, compile_text
from evtc.local import EmitError, Runtime
from evtc.plan import plan_of
from evtc.targets.pulumi_aws.planner import plan as pulumi_plan

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "central_bus.evt"
HEAD = "topology t\nevent A { id: string }\n"


def test_an_arn_places_an_external_component_and_a_contradiction_is_ref019() -> None:
    text = HEAD + 'queue q: external { arn: "arn:aws:sqs:us-east-1:222222222222:q" account: "444444444444" }\n'
    compilation = compile_text(text, "t.evt")
    assert [d.code for d in compilation.diagnostics] == ["REF019"]
    placed = compile_text(HEAD + 'queue q: external { arn: "arn:aws:sqs:us-east-1:222222222222:q" }\n', "t.evt")
    queue = placed.topology.component("q")
    assert (queue.account, queue.region) == ("222222222222", "us-east-1")


@pytest.mark.parametrize("value", ['"12"', "12", '"abcdefghijkl"'])
def test_an_account_is_twelve_quoted_digits(value: str) -> None:
    compilation = compile_text(HEAD + f"queue q {{ account: {value} }}\n", "t.evt")
    assert [d.code for d in compilation.diagnostics] == ["REF004"]


def test_the_plan_admits_exactly_the_declared_producer_and_rule_creator() -> None:
    accounts = plan_of(compile_file(EXAMPLE)).accounts
    assert accounts is not None and accounts.home.account == "333333333333"
    (producer,) = accounts.producers
    assert (producer.resource, producer.principal.value, producer.actions) == (
        "central",
        "111111111111",
        ("events:PutEvents",),
    )
    assert {(c.key, c.values) for c in producer.conditions} == {
        ("events:source", ("com.exampleCorp.webStore",)),
        ("events:detail-type", ("newOrderCreated",)),
    }
    principals = {(s.resource, str(s.principal)) for s in accounts.statements()}
    assert principals == {("central", "account 111111111111"), ("central", "account 333333333333")}


def test_the_central_bus_policy_is_owed_and_the_rule_gets_a_role() -> None:
    program = pulumi_plan(compile_file(EXAMPLE))
    owed = program.outputs["central"]["policy_owed"].value["Statement"]
    assert sorted(s["Sid"] for s in owed) == ["web_storePublishes", "web_storeToinvoice_processingCreatesRule"]
    rules = [e for e in program.entries if getattr(e, "type", "") == "cloudwatch.EventRule"]
    on_central = [r for r in rules if str(r.args["event_bus_name"]).startswith("arn:aws:events:us-east-1:222222222222")]
    assert len(on_central) == 1
    targets = [e for e in program.entries if getattr(e, "type", "") == "cloudwatch.EventTarget"]
    assert any("role_arn" in t.args and t.args["arn"].var == "bus_invoice_processing" for t in targets)
    assert not [e for e in program.entries if getattr(e, "type", "") == "cloudwatch.EventBusPolicy"]


def test_a_created_bus_writes_its_policy_and_an_app_elsewhere_owes_its_identity_policy() -> None:
    text = (
        HEAD
        + 'source shop: external { account: "111111111111" source: "com.shop" emits: [A: "A Happened"] bus: b }\n'
        + 'source mobile: app { account: "555555555555" emits: [A] }\n'
        + "bus b {}\ntopic news {}\n"
        + 'queue partner: external { arn: "arn:aws:sqs:us-east-1:444444444444:p" }\n'
        + "route shop.A -> partner\nroute mobile.A -> news\nroute news -> partner\n"
    )
    compilation = compile_text(text, "t.evt")
    program = pulumi_plan(compilation)
    (bus_policy,) = [e for e in program.entries if getattr(e, "type", "") == "cloudwatch.EventBusPolicy"]
    (statement,) = bus_policy.args["policy"].value["Statement"]
    assert statement["Condition"]["StringEquals"] == {"events:detail-type": "A Happened", "events:source": "com.shop"}
    assert "policy_owed" in program.outputs["mobile"]
    assert "subscription_owed" in program.outputs["partner"]
    assert not [e for e in program.entries if getattr(e, "type", "") == "sns.TopicSubscription"]


def test_locally_a_producer_no_policy_admits_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLE.parent))
    sys.modules.pop("handlers.invoices", None)
    rt = Runtime.from_file(EXAMPLE)
    order = {
        "orderNo": "1",
        "orderDate": "2026-12-01T09:00:00Z",
        "customerId": "c",
        "lineItems": {"productCode": "P1", "quantityOrdered": 2, "unitPrice": 5.0, "currency": "USD"},
    }
    event = {"source": "com.exampleCorp.webStore", "detail-type": "newOrderCreated", "detail": order}
    with pytest.raises(EmitError, match="AccessDenied"):
        rt.inject("web_store", {**event, "account": "999999999999"})
    rt.inject("web_store", {**event, "account": "111111111111"})
    rt.run_until_idle()
    from handlers import invoices  # noqa: PLC0415

    assert invoices.INVOICES == {"1": 10.0}
    assert rt.audit().ok


def test_evtc_run_rejects_a_recorded_event_from_an_account_no_policy_admits(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from evtc.cli import main

    monkeypatch.chdir(EXAMPLE.parent)
    result = CliRunner().invoke(main, ["run", "central_bus.evt", "--events", "samples/central_bus.jsonl"])
    assert result.exit_code == 0, result.output
    assert "event 3: rejected: AccessDeniedException: account 999999999999" in result.output
    assert "2 delivered" in result.output
