"""Writes the Pulumi project: templates for the skeletons, the plan for the content, and
one reproducible bundle per Lambda code set (see `bundles`)."""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from evtc.frontend import Compilation
from evtc.targets.pulumi_aws import render, stack
from evtc.targets.pulumi_aws.bundles import Bundler, schema_files
from evtc.targets.pulumi_aws.plan import Archive, Plan

BUNDLES = "bundles"
_PLAIN_JSON = re.compile(r"(?<!Output\.)json\.dumps\(")
_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("evtc.targets.pulumi_aws", "templates"),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    autoescape=False,
)


@dataclass(frozen=True)
class Setting:
    """One stack setting the program reads: declared in Pulumi.yaml, listed in the README."""

    name: str
    type: str  # Pulumi's project config types: string, boolean, integer, array, object
    default: object
    description: str


SETTINGS = (
    Setting(
        "prefix",
        "string",
        "",
        "Prefix of every physical name: 1-20 lowercase letters, digits or inner hyphens."
        " Empty: derived from the project and stack names, so stacks never collide.",
    ),
    Setting("tags", "object", {}, "Tags added to every taggable resource (name -> value)."),
    Setting(
        "kmsKeyArn",
        "string",
        "",
        "An existing KMS key to use instead of creating one (empty: create one).",
    ),
    Setting(
        "existingBuckets",
        "object",
        {},
        "s3 source name -> an existing bucket to attach to instead of creating one.",
    ),
    Setting(
        "existingTables",
        "object",
        {},
        "dynamodb source name -> an existing table (stream enabled) to attach to.",
    ),
    Setting(
        "explicitNames",
        "boolean",
        False,
        "Use the bucket and table names written in the .evt as they are (one stack per account).",
    ),
    Setting(
        "protect",
        "boolean",
        True,
        "Protect stateful resources (queues, streams, tables, buckets, archives, the key):"
        " `pulumi destroy` and replacements stop instead of deleting data.",
    ),
    Setting(
        "retainOnDelete",
        "boolean",
        False,
        "Keep stateful resources in AWS when Pulumi deletes them (they leave the stack).",
    ),
)


def write_project(compilation: Compilation, plan: Plan, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    if (out / BUNDLES).exists():
        shutil.rmtree(out / BUNDLES)
    bundler = Bundler(Path(compilation.file).parent, out / BUNDLES, extra=schema_files(compilation.topology))
    plan = resolve_bundles(plan, bundler, f"./{BUNDLES}")
    context = _context(compilation, plan, sorted(bundler.missing))
    written = []
    for name in ("__main__.py", "Pulumi.yaml", "requirements.txt", "README.md", ".gitignore"):
        path = out / name
        template = _ENV.get_template(f"{name.lstrip('.')}.j2")
        path.write_text(template.render(**context), encoding="utf-8", newline="\n")
        written.append(path)
    written += sorted((out / BUNDLES).glob("*.zip"))
    return sorted(written)


def resolve_bundles(plan: Plan, bundler: Bundler, folder: str) -> Plan:
    """The plan with each function's code pointing at its bundle."""
    entries = []
    for entry in plan.entries:
        code = getattr(entry, "args", {}).get("code")
        if isinstance(code, Archive) and code.module:
            archive = Archive(f"{folder}/{bundler.bundle(code.module)}")
            entry = replace(entry, args={**entry.args, "code": archive})  # type: ignore[arg-type]
        entries.append(entry)
    return Plan(plan.topology, entries, plan.outputs)


def _context(compilation: Compilation, plan: Plan, missing: list[str]) -> dict[str, object]:
    topology = compilation.topology
    statements = render.statements(plan)
    return {
        "topology": topology.name,
        "topology_literal": render.literal(topology.name),
        "source": Path(compilation.file).name,  # NOTE: a topology in several files: its entry
        "project": topology.name,
        "description": json.dumps(f"evtc topology {topology.name}"),
        "stack_prefix": stack.source().rstrip("\n"),
        "prefix_pattern": stack.PREFIX_PATTERN,
        "config": [_declared(s) for s in SETTINGS],
        "settings": SETTINGS,
        "statements": statements,
        "outputs": render.output_names(plan),
        "exports": render.outputs(plan),
        "uses_json": any(_PLAIN_JSON.search(s) for s in statements),
        "resource_count": len(plan.resources),
        "components": _inventory(plan),
        "key": any(r.type == "kms.Key" for r in plan.resources),
        "missing": ", ".join(f"`{m}`" for m in missing),
        "bundles": BUNDLES,
    }


def _declared(setting: Setting) -> dict[str, str]:
    """A setting as Pulumi.yaml writes it (JSON scalars and `{}` are YAML too)."""
    return {
        "name": setting.name,
        "type": setting.type,
        "description": json.dumps(setting.description),
        "default": json.dumps(setting.default),
    }


def _inventory(plan: Plan) -> list[tuple[str, str]]:
    kinds: dict[str, set[str]] = defaultdict(set)
    for r in plan.resources:
        kinds[r.component].add(r.type.replace("lambda_.", "lambda."))
    return [(c, ", ".join(sorted(k))) for c, k in sorted(kinds.items())]
