"""The examples' own handlers (examples/handlers) running through the runtime."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evtc.local import Chaos, Runtime
from evtc.samples import sample_events

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def handlers() -> Iterator[Any]:
    """The example handler modules, emptied before each test."""
    sys.path.insert(0, str(EXAMPLES))
    try:
        modules = {
            name: importlib.import_module(f"handlers.{name}")
            for name in ("billing", "fraud", "scan", "capacity", "catalog", "metrics", "payments")
        }
        for module in modules.values():
            module.reset()
        yield modules
    finally:
        sys.path.remove(str(EXAMPLES))


def order(order_id: str, amount: float, region: str = "eu-west-1") -> dict[str, Any]:
    return {"order_id": order_id, "customer_email": "c@example.com", "amount": amount, "region": region}


def test_orders_bills_in_order_and_alerts_risk_on_high_scores(handlers: Any) -> None:
    rt = Runtime.from_file(EXAMPLES / "orders.evt", seed=7)
    rt.emit("checkout", "OrderPlaced", order("o1", 1900, "eu-central-1"))
    rt.emit("checkout", "OrderPlaced", order("o1", 20))
    rt.emit("checkout", "OrderPlaced", order("o2", 1200, "us-east-1"))
    rt.run_until_idle()
    assert handlers["billing"].STORE == {"o1": [1900.0, 20.0], "o2": [1200.0]}
    assert handlers["fraud"].STORE == {"o1": 1.0}  # only the large EU order is scored
    (alert,) = rt.deliveries("risk_team")
    assert alert.data == {"order_id": "o1", "score": 1.0}
    assert "customer_email" not in rt.deliveries("risk_team")[0].data
    assert rt.audit().ok


def test_orders_bad_amount_blocks_the_shard_then_dead_letters(handlers: Any) -> None:
    rt = Runtime.from_file(EXAMPLES / "orders.evt", seed=7)
    rt.emit("checkout", "OrderPlaced", order("o1", -5))
    rt.emit("checkout", "OrderPlaced", order("o1", 10))
    rt.run_until_idle()
    assert [e.data["amount"] for e in rt.dead_letters("billing_failures")] == [-5, 10]
    assert rt.audit().ok


def test_orders_billing_survives_crashes_without_double_charging(handlers: Any) -> None:
    rt = Runtime.from_file(EXAMPLES / "orders.evt", seed=3, chaos=Chaos(crash_rate=0.3))
    for n in range(30):
        rt.emit("checkout", "OrderPlaced", order(f"o{n % 4}", n))
    rt.run_until_idle()
    assert sum(len(v) for v in handlers["billing"].STORE.values()) == 30
    assert all(v == sorted(v) for v in handlers["billing"].STORE.values())  # per order_id, in order
    assert len(rt.deliveries("billing")) > 30 and rt.audit().ok


def test_ami_scan_scans_only_ami_images_and_retries_truncated_uploads(handlers: Any) -> None:
    scan = handlers["scan"]
    scan.BUCKET[("b", "images/good.ami")] = b"\x00" * 10
    scan.BUCKET[("b", "images/bad.ami")] = b"EICAR" + b"\x00" * 5
    scan.BUCKET[("b", "images/partial.ami")] = b"\x00"
    rt = Runtime.from_file(EXAMPLES / "ami_scan.evt")
    for key in ("images/good.ami", "images/bad.ami", "images/partial.ami", "notes.txt"):
        rt.emit("uploads", "ImageUploaded", {"bucket": "b", "key": key, "size": 10})
    rt.run_until_idle()
    assert scan.STORE == {"images/good.ami": "clean", "images/bad.ami": "infected"}
    assert [e.data["key"] for e in rt.dead_letters("scan_dlq")] == ["images/partial.ami"]
    assert rt.audit().counts == {"delivered": 2, "dead_lettered": 1, "filtered": 1}


def test_ami_scan_outage_keeps_uploads_queued(handlers: Any) -> None:
    rt = Runtime.from_file(EXAMPLES / "ami_scan.evt", chaos=Chaos(outages=[("scanner", 0, 3600)]))
    rt.emit("uploads", "ImageUploaded", {"bucket": "b", "key": "images/x.ami", "size": 0})
    rt.run_until_idle()
    assert rt.now == 3600 and handlers["scan"].STORE == {"images/x.ami": "missing"}


def test_capacity_plans_from_the_change_stream_and_orders_once(handlers: Any) -> None:
    rt = Runtime.from_file(EXAMPLES / "capacity_ordering.evt", chaos=Chaos(duplicates=0.5), seed=2)
    request = {"account_id": "a1", "service": "lambda", "region": "eu-west-1", "requester_email": "r@example.com"}
    rt.emit("limit_requests", "LimitIncreaseRequested", {**request, "request_id": "r1", "requested": 1500})
    rt.emit("limit_requests", "LimitIncreaseRequested", {**request, "request_id": "r2", "requested": 50})
    rt.run_until_idle()
    capacity = handlers["capacity"]
    assert capacity.PLANS["r1"]["units"] == 15 and capacity.PLANS["r1"]["priority"] == "urgent"
    assert capacity.ORDERS == ["r1", "r2"]
    assert [e.data["request_id"] for e in rt.deliveries("operator")] == ["r1"]
    planner_event = rt.deliveries("planner")[0]
    assert planner_event.data["requester_email"] == "r@example.com"  # cleared
    assert rt.audit().ok


def test_capacity_bad_request_is_bisected_out_to_the_failures_queue(handlers: Any) -> None:
    rt = Runtime.from_file(EXAMPLES / "capacity_ordering.evt")
    base = {"account_id": "a1", "service": "ec2", "region": "eu-west-1", "requester_email": "r@example.com"}
    for n, requested in enumerate([100, -1, 300, 700]):
        rt.emit("limit_requests", "LimitIncreaseRequested", {**base, "request_id": f"r{n}", "requested": requested})
    rt.run_until_idle()
    assert [e.data["request_id"] for e in rt.dead_letters("planner_failures")] == ["r1"]
    assert sorted(handlers["capacity"].ORDERS) == ["r0", "r2", "r3"]


def test_catalog_indexes_through_the_bus_and_archives_every_change(handlers: Any) -> None:
    rt = Runtime.from_file(EXAMPLES / "product_catalog.evt")
    product = {"name": "Lamp", "currency": "EUR", "tags": ["b", "a"], "dimensions": {"width_cm": 1, "height_cm": 2}}
    rt.emit("products", "ProductChanged", {**product, "sku": "s1", "price": 10, "updated_at": "2026-01-01T00:00:00Z"})
    rt.emit("products", "ProductChanged", {**product, "sku": "s2", "price": 0, "updated_at": "2026-01-01T00:00:00Z"})
    rt.emit(
        "products",
        "ProductChanged",
        {**product, "sku": "s3", "price": 5, "currency": "XXX", "updated_at": "2026-01-02T00:00:00Z"},
    )
    rt.run_until_idle()
    catalog = handlers["catalog"]
    assert set(catalog.INDEX) == {"s1"} and catalog.INDEX["s1"]["tags"] == ["a", "b"]
    assert len(catalog.ARCHIVE) == 3 and rt.audit().ok


def stripe_event(event_id: str, event_type: str, intent: str, amount: int) -> dict[str, Any]:
    data = {"object": {"id": intent, "object": "payment_intent", "amount": amount, "currency": "eur"}}
    return {"id": event_id, "object": "event", "type": event_type, "created": 1767225600, "data": data}


def test_stripe_webhooks_fulfil_once_chase_failures_and_deploy_main(handlers: Any) -> None:
    secrets = {"stripe/webhook-signing-secret": "whsec_local", "github/webhook-secret": "gh_local"}
    rt = Runtime.from_file(EXAMPLES / "stripe_webhooks.evt", secrets=secrets, chaos=Chaos(duplicates=0.5), seed=3)
    requests = [
        stripe_event("evt_1", "payment_intent.succeeded", "pi_1", 2000),
        stripe_event("evt_1", "payment_intent.succeeded", "pi_1", 2000),  # Stripe retried it
        stripe_event("evt_2", "payment_intent.payment_failed", "pi_2", 4500),
        stripe_event("evt_3", "customer.created", "cus_1", 0),
    ]
    answers = [rt.webhook("stripe", body, rt.sign_webhook("stripe", body)).status for body in requests]
    push = {"ref": "refs/heads/main", "after": "abc123", "repository": {"full_name": "octo/shop"}}
    headers = {**rt.sign_webhook("github", push), "X-GitHub-Event": "push"}
    answers.append(rt.webhook("github", push, headers).status)
    stale = rt.sign_webhook("stripe", requests[0], at=rt.now - 301)
    answers.append(rt.webhook("stripe", requests[0], stale).status)
    rt.run_until_idle()
    assert answers == [202, 202, 202, 200, 202, 401]
    payments = handlers["payments"]
    assert payments.FULFILLED == {"pi_1": 2000} and payments.CHASED == ["pi_2"] and payments.DEPLOYED == ["abc123"]
    assert rt.ignored == [("stripe", "customer.created")] and rt.audit().ok


@pytest.mark.parametrize("name", ["orders", "ami_scan", "capacity_ordering", "product_catalog"])
def test_every_example_runs_sample_events_without_loss(handlers: Any, name: str) -> None:
    rt = Runtime.from_file(EXAMPLES / f"{name}.evt", seed=5, chaos=Chaos(crash_rate=0.1, duplicates=0.1))
    for record in sample_events(rt.topology, 60, 5):
        rt.emit(record["source"], record["type"], record["data"])
    rt.run_until_idle()
    assert rt.audit().ok, rt.audit().lost


def metric(sensor: str, kind: str, value: float, location: str = "Bangalore") -> dict[str, Any]:
    return {
        "sensor_id": sensor,
        "location": location,
        "recorded_at": "2026-06-01T12:00:00Z",
        "samples": 12,
        "metric_type": kind,
        "value": value,
        "unit": "C",
    }


def test_sns_fanout_routes_by_message_attribute_as_the_sample_s_subscriptions(handlers: Any) -> None:
    rt = Runtime.from_file(EXAMPLES / "sns_fanout.evt", seed=3)
    rt.emit("sensors", "MetricPublished", metric("s1", "Temperature", 20))
    rt.emit("sensors", "MetricPublished", metric("s2", "Humidity", 80))
    rt.emit("sensors", "MetricPublished", metric("s3", "WindSpeed", 45))
    rt.emit("sensors", "MetricPublished", metric("s1", "Temperature", 43.5, "Chennai"))
    rt.run_until_idle()
    metrics = handlers["metrics"]
    assert metrics.TEMPERATURES == {"s1": [20, 43.5]} and metrics.HUMIDITIES == {"s2": [80]}
    assert metrics.ALARMS == [("Chennai", 43.5)] and len(metrics.ARCHIVE) == 4
    assert rt.audit().ok


def test_sns_fanout_alarm_failures_and_undelivered_alarms_land_apart(handlers: Any) -> None:
    def broken(event: Any, context: Any) -> None:
        raise RuntimeError("pager down")

    rt = Runtime.from_file(EXAMPLES / "sns_fanout.evt", handlers={"heat_alarm": broken})
    rt.emit("sensors", "MetricPublished", metric("s1", "Temperature", 50))
    rt.run_until_idle()
    assert len(rt.deliveries("heat_alarm")) == 2 and len(rt.dead_letters("alarm_failures")) == 1  # retries: 1
    outage = Chaos(delivery_outages=[("heat_alarm", 0, 30 * 86400)])
    rt = Runtime.from_file(EXAMPLES / "sns_fanout.evt", chaos=outage)
    rt.emit("sensors", "MetricPublished", metric("s1", "Temperature", 50))
    rt.run_until_idle()
    assert rt.deliveries("heat_alarm") == [] and len(rt.dead_letters("alarm_undelivered")) == 1
