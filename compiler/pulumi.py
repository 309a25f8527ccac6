"""`evtc.pulumi.Topology`: a topology's AWS resources as one Pulumi component.

For users who already have a Pulumi program. It creates exactly what the generated project
would (both read the same plan from the pulumi-aws target's emitters) as children of the
component, and exposes every component's ARN or URL in `outputs`.

    import evtc.pulumi
    orders = evtc.pulumi.Topology("orders", "orders.evt")
    pulumi.export("fraud_jobs_url", orders.outputs["fraud_jobs_url"])

Needs the `pulumi` extra (pulumi, pulumi-aws); nothing else in evtc imports this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws

from evtc.checker import check_paths
from evtc.targets.pulumi_aws.plan import (
    Archive,
    Concat,
    Existing,
    Fmt,
    Json,
    Lookup,
    Plan,
    Ref,
    Resource,
    Tags,
    ordered,
)
from evtc.targets.pulumi_aws.planner import plan as make_plan
from evtc.targets.pulumi_aws.project import copy_code, default_prefix


class Topology(pulumi.ComponentResource):
    """The resources of the .evt file at `path`, as children of this component."""

    outputs: dict[str, Any]

    def __init__(
        self,
        name: str,
        path: str | Path,
        opts: pulumi.ResourceOptions | None = None,
        *,
        prefix: str | None = None,
        tags: dict[str, str] | None = None,
        kms_key_arn: str | None = None,
        existing_buckets: dict[str, str] | None = None,
        existing_tables: dict[str, str] | None = None,
        code_dir: str | Path | None = None,
    ) -> None:
        super().__init__("evtc:aws:Topology", name, None, opts)
        result = check_paths([str(path)])
        if result.exit_code != 0:
            raise ValueError(f"{path} has errors; run `evtc check {path}` and fix them first")
        compilation = result.compilations[0]
        code = Path(code_dir) if code_dir else Path(path).parent / ".evtc" / name / "app"
        copy_code(compilation.topology, Path(path).parent, code)
        settings = {
            "prefix": prefix or default_prefix(compilation.topology),
            "tags": {"evtc:topology": compilation.topology.name, **(tags or {})},
            "kmsKeyArn": kms_key_arn,
            "existingBuckets": existing_buckets or {},
            "existingTables": existing_tables or {},
        }
        plan = make_plan(compilation)
        builder = _Builder(self, name, settings, code)
        builder.run(plan)
        self.outputs = {key: builder.value(value) for key, value in sorted(plan.outputs.items())}
        self.register_outputs(self.outputs)


class _Builder:
    """Interprets a `Plan`: the same walk the renderer writes out as code."""

    def __init__(self, parent: pulumi.Resource, name: str, settings: dict[str, Any], code: Path) -> None:
        self.parent, self.name, self.settings, self.code = parent, name, settings, code
        self.vars: dict[str, Any] = {}
        self.names = {
            "prefix": settings["prefix"],
            "partition": aws.get_partition().partition,
            "region": aws.get_region().region,
            "account": aws.get_caller_identity().account_id,
        }

    def run(self, plan: Plan) -> None:
        for entry in ordered(plan.entries):
            if isinstance(entry, Lookup):
                module, function = entry.function.split(".")
                self.vars[entry.var] = getattr(getattr(aws, module), function)(**self.value(entry.args))
            else:
                self._resource(entry)

    def _resource(self, r: Resource) -> None:
        if r.unless is not None and self._existing(r.unless) is not None:
            return
        cls = getattr(getattr(aws, r.module), r.cls)
        depends = [self.vars[d] for d in r.depends_on if d in self.vars]
        opts = pulumi.ResourceOptions(parent=self.parent, depends_on=depends)
        logical = f"{self.name}-{r.name}"  # NOTE: unique URNs when a program has two topologies
        found = self._existing(r.adopt) if r.adopt is not None else None
        self.vars[r.var] = (
            cls.get(logical, found, opts=opts) if found is not None else cls(logical, **self.value(r.args), opts=opts)
        )

    def _existing(self, existing: Existing) -> str | None:
        value = self.settings[existing.setting]
        return (
            value.get(existing.key)
            if isinstance(value, dict) and existing.key
            else value
            if existing.key is None
            else None
        )

    def value(self, v: Any) -> Any:
        if isinstance(v, Ref):
            return getattr(self.vars[v.var], v.attr)
        if isinstance(v, Fmt):
            return v.template.format(**self.names)
        if isinstance(v, Json):
            return pulumi.Output.json_dumps(self.value(v.value))
        if isinstance(v, Concat):
            return pulumi.Output.concat(*(self.value(p) for p in v.parts))
        if isinstance(v, Tags):
            return {**self.settings["tags"], "evtc:component": v.component}
        if isinstance(v, Archive):
            return pulumi.FileArchive(str(self.code))
        if isinstance(v, dict):
            return {k: self.value(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [self.value(x) for x in v]
        return v
