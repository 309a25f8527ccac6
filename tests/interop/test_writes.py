"""Writes that close the loop: parse → IR → graph and cycles → the pulumi role policy and
environment → the Lambda backend's calls → the local change records."""

from __future__ import annotations

import json
from typing import Any

import pytest

from evtc.check.checker import check_compilation
from evtc.frontend import compile_text
from evtc.graph import build_graph
from evtc.plan.writes import write_actions, writes_of
from evtc.targets.local.runtime import Runtime
from evtc.targets.pulumi_aws.runtime.aws_runtime import LambdaBackend
from evtc.write import UndeclaredWriteError

TEXT = """topology shop
event OrderRequested { id: string }
event OrderPlaced { id: string status: string }
event OrderChanged { id: string status: string }
event OrderGone { id: string status: string }
event Stored { bucket: string key: string size: number }
source api: app { emits: [OrderRequested] }
source orders: dynamodb { emits: [OrderPlaced: "INSERT", OrderChanged: "MODIFY", OrderGone: "REMOVE"] }
source exports: s3 { bucket: "shop-exports" emits: [Stored] }
stream changes { partition_key: id }
queue requests { max_receives: 3 dead_letter: failures }
queue failures { retention: 14d }
function place { handler: "h:place" writes: [orders: "INSERT", exports] }
function audit { handler: "h:audit" }
route api.OrderRequested -> requests
route requests -> place
route orders -> changes
route changes -> audit { retries: 3 dead_letter: failures }
route exports -> audit
"""


def _codes(text: str) -> list[str]:
    return [d.code for d in check_compilation(compile_text(text, "t.evt")) if not d.suppressed]


# ---- parse, IR, graph ---------------------------------------------------------------------
def test_writes_lower_to_names_and_kinds_and_become_edges() -> None:
    compilation = compile_text(TEXT, "t.evt")
    place = compilation.topology.component("place")
    assert place.writes == ("orders", "exports") and place.write_kinds == (("orders", "INSERT"),)
    edges = {(u, v) for u, v, _, d in build_graph(compilation.topology).edges if d["kind"] == "writes"}
    assert edges == {("function:place", "source:orders"), ("function:place", "source:exports")}
    t = compilation.topology
    assert [(w.target, w.kinds, write_actions(t, w)) for w in writes_of(t)] == [
        ("orders", ("INSERT",), ("dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:UpdateItem")),
        ("exports", ("INSERT", "MODIFY", "REMOVE"), ("s3:PutObject",)),
    ]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ('writes: [orders: "INSERT", exports]', None),
        ("writes: [requests]", "REF009"),  # a queue is sent to by routing an event
        ("writes: [api]", "REF009"),  # an app source is no table
        ("writes: [nowhere]", "REF001"),
        ('writes: [exports: "INSERT"]', "REF004"),  # a bucket takes no change kind
        ('writes: [orders: "UPSERT"]', "REF004"),
    ],
)
def test_what_writes_may_name(change: str, code: str | None) -> None:
    found = _codes(TEXT.replace('writes: [orders: "INSERT", exports]', change))
    refs = [c for c in found if c.startswith("REF")]
    assert refs == ([code] if code else [])


def test_a_function_writing_the_table_that_triggers_it_is_a_recursive_trigger() -> None:
    text = TEXT.replace(
        'function audit { handler: "h:audit" }', 'function audit { handler: "h:audit" writes: [orders] }'
    )
    (loop,) = [d for d in check_compilation(compile_text(text, "t.evt")) if d.code == "DLV006"]
    assert loop.message.endswith("orders --> changes --> audit --writes--> orders")
    assert [r.message for r in loop.related] == ["'audit' writes to 'orders' here"]
    assert "MODIFY" in loop.hint


def test_a_write_of_a_kind_that_is_not_routed_back_is_no_loop() -> None:
    text = TEXT.replace(
        'function audit { handler: "h:audit" }', 'function audit { handler: "h:audit" writes: [orders: "REMOVE"] }'
    )
    text = text.replace("route changes -> audit", "route changes.OrderPlaced -> audit")
    assert "DLV006" not in _codes(text)
    assert "DLV006" in _codes(text.replace('orders: "REMOVE"', 'orders: "INSERT"'))


