"""DynamoDB change kinds: parse → IR → plan filters → the table's stream view → local records."""

from __future__ import annotations

import json
from typing import Any

from evtc.check.checker import check_compilation
from evtc.frontend import compile_text
from evtc.plan import plan_of
from evtc.plan.changes import stream_view
from evtc.targets.local.runtime import Runtime

TEXT = """topology t
event OrderCreated { id: string total: number }
event OrderUpdated { id: string total: number status: string }
event OrderRemoved { id: string total: number }
source orders: dynamodb { emits: [OrderCreated: "INSERT", OrderUpdated: "MODIFY", OrderRemoved: "REMOVE"] }
stream changes { partition_key: id }
queue failures { retention: 1d }
function on_created { handler: "h:ok" }
function on_removed { handler: "h:ok" }
function on_any { handler: "h:ok" }
route orders -> changes
route changes.OrderCreated -> on_created { retries: 3 dead_letter: failures }
route changes.OrderRemoved -> on_removed when id startswith "o-1" { retries: 3 dead_letter: failures }
route changes -> on_any { retries: 3 dead_letter: failures }
"""


def _patterns(target: str) -> list[dict[str, Any]]:
    plan = plan_of(compile_text(TEXT, "t.evt"))
    hop = next(p for p in plan.routes.values() if p.route.target == target)
    return [json.loads(f["Pattern"]) for f in hop.filter["Filters"]]


def test_bindings_lower_to_change_kinds() -> None:
    source = compile_text(TEXT, "t.evt").topology.component("orders")
    assert source.emits == ("OrderCreated", "OrderUpdated", "OrderRemoved")
    assert source.change_kinds == (("OrderCreated", "INSERT"), ("OrderUpdated", "MODIFY"), ("OrderRemoved", "REMOVE"))
    assert stream_view(source) == "NEW_AND_OLD_IMAGES"  # a removal's item is its old image


def test_each_route_selects_its_change_kind_and_a_removal_is_matched_in_the_old_image() -> None:
    assert _patterns("on_created") == [{"eventName": ["INSERT"]}]
    assert _patterns("on_removed") == [
        {"dynamodb": {"OldImage": {"id": {"S": [{"prefix": "o-1"}]}}}, "eventName": ["REMOVE"]}
    ]
    assert _patterns("on_any") == [{"eventName": ["INSERT", "MODIFY", "REMOVE"]}]


def test_a_wrong_kind_is_a_type_error_and_an_unbound_type_a_warning() -> None:
    wrong = TEXT.replace('"REMOVE"]', '"DELETE"]')
    assert "REF004" in {d.code for d in check_compilation(compile_text(wrong, "t.evt"))}
    unbound = TEXT.replace('OrderCreated: "INSERT"', "OrderCreated")
    found = [d for d in check_compilation(compile_text(unbound, "t.evt")) if d.code == "DLV021"]
    assert len(found) == 1 and "deletion looks like a creation" in found[0].message


def test_locally_a_deletion_arrives_as_a_removal_record_with_its_old_image() -> None:
    seen: dict[str, list[dict[str, Any]]] = {"created": [], "removed": [], "any": []}

    def keep(name: str) -> Any:
        return lambda event, context: seen[name].extend(event["Records"])

    handlers = {"on_created": keep("created"), "on_removed": keep("removed"), "on_any": keep("any")}
    rt = Runtime(compile_text(TEXT, "t.evt"), handlers=handlers)
    rt.emit("orders", "OrderCreated", {"id": "o-1", "total": 150})
    rt.emit("orders", "OrderRemoved", {"id": "o-1", "total": 150})
    rt.emit("orders", "OrderRemoved", {"id": "o-2", "total": 5})
    rt.run_until_idle()
    assert [r["eventName"] for r in seen["created"]] == ["INSERT"]
    assert [r["eventName"] for r in seen["removed"]] == ["REMOVE"]  # o-2 is filtered on the old image
    removal = seen["removed"][0]["dynamodb"]
    assert "NewImage" not in removal and removal["OldImage"]["id"] == {"S": "o-1"}
    assert [r["eventName"] for r in seen["any"]] == ["INSERT", "REMOVE", "REMOVE"]
    assert rt.audit().ok


def test_without_bindings_the_old_behaviour_holds() -> None:
    text = TEXT.replace('OrderCreated: "INSERT", OrderUpdated: "MODIFY", OrderRemoved: "REMOVE"', "OrderCreated")
    text = "\n".join(line for line in text.splitlines() if "OrderRemoved ->" not in line) + "\n"
    plan = plan_of(compile_text(text, "t.evt"))
    hop = next(p for p in plan.routes.values() if p.route.target == "on_any")
    assert hop.filter is None


def test_on_aws_a_change_record_is_typed_by_its_kind(monkeypatch: Any) -> None:
    from evtc.envelope import CHANGES_ENV, records

    monkeypatch.setenv("EVTC_EVENT", "OrderCreated")
    monkeypatch.setenv(CHANGES_ENV, json.dumps({"INSERT": "OrderCreated", "REMOVE": "OrderRemoved"}))
    record = {
        "eventSource": "aws:dynamodb",
        "eventName": "REMOVE",
        "eventID": "1",
        "dynamodb": {"OldImage": {"id": {"S": "o-1"}}},
    }
    (envelope,) = records({"Records": [record]})
    assert (envelope.type, envelope.data) == ("OrderRemoved", {"id": "o-1"})
