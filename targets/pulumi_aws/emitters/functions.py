"""Consumers: `emit_function` (Lambda with its own role and log group) and `emit_endpoint`."""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.targets.pulumi_aws.context import Context
from evtc.targets.pulumi_aws.emitters.writes import grant_writes
from evtc.targets.pulumi_aws.facts import fact, text_fact
from evtc.targets.pulumi_aws.plan import Archive, Concat, Fmt, Json, Ref
from evtc.targets.pulumi_aws.runtime.aws_runtime import encode_hops

RUNTIME_BACKEND = "evtc.targets.pulumi_aws.runtime.aws_runtime"  # what `evtc.emit` loads on Lambda

LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def emit_function(ctx: Context, function: ir.Function) -> None:
    module, _, attr = function.handler.partition(":")
    var = lambda_function(ctx, function.name, f"{module}.{attr}", function)
    for source in function.reads:
        _grant_read(ctx, ctx.sub(var, "role"), ctx.component(source))
    grant_writes(ctx, function, var)


def emit_endpoint(ctx: Context, endpoint: ir.Endpoint) -> None:
    """Endpoints are subscriptions of the topic that feeds them (route_topic_endpoint)."""


def lambda_function(ctx: Context, name: str, handler: str, spec: ir.Function | None = None, helper: str = "") -> str:
    """A Lambda function, its role and its log group; the function itself is written last,
    once every route has added its environment (see `finish_functions`).

    `helper` names a function evtc adds for component `name` (a table stream's envelope
    function): `{name}-{helper}`, which no component name can be."""
    var = ctx.var("function", name, helper) if helper else ctx.var("function", name)
    label = f"{name}-{helper}" if helper else name
    # NOTE: before evtc 0.2 a helper was `{name}_{helper}`, a name a component could have too.
    was = (f"{name}_{helper}",) if helper else ()
    physical = ctx.physical(label, "lambda")
    role = ctx.add(
        ctx.sub(var, "role"),
        "iam.Role",
        f"{label}-role",
        {"name": ctx.physical(label, "iam", "-role"), "assume_role_policy": Json(LAMBDA_TRUST)},
        name,
        aliases=tuple(f"{w}-role" for w in was),
    )
    ctx.principals[role] = "role"
    logs = {"name": Fmt("/aws/lambda/" + physical.template), "retention_in_days": fact("lambda.log_retention_days")}
    log_group = ctx.add(
        ctx.sub(var, "logs"),
        "cloudwatch.LogGroup",
        f"{label}-logs",
        logs,
        name,
        aliases=tuple(f"{w}-logs" for w in was),
    )
    # NOTE: log streams get names at run time; `:log-stream:*` within our own group is the tightest scope.
    ctx.grant(role, ["logs:CreateLogStream", "logs:PutLogEvents"], [Concat((Ref(log_group, "arn"), ":log-stream:*"))])
    args: dict[str, Any] = {
        "name": physical,
        "role": Ref(role, "arn"),
        "runtime": text_fact("lambda.runtime"),
        "handler": handler,
        "code": Archive("", module=handler.rpartition(".")[0]),
        "timeout": int(spec.timeout) if spec else 10,
        "memory_size": spec.memory if spec else 256,
    }
    if spec and spec.concurrency:
        args["reserved_concurrent_executions"] = spec.concurrency
    ctx.functions[var] = {
        "args": args,
        "component": name,
        "label": label,
        "aliases": was,
        "depends_on": (log_group, ctx.sub(role, "policy")),
    }
    if not helper:
        ctx.outputs(name, arn=Ref(var, "arn"), name=Ref(var, "name"), log_group=Ref(log_group, "name"))
    return var


def _grant_read(ctx: Context, role: str, source: ir.Component) -> None:
    """`reads: [source]`: read back what a notification points at, and nothing else."""
    var = ctx.of(source.name)
    if isinstance(source, ir.Source) and source.kind == "s3":
        # NOTE: object keys are data; `bucket/*` is the narrowest ARN that covers them.
        ctx.grant(role, ["s3:GetObject"], [Concat((Ref(var, "arn"), "/*"))])
    elif isinstance(source, ir.Source) and source.kind == "dynamodb":
        ctx.grant(role, ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"], [Ref(var, "arn")])


def finish_functions(ctx: Context) -> None:
    for var, spec in sorted(ctx.functions.items()):
        args = dict(spec["args"])
        component = spec["component"]
        hops = ctx.environment.get(component, {})
        variables: dict[str, Any] = {
            "EVTC_TOPOLOGY": ctx.topology.name,
            "EVTC_BACKEND": RUNTIME_BACKEND,
            "EVTC_COMPONENT": component,
            **spec.get("env", {}),
        }
        if hops:
            variables["EVTC_HOPS"] = Json(encode_hops(hops))
        args["environment"] = {"variables": variables}
        ctx.add(
            var,
            "lambda_.Function",
            spec["label"],
            args,
            component,
            depends_on=spec["depends_on"],
            aliases=spec["aliases"],
        )
