"""External components under Pulumi's mocks: looked up or used by ARN, never created;
an external producer is a rule on its bus bound to its `source` and `detail-type`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evtc.frontend import compile_text
from evtc.targets.pulumi_aws import target

from .conftest import run_program

FIXTURE = Path(__file__).resolve().parents[1] / "interop" / "fixtures" / "external.evt"


def _deploy(tmp_path: Path) -> tuple[list[Any], str]:
    compilation = compile_text(FIXTURE.read_text(encoding="utf-8"), str(tmp_path / "t.evt"))
    target.build(compilation, tmp_path / "out")
    return run_program(tmp_path / "out", "t"), (tmp_path / "out" / "__main__.py").read_text()


def test_external_components_are_never_created(tmp_path: Path) -> None:
    resources, program = _deploy(tmp_path)
    assert sorted(r.name for r in resources if r.type == "aws:sqs/queue:Queue") == ["stopped", "stopped_dlq"]
    assert not [r for r in resources if r.type == "aws:cloudwatch/eventBus:EventBus"]
    assert [r.name for r in resources if r.type == "aws:lambda/function:Function"] == ["notify"]
    assert 'get_function_output(function_name="team-b-poller")' in program
    assert 'get_event_bus_output(name="default")' in program
    assert not any(r.type == "aws:lambda/permission:Permission" and "poller" in r.name for r in resources)


def test_the_app_may_send_to_the_external_queue_by_its_arn(tmp_path: Path) -> None:
    resources, _ = _deploy(tmp_path)
    policy = next(r for r in resources if r.type == "aws:iam/policy:Policy")
    statements = json.loads(policy.inputs["policy"])["Statement"]
    assert {
        "Effect": "Allow",
        "Action": ["sqs:SendMessage"],
        "Resource": ["arn:aws:sqs:eu-west-1:111122223333:partner-jobs"],
    } in statements


def test_an_external_producer_is_a_rule_on_the_default_bus_bound_to_its_types(tmp_path: Path) -> None:
    resources, program = _deploy(tmp_path)
    rules = {r.name: r for r in resources if r.type == "aws:cloudwatch/eventRule:EventRule"}
    assert set(rules) == {"ec2-to-poller", "ec2-to-stopped"}
    for rule in rules.values():
        pattern = json.loads(rule.inputs["eventPattern"])
        assert rule.inputs["eventBusName"] == "default"
        assert pattern["source"] == ["aws.ec2"]
        assert pattern["detail-type"] == ["EC2 Instance State-change Notification"]
    assert json.loads(rules["ec2-to-poller"].inputs["eventPattern"])["detail"] == {"state": ["stopped"]}
    targets = [r for r in resources if r.type == "aws:cloudwatch/eventTarget:EventTarget"]
    assert all("inputPath" not in t.inputs for t in targets)  # the native event, whole
    assert "policy_owed" in program  # the invoke permission is the function owner's to add


def test_change_kinds_deploy_as_pipe_filters_on_a_table_with_old_images(deployments: dict[str, Any]) -> None:
    deployed = deployments["order_changes"]
    (table,) = deployed.of_type("dynamodb/table:Table")
    assert table.inputs["streamViewType"] == "NEW_AND_OLD_IMAGES"
    (pipe,) = deployed.of_type("pipes/pipe:Pipe")  # NOTE: routes from one store to one target share a pipe
    filters = pipe.inputs["sourceParameters"]["filterCriteria"]["filters"]
    assert sorted(json.loads(f["pattern"])["eventName"] for f in filters) == [["INSERT"], ["MODIFY"], ["REMOVE"]]
    (enrich,) = [f for f in deployed.of_type("lambda/function:Function") if f.name.endswith("envelope")]
    changes = json.loads(enrich.inputs["environment"]["variables"]["EVTC_CHANGES"])
    assert changes == {"INSERT": "OrderCreated", "MODIFY": "OrderUpdated", "REMOVE": "OrderRemoved"}


def test_the_s3_port_reads_the_default_bus_and_owes_the_audit_queue_its_policy(deployments: dict[str, Any]) -> None:
    deployed = deployments["s3_sqs_lambda"]
    assert sorted(r.name for r in deployed.of_type("sqs/queue:Queue")) == ["incoming", "incoming_dlq"]
    assert all("audit" not in r.name for r in deployed.of_type("sqs/queuePolicy:QueuePolicy"))
    rules = deployed.of_type("cloudwatch/eventRule:EventRule")
    assert {r.inputs["eventBusName"] for r in rules} == {"default"}
