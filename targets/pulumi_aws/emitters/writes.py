"""`writes: [table, bucket]` on a function: the write actions on exactly those resources,
and `EVTC_WRITES` in its environment, the names its handler's `evtc.write` calls use.

`EVTC_WRITES` = `{"orders": {"kind": "table", "name": <table name>, "key": "id",
"kinds": ["MODIFY"]}, "uploads": {"kind": "bucket", "name": <bucket name>}}`.
"""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.plan.tables import table_key
from evtc.plan.writes import Write, write_actions, writes_of
from evtc.targets.pulumi_aws.context import Context
from evtc.targets.pulumi_aws.plan import Concat, Json, Ref

WRITES_ENV = "EVTC_WRITES"


def grant_writes(ctx: Context, function: ir.Function, var: str) -> None:
    writes = [w for w in writes_of(ctx.topology) if w.source == function.name]
    if not writes:
        return
    role = ctx.sub(var, "role")
    found: dict[str, Any] = {}
    for write in writes:
        target = ctx.component(write.target)
        found[write.target] = _grant(ctx, role, write, target)
    ctx.functions[var].setdefault("env", {})[WRITES_ENV] = Json({name: found[name] for name in sorted(found)})


def _grant(ctx: Context, role: str, write: Write, target: ir.Component) -> dict[str, Any]:
    resource = ctx.of(target.name)
    actions = list(write_actions(ctx.topology, write))
    if isinstance(target, ir.Source) and target.kind == "s3":
        # NOTE: object keys are data; `bucket/*` is the narrowest ARN that covers them.
        ctx.grant(role, actions, [Concat((Ref(resource, "arn"), "/*"))])
        return {"kind": "bucket", "name": Ref(resource, "bucket")}
    ctx.grant(role, actions, [Ref(resource, "arn")])
    assert isinstance(target, ir.Source)
    return {
        "kind": "table",
        "name": Ref(resource, "name"),
        "key": table_key(ctx.topology, target),
        "kinds": list(write.kinds),
    }
