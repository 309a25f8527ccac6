"""Per-function Lambda bundles: each function's zip holds its handler module, the modules
it imports (found next to the .evt file or in the evtc runtime), their packages'
`__init__.py` and the topology's event schemas (`evtc/schemas.json`, which the runtime's
`evtc.emit` validates data against), and nothing else.

Zips are written byte-reproducibly (sorted entries, fixed dates and modes) and named by
their content's hash, so the same code gives the same bytes, the same `CodeSha256` and no
update; functions running the same code share one zip.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from evtc import ir
from evtc.export.jsonschema import topology_schemas

# The evtc modules a handler may import on Lambda: pure Python, no front end.
RUNTIME = (
    "evtc",
    "evtc.attributes",
    "evtc.emit",
    "evtc.write",
    "evtc.envelope",
    "evtc.targets",
    "evtc.targets.pulumi_aws",
    "evtc.targets.pulumi_aws.runtime",
    "evtc.targets.pulumi_aws.runtime.aws_runtime",
    "evtc.targets.pulumi_aws.runtime.aws_writes",
    "evtc.targets.pulumi_aws.runtime.aws_webhook",
    "evtc.schemacheck",
    "evtc.util",
    "evtc.util.cache",
    "evtc.util.compiled",
    "evtc.util.record",
    "evtc.webhook",
)
SCHEMAS = "evtc/schemas.json"  # NOTE: what the runtime reads as `BUNDLED_SCHEMAS`
RUNTIME_PACKAGES = ("evtc.patterns",)  # NOTE: the pattern engine imports nothing else of evtc
# NOTE: imports made with importlib, which no AST shows: `evtc.emit` (the package's lazy
# attribute) and the backend `evtc.emit` loads on Lambda.
DYNAMIC = {"evtc": ("evtc.emit",), "evtc.emit": ("evtc.targets.pulumi_aws.runtime.aws_runtime",)}
# NOTE: the target's own package init imports its planner (jinja2, networkx); on Lambda only
# its runtime package is needed, so the bundle carries a bare init in its place.
BUNDLE_INIT: dict[str, bytes] = {
    "evtc/targets/pulumi_aws/__init__.py": b'"""evtc.targets.pulumi_aws as bundled for Lambda: its runtime only."""\n',
}
_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass
class Bundler:
    """Finds and writes the bundles of one project; `base` holds the user's handler code."""

    base: Path
    out: Path  # the folder the zips go to
    written: dict[str, str] = field(default_factory=dict)  # handler module -> zip name
    missing: set[str] = field(default_factory=set)  # handler modules not found
    extra: dict[str, bytes] = field(default_factory=dict)  # archive path -> content, in every zip

    def bundle(self, module: str) -> str:
        """The zip (a name inside `out`) for a function whose handler is in `module`."""
        if module not in self.written:
            files = {**self.files(module), **self.extra}
            data = _zip(files)
            name = f"{hashlib.sha256(data).hexdigest()[:16]}.zip"
            self.out.mkdir(parents=True, exist_ok=True)
            if not (self.out / name).exists():
                (self.out / name).write_bytes(data)
            self.written[module] = name
        return self.written[module]

    def files(self, module: str) -> dict[str, bytes]:
        """Archive path -> content of everything `module` needs, transitively."""
        found: dict[str, bytes] = {}
        # NOTE: a package's `__init__` runs when a submodule is imported, but the lazy
        # imports in DYNAMIC happen only when the package itself is imported by name.
        todo: list[tuple[str, bool]] = [(module, True)]
        seen: set[tuple[str, bool]] = set()
        while todo:
            name, named = todo.pop()
            if (name, named) in seen:
                continue
            seen.add((name, named))
            located = self._locate(name)
            if located is None:
                if name == module:
                    self.missing.add(module)
                continue
            todo += [(package, False) for package in _parents(name)]
            found[_archive_path(name, located)] = _read(name, located)
            todo += [(imported, True) for imported in _imports(name, located)]
            if named:
                todo += [(imported, True) for imported in DYNAMIC.get(name, ())]
        return found

    def _locate(self, module: str) -> Path | None:
        parts = module.split(".")
        if parts[0] == "evtc":
            if module not in RUNTIME and not any(module.startswith(p) for p in RUNTIME_PACKAGES):
                return None  # NOTE: the compiler itself never goes to Lambda
            return _installed(module)
        root = self.base
        for candidate in (root.joinpath(*parts).with_suffix(".py"), root.joinpath(*parts, "__init__.py")):
            if parts and candidate.is_file():
                return candidate
        init = root / "__init__.py"
        return init if not parts and init.is_file() else None


def schema_files(topology: ir.Topology) -> dict[str, bytes]:
    """The bundle's copy of the topology's event schemas, byte-stable (what
    `evtc export jsonschema` prints, compact)."""
    text = json.dumps(topology_schemas(topology), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return {SCHEMAS: text.encode("utf-8")}


def _installed(module: str) -> Path | None:
    """Where the installed evtc module is (its folders differ from its import path: the
    compiler and the targets are two folders of one package), resolved by importlib."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None  # NOTE: `from evtc.x import name` also asks for `evtc.x.name`, a name, not a module
    return Path(spec.origin) if spec is not None and spec.origin else None


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _archive_path(module: str, path: Path) -> str:
    relative = "/".join(module.split("."))
    return f"{relative}/__init__.py" if path.name == "__init__.py" else f"{relative}.py"


def _read(module: str, path: Path) -> bytes:
    return BUNDLE_INIT.get(_archive_path(module, path)) or path.read_bytes()


def _imports(module: str, path: Path) -> list[str]:
    """Every module named by an import anywhere in the file (also inside functions)."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError:
        return []
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(package, node.module, node.level)
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names if alias.name != "*"]
    return [n for n in names if n]


def _resolve(package: str, name: str | None, level: int) -> str:
    if level == 0:
        return name or ""
    parts = package.split(".") if package else []
    parts = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*parts, *([name] if name else [])])


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
