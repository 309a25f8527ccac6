"""Issue 10's "the build deploys something other than the file says": every route reaches
AWS with its own event-type selection and filter, merged where AWS shares one resource."""

from __future__ import annotations

import json
from typing import Any

from evtc.filters import artefact_matcher
from evtc.frontend import compile_text
from evtc.plan import plan_of
from evtc.targets.pulumi_aws.planner import plan

HEAD = 'topology t\nevent A { id: string key: string }\nevent B { id: string key: string }\nfunction f { handler: "h:ok" }\n'


def _resources(body: str, type_: str) -> list[Any]:
    compilation = compile_text(HEAD + body, "t.evt")
    assert [d for d in compilation.diagnostics if d.severity.value == "error"] == []
    return [r for r in plan(compilation).resources if r.type == type_]


def test_two_bus_routes_into_one_function_are_two_rules_each_with_its_type() -> None:
    rules = _resources(
        "source s: app { emits: [A, B] }\nbus b {}\nroute s.A -> b\nroute s.B -> b\nroute b.A -> f\nroute b.B -> f\n",
        "cloudwatch.EventRule",
    )
    assert sorted(r.args["event_pattern"].value["detail-type"] for r in rules) == [["A"], ["B"]]
    assert len({r.var for r in rules}) == 2 and len({r.name for r in rules}) == 2


def test_two_filtered_routes_from_one_queue_are_one_mapping_with_both_filters() -> None:
    [mapping] = _resources(
        "source s: app { emits: [A] }\nqueue q { dead_letter: d }\nqueue d { retention: 14d }\n"
        'route s.A -> q\nroute q -> f when key == "a"\nroute q -> f when key == "b"\n',
        "lambda_.EventSourceMapping",
    )
    patterns = [json.loads(f["pattern"]) for f in mapping.args["filter_criteria"]["filters"]]
    assert sorted(p["body"]["data"]["key"] for p in patterns) == [["a"], ["b"]]


def test_a_qualifier_without_when_on_a_queue_is_deployed_as_a_filter() -> None:
    # issue 17: `route q.Public -> public_only` must not receive Secret events on AWS
    mappings = _resources(
        'function g { handler: "h:ok" }\nsource s: app { emits: [A, B] }\nqueue q { dead_letter: d }\n'
        "queue d { retention: 14d }\nroute s.A -> q\nroute s.B -> q\nroute q.A -> f\nroute q.B -> g\n",
        "lambda_.EventSourceMapping",
    )
    by_function = {m.args["function_name"].var: m for m in mappings}
    [only] = by_function["function_f"].args["filter_criteria"]["filters"]
    assert json.loads(only["pattern"]) == {"body": {"type": ["A"]}}


def test_two_topic_routes_into_one_function_are_one_subscription_selecting_both() -> None:
    [subscription] = _resources(
        "source s: app { emits: [A, B] }\ntopic tp {}\nroute s.A -> tp\nroute s.B -> tp\n"
        'route tp.A -> f when key == "x"\nroute tp.B -> f\n',
        "sns.TopicSubscription",
    )
    policy = subscription.args["filter_policy"].value
    decide = artefact_matcher(policy, "sns")
    assert decide({"type": "A", "data": {"key": "x"}}) and decide({"type": "B", "data": {"key": "y"}})
    assert not decide({"type": "A", "data": {"key": "y"}})


def test_bus_route_failure_settings_go_to_lambdas_async_configuration() -> None:
    body = (
        "source s: app { emits: [A] }\nbus b {}\nqueue dlq { retention: 14d }\nroute s.A -> b\n"
        "route b -> f { retries: 1 max_age: 1h dead_letter: dlq }\n"
    )
    [config] = _resources(body, "lambda_.FunctionEventInvokeConfig")
    assert config.args["maximum_retry_attempts"] == 1 and config.args["maximum_event_age_in_seconds"] == 3600
    [target] = _resources(body, "cloudwatch.EventTarget")
    assert "retry_policy" not in target.args and target.args["dead_letter_config"]["arn"].var == "queue_dlq"


def test_schedule_route_into_a_queue_deploys_max_age() -> None:
    [schedule] = _resources(
        "source tick: schedule { rate: 5m emits: [A] }\nqueue q { dead_letter: d }\nqueue d { retention: 14d }\n"
        "route tick.A -> q { retries: 3 max_age: 2h }\nroute q -> f\n",
        "scheduler.Schedule",
    )
    assert schedule.args["target"]["retry_policy"] == {
        "maximum_retry_attempts": 3,
        "maximum_event_age_in_seconds": 7200,
    }


def test_explain_and_the_plan_quote_lambdas_retries_for_a_bus_into_a_function() -> None:
    from evtc.analysis import analyze

    compilation = compile_text(HEAD + "source s: app { emits: [A] }\nbus b {}\nroute s.A -> b\nroute b -> f\n", "t.evt")
    [hop] = [h for h in plan_of(compilation).routes.values() if h.route.source == "b"]
    assert (hop.handler.by, hop.handler.attempts, hop.handler.max_age) == ("lambda", 3.0, 6 * 3600.0)
    assert hop.delivery.by == "eventbridge"
    facts = analyze(compilation).hops[hop.id]
    assert facts.attempts == 3.0 and facts.give_up == 6 * 3600.0


def test_a_table_read_by_a_function_is_explained_as_its_change_stream() -> None:
    from evtc.analysis import analyze

    compilation = compile_text(HEAD + 'source tbl: dynamodb { table: "x" emits: [A] }\nroute tbl.A -> f\n', "t.evt")
    [hop] = analyze(compilation).hops.values()
    assert hop.style == "poll-stream" and hop.give_up == 24 * 3600.0
