"""Resource policies across accounts, as the delivery plan's account placement states them
(`evtc.plan.accounts`): written on what the stack owns, output as owed on what it does not.

Nothing here decides which principal may do what: every statement comes from the plan,
which derives it from the declared associations. This module only spells the plan's
symbolic ARNs (a component's, a route's execution role's) as the program's references.
"""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.plan.accountmodel import ArnOf, Crossing, Principal, Statement
from evtc.targets.pulumi_aws.context import Context
from evtc.targets.pulumi_aws.plan import Fmt, Json, Ref

VERSION = "2012-10-17"


def crossing(ctx: Context, route: ir.Route) -> Crossing | None:
    return ctx.carriage(route).crossing if ctx.delivery else None


def by_role(ctx: Context, route: ir.Route) -> bool:
    """Whether EventBridge must deliver this route with an execution role: its target is in
    another account (AWS requires a role for every cross-account target but a bus's)."""
    found = crossing(ctx, route)
    return found is not None and any(
        s.principal.kind == "role" and isinstance(s.principal.value, ArnOf) and s.principal.value.route == route.id
        for s in found.statements
    )


def owes(ctx: Context, route: ir.Route, resource: str) -> bool:
    """Whether `resource` (`subscription`, `event source mapping`) is the other account's to create."""
    found = crossing(ctx, route)
    return found is not None and resource in found.owed


def owe(ctx: Context, route: ir.Route, resource: str, **values: Any) -> None:
    """Output what the other account must create, keyed by the route's target."""
    key = resource.replace(" ", "_") + "_owed"
    known = ctx.plan.outputs.get(route.target, {}).get(key)
    ctx.outputs(route.target, **{key: Json([*(known.value if isinstance(known, Json) else []), values])})


def apply(ctx: Context) -> None:
    """Every cross-account statement onto its resource's policy; an app elsewhere's identity
    policy becomes owed by its account."""
    if ctx.delivery is None or ctx.delivery.accounts is None:
        return
    buses: dict[str, list[dict[str, Any]]] = {}
    for statement in ctx.delivery.accounts.statements():
        document = render(ctx, statement)
        component = ctx.topology.component(statement.resource)
        if component is None:  # NOTE: the account's default bus, undeclared: its owner's to change
            owed = ctx.plan.outputs.get(statement.resource, {}).get("policy_owed")
            known = owed.value["Statement"] if isinstance(owed, Json) else []
            ctx.outputs(statement.resource, policy_owed=Json({"Version": VERSION, "Statement": [*known, document]}))
        elif component.external or isinstance(component, (ir.Queue, ir.Topic)):
            if document not in ctx.admits[ctx.of(component.name)]:
                ctx.admits[ctx.of(component.name)].append(document)
        elif isinstance(component, ir.Bus):
            buses.setdefault(component.name, []).append(document)
        elif isinstance(component, ir.Stream):
            _stream_policy(ctx, component, document)
        elif isinstance(component, ir.Function):
            _permission(ctx, component, statement)
    for name, statements in sorted(buses.items()):
        args = {"event_bus_name": Ref(ctx.of(name), "name"), "policy": _document(statements)}
        ctx.add(ctx.of(name, "policy"), "cloudwatch.EventBusPolicy", f"{name}-policy", args, name)
    _owed_identities(ctx)


def render(ctx: Context, statement: Statement) -> dict[str, Any]:
    resource = statement.resource_arn or ArnOf(statement.resource)
    found: dict[str, Any] = {
        "Sid": statement.sid,
        "Effect": "Allow",
        "Principal": {"AWS": principal(ctx, statement.principal)},
        "Action": list(statement.actions) if len(statement.actions) > 1 else statement.actions[0],
        "Resource": arn(ctx, resource),
    }
    conditions: dict[str, dict[str, Any]] = {}
    for condition in statement.conditions:
        values = [arn(ctx, v) if isinstance(v, ArnOf) else v for v in condition.values]
        conditions.setdefault(condition.test, {})[condition.key] = values[0] if len(values) == 1 else values
    if conditions:
        found["Condition"] = conditions
    return found


