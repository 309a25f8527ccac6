"""Sources: `emit_source_<kind>` for app, s3, dynamodb, webhook and schedule."""

from __future__ import annotations

import math
from typing import Any

from evtc import ir
from evtc.plan.changes import stream_view
from evtc.plan.ingress import ingress_of, ingress_timeout
from evtc.plan.tables import change_stream, table_key
from evtc.targets.pulumi_aws.context import BuildError, Context
from evtc.targets.pulumi_aws.emitters.functions import lambda_function
from evtc.targets.pulumi_aws.plan import Concat, Existing, Ref

WEBHOOK_HANDLER = "evtc.targets.pulumi_aws.runtime.aws_webhook.handle"


def emit_source(ctx: Context, source: ir.Source) -> None:
    emitter = globals().get(f"emit_source_{source.kind}")
    if emitter is None:
        raise BuildError(f"source '{source.name}': kind '{source.kind}' has no AWS mapping")
    emitter(ctx, source)


def emit_source_app(ctx: Context, source: ir.Source) -> None:
    """The service publishes with a managed policy it attaches to its own role (see finish)."""
    ctx.principals[ctx.of(source.name)] = "policy"  # NOTE: its outputs come with the policy, if any


def emit_source_s3(ctx: Context, source: ir.Source) -> None:
    var, existing = ctx.of(source.name), Existing("existingBuckets", source.name)
    name = ctx.named(source.bucket, source.name, "s3")
    ctx.add(var, "s3.Bucket", source.name, {"bucket": name}, source.name, adopt=existing)
    block = dict.fromkeys(
        ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"), True
    )
    ctx.add(
        ctx.sub(var, "public_access"),
        "s3.BucketPublicAccessBlock",
        f"{source.name}-public-access",
        {"bucket": Ref(var, "id"), **block},
        source.name,
        unless=existing,
    )
    rule = {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}
    ctx.add(
        ctx.sub(var, "encryption"),
        "s3.BucketServerSideEncryptionConfiguration",
        f"{source.name}-encryption",
        {"bucket": Ref(var, "id"), "rules": [rule]},
        source.name,
        unless=existing,
    )
    ctx.outputs(source.name, arn=Ref(var, "arn"), name=Ref(var, "bucket"))


def emit_source_dynamodb(ctx: Context, source: ir.Source) -> None:
    var = ctx.of(source.name)
    stream = change_stream(ctx.topology, source)
    key = _hash_key(ctx, source)
    args: dict[str, Any] = {
        "name": ctx.named(source.table, source.name, "dynamodb"),
        "billing_mode": "PAY_PER_REQUEST",
        "hash_key": key,
        "attributes": [{"name": key, "type": "S"}],
        "stream_enabled": True,
        "stream_view_type": _view_type(source),
        "point_in_time_recovery": {"enabled": True},
    }
    if source.replicas:
        args["replicas"] = [{"region_name": region} for region in source.replicas]
    if stream is not None and stream.encrypted:
        if source.replicas:
            raise BuildError(
                f"source '{source.name}': an encrypted global table needs a key per region; evtc does not create those yet"
            )
        args["server_side_encryption"] = {"enabled": True, "kms_key_arn": ctx.key()}
    ctx.add(var, "dynamodb.Table", source.name, args, source.name, adopt=Existing("existingTables", source.name))
    ctx.outputs(source.name, arn=Ref(var, "arn"), name=Ref(var, "name"), stream_arn=Ref(var, "stream_arn"))


def _view_type(source: ir.Source) -> str:
    return stream_view(source)


def _hash_key(ctx: Context, source: ir.Source) -> str:
    key = table_key(ctx.topology, source)
    if key is None:  # NOTE: LIM012 reports it at check time
        raise BuildError(f"source '{source.name}': give its stream a `partition_key` to key the table by")
    return key


