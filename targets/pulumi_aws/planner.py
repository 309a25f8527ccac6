"""IR and graph → `Plan`, dispatching by naming convention.

A component of keyword `k` is emitted by `emit_<k>`; a route from a hop of kind `a` to one
of kind `b` by `route_<a>_<b>`, else `route_<a>`. Adding a mapping is adding a function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evtc import ir
from evtc.frontend import Compilation
from evtc.targets.pulumi_aws.context import BuildError, Context
from evtc.targets.pulumi_aws.emitters import (
    buckets,
    fanout,
    functions,
    hops,
    polling,
    publish,
    sources,
    stores,
)
from evtc.targets.pulumi_aws.finish import finish
from evtc.targets.pulumi_aws.plan import Plan

_MODULES = (stores, functions, sources, publish, polling, fanout, buckets)
_HANDLERS: dict[str, Callable[..., None]] = {
    name: fn
    for module in _MODULES
    for name, fn in vars(module).items()
    if name.startswith(("emit_", "route_")) and callable(fn)
}


def plan(compilation: Compilation) -> Plan:
    ctx = Context(compilation.graph, Plan(compilation.topology.name))
    ctx.table_streams = _table_streams(compilation.topology)
    for queue in compilation.topology.components:
        if isinstance(queue, ir.Queue) and queue.dead_letter:
            ctx.redrives.setdefault(queue.dead_letter, []).append(queue.name)
    for component in compilation.topology.components:
        _handler(f"emit_{component.keyword}")(ctx, component)
    for route in compilation.topology.routes:
        route_handler(ctx, route)(ctx, route)
    finish(ctx)
    return ctx.plan


def _table_streams(topology: ir.Topology) -> dict[str, str]:
    """Streams fed by a dynamodb source are that table's change stream."""
    found: dict[str, str] = {}
    for route in topology.routes:
        source, target = topology.component(route.source), topology.component(route.target)
        if isinstance(source, ir.Source) and source.kind == "dynamodb" and isinstance(target, ir.Stream):
            found[target.name] = source.name
    return found


def source_kind(ctx: Context, name: str) -> str:
    component = ctx.component(name)
    if isinstance(component, ir.Function):
        return "emitter"
    if isinstance(component, ir.Source):
        return "emitter" if component.kind in ("app", "webhook") else component.kind
    return hops.kind(ctx, name)


def route_handler(ctx: Context, route: ir.Route) -> Callable[..., None]:
    start, end = source_kind(ctx, route.source), hops.kind(ctx, route.target)
    for name in (f"route_{start}_{end}", f"route_{start}"):
        if name in _HANDLERS:
            return _HANDLERS[name]
    raise BuildError(f"route {route.source} -> {route.target}: AWS has no way from a {start} to a {end}")


def _handler(name: str) -> Callable[..., Any]:
    if name not in _HANDLERS:
        raise BuildError(f"no AWS mapping for {name.removeprefix('emit_')}")
    return _HANDLERS[name]
