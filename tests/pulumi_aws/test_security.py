"""Least privilege, checked on every policy document every example's program creates."""

from __future__ import annotations

import json
from typing import Any

import pytest

from evtc import ir

from .conftest import Deployed, examples

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

POLICY_INPUTS = {
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:iam/policy:Policy": "policy",
    "aws:sqs/queuePolicy:QueuePolicy": "policy",
    "aws:sns/topicPolicy:TopicPolicy": "policy",
    "aws:kms/keyPolicy:KeyPolicy": "policy",
    "aws:iam/role:Role": "assumeRolePolicy",
}
# The only resource patterns allowed, each justified in docs/targets/pulumi-aws.md.
PATTERNS = {":log-stream:*": {"logs:CreateLogStream", "logs:PutLogEvents"}, "/*": {"s3:GetObject"}}
# Lambda's execution-role trust: Lambda sets no aws:SourceArn when it assumes the role.
UNCONDITIONED_TRUST = {"lambda.amazonaws.com"}
PUBLISH = {
    "sqs:SendMessage",
    "sns:Publish",
    "kinesis:PutRecord",
    "kinesis:PutRecords",
    "events:PutEvents",
    "lambda:InvokeFunction",
}
READ_BACK = {"s3:GetObject", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}


def statements(deployed: Deployed) -> list[tuple[Any, dict[str, Any]]]:
    found = []
    for r in deployed.resources:
        key = POLICY_INPUTS.get(r.type)
        if key and key in r.inputs:
            found += [(r, s) for s in json.loads(r.inputs[key])["Statement"]]
    return found


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("example", list(examples()))
def test_no_wildcard_actions(example: str, deployments: dict[str, Deployed]) -> None:
    for owner, statement in statements(deployments[example]):
        assert not [a for a in as_list(statement["Action"]) if "*" in a], (owner.name, statement)


@pytest.mark.parametrize("example", list(examples()))
def test_no_wildcard_resources_beyond_the_justified_list(example: str, deployments: dict[str, Deployed]) -> None:
    for owner, statement in statements(deployments[example]):
        for resource in as_list(statement.get("Resource", [])):
            if resource == "*":
                # NOTE: in a key policy "*" is the key itself
                assert owner.type == "aws:kms/keyPolicy:KeyPolicy", (owner.name, statement)
            elif "*" in resource:
                allowed = next(
                    (
                        acts
                        for tail, acts in PATTERNS.items()
                        if resource.endswith(tail) and "*" not in resource[: -len(tail)]
                    ),
                    None,
                )
                assert allowed is not None and set(as_list(statement["Action"])) <= allowed, (owner.name, statement)


@pytest.mark.parametrize("example", list(examples()))
def test_service_principals_are_bound_to_an_exact_source_arn(
    example: str, deployments: dict[str, Deployed], compilations: dict[str, Any]
) -> None:
    deployed = deployments[example]
    known = set(deployed.by_arn()) | {f"{arn}" for arn in deployed.by_arn()}
    known |= {c.arn for c in compilations[example].topology.components if c.arn}  # owned elsewhere, by ARN
    for owner, statement in statements(deployed):
        service = statement.get("Principal", {}).get("Service")
        if service is None or service in UNCONDITIONED_TRUST:
            continue
        sources = as_list(statement.get("Condition", {}).get("ArnEquals", {}).get("aws:SourceArn", []))
        assert sources, (owner.name, statement)
        assert all(s in known for s in sources), (owner.name, sources)


@pytest.mark.parametrize("example", list(examples()))
def test_lambda_permissions_name_their_exact_source(
    example: str, deployments: dict[str, Deployed], compilations: dict[str, Any]
) -> None:
    deployed = deployments[example]
    accounts = {c.account for c in compilations[example].topology.components if c.account}
    for permission in deployed.of_type("lambda/permission:Permission"):
        if permission.inputs.get("principal") in accounts:
            continue  # NOTE: another account's producer: the principal is that one account (evtc.plan.accounts)
        source = permission.inputs.get("sourceArn", "")
        assert source and "*" not in source, permission.name
        assert source in deployed.by_arn() or source.startswith("arn:aws:execute-api:"), permission.name


