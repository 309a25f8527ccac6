"""`Plan` → the Python source of the generated `__main__.py` (statements only; the
skeleton around them is the template)."""

from __future__ import annotations

import json
from typing import Any

from evtc.targets.pulumi_aws.plan import (
    Archive,
    Concat,
    Entry,
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
    refs_in,
)

INDENT = "    "
WIDTH = 100
_SETTING_VARS = {"existingBuckets": "existing_buckets", "existingTables": "existing_tables", "kmsKeyArn": "kms_key_arn"}


def statements(plan: Plan) -> list[str]:
    return [entry_code(e) for e in ordered(plan.entries)]


def outputs(plan: Plan) -> list[str]:
    """One stack output per component: an object of what a user wires to."""
    return [f"pulumi.export({literal(name)}, {expr(_sorted(value))})" for name, value in sorted(plan.outputs.items())]


def output_names(plan: Plan) -> list[tuple[str, list[str]]]:
    return [(name, sorted(value)) for name, value in sorted(plan.outputs.items())]


def _sorted(value: Any) -> Any:
    return {k: _sorted(v) for k, v in sorted(value.items())} if isinstance(value, dict) else value


def entry_code(entry: Entry) -> str:
    if isinstance(entry, Lookup):
        module, function = entry.function.split(".")
        return f"{entry.var} = aws.{module}.{function}({_kwargs(entry.args, 0)})"
    return _resource_code(entry)


def _resource_code(r: Resource) -> str:
    opts = _opts(r)
    create = f"aws.{r.type}(\n{INDENT}{literal(r.name)},\n{_kwargs(r.args, 1, trailing=opts)})"
    if r.unless is not None:
        body = create.replace("\n", "\n" + INDENT)
        return f"if {_absent(r.unless)}:\n{INDENT}{body}"
    if r.adopt is not None:
        existing = f"aws.{r.type}.get({literal(r.name)}, {_value(r.adopt)}{opts_suffix(_opts(r, read=True))})"
        indented = create.replace("\n", "\n" + INDENT)
        return f"{r.var} = (\n{INDENT}{existing}\n{INDENT}if {_present(r.adopt)}\n{INDENT}else {indented}\n)"
    return f"{r.var} = {create}"


def opts_suffix(opts: str) -> str:
    return f", {opts}" if opts else ""


def _opts(r: Resource, read: bool = False) -> str:
    options = []
    if r.aliases:
        options.append(f"aliases=[{', '.join(f'pulumi.Alias(name={literal(a)})' for a in r.aliases)}]")
    if r.depends_on:
        options.append(f"depends_on=[{', '.join(sorted(r.depends_on))}]")
    if r.stateful and not read:
        # NOTE: stack settings `protect` / `retainOnDelete`; a resource read with `.get` is not ours to keep.
        options += ["protect=protect", "retain_on_delete=retain_on_delete"]
    return f"opts=pulumi.ResourceOptions({', '.join(options)})" if options else ""


def _absent(existing: Existing) -> str:
    variable = _SETTING_VARS[existing.setting]
    if existing.key is None:
        return f"{variable} is None"
    return f"{literal(existing.key)} not in {variable}"


def _present(existing: Existing) -> str:
    variable = _SETTING_VARS[existing.setting]
    if existing.key is None:
        return f"{variable} is not None"
    return f"{literal(existing.key)} in {variable}"


def _value(existing: Existing) -> str:
    variable = _SETTING_VARS[existing.setting]
    return variable if existing.key is None else f"{variable}[{literal(existing.key)}]"


def _kwargs(args: dict[str, Any], depth: int, trailing: str = "") -> str:
    pad = INDENT * depth
    lines = [
        f"{pad}{key}={expr(value, depth, WIDTH - len(pad) - len(key) - 2)}," for key, value in sorted(args.items())
    ]
    if trailing:
        lines.append(f"{pad}{trailing},")
    return "\n".join(lines) + "\n" if depth else ", ".join(line.strip().rstrip(",") for line in lines)


def expr(value: Any, depth: int = 0, room: int = WIDTH) -> str:
    """Python source for one plan value, wrapped when it does not fit in `room` columns."""
    if isinstance(value, Ref):
        return f"{value.var}.{value.attr}"
    if isinstance(value, Fmt):
        return "f" + json.dumps(value.template)
    if isinstance(value, Named):
        return f"{literal(value.explicit)} if explicit_names else {expr(value.default)}"
    if isinstance(value, Json):
        # NOTE: json_dumps waits for the outputs inside; plain json.dumps keeps the rest readable.
        call = "pulumi.Output.json_dumps" if refs_in(value.value) else "json.dumps"
        return f"{call}({expr(value.value, depth, room - len(call) - 2)})"
    if isinstance(value, Concat):
        return f"pulumi.Output.concat({', '.join(expr(p, depth) for p in value.parts)})"
    if isinstance(value, Tags):
        return f"{{**tags, {literal('evtc:component')}: {literal(value.component)}}}"
    if isinstance(value, Archive):
        return f"pulumi.FileArchive({literal(value.path)})"
    if isinstance(value, dict):
        inner = WIDTH - 4 * (depth + 1)
        items = [f"{literal(k)}: {expr(v, depth + 1, inner - len(literal(k)) - 3)}" for k, v in value.items()]
        return _wrapped(items, "{}", depth, room)
    if isinstance(value, (list, tuple)):
        return _wrapped([expr(v, depth + 1, WIDTH - 4 * (depth + 1) - 1) for v in value], "[]", depth, room)
    return literal(value)


def _wrapped(items: list[str], brackets: str, depth: int, room: int) -> str:
    """One line when it fits, else one item per line (what a formatter would write)."""
    flat = brackets[0] + ", ".join(items) + brackets[1]
    if "\n" not in flat and len(flat) <= room:
        return flat
    pad = INDENT * (depth + 1)
    return brackets[0] + "\n" + "".join(f"{pad}{item},\n" for item in items) + INDENT * depth + brackets[1]


def literal(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"no literal for {type(value).__name__}")
