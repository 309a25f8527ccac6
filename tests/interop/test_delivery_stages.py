"""Gap 6 of issue 13: a bus, a schedule or a topic invoking a function has two failure
stages, the delivering service's and Lambda's: parse → plan → pulumi resources → local."""

from __future__ import annotations

from typing import Any

from evtc.check.checker import check_compilation
from evtc.frontend import compile_text
from evtc.local import Chaos, Runtime
from evtc.plan import plan_of
from evtc.report.explain import explain_json
from evtc.targets.pulumi_aws.plan import Json, Ref, Resource, ordered
from evtc.targets.pulumi_aws.planner import plan

HEAD = """topology t
event A { id: string }
source s: app { emits: [A] }
source tick: schedule { rate: 1h  emits: [A] }
queue failed { retention: 14d }
queue undelivered { retention: 14d }
function f { handler: "h:ok" }
"""
BOTH = "retries: 1  max_age: 1h  dead_letter: failed  delivery_retries: 3  delivery_max_age: 2h  delivery_dead_letter: undelivered"
BUS = HEAD + f"bus b {{}}\nroute s.A -> b\nroute b -> f {{ {BOTH} }}\n"


def hop(text: str, source: str) -> Any:
    return next(p for p in plan_of(compile_text(text, "t.evt")).routes.values() if p.route.source == source)


def codes(text: str) -> list[str]:
    return sorted(d.code for d in check_compilation(compile_text(text, "t.evt")) if not d.suppressed)


def resources(text: str) -> dict[str, Resource]:
    return {r.var: r for r in ordered(plan(compile_text(text, "t.evt")).entries) if isinstance(r, Resource)}


def test_the_plan_gives_each_stage_its_own_settings() -> None:
    found = hop(BUS, "b")
    assert (found.delivery.by, found.delivery.attempts, found.delivery.max_age) == ("eventbridge", 4.0, 7200.0)
    assert found.delivery.dead_letter == "undelivered"
    assert (found.handler.by, found.handler.attempts, found.handler.max_age) == ("lambda", 2.0, 3600.0)
    assert found.handler.dead_letter == "failed"


def test_without_a_delivery_dead_letter_a_queue_dead_letter_takes_both_as_before() -> None:
    found = hop(HEAD + "bus b {}\nroute s.A -> b\nroute b -> f { dead_letter: failed }\n", "b")
    assert found.delivery.dead_letter == found.handler.dead_letter == "failed"
    assert found.delivery.attempts == 186.0  # EventBridge's default: 185 retries


def test_a_topic_redrives_only_to_a_delivery_dead_letter() -> None:
    text = HEAD + "topic n {}\nroute s.A -> n\nroute n -> f { dead_letter: failed }\n"
    assert hop(text, "n").delivery.dead_letter is None
    assert "redrive_policy" not in resources(text)["subscription_n_f"].args
    text = text.replace("dead_letter: failed", "dead_letter: failed  delivery_dead_letter: undelivered")
    assert hop(text, "n").delivery.dead_letter == "undelivered"
    redrive = resources(text)["subscription_n_f"].args["redrive_policy"]
    assert isinstance(redrive, Json) and redrive.value["deadLetterTargetArn"] == Ref("queue_undelivered", "arn")


def test_pulumi_deploys_the_target_policy_and_the_function_s_async_config() -> None:
    found = resources(BUS)
    target = next(r for r in found.values() if r.type == "cloudwatch.EventTarget").args
    assert target["retry_policy"] == {"maximum_retry_attempts": 3, "maximum_event_age_in_seconds": 7200}
    assert target["dead_letter_config"] == {"arn": Ref("queue_undelivered", "arn")}
    config = found["function_f_async"].args
    assert config["maximum_retry_attempts"] == 1 and config["maximum_event_age_in_seconds"] == 3600
    assert config["destination_config"] == {"on_failure": {"destination": Ref("queue_failed", "arn")}}


def test_a_schedule_s_delivery_settings_are_scheduler_s() -> None:
    text = HEAD + f"route tick -> f {{ {BOTH} }}\n"
    schedule = next(r for r in resources(text).values() if r.type == "scheduler.Schedule").args["target"]
    assert schedule["retry_policy"] == {"maximum_retry_attempts": 3, "maximum_event_age_in_seconds": 7200}
    assert schedule["dead_letter_config"] == {"arn": Ref("queue_undelivered", "arn")}
    assert hop(text, "tick").delivery.by == "scheduler"


