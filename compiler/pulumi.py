"""`evtc.pulumi.Topology`: a topology's AWS resources as one Pulumi component.

For users who already have a Pulumi program. It creates exactly what the generated project
would (both read the same plan from the pulumi-aws target's emitters) as children of the
component, and exposes one object of outputs per component in `outputs`.

    import evtc.pulumi
    orders = evtc.pulumi.Topology("orders", "orders.evt")
    pulumi.export("fraud_jobs_url", orders.outputs["fraud_jobs"]["url"])

Region, partition and account come from the component's own provider (`opts.provider` or
`opts.providers`), read by invokes parented to the component. The Lambda bundles go to
`build_dir` (default `.evtc/<name>/` under the working directory, which Pulumi sets to the
project's folder), a folder that ignores itself in git.

Needs the `pulumi` extra (pulumi, pulumi-aws); nothing else in evtc imports this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws

from evtc.check.checker import check_paths
from evtc.diagnostics import Diagnostic, Severity
from evtc.frontend import Compilation
from evtc.frontend.load import one_group
from evtc.targets.pulumi_aws.bundles import Bundler, schema_files
from evtc.targets.pulumi_aws.plan import (
    Archive,
    Concat,
    Existing,
    Fmt,
    Json,
    Lookup,
    Named,
    Plan,
    Ref,
    Resource,
    Tags,
    ordered,
)
from evtc.targets.pulumi_aws.planner import plan as make_plan
from evtc.targets.pulumi_aws.project import resolve_bundles
from evtc.targets.pulumi_aws.stack import stack_prefix


class TopologyError(Exception):
    """The .evt file has errors; `diagnostics` holds them, each with file:line:col."""

    def __init__(self, path: str | Path, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        lines = [f"{d.span.file}:{d.span.line}:{d.span.column}: {d.code} {d.message}" for d in diagnostics]
        super().__init__(f"{path} has errors (fix them, `evtc check {path}` shows the details):\n" + "\n".join(lines))


class Topology(pulumi.ComponentResource):
    """The resources of the topology at `path` (an .evt file, which brings the rest of its
    topology's files, or a topology's folder), as children of this component."""

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
        explicit_names: bool = False,
        protect: bool = True,
        retain_on_delete: bool = False,
        build_dir: str | Path | None = None,
    ) -> None:
        super().__init__("evtc:aws:Topology", name, None, opts)
        result = check_paths(one_group(path).files)
        if result.exit_code != 0:
            errors = [d for d in result.diagnostics if not d.suppressed and d.severity is Severity.ERROR]
            raise TopologyError(path, errors or list(result.diagnostics))
        compilation = result.compilations[0]
        settings = {
            "prefix": prefix or stack_prefix(pulumi.get_project(), pulumi.get_stack(), name),
            "tags": {"evtc:topology": compilation.topology.name, **(tags or {})},
            "kmsKeyArn": kms_key_arn,
            "existingBuckets": existing_buckets or {},
            "existingTables": existing_tables or {},
            "explicitNames": explicit_names,
            "protect": protect,
            "retainOnDelete": retain_on_delete,
        }
        folder = Path(build_dir) if build_dir else Path.cwd() / ".evtc" / name
        plan = resolve_bundles(make_plan(compilation), _bundler(compilation, folder), str(folder))
        builder = _Builder(self, name, settings)
        builder.run(plan)
        self.outputs = {key: builder.value(value) for key, value in sorted(plan.outputs.items())}
        self.register_outputs(self.outputs)


def _bundler(compilation: Compilation, folder: Path) -> Bundler:
    folder.mkdir(parents=True, exist_ok=True)
    # NOTE: a build folder that ignores itself, as pytest's and ruff's caches do.
    (folder / ".gitignore").write_text("# written by evtc.pulumi.Topology\n*\n", encoding="utf-8")
    return Bundler(Path(compilation.file).parent, folder, extra=schema_files(compilation.topology))


class _Builder:
    """Interprets a `Plan`: the same walk the renderer writes out as code."""

    def __init__(self, parent: pulumi.Resource, name: str, settings: dict[str, Any]) -> None:
        self.parent, self.name, self.settings = parent, name, settings
        self.vars: dict[str, Any] = {}
        # NOTE: parented invokes use the component's provider (its region and account), and
        # work when default providers are disabled.
        invoke = pulumi.InvokeOptions(parent=parent)
        self.names = {
            "prefix": settings["prefix"],
            "partition": aws.get_partition(opts=invoke).partition,
            "region": aws.get_region(opts=invoke).region,
            "account": aws.get_caller_identity(opts=invoke).account_id,
        }

    def run(self, plan: Plan) -> None:
        for entry in ordered(plan.entries):
            if isinstance(entry, Lookup):
                module, function = entry.function.split(".")
                invoke = pulumi.InvokeOutputOptions(parent=self.parent)
                self.vars[entry.var] = getattr(getattr(aws, module), function)(**self.value(entry.args), opts=invoke)
            else:
                self._resource(entry)

    def _resource(self, r: Resource) -> None:
        if r.unless is not None and self._existing(r.unless) is not None:
            return
        cls = getattr(getattr(aws, r.module), r.cls)
        depends = [self.vars[d] for d in r.depends_on if d in self.vars]
        logical = f"{self.name}-{r.name}"  # NOTE: unique URNs when a program has two topologies
        found = self._existing(r.adopt) if r.adopt is not None else None
        if found is not None:
            self.vars[r.var] = cls.get(logical, found, opts=pulumi.ResourceOptions(parent=self.parent))
            return
        opts = pulumi.ResourceOptions(
            parent=self.parent,
            depends_on=depends,
            aliases=[pulumi.Alias(name=f"{self.name}-{a}") for a in r.aliases],
            protect=self.settings["protect"] if r.stateful else None,
            retain_on_delete=self.settings["retainOnDelete"] if r.stateful else None,
        )
        self.vars[r.var] = cls(logical, **self.value(r.args), opts=opts)

    def _existing(self, existing: Existing) -> str | None:
        value = self.settings[existing.setting]
        if existing.key is None:
            return value if isinstance(value, str) and value else None
        return value.get(existing.key) if isinstance(value, dict) else None

    def value(self, v: Any) -> Any:
        if isinstance(v, Ref):
            return getattr(self.vars[v.var], v.attr)
        if isinstance(v, Fmt):
            return v.template.format(**self.names)
        if isinstance(v, Named):
            return v.explicit if self.settings["explicitNames"] else self.value(v.default)
        if isinstance(v, Json):
            return pulumi.Output.json_dumps(self.value(v.value))
        if isinstance(v, Concat):
            return pulumi.Output.concat(*(self.value(p) for p in v.parts))
        if isinstance(v, Tags):
            return {**self.settings["tags"], "evtc:component": v.component}
        if isinstance(v, Archive):
            return pulumi.FileArchive(v.path)
        if isinstance(v, dict):
            return {k: self.value(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [self.value(x) for x in v]
        return v
