"""Named types and the integer type (issue 13, gap 8): parse → IR → checks → schema →
local validation → formatter."""

from __future__ import annotations

import pytest

from evtc import ir
from evtc.check.checker import check_compilation
from evtc.export.jsonschema import event_schema
from evtc.frontend import compile_text
from evtc.frontend.fmt import format_text
from evtc.local import Runtime
from evtc.schemacheck import compile_schema
from evtc.targets.local.runtime import EmitError

SHOP = """topology shop
type Money { amount: integer  currency: string }
type Order {
  order_id: string
  total: Money
  lines: [Line]
  email: string @sensitive
}
type Line { sku: string  qty: integer }
event OrderPlaced: Order
event OrderCancelled: Order { reason: string  order_id: string @optional }
event RefundIssued { order: Order  refunded: Money }
source checkout: app { emits: [OrderPlaced, OrderCancelled, RefundIssued] }
queue orders { max_receives: 5  dead_letter: orders_dlq  encrypted: true }
queue orders_dlq { retention: 14d  encrypted: true }
function billing { handler: "h:ok"  clearance: [sensitive] }
route checkout -> orders
route orders -> billing when total.amount > 100
"""
ORDER = {
    "order_id": "o1",
    "total": {"amount": 120, "currency": "EUR"},
    "lines": [{"sku": "a", "qty": 2}],
    "email": "e@x",
}


def codes(text: str) -> list[str]:
    return sorted(d.code for d in check_compilation(compile_text(text, "t.evt")) if not d.suppressed)


def test_a_named_type_is_its_fields_wherever_it_is_used() -> None:
    t = compile_text(SHOP, "t.evt").topology
    placed, cancelled, refund = (t.event(n) for n in ("OrderPlaced", "OrderCancelled", "RefundIssued"))
    assert [f.name for f in placed.fields] == ["order_id", "total", "lines", "email"] and placed.base == "Order"
    # the event's own fields come last and win over the type's of the same name
    assert [f.name for f in cancelled.fields] == ["total", "lines", "email", "reason", "order_id"]
    assert cancelled.fields[-1].optional
    order = refund.fields[0].type
    assert isinstance(order, ir.ObjectType) and order.name == "Order"
    lines = order.fields[2].type
    assert isinstance(lines, ir.ListType) and isinstance(lines.item, ir.ObjectType) and lines.item.name == "Line"
    assert [d.code for d in compile_text(SHOP, "t.evt").diagnostics] == []


def test_filters_reach_into_named_types_and_integers_compare_as_numbers() -> None:
    assert "REF008" not in codes(SHOP) and "REF012" not in codes(SHOP)
    assert "REF008" in codes(SHOP.replace("total.amount > 100", "total.cents > 100"))
    assert "REF012" in codes(SHOP.replace("total.amount > 100", 'total.amount > "100"'))


def test_unknown_recursive_and_duplicate_types_are_reported() -> None:
    assert "REF010" in codes(SHOP.replace("lines: [Line]", "lines: [Lines]"))
    assert "REF010" in codes(SHOP.replace("event OrderPlaced: Order", "event OrderPlaced: Ordre"))
    recursive = SHOP.replace("type Line { sku: string  qty: integer }", "type Line { sku: string  of: Order }")
    assert codes(recursive).count("REF020") == 2  # each declaration on the cycle, once
    assert "REF002" in codes(SHOP + "type Money { cents: integer }\n")
    assert "REF010" in codes(SHOP.replace("qty: integer", "qty: int"))
    assert "REF002" in codes(SHOP + "type string { a: number }\n")  # a built-in's name


def test_the_schema_writes_named_types_out_and_integers_as_integers() -> None:
    t = compile_text(SHOP, "t.evt").topology
    schema = event_schema(t.event("RefundIssued"), t)
    order = schema["properties"]["order"]
    assert order["title"] == "Order" and order["properties"]["total"]["properties"]["amount"] == {"type": "integer"}
    assert order["properties"]["email"]["x-evtc-sensitive"] is True
    fast = compile_schema(event_schema(t.event("OrderPlaced"), t))
    assert fast is not None and fast(ORDER)
    assert fast({**ORDER, "total": {"amount": 120.0, "currency": "EUR"}})  # as JSON Schema: 120.0 is an integer
    assert not fast({**ORDER, "total": {"amount": 12.5, "currency": "EUR"}})
    assert not fast({**ORDER, "total": {"amount": True, "currency": "EUR"}})


def test_the_local_runtime_validates_integers_and_prunes_sensitive_fields_of_named_types() -> None:
    rt = Runtime(compile_text(SHOP, "t.evt"), {"billing": lambda e, c: None})
    with pytest.raises(EmitError):
        rt.emit("checkout", "OrderPlaced", {**ORDER, "lines": [{"sku": "a", "qty": 1.5}]})
    rt.emit("checkout", "OrderPlaced", ORDER)
    rt.emit("checkout", "OrderPlaced", {**ORDER, "order_id": "o2", "total": {"amount": 5, "currency": "EUR"}})
    rt.run_until_idle()
    assert [e.data["order_id"] for e in rt.deliveries("billing")] == ["o1"]


def test_the_formatter_keeps_types_and_based_events() -> None:
    messy = SHOP.replace(
        "type Money { amount: integer  currency: string }", "type   Money{amount:integer currency :string}"
    )
    formatted = format_text(messy)
    assert "type Money { amount: integer currency: string }" in formatted
    assert "event OrderCancelled: Order { reason: string order_id: string @optional }" in formatted
    assert format_text(formatted) == formatted


def test_sensitive_fields_of_a_named_type_are_pruned_for_uncleared_consumers() -> None:
    text = SHOP + 'function refunds { handler: "h:ok" }\nroute checkout.RefundIssued -> refunds\n'
    rt = Runtime(compile_text(text, "t.evt"), {"billing": lambda e, c: None, "refunds": lambda e, c: None})
    rt.emit("checkout", "RefundIssued", {"order": ORDER, "refunded": {"amount": 5, "currency": "EUR"}})
    rt.run_until_idle()
    (seen,) = rt.deliveries("refunds")
    assert "email" not in seen.data["order"] and seen.data["order"]["order_id"] == "o1"
    assert "SEC004" in codes(text)  # sensitive data reaches an uncleared consumer


def test_the_language_server_finds_a_named_type_s_declaration_and_uses() -> None:
    from evtc.lsp.index import TYPE, Index

    index = Index(compile_text(SHOP, "t.evt"))
    order = index.uses(TYPE, "Order")
    assert sum(o.definition for o in order) == 1
    assert sorted(o.span.line for o in order if not o.definition) == [10, 11, 12]  # two bases, one field
    money = index.uses(TYPE, "Money")
    assert sorted(o.span.line for o in money) == [2, 5, 12]  # declared, in Order, in RefundIssued


def test_a_type_that_does_not_parse_is_not_reported_again_at_its_uses() -> None:
    text = (
        "topology t\ntype Order { id: string \nevent A: Order\nevent B { o: Order }\nsource s: app { emits: [A, B] }\n"
    )
    assert [d.code for d in compile_text(text, "t.evt").diagnostics if d.severity.value == "error"] == ["SYN005"]


def test_hovering_a_named_type_shows_its_declaration() -> None:
    from evtc.lsp.hover import type_text
    from evtc.lsp.index import Index

    text = type_text(Index(compile_text(SHOP, "t.evt")), "Money")
    assert text is not None and "type Money { amount: integer  currency: string }" in text and "2 time(s)" in text