def emit_source_webhook(ctx: Context, source: ir.Source) -> None:
    """API Gateway (HTTP API) → an ingress function that judges each request as the plan's
    `Ingress` says (signature, event type) before it emits anything into the topology."""
    ingress = ingress_of(source)
    function = lambda_function(ctx, source.name, WEBHOOK_HANDLER)
    env: dict[str, Any] = {"EVTC_INGRESS": ingress.to_json()}
    if ingress.signed:
        if not source.secret:  # NOTE: SEC007 reports it at check time
            raise BuildError(f"source '{source.name}': a `{ingress.verify}` webhook needs `secret: \"<secret name>\"`")
        secret = ctx.lookup(ctx.var("secret", source.name), "secretsmanager.get_secret_output", {"name": source.secret})
        ctx.grant(ctx.sub(function, "role"), ["secretsmanager:GetSecretValue"], [Ref(secret, "arn")])
        env["EVTC_SECRET_ARN"] = Ref(secret, "arn")
    spec = ctx.functions[function]
    spec["env"] = env
    spec["args"]["timeout"] = int(math.ceil(ingress_timeout(source)))
    if source.concurrency:
        spec["args"]["reserved_concurrent_executions"] = source.concurrency
    _http_api(ctx, source, function)


def _http_api(ctx: Context, source: ir.Source, function: str) -> None:
    """The HTTP API, its one `POST` route (IAM-authorised for `verify: iam`) and the
    permission for exactly that route to invoke the ingress function."""
    api = ctx.add(
        ctx.sub(function, "api"),
        "apigatewayv2.Api",
        f"{source.name}-api",
        {"name": ctx.physical(source.name, "apigateway"), "protocol_type": "HTTP"},
        source.name,
    )
    integration = {
        "api_id": Ref(api, "id"),
        "integration_type": "AWS_PROXY",
        "integration_uri": Ref(function, "arn"),
        "payload_format_version": "2.0",
        "timeout_milliseconds": int(ingress_timeout(source) * 1000),
    }
    ctx.add(
        ctx.sub(function, "integration"),
        "apigatewayv2.Integration",
        f"{source.name}-integration",
        integration,
        source.name,
    )
    route: dict[str, Any] = {
        "api_id": Ref(api, "id"),
        "route_key": f"POST {webhook_path(source)}",
        "target": Concat(("integrations/", Ref(ctx.sub(function, "integration"), "id"))),
    }
    if source.verify == "iam":
        route["authorization_type"] = "AWS_IAM"
    ctx.add(ctx.sub(function, "route"), "apigatewayv2.Route", f"{source.name}-route", route, source.name)
    ctx.add(
        ctx.sub(function, "stage"),
        "apigatewayv2.Stage",
        f"{source.name}-stage",
        {"api_id": Ref(api, "id"), "name": "$default", "auto_deploy": True},
        source.name,
    )
    route_arn = Concat((Ref(api, "execution_arn"), f"/$default/POST{webhook_path(source)}"))
    invoke = {
        "action": "lambda:InvokeFunction",
        "function": Ref(function, "name"),
        "principal": "apigateway.amazonaws.com",
        "source_arn": route_arn,
    }
    ctx.add(ctx.sub(function, "invoke"), "lambda_.Permission", f"{source.name}-invoke", invoke, source.name)
    url = Concat((Ref(api, "api_endpoint"), webhook_path(source)))
    ctx.outputs(source.name, url=url, api_id=Ref(api, "id"), route_arn=route_arn)


def webhook_path(source: ir.Source) -> str:
    """The URL path callers POST to: the written `path`, or `/<source name>`."""
    return source.path or f"/{source.name}"


def emit_source_schedule(ctx: Context, source: ir.Source) -> None:
    """Each route from a schedule becomes one EventBridge Scheduler schedule (route_schedule)."""


def route_dynamodb_table_stream(ctx: Context, route: ir.Route) -> None:
    """The table's own change stream: `emit_source_dynamodb` has already enabled it."""


def schedule_expression(source: ir.Source) -> str:
    if source.rate is not None:
        rate = source.rate
        seconds = rate.seconds if isinstance(rate, ir.Duration) else float(rate)  # NOTE: lowered to seconds
        minutes = max(1, int(seconds // 60))
        return f"rate({minutes} minute{'s' if minutes > 1 else ''})"
    if not source.cron:
        raise BuildError(f"source '{source.name}': a schedule needs `rate` or `cron`")
    return source.cron  # NOTE: the front end has checked it and spelt it `cron(…)`
