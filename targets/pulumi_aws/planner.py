"""IR and graph → `Plan`, dispatching by naming convention.

A component of keyword `k` is emitted by `emit_<k>`; a route from a hop of kind `a` to one
of kind `b` by `route_<a>_<b>`, else `route_<a>`. Adding a mapping is adding a function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evtc import ir
from evtc.frontend import Compilation
from evtc.plan import plan_of, table_streams
from evtc.targets.pulumi_aws.context import BuildError, Context
from evtc.targets.pulumi_aws.emitters import (
    buckets,
    external,
    fanout,
    functions,
    polling,
    publish,
    sources,
    stores,
)
from evtc.targets.pulumi_aws.finish import finish
from evtc.targets.pulumi_aws.plan import Plan

_MODULES = (stores, functions, sources, publish, polling, fanout, buckets, external)
_HANDLERS: dict[str, Callable[..., None]] = {
    name: fn
    for module in _MODULES
    for name, fn in vars(module).items()
    if name.startswith(("emit_", "route_")) and callable(fn)
}


def plan(compilation: Compilation, extra: tuple[Callable[[Context], None], ...] = ()) -> Plan:
    """The plan of `compilation`; `extra` emitters (build options) run after the components'."""
    ctx = Context(compilation.graph, Plan(compilation.topology.name))
    ctx.delivery = plan_of(compilation)
    ctx.table_streams = table_streams(compilation.topology)
    for queue in compilation.topology.components:
        if isinstance(queue, ir.Queue) and queue.dead_letter:
            ctx.redrives.setdefault(queue.dead_letter, []).append(queue.name)
    for component in compilation.topology.components:
        emit = external.emit_external if component.external else _handler(f"emit_{component.keyword}")
        emit(ctx, component)
    for emitter in extra:
        emitter(ctx)
    for route in compilation.topology.routes:
        route_handler(ctx, route)(ctx, route)
    finish(ctx)
    return ctx.plan


def route_handler(ctx: Context, route: ir.Route) -> Callable[..., None]:
    """`route_<start>_<end>` or `route_<start>`, from the hop kinds the delivery plan gives."""
    carriage = ctx.carriage(route)
    start, end = carriage.ends
    for name in (f"route_{start}_{end}", f"route_{start}"):
        if name in _HANDLERS:
            return _HANDLERS[name]
    raise BuildError(f"route {route.source} -> {route.target}: AWS has no way from a {start} to a {end}")


def _handler(name: str) -> Callable[..., Any]:
    if name not in _HANDLERS:
        raise BuildError(f"no AWS mapping for {name.removeprefix('emit_')}")
    return _HANDLERS[name]
