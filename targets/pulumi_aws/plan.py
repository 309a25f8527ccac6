"""The deployment plan: every resource the target creates, as plain data.

One emitter (the `emit_*` functions) writes a `Plan`; two small back ends read it: the
renderer turns it into the generated `__main__.py`, and `evtc.pulumi.Topology` creates
the same resources as children of a component. Values are plain JSON-like data plus the
few symbolic forms below, so neither back end needs to know what a queue is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Ref:
    """An output of another resource of the plan (`queue_jobs.arn`)."""

    var: str
    attr: str


@dataclass(frozen=True)
class Fmt:
    """Text known only at deploy time: `{prefix}`, `{partition}`, `{region}`, `{account}`."""

    template: str


@dataclass(frozen=True)
class Named:
    """A name written in the .evt: `explicit` when the stack sets `explicitNames`, else the
    stack-scoped `default`."""

    explicit: str
    default: Fmt


@dataclass(frozen=True)
class Json:
    """A JSON document (policies, filters) that may contain `Ref`s and `Fmt`s."""

    value: Any


@dataclass(frozen=True)
class Concat:
    """Text made of outputs and literals (`bucket.arn + "/*"`)."""

    parts: tuple[Any, ...]


@dataclass(frozen=True)
class Tags:
    """The stack's tags plus the component's own (`{**tags, "evtc:component": name}`)."""

    component: str


@dataclass(frozen=True)
class Archive:
    """A function's code: its handler `module` until the project writes the bundle, then
    the bundle's `path`."""

    path: str
    module: str = ""


@dataclass(frozen=True)
class Existing:
    """A stack setting naming something that already exists (`existingBuckets.uploads`)."""

    setting: str  # existingBuckets | existingTables | kmsKeyArn
    key: str | None = None


@dataclass(frozen=True)
class Lookup:
    """A data source read at deploy time (`aws.secretsmanager.get_secret_output`)."""

    var: str
    function: str  # module.function_output, e.g. "secretsmanager.get_secret_output"
    args: dict[str, Any]


@dataclass(frozen=True)
class Resource:
    var: str
    type: str  # "<module>.<Class>" of pulumi_aws, e.g. "sqs.Queue"
    name: str  # the logical (Pulumi) name
    args: dict[str, Any]
    component: str
    depends_on: tuple[str, ...] = ()
    adopt: Existing | None = None  # when set in the stack: read it with `.get` instead
    unless: Existing | None = None  # when set in the stack: skip (it belongs to the owner)
    stateful: bool = False  # holds data: protected (stack setting `protect`) unless adopted
    aliases: tuple[str, ...] = ()  # logical names it had before (no replacement on upgrade)

    @property
    def module(self) -> str:
        return self.type.split(".")[0]

    @property
    def cls(self) -> str:
        return self.type.split(".")[1]


Entry = Resource | Lookup


@dataclass
class Plan:
    topology: str
    entries: list[Entry] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)

    @property
    def resources(self) -> list[Resource]:
        return [e for e in self.entries if isinstance(e, Resource)]


def refs_in(value: Any) -> set[str]:
    """The plan variables `value` depends on."""
    if isinstance(value, Ref):
        return {value.var}
    if isinstance(value, (Json,)):
        return refs_in(value.value)
    if isinstance(value, Concat):
        return set().union(*(refs_in(p) for p in value.parts))
    if isinstance(value, dict):
        return set().union(set(), *(refs_in(v) for v in value.values()))
    if isinstance(value, (list, tuple)):
        return set().union(set(), *(refs_in(v) for v in value))
    return set()


def ordered(entries: list[Entry]) -> list[Entry]:
    """Entries with every one after those it references, otherwise in emission order.

    NOTE: emitters may reference a resource written later (a queue policy names the topic
    that feeds it); a stable depth-first sort keeps the output deterministic.
    """
    by_var = {e.var: e for e in entries}
    done: set[str] = set()
    result: list[Entry] = []

    def visit(entry: Entry, stack: tuple[str, ...]) -> None:
        if entry.var in done:
            return
        if entry.var in stack:
            raise ValueError(f"cycle in the plan: {' -> '.join((*stack, entry.var))}")
        needs = refs_in(entry.args) | set(getattr(entry, "depends_on", ()))
        for var in sorted(needs):
            if var in by_var:
                visit(by_var[var], (*stack, entry.var))
        done.add(entry.var)
        result.append(entry)

    for entry in entries:
        visit(entry, ())
    return result