def principal(ctx: Context, who: Principal) -> Any:
    if who.kind == "account":
        # NOTE: no account written: the stack's own, known when the program runs
        return Fmt("arn:{partition}:iam::" + (str(who.value) or "{account}") + ":root")
    assert isinstance(who.value, ArnOf)
    return arn(ctx, who.value)


def arn(ctx: Context, of: ArnOf) -> Any:
    """A plan ARN as the program spells it."""
    from evtc.targets.pulumi_aws.emitters import hops

    if of.route is not None:
        return Ref(role_var(ctx, of.route), "arn")
    assert of.component is not None
    component = ctx.topology.component(of.component)
    if of.part == "role":
        return Ref(ctx.of(of.component, "role"), "arn")
    if of.part == "rules":
        return _rules_arn(ctx, of.component, component)
    if component is None:
        return Fmt(f"arn:{{partition}}:events:{{region}}:{{account}}:event-bus/{of.component}")
    return hops.arn(ctx, of.component)


def role_var(ctx: Context, route_id: str) -> str:
    """The execution role of the rule, pipe or schedule carrying a route (see fanout, polling, publish)."""
    assert ctx.delivery is not None
    plan = ctx.delivery.routes[route_id]
    route, nth = plan.route, ctx.nth(plan.route)
    if plan.carrier == "pipe":
        return ctx.var("pipe", route.source, route.target, "role")
    if plan.carrier == "scheduler":
        return ctx.var("schedule", route.source, route.target, *nth, "role")
    return ctx.var("rule", route.source, route.target, *nth, "role")


def _rules_arn(ctx: Context, name: str, bus: ir.Component | None) -> Any:
    """The rules on a bus: `arn:…:rule/<bus name>/*` in the bus's account and region."""
    if bus is not None and bus.arn:
        return bus.arn.replace(":event-bus/", ":rule/", 1) + "/*"
    bus_name = bus.physical_name if bus is not None else name
    account = (bus.account if bus is not None else None) or "{account}"
    region = (bus.region if bus is not None else None) or "{region}"
    return Fmt(f"arn:{{partition}}:events:{region}:{account}:rule/{bus_name}/*")


def _document(statements: list[dict[str, Any]]) -> Json:
    return Json({"Version": VERSION, "Statement": sorted(statements, key=repr)})


def _stream_policy(ctx: Context, stream: ir.Stream, document: dict[str, Any]) -> None:
    var = ctx.of(stream.name, "policy")
    entry = ctx.index.get(var)
    if entry is not None:
        entry.args["policy"].value["Statement"].append(document)  # type: ignore[union-attr]
        return
    args = {"resource_arn": Ref(ctx.of(stream.name), "arn"), "policy": _document([document])}
    ctx.add(var, "kinesis.ResourcePolicy", f"{stream.name}-policy", args, stream.name)


def _permission(ctx: Context, function: ir.Function, statement: Statement) -> None:
    """Lambda keeps its resource policy as permissions, one per principal."""
    var = ctx.of(function.name, "grant", statement.sid)
    args = {
        "action": "lambda:InvokeFunction",
        "function": Ref(ctx.of(function.name), "name"),
        "principal": principal_id(ctx, statement.principal),
    }
    ctx.add(var, "lambda_.Permission", f"{function.name}-grant-{statement.sid}", args, function.name)


def principal_id(ctx: Context, who: Principal) -> Any:
    return str(who.value) if who.kind == "account" else principal(ctx, who)


def _owed_identities(ctx: Context) -> None:
    """An app in another account publishes with a policy its own account must attach."""
    home = ctx.delivery.accounts.home.account if ctx.delivery and ctx.delivery.accounts else None
    for source in ctx.topology.components:
        if not (isinstance(source, ir.Source) and source.kind == "app" and source.account):
            continue
        var = ctx.of(source.name)
        if source.account != home and ctx.grants.get(var):
            statements = ctx.grants.pop(var)
            ctx.outputs(source.name, policy_owed=_document(statements), account=source.account)
