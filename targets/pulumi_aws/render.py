"""`Plan` → the Python source of the generated `__main__.py` (statements only; the
skeleton around them is the template), laid out as `ruff format` would (see `layout`)."""

from __future__ import annotations

from typing import Any

from evtc.targets.pulumi_aws.layout import INDENT, LINE, Flat, Group, Node, Prefixed, Ternary, call, lines, string
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

PAD = " " * INDENT
_SETTING_VARS = {"existingBuckets": "existing_buckets", "existingTables": "existing_tables", "kmsKeyArn": "kms_key_arn"}


def statements(plan: Plan) -> list[str]:
    return [entry_code(e) for e in ordered(plan.entries)]


def outputs(plan: Plan) -> list[str]:
    """One stack output per component: an object of what a user wires to."""
    return [
        "\n".join(lines(call("pulumi.export", Flat(literal(name)), node(_sorted(value)))))
        for name, value in sorted(plan.outputs.items())
    ]


def output_names(plan: Plan) -> list[tuple[str, list[str]]]:
    return [(name, sorted(value)) for name, value in sorted(plan.outputs.items())]


def _sorted(value: Any) -> Any:
    return {k: _sorted(v) for k, v in sorted(value.items())} if isinstance(value, dict) else value


def entry_code(entry: Entry) -> str:
    if isinstance(entry, Lookup):
        module, function = entry.function.split(".")
        return "\n".join(_assign(entry.var, call(f"aws.{module}.{function}", *_kwargs(entry.args))))
    return "\n".join(_resource_lines(entry))


def _resource_lines(r: Resource) -> list[str]:
    create = _create(r)
    if r.unless is not None:
        return [f"if {_absent(r.unless)}:", *lines(create, PAD, "", INDENT)]
    if r.adopt is not None:
        read = call(f"aws.{r.type}.get", Flat(literal(r.name)), Flat(_value(r.adopt)), *_opts(r, read=True))
        return [
            f"{r.var} = (",
            *lines(read, PAD, "", INDENT),
            f"{PAD}if {_present(r.adopt)}",
            *lines(create, f"{PAD}else ", "", INDENT),
            ")",
        ]
    return _assign(r.var, create)


def _assign(var: str, value: Node) -> list[str]:
    """`var = value`; when even the first line of the split is too long, the value goes in
    parentheses on lines of its own, but only when every line then fits (as ruff does: an
    overlong string inside keeps the value unparenthesized)."""
    result = lines(value, f"{var} = ")
    if len(result[0]) > LINE:
        wrapped = [f"{var} = (", *lines(value, PAD, "", INDENT), ")"]
        if all(len(line) <= LINE for line in wrapped):
            return wrapped
    return result


def _create(r: Resource) -> Node:
    # NOTE: the trailing comma keeps one argument per line, as a hand-written program would.
    return call(f"aws.{r.type}", Flat(literal(r.name)), *_kwargs(r.args), *_opts(r), magic=True)


def _opts(r: Resource, read: bool = False) -> list[Node]:
    options: list[Node] = []
    if r.aliases:
        aliases = [call("pulumi.Alias", Prefixed("name=", Flat(literal(a)))) for a in r.aliases]
        options.append(Prefixed("aliases=", Group("[", "]", tuple(aliases), display=True)))
    if r.depends_on:
        depends = tuple(Flat(d) for d in sorted(r.depends_on))
        options.append(Prefixed("depends_on=", Group("[", "]", depends, display=True)))
    if r.stateful and not read:
        # NOTE: stack settings `protect` / `retainOnDelete`; a resource read with `.get` is not ours to keep.
        options += [Flat("protect=protect"), Flat("retain_on_delete=retain_on_delete")]
    return [Prefixed("opts=", call("pulumi.ResourceOptions", *options))] if options else []


def _kwargs(args: dict[str, Any]) -> list[Node]:
    return [Prefixed(f"{key}=", node(value)) for key, value in sorted(args.items())]


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


def node(value: Any) -> Node:
    """The layout node of one plan value."""
    if isinstance(value, Ref):
        return Flat(f"{value.var}.{value.attr}")
    if isinstance(value, Fmt):
        return Flat("f" + string(value.template))
    if isinstance(value, Named):
        return Ternary(literal(value.explicit), "explicit_names", "f" + string(value.default.template))
    if isinstance(value, Json):
        # NOTE: json_dumps waits for the outputs inside; plain json.dumps keeps the rest readable.
        return call("pulumi.Output.json_dumps" if refs_in(value.value) else "json.dumps", node(value.value))
    if isinstance(value, Concat):
        return call("pulumi.Output.concat", *(node(p) for p in value.parts))
    if isinstance(value, Tags):
        component = Prefixed(f"{literal('evtc:component')}: ", Flat(literal(value.component)))
        return Group("{", "}", (Flat("**tags"), component), display=True)
    if isinstance(value, Archive):
        return call("pulumi.FileArchive", Flat(literal(value.path)))
    if isinstance(value, dict):
        items = tuple(Prefixed(f"{literal(k)}: ", node(v)) for k, v in value.items())
        return Group("{", "}", items, display=True)
    if isinstance(value, (list, tuple)):
        return Group("[", "]", tuple(node(v) for v in value), display=True)
    return Flat(literal(value))


def literal(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return string(value)
    raise TypeError(f"no literal for {type(value).__name__}")
