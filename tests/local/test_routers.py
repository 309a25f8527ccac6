"""Topics, buses, async invocation, endpoints: fan-out by compiled filter, retries, dead letters."""

from __future__ import annotations

from typing import Any

from .conftest import build, failing, ok

TOPIC = """
topology t
event Order { order_id: string  amount: number  region: string }
source shop: app { emits: [Order] }
topic orders {}
queue big {}
queue eu {}
queue notify_failures { retention: 14d }
queue async_failures { retention: 14d }
function on_big { handler: "x:y" }
function on_any { handler: "x:y" }
endpoint ops: email { address: "ops@example.com" }
route shop.Order -> orders
route orders -> big when amount > 100
route orders -> eu when region in ["eu-west-1", "eu-central-1"]
route big -> on_big
route orders -> on_any { ASYNC }
route orders -> ops when region == "nowhere" { dead_letter: notify_failures }
"""


def topic(on_any: Any = ok, async_route: str = "", **options: Any) -> Any:
    return build(TOPIC.replace("ASYNC", async_route), {"on_big": ok, "on_any": on_any}, **options)


def test_fan_out_follows_each_subscription_filter_policy() -> None:
    rt = topic()
    rt.emit("shop", "Order", {"order_id": "1", "amount": 500, "region": "us-east-1"})
    rt.emit("shop", "Order", {"order_id": "2", "amount": 5, "region": "eu-west-1"})
    rt.emit("shop", "Order", {"order_id": "3", "amount": 5, "region": "ap-south-1"})
    rt.run_until_idle()
    assert [e.data["order_id"] for e in rt.deliveries("on_big")] == ["1"]
    assert [e.data["order_id"] for e in rt.dead_letters("eu")] == ["2"]  # no consumer: held in the queue
    assert len(rt.deliveries("on_any")) == 3 and rt.deliveries("ops") == []
    assert rt.audit().counts == {"delivered": 2, "held": 1}


def test_async_invocation_is_retried_twice_then_lost_without_a_dead_letter() -> None:
    rt = topic(failing)
    rt.emit("shop", "Order", {"order_id": "1", "amount": 5, "region": "x"})
    rt.run_until_idle()
    assert len(rt.deliveries("on_any")) == 3 and rt.now == 180.0  # 1 and 2 minutes apart
    audit = rt.audit()
    assert not audit.ok and "failed 3 times" in audit.lost[0][2]


def test_async_failure_goes_to_the_route_dead_letter_or_a_declared_drop() -> None:
    rt = topic(failing, "dead_letter: async_failures")
    rt.emit("shop", "Order", {"order_id": "1", "amount": 5, "region": "x"})
    rt.run_until_idle()
    assert len(rt.dead_letters("async_failures")) == 1 and rt.audit().ok
    rt = topic(failing, "retries: 0  on_exhausted: drop")
    rt.emit("shop", "Order", {"order_id": "1", "amount": 5, "region": "x"})
    rt.run_until_idle()
    assert len(rt.deliveries("on_any")) == 1 and rt.audit().counts == {"dropped": 1}


def test_an_endpoint_outage_is_retried_then_dead_lettered() -> None:
    from evtc.local import Chaos

    rt = topic(chaos=Chaos(outages=[("ops", 0, 8 * 3600)]))  # longer than SNS's e-mail policy (6.6 h)
    rt.emit("shop", "Order", {"order_id": "1", "amount": 5, "region": "nowhere"})
    rt.run_until_idle()
    assert rt.deliveries("ops") == [] and len(rt.dead_letters("notify_failures")) == 1


def test_a_function_outage_holds_async_events_until_it_is_back() -> None:
    from evtc.local import Chaos

    rt = topic(chaos=Chaos(outages=[("on_any", 0, 3600)]))
    rt.emit("shop", "Order", {"order_id": "1", "amount": 5, "region": "x"})
    rt.run_until_idle()
    assert len(rt.deliveries("on_any")) == 1 and rt.now == 3600 and rt.audit().ok


BUS = """
topology b
event Changed { sku: string  price: number  currency: string }
source app1: app { emits: [Changed] }
bus catalog {}
queue archive {}
queue index_failures { retention: 14d }
function indexer { handler: "x:y" }
route app1.Changed -> catalog
route catalog -> indexer when price > 0 and not (currency == "XXX") { retries: 1  dead_letter: index_failures }
route catalog -> archive
"""


def test_bus_rules_match_compiled_patterns_and_targets_get_eventbridge_events() -> None:
    got: list[Any] = []
    rt = build(BUS, {"indexer": lambda e, c: got.append(e)})
    rt.emit("app1", "Changed", {"sku": "a", "price": 3, "currency": "EUR"})
    rt.emit("app1", "Changed", {"sku": "b", "price": 3, "currency": "XXX"})
    rt.emit("app1", "Changed", {"sku": "c", "price": 0, "currency": "EUR"})
    rt.run_until_idle()
    assert [e["detail"]["data"]["sku"] for e in got] == ["a"]
    assert got[0]["detail-type"] == "Changed" and got[0]["source"] == "evtc.b"
    assert len(rt.dead_letters("archive")) == 3


def test_bus_target_retry_policy_then_dead_letter() -> None:
    rt = build(BUS, {"indexer": failing})
    rt.emit("app1", "Changed", {"sku": "a", "price": 3, "currency": "EUR"})
    rt.run_until_idle()
    assert len(rt.deliveries("indexer")) == 2 and len(rt.dead_letters("index_failures")) == 1


SHARED_CONFIG = """
topology t
event A { id: string }
event B { id: string }
source app: app { emits: [A, B] }
bus b {}
function fn { handler: "x:y" }
route app.A -> b
route app.B -> b
route b.A -> fn { retries: 0  on_exhausted: drop }
route b.B -> fn
"""


def test_every_async_route_into_a_function_retries_as_its_one_invocation_configuration() -> None:
    """Lambda keeps one async configuration per function: the route that says nothing about
    failures is retried as the one that set `retries: 0` (the delivery plan's reading)."""
    rt = build(SHARED_CONFIG, {"fn": failing})
    rt.emit("app", "B", {"id": "1"})
    rt.run_until_idle()
    assert len(rt.deliveries("fn")) == 1


def test_lambda_retries_an_async_invocation_one_then_two_minutes_later() -> None:
    rt = topic(failing, "on_exhausted: drop")
    times: list[float] = []
    rt.consumers["on_any"].handler = lambda event, context: (times.append(rt.clock.now), failing(event, context))
    rt.emit("shop", "Order", {"order_id": "1", "amount": 5, "region": "x"})
    rt.run_until_idle()
    assert [later - times[0] for later in times] == [0.0, 60.0, 180.0]