def _role_owner(deployed: Deployed, role_policy: Any) -> str:
    return role_policy.name.removesuffix("-role-policy")


@pytest.mark.parametrize("example", list(examples()))
def test_functions_read_only_what_they_declare(
    example: str, deployments: dict[str, Deployed], compilations: dict[str, Any]
) -> None:
    topology: ir.Topology = compilations[example].topology
    deployed = deployments[example]
    arns = {r.name: r.arn for r in deployed.resources}
    for function in [c for c in topology.components if isinstance(c, ir.Function)]:
        allowed = {arns[s] for s in function.reads if s in arns}
        for owner, statement in statements(deployed):
            if owner.name != f"{function.name}-role-policy" or not set(as_list(statement["Action"])) & READ_BACK:
                continue
            for resource in as_list(statement["Resource"]):
                assert resource.removesuffix("/*") in allowed, (function.name, resource)


def _identity_policy_of(component: ir.Component) -> str:
    """The logical name of the policy that carries a component's publish grants."""
    if isinstance(component, ir.Source) and component.kind == "app":
        return f"{component.name}-publish"
    return f"{component.name}-role-policy"


@pytest.mark.parametrize("example", list(examples()))
def test_emitters_publish_only_to_first_hops_and_dead_letters(
    example: str, deployments: dict[str, Deployed], compilations: dict[str, Any]
) -> None:
    topology: ir.Topology = compilations[example].topology
    deployed = deployments[example]
    arns = {r.name: r.arn for r in deployed.resources if not r.type.endswith("Policy")}
    emitters = [
        c
        for c in topology.components
        if isinstance(c, ir.Function) or (isinstance(c, ir.Source) and c.kind in ("app", "webhook"))
    ]
    checked = 0
    for emitter in emitters:
        hops = {
            r.target
            for r in topology.routes
            if r.source == emitter.name and (r.event is None or r.event in emitter.emits)
        }
        dead = {r.dead_letter for r in topology.routes if r.target == emitter.name and r.dead_letter}
        # NOTE: an external hop is not deployed: its ARN is the one written
        allowed = {arns.get(name) or getattr(topology.component(name), "arn", None) for name in hops | dead}
        for owner, statement in statements(deployed):
            if owner.name == _identity_policy_of(emitter) and set(as_list(statement["Action"])) & PUBLISH:
                assert set(as_list(statement["Resource"])) <= allowed, (emitter.name, statement)
                checked += 1
    assert checked or not any(isinstance(c, ir.Source) and c.kind == "app" for c in emitters)


@pytest.mark.parametrize("example", list(examples()))
def test_declared_encryption_is_deployed_everywhere(
    example: str, deployments: dict[str, Deployed], compilations: dict[str, Any]
) -> None:
    topology: ir.Topology = compilations[example].topology
    deployed = deployments[example]
    by_name = {(r.type, r.name): r for r in deployed.resources}
    keys = {r.arn for r in deployed.of_type("kms/key:Key")}
    fields = {
        ir.Queue: ("aws:sqs/queue:Queue", "kmsMasterKeyId"),
        ir.Topic: ("aws:sns/topic:Topic", "kmsMasterKeyId"),
        ir.Stream: ("aws:kinesis/stream:Stream", "kmsKeyId"),
        ir.Bus: ("aws:cloudwatch/eventBus:EventBus", "kmsKeyIdentifier"),
    }
    for component in topology.components:
        spec = fields.get(type(component))
        if spec is None or not getattr(component, "encrypted", False) or component.external:
            continue  # NOTE: an external component's key is its owner's
        resource = by_name.get((spec[0], component.name))
        if resource is None:  # a table's change stream: the table carries the key
            table = next(r for r in deployed.of_type("dynamodb/table:Table"))
            assert table.inputs["serverSideEncryption"]["kmsKeyArn"] in keys
            continue
        assert resource.inputs.get(spec[1]) in keys, component.name


@pytest.mark.parametrize("example", list(examples()))
def test_unencrypted_queues_still_use_sse_sqs(example: str, deployments: dict[str, Deployed]) -> None:
    for queue in deployments[example].of_type("sqs/queue:Queue"):
        assert queue.inputs.get("kmsMasterKeyId") or queue.inputs.get("sqsManagedSseEnabled"), queue.name
