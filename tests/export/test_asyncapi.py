"""`evtc export asyncapi` writes documents the AsyncAPI 3.0 JSON Schema accepts, true to the IR."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft7Validator

from evtc.cli import main
from evtc.export.asyncapi import asyncapi
from evtc.frontend import compile_file, compile_text

ROOT = Path(__file__).resolve().parents[2]
# The AsyncAPI Initiative's schema of AsyncAPI 3.0.0 documents, from the npm package
# @asyncapi/specs 6.11.1 (schemas/3.0.0-without-$id.json, Apache-2.0), unchanged.
SPEC = Path(__file__).parent / "data" / "asyncapi-3.0.0.schema.json"
EXAMPLES = sorted((ROOT / "examples").glob("*.evt"))


@cache
def spec_validator() -> Draft7Validator:
    return Draft7Validator(json.loads(SPEC.read_text(encoding="utf-8")))


def problems(document: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in spec_validator().iter_errors(document)]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_exports_a_valid_asyncapi_3_document(path: Path) -> None:
    assert problems(asyncapi(compile_file(path))) == []


def test_the_validator_rejects_a_broken_document() -> None:
    document = asyncapi(compile_file(ROOT / "examples/orders.evt"))
    document["operations"]["billing.receive.order_log"]["action"] = "consume"
    assert problems(document)


BUSY = """
topology busy
event Paid { id: string  amount: number  email: string @sensitive }
source shop: app { emits: [Paid] }
bus money { encrypted: true  archive: 7d }
topic fanout { fifo: true  content_dedup: true encrypted: true }
queue ledger { fifo: true  group_by: id  encrypted: true  max_receives: 3  dead_letter: ledger_dlq }
queue ledger_dlq { fifo: true  encrypted: true }
function audit { handler: "x:y"  clearance: [sensitive] }
endpoint ops: https { url: "https://ops.example.com/hook"  clearance: [sensitive] }
route shop.Paid -> money
route money -> fanout when amount > 10
route fanout -> ledger when amount > 100
route fanout -> ops
route ledger -> audit
"""


def test_channels_messages_operations_and_bindings_follow_the_topology() -> None:
    document = asyncapi(compile_text(BUSY, "busy.evt"))
    assert problems(document) == []
    assert set(document["channels"]) == {"money", "fanout", "ledger", "ledger_dlq"}
    assert set(document["channels"]["ledger_dlq"]["messages"]) == {"Paid"}  # what its redrive brings
    assert document["channels"]["fanout"]["bindings"]["sns"]["ordering"] == {
        "type": "FIFO",
        "contentBasedDeduplication": True,
    }
    ops = document["operations"]
    assert ops["shop.send.money"]["action"] == "send"
    rule = ops["fanout.receive.money"]["bindings"]["x-eventbridge"]
    assert rule["eventPattern"]["detail"]["data"]["amount"] == [{"numeric": [">", 10]}]
    (ledger,) = ops["ledger.receive.fanout"]["bindings"]["sns"]["consumers"]
    assert ledger["protocol"] == "sqs" and ledger["rawMessageDelivery"] is True
    assert ledger["filterPolicy"]["data"]["amount"] == [{"numeric": [">", 100]}]
    (hook,) = ops["ops.receive.fanout"]["bindings"]["sns"]["consumers"]
    assert hook == {
        "protocol": "https",
        "endpoint": {"url": "https://ops.example.com/hook"},
        "rawMessageDelivery": True,
    }
    message = document["components"]["messages"]["Paid"]
    assert message["headers"]["properties"]["type"]["const"] == "Paid"
    schema = document["components"]["schemas"]["Paid"]["schema"]
    assert schema["properties"]["email"]["x-evtc-sensitive"] is True


def test_cli_writes_the_document(tmp_path: Path) -> None:
    out = tmp_path / "orders.asyncapi.json"
    result = CliRunner().invoke(main, ["export", "asyncapi", str(ROOT / "examples/orders.evt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert problems(json.loads(out.read_text())) == []


TO_TOPIC = (
    BUSY
    + """
function tally { handler: "x:y"  clearance: [sensitive] }
endpoint boss: email { address: "boss@example.com"  clearance: [sensitive] }
route fanout -> tally when amount > 1000
route fanout -> boss
route fanout -> ledger when amount < 5
"""
)


@pytest.mark.parametrize("text", [BUSY, TO_TOPIC], ids=["busy", "to-every-kind-and-a-shared-subscription"])
def test_bindings_say_what_the_pulumi_target_deploys(text: str) -> None:
    from evtc.targets.pulumi_aws.planner import plan

    compilation = compile_text(text, "busy.evt")
    deployed = {r.var: r.args for r in plan(compilation).resources}
    ops = asyncapi(compilation)["operations"]
    for route in compilation.topology.routes:
        subscription = deployed.get(f"subscription_{route.source}_{route.target}")
        rule = deployed.get(f"rule_{route.source}_{route.target}")
        bindings = ops[f"{route.target}.receive.{route.source}"].get("bindings", {}) if route.source != "shop" else {}
        if subscription is not None:
            (consumer,) = bindings["sns"]["consumers"]
            assert consumer["protocol"] == subscription["protocol"]
            assert consumer["rawMessageDelivery"] is bool(subscription.get("raw_message_delivery"))
            policy = subscription.get("filter_policy")
            deployed_policy = consumer.get("filterPolicy", consumer.get("x-evtc-filterPolicy"))
            assert deployed_policy == (policy.value if policy is not None else None)
            assert consumer.get("filterPolicyScope") == subscription.get("filter_policy_scope")
        if rule is not None:
            pattern = rule["event_pattern"].value
            assert bindings["x-eventbridge"]["eventPattern"].items() <= pattern.items()