# ---- pulumi-aws ----------------------------------------------------------------------------
def test_the_role_grants_exactly_the_writes_and_the_environment_names_them(tmp_path: Any) -> None:
    pytest.importorskip("pulumi")
    from evtc.targets.pulumi_aws import target
    from tests.pulumi_aws.conftest import run_program

    target.build(compile_text(TEXT, str(tmp_path / "t.evt")), tmp_path / "out")
    resources = run_program(tmp_path / "out", "shop")
    policies = {r.name: json.loads(r.inputs["policy"]) for r in resources if r.type == "aws:iam/rolePolicy:RolePolicy"}
    place = next(doc for name, doc in policies.items() if name.startswith("place"))
    writes = [s for s in place["Statement"] if any(a.startswith(("dynamodb:", "s3:")) for a in s["Action"])]
    assert sorted((s["Action"], s["Resource"][0].split(":")[2]) for s in writes) == [
        (["dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], "dynamodb"),
        (["s3:PutObject"], "s3"),
    ]
    assert next(s for s in writes if s["Action"] == ["s3:PutObject"])["Resource"][0].endswith("/*")
    audit = next(doc for name, doc in policies.items() if name.startswith("audit"))
    assert not [s for s in audit["Statement"] if any("PutItem" in a or "PutObject" in a for a in s["Action"])]
    (function,) = [r for r in resources if r.type == "aws:lambda/function:Function" and r.name == "place"]
    env = json.loads(function.inputs["environment"]["variables"]["EVTC_WRITES"])
    assert env["orders"]["kind"] == "table" and env["orders"]["key"] == "id" and env["orders"]["kinds"] == ["INSERT"]
    assert env["exports"]["kind"] == "bucket" and env["exports"]["name"].endswith("shop-exports")


class Client:
    def __init__(self, old: dict[str, Any] | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.old = old

    def __getattr__(self, name: str) -> Any:
        def call(**args: Any) -> dict[str, Any]:
            self.calls.append((name, args))
            return {"Attributes": self.old} if self.old else {}

        return call


def _backend(client: Client, kinds: list[str]) -> LambdaBackend:
    writes = {
        "orders": {"kind": "table", "name": "shop-orders", "key": "id", "kinds": kinds},
        "exports": {"kind": "bucket", "name": "shop-exports"},
    }
    return LambdaBackend("shop", "place", {}, client=lambda service: client, writes=writes)


def test_on_lambda_a_bound_write_is_conditional_and_an_undeclared_one_raises() -> None:
    client = Client()
    backend = _backend(client, ["INSERT"])
    assert backend.put_item("orders", {"id": "o-1", "n": 2}) == "INSERT"
    ((name, args),) = client.calls
    assert name == "put_item" and args["TableName"] == "shop-orders"
    assert args["Item"] == {"id": {"S": "o-1"}, "n": {"N": "2"}}
    assert args["ConditionExpression"] == "attribute_not_exists(#k)" and args["ExpressionAttributeNames"] == {
        "#k": "id"
    }
    with pytest.raises(UndeclaredWriteError):
        backend.delete_item("orders", {"id": "o-1"})  # REMOVE is not declared
    with pytest.raises(UndeclaredWriteError, match=r"writes: \[invoices\]"):
        backend.put_item("invoices", {"id": "i-1"})
    backend.put_object("exports", "a.csv", "x,y")
    assert client.calls[-1] == ("put_object", {"Bucket": "shop-exports", "Key": "a.csv", "Body": b"x,y"})


def test_on_lambda_an_update_sets_attributes_and_reports_a_modification() -> None:
    client = Client(old={"id": {"S": "o-1"}})
    backend = _backend(client, [])
    assert backend.update_item("orders", {"id": "o-1"}, {"status": "shipped"}) == "MODIFY"
    ((name, args),) = client.calls
    assert name == "update_item" and "ConditionExpression" not in args
    assert args["UpdateExpression"] == "SET #a0 = :v0"
    assert args["ExpressionAttributeNames"] == {"#a0": "status"}
    assert args["ExpressionAttributeValues"] == {":v0": {"S": "shipped"}}


# ---- local -------------------------------------------------------------------------------
def _runtime(place: Any, seen: list[Any]) -> Runtime:
    def audit(event: Any, context: Any) -> None:
        seen.extend(event["Records"] if "Records" in event else [event])

    return Runtime(compile_text(TEXT, "t.evt"), handlers={"place": place, "audit": audit})


def test_locally_writes_become_the_change_records_a_stream_carries() -> None:
    from evtc import write
    from evtc.envelope import records

    def place(event: Any, context: Any) -> None:
        for envelope in records(event):
            write.put_item("orders", {"id": envelope.data["id"], "status": "placed"})
            write.put_object("exports", f"{envelope.data['id']}.json", "{}")

    seen: list[Any] = []
    rt = _runtime(place, seen)
    rt.emit("api", "OrderRequested", {"id": "o-1"})
    rt.run_until_idle()
    assert rt.update_item("orders", {"id": "o-1"}, {"status": "shipped"}) == "MODIFY"
    assert rt.update_item("orders", {"id": "o-1"}, {"status": "shipped"}) == "MODIFY"  # unchanged: no record
    assert rt.delete_item("orders", {"id": "o-1"}) is True
    assert rt.delete_item("orders", {"id": "o-1"}) is False  # no record for an absent item
    rt.run_until_idle()
    changes = [r for r in seen if r.get("eventSource") == "aws:dynamodb"]
    assert [r["eventName"] for r in changes] == ["INSERT", "MODIFY", "REMOVE"]
    modify, remove = changes[1]["dynamodb"], changes[2]["dynamodb"]
    assert modify["OldImage"]["status"] == {"S": "placed"} and modify["NewImage"]["status"] == {"S": "shipped"}
    assert "NewImage" not in remove and remove["OldImage"]["status"] == {"S": "shipped"}
    stored = [e for e in rt.deliveries("audit") if e.type == "Stored"]
    assert [(e.data["bucket"], e.data["key"], e.data["size"]) for e in stored] == [("shop-exports", "o-1.json", 2)]
    assert rt.audit().ok


def test_locally_an_undeclared_write_or_kind_fails_the_invocation() -> None:
    from evtc import write
    from evtc.envelope import records

    def place(event: Any, context: Any) -> None:
        for envelope in records(event):
            write.put_item("orders", {"id": envelope.data["id"], "status": "placed"})

    rt = _runtime(place, [])
    rt.put_item("orders", {"id": "o-1", "status": "old"})  # the key exists: the put is a MODIFY
    rt.emit("api", "OrderRequested", {"id": "o-1"})
    rt.run_until_idle()
    assert rt.errors and 'writes: [orders: "INSERT"]' in rt.errors[0][2] and "MODIFY" in rt.errors[0][2]
    assert [e.data["id"] for e in rt.dead_letters("failures")] == ["o-1"]

    def rogue(event: Any, context: Any) -> None:
        write.put_item("orders", {"id": "x", "status": "?"})

    rt = Runtime(compile_text(TEXT, "t.evt"), handlers={"place": place, "audit": rogue})
    rt.put_item("orders", {"id": "o-9", "status": "new"})
    rt.run_until_idle()
    assert any("'audit' does not declare `writes: [orders]`" in error for _, _, error in rt.errors)


def test_the_drawings_show_writes_as_thick_arrows() -> None:
    from evtc.report.draw import dot, mermaid

    graph = compile_text(TEXT, "t.evt").graph
    assert 'function__place ==>|"writes"| source__orders' in mermaid(graph)
    assert '"function:place" -> "source:orders" [label="writes", style=bold]' in dot(graph)


def test_on_lambda_a_failed_condition_is_the_same_error_as_locally() -> None:
    from evtc.write import KindNotDeclaredError

    class Refused(Exception):
        response = {"Error": {"Code": "ConditionalCheckFailedException"}}

    class Refusing(Client):
        def __getattr__(self, name: str) -> Any:
            def call(**args: Any) -> dict[str, Any]:
                raise Refused()

            return call

    with pytest.raises(KindNotDeclaredError):
        _backend(Refusing(), ["INSERT"]).put_item("orders", {"id": "o-1"})


def test_the_write_module_docstring_runs() -> None:
    import doctest

    import evtc.write

    result = doctest.testmod(evtc.write)
    assert result.attempted > 0 and result.failed == 0


def test_a_consumer_without_clearance_sees_the_change_kind_and_a_pruned_old_image() -> None:
    text = """topology crm
event Saved { id: string email: string @sensitive }
event Gone { id: string email: string @sensitive }
source customers: dynamodb { emits: [Saved: "INSERT", Saved: "MODIFY", Gone: "REMOVE"] }
stream changes { partition_key: id }
queue failures { retention: 1d }
function mailer { handler: "h:mail" }
route customers -> changes
route changes.Saved -> mailer { retries: 3 dead_letter: failures }
"""
    seen: list[Any] = []
    rt = Runtime(compile_text(text, "crm.evt"), handlers={"mailer": lambda e, c: seen.extend(e["Records"])})
    rt.put_item("customers", {"id": "c-1", "email": "a@example.com"})
    rt.put_item("customers", {"id": "c-1", "email": "b@example.com"})
    rt.run_until_idle()
    assert [r["eventName"] for r in seen] == ["INSERT", "MODIFY"]
    modify = seen[1]["dynamodb"]
    assert "email" not in modify["NewImage"] and "email" not in modify["OldImage"] and modify["OldImage"]["id"]


def test_the_editor_finds_a_table_in_writes_kind_or_not() -> None:
    from evtc.lsp.index import Index

    index = Index(compile_text(TEXT, "t.evt"))
    lines = {(o.span.line, o.span.column) for o in index.uses("component", "orders")}
    place = TEXT.splitlines().index(next(line for line in TEXT.splitlines() if line.startswith("function place"))) + 1
    assert any(line == place for line, _ in lines), lines
    exports = [o for o in index.uses("component", "exports") if o.span.line == place]
    assert len(exports) == 1