def test_delivery_settings_where_there_is_no_such_stage_are_reported() -> None:
    queue = HEAD + "queue q {}\nroute s.A -> q\nroute q -> f { delivery_retries: 2 }\n"
    assert "DLV013" in codes(queue)
    topic = HEAD + "topic n {}\nroute s.A -> n\nroute n -> f { delivery_retries: 2 }\n"
    assert "DLV013" in codes(topic)
    assert "DLV013" not in codes(BUS)
    both = HEAD + "queue q {}\nroute s.A -> q { batch_size: 5  delivery_retries: 2 }\nroute q -> f\n"
    assert codes(both).count("DLV013") == 2  # each property that does nothing, each for its own reason


def test_a_delivery_dead_letter_must_be_a_queue_and_retries_in_range() -> None:
    text = HEAD + "bus b {}\ntopic x {}\nroute s.A -> b\nroute b -> f { delivery_dead_letter: x }\n"
    assert "REF009" in codes(text)  # the wrong kind of component
    assert "LIM001" in codes(BUS.replace("delivery_retries: 3", "delivery_retries: 200"))  # EventBridge: 0 to 185
    assert "LIM001" not in codes(BUS)


def test_two_routes_on_one_subscription_must_agree_on_the_delivery_dead_letter() -> None:
    text = (
        HEAD.replace("emits: [A] }\nsource tick", "emits: [A, B] }\nsource tick").replace(
            "event A { id: string }", "event A { id: string }\nevent B { id: string }"
        )
        + "topic n {}\nroute s -> n\nroute n.A -> f { delivery_dead_letter: undelivered }\nroute n.B -> f\n"
    )
    assert "LIM011" in codes(text)


def _fail(event: Any, context: Any) -> None:
    raise RuntimeError("handler bug")


def test_locally_an_undeliverable_event_goes_to_the_delivery_dead_letter() -> None:
    rt = Runtime(compile_text(BUS, "t.evt"), {"f": _fail}, chaos=Chaos(delivery_outages=[("f", 0, 3 * 86400)]))
    rt.emit("s", "A", {"id": "1"})
    rt.run_until_idle()
    assert rt.deliveries("f") == [] and len(rt.dead_letters("undelivered")) == 1 and not rt.dead_letters("failed")
    assert rt.audit().counts == {"dead_lettered": 1}


def test_locally_a_short_delivery_outage_is_retried_then_the_handler_stage_takes_over() -> None:
    rt = Runtime(compile_text(BUS, "t.evt"), {"f": _fail}, chaos=Chaos(delivery_outages=[("f", 0, 5)]))
    rt.emit("s", "A", {"id": "1"})
    rt.run_until_idle()
    assert len(rt.deliveries("f")) == 2  # one retry of the handler (`retries: 1`)
    assert len(rt.dead_letters("failed")) == 1 and not rt.dead_letters("undelivered")


def test_explain_quotes_both_stages() -> None:
    hops = explain_json(compile_text(BUS, "t.evt"))[0]["delivery"]["hops"]
    last = hops[-1]
    assert (last["attempts"], last["dead_letter"]) == (2.0, "failed")
    assert last["delivery"] == {
        "by": "eventbridge",
        "attempts": 4.0,
        "give_up_seconds": 7200.0,
        "dead_letter": "undelivered",
    }


def test_the_language_server_knows_a_delivery_dead_letter_names_a_queue() -> None:
    from evtc.lsp.index import COMPONENT, Index

    index = Index(compile_text(BUS, "t.evt"))
    uses = index.uses(COMPONENT, "undelivered")
    assert len(uses) == 2 and sum(o.definition for o in uses) == 1  # declared once, named by the route


def test_a_delivery_dead_letter_aws_cannot_use_is_a_check_error() -> None:
    fifo = BUS.replace("queue undelivered { retention: 14d }", "queue undelivered { fifo: true  retention: 14d }")
    assert "LIM010" in codes(fifo)  # EventBridge dead-letters to a standard queue only
    topic = HEAD.replace("queue undelivered { retention: 14d }", "queue undelivered { fifo: true  retention: 14d }")
    topic += "topic n {}\nroute s.A -> n\nroute n -> f { delivery_dead_letter: undelivered }\n"
    assert "LIM010" in codes(topic)  # a standard topic's subscription redrives to a standard queue
    assert "LIM010" not in codes(BUS)
