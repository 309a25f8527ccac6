"""Policies and other per-resource aggregates, written once every route has added to them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from evtc import ir
from evtc.targets.pulumi_aws.context import Context
from evtc.targets.pulumi_aws.emitters import accounts
from evtc.targets.pulumi_aws.emitters.functions import finish_functions
from evtc.targets.pulumi_aws.facts import fact
from evtc.targets.pulumi_aws.plan import Existing, Fmt, Json, Ref, Resource
from evtc.targets.pulumi_aws.runtime.aws_runtime import encode_hops

VERSION = "2012-10-17"
# The account's own administrators keep managing the key, and IAM policies (ours, scoped
# to the key's ARN) may grant its use. Listed one by one: no `kms:*`.
KEY_ADMIN = sorted(
    [
        "kms:CancelKeyDeletion",
        "kms:CreateAlias",
        "kms:CreateGrant",
        "kms:Decrypt",
        "kms:DeleteAlias",
        "kms:DescribeKey",
        "kms:DisableKey",
        "kms:DisableKeyRotation",
        "kms:EnableKey",
        "kms:EnableKeyRotation",
        "kms:Encrypt",
        "kms:GenerateDataKey",
        "kms:GetKeyPolicy",
        "kms:GetKeyRotationStatus",
        "kms:ListGrants",
        "kms:ListResourceTags",
        "kms:PutKeyPolicy",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
        "kms:RevokeGrant",
        "kms:ScheduleKeyDeletion",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:UpdateAlias",
        "kms:UpdateKeyDescription",
    ]
)


def finish(ctx: Context) -> None:
    accounts.apply(ctx)
    _owed_role_policies(ctx)
    _identity_policies(ctx)
    _resource_policies(ctx)
    _key_policy(ctx)
    _notifications(ctx)
    _app_hops(ctx)
    finish_functions(ctx)
    _known_dependencies(ctx)


def _owed_role_policies(ctx: Context) -> None:
    """What an external function's own role needs to read its hops: owed by its owner."""
    for function in ctx.topology.components:
        var = ctx.of(function.name, "role")
        if isinstance(function, ir.Function) and function.external and ctx.grants.get(var):
            ctx.outputs(function.name, role_policy_owed=document(ctx.grants.pop(var)))


def _known_dependencies(ctx: Context) -> None:
    """Drop dependencies on resources this stack does not create (an external function's role)."""
    for i, entry in enumerate(ctx.plan.entries):
        if isinstance(entry, Resource) and any(d not in ctx.index for d in entry.depends_on):
            kept = tuple(d for d in entry.depends_on if d in ctx.index)
            ctx.plan.entries[i] = ctx.index[entry.var] = replace(entry, depends_on=kept)


def document(statements: list[dict[str, Any]]) -> Json:
    return Json({"Version": VERSION, "Statement": sorted(statements, key=repr)})


def _identity_policies(ctx: Context) -> None:
    for var, kind in sorted(ctx.principals.items()):
        statements = ctx.grants.get(var, [])
        if not statements:
            continue
        owner = ctx.index.get(var)
        component = owner.component if isinstance(owner, Resource) else var
        if kind == "role":
            args = {"role": Ref(var, "id"), "policy": document(statements)}
            name = owner.name if isinstance(owner, Resource) else var
            was = tuple(f"{a}-policy" for a in owner.aliases) if isinstance(owner, Resource) else ()
            ctx.add(ctx.sub(var, "policy"), "iam.RolePolicy", f"{name}-policy", args, component, aliases=was)
        else:
            name = ctx.names.key(var)[-1]
            args = {
                "name": ctx.physical(name, "iam", "-publish"),
                "policy": document(statements),
                "description": f"lets the service behind '{name}' publish its declared events",
            }
            ctx.add(var, "iam.Policy", f"{name}-publish", args, name)
            ctx.outputs(name, policy_arn=Ref(var, "arn"), policy_name=Ref(var, "name"))


def _resource_policies(ctx: Context) -> None:
    for owner, statements in sorted(ctx.admits.items()):
        kind, name = ctx.names.key(owner)[:2]
        if ctx.component(name).external:
            # NOTE: owed by the owner: SQS and SNS keep one policy per resource, ours would replace theirs
            ctx.outputs(name, policy_owed=document(statements))
        elif kind == "queue":
            args = {"queue_url": Ref(owner, "url"), "policy": document(statements)}
            ctx.add(ctx.sub(owner, "policy"), "sqs.QueuePolicy", f"{name}-policy", args, name)
        else:
            args = {"arn": Ref(owner, "arn"), "policy": document(statements)}
            ctx.add(ctx.sub(owner, "policy"), "sns.TopicPolicy", f"{name}-policy", args, name)


def _key_policy(ctx: Context) -> None:
    key = ctx.var("kms_key")
    if not ctx.has(key):
        return
    root = {"AWS": Fmt("arn:{partition}:iam::{account}:root")}
    statements: list[dict[str, Any]] = [
        # NOTE: in a key policy "Resource": "*" means this key and nothing else.
        {"Sid": "AccountAdministers", "Effect": "Allow", "Principal": root, "Action": KEY_ADMIN, "Resource": "*"}
    ]
    for service, arns in sorted(ctx.key_services.items()):
        statements.append(
            {
                "Sid": service.split(".")[0].capitalize() + "OnThePaths",
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": "*",
                "Condition": _key_condition(service, arns),
            }
        )
    args = {"key_id": Ref(key, "id"), "policy": Json({"Version": VERSION, "Statement": statements})}
    ctx.add(ctx.sub(key, "policy"), "kms.KeyPolicy", "key-policy", args, "kms", unless=Existing("kmsKeyArn"))
    # NOTE: "kms-key" is no component name (they have no hyphen), so no output collides with it.
    ctx.outputs("kms-key", arn=Ref(key, "arn"), id=Ref(key, "id"))


def _key_condition(service: str, arns: set[Any]) -> dict[str, Any]:
    """The exact source ARNs; past the key policy's size budget, this stack's own resources
    of that service (by name prefix, in this account) instead."""
    if len(arns) <= fact("kms.policy_exact_arns"):
        return {"ArnEquals": {"aws:SourceArn": sorted(arns, key=repr)}}
    name = service.split(".")[0]
    pattern = Fmt(f"arn:{{partition}}:{name}:{{region}}:{{account}}:*{{prefix}}-*")
    return {"ArnLike": {"aws:SourceArn": pattern}, "StringEquals": {"aws:SourceAccount": Fmt("{account}")}}


def _app_hops(ctx: Context) -> None:
    """An app's first hops as a stack output: the service sets it as `EVTC_HOPS` (with
    `EVTC_TOPOLOGY` and `EVTC_COMPONENT`) and publishes with `evtc.targets.pulumi_aws.runtime.aws_runtime`."""
    for var, kind in sorted(ctx.principals.items()):
        name = ctx.names.key(var)[-1]
        hops = ctx.environment.get(name, {})
        if kind == "policy" and hops:
            ctx.outputs(name, hops=Json(encode_hops(hops)))


def _notifications(ctx: Context) -> None:
    for source, notes in sorted(ctx.notifications.items(), key=lambda item: item[0]):
        args: dict[str, Any] = {"bucket": Ref(ctx.of(source), "id")}
        args |= {k: v for k, v in notes.items() if k != "after" and v}
        after = tuple(sorted(set(notes["after"])))
        ctx.add(
            ctx.of(source, "notifications"),
            "s3.BucketNotification",
            f"{source}-notifications",
            args,
            source,
            depends_on=after,
        )
