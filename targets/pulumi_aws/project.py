"""Writes the Pulumi project: templates for the skeletons, the plan for the content, and the
Lambda code folder (the user's handler packages plus the evtc runtime they import)."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import jinja2

from evtc import ir
from evtc.frontend import Compilation
from evtc.targets.pulumi_aws import render
from evtc.targets.pulumi_aws.plan import Plan

# The evtc modules a handler may import on Lambda; pure Python, no front end.
RUNTIME = ("__init__.py", "emit.py", "envelope.py", "aws_runtime.py", "aws_webhook.py", "record.py", "filters")
BUNDLE_INIT = '"""evtc.filters as bundled for Lambda: import `evtc.filters.engine` directly."""\n'
_PLAIN_JSON = re.compile(r"(?<!Output\.)json\.dumps\(")
_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("evtc.targets.pulumi_aws", "templates"),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    autoescape=False,
)


def write_project(compilation: Compilation, plan: Plan, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    topology = compilation.topology
    missing = copy_code(topology, Path(compilation.file).parent, out / "app")
    context = _context(compilation, plan, missing)
    written = []
    for name in ("__main__.py", "Pulumi.yaml", "requirements.txt", "README.md"):
        path = out / name
        path.write_text(_ENV.get_template(f"{name}.j2").render(**context), encoding="utf-8", newline="\n")
        written.append(path)
    written += sorted(p for p in (out / "app").rglob("*") if p.is_file())
    return sorted(written)


def default_prefix(topology: ir.Topology) -> str:
    return topology.name.lower().replace("_", "-")[:20].strip("-") or "evtc"


def _context(compilation: Compilation, plan: Plan, missing: list[str]) -> dict[str, object]:
    topology = compilation.topology
    statements = render.statements(plan)
    return {
        "topology": topology.name,
        "topology_literal": render.literal(topology.name),
        "source": Path(compilation.file).name,
        "project": topology.name,
        "description": f"evtc topology {topology.name}",
        "default_prefix": default_prefix(topology),
        "default_prefix_literal": render.literal(default_prefix(topology)),
        "statements": statements,
        "outputs": sorted(plan.outputs),
        "exports": render.outputs(plan),
        "uses_json": any(_PLAIN_JSON.search(s) for s in statements),
        "resource_count": len(plan.resources),
        "components": _inventory(plan),
        "key": any(r.type == "kms.Key" for r in plan.resources),
        "missing": ", ".join(f"`{m}`" for m in missing),
    }


def _inventory(plan: Plan) -> list[tuple[str, str]]:
    kinds: dict[str, set[str]] = defaultdict(set)
    for r in plan.resources:
        kinds[r.component].add(r.type.replace("lambda_.", "lambda."))
    return [(c, ", ".join(sorted(k))) for c, k in sorted(kinds.items())]


def copy_code(topology: ir.Topology, base: Path, app: Path) -> list[str]:
    """Copy each handler's top-level package and the evtc runtime into `app`; return the
    handler modules that were not found."""
    if app.exists():
        shutil.rmtree(app)
    app.mkdir(parents=True)
    missing = []
    for module in sorted(
        {c.handler.partition(":")[0] for c in topology.components if isinstance(c, ir.Function) and c.handler}
    ):
        if not _copy_module(base, module, app):
            missing.append(module)
    _copy_runtime(app / "evtc")
    return missing


def _copy_module(base: Path, module: str, app: Path) -> bool:
    top = module.split(".")[0]
    package, single = base / top, base / f"{top}.py"
    if (app / top).exists() or (app / single.name).exists():
        pass  # NOTE: another handler of the same package copied it already
    elif package.is_dir():
        shutil.copytree(package, app / top, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    elif single.is_file():
        shutil.copyfile(single, app / single.name)
    else:
        return False
    relative = Path(*module.split("."))
    return (app / relative.with_suffix(".py")).is_file() or (app / relative / "__init__.py").is_file()


def _copy_runtime(target: Path) -> None:
    import evtc

    root = Path(evtc.__file__).parent
    target.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME:
        path = root / name
        if path.is_dir():
            shutil.copytree(path, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            # NOTE: the package's own init pulls in the compiler (networkx); on Lambda only the
            # matching engine is needed, and its modules import nothing outside the package.
            (target / name / "__init__.py").write_text(BUNDLE_INIT, encoding="utf-8")
        elif path.is_file():
            shutil.copyfile(path, target / name)
