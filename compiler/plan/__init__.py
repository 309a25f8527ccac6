"""The delivery plan: for every route, the AWS mechanism that carries it, the resource it
shares with other routes and the merged filter that resource deploys, the event-type
selection and compiled filter, and who retries delivery and handler failures, how often,
for how long and where each dead-letters. Computed once per compilation; the analysis,
the rules, `evtc explain`, `evtc filters`, the local runtime and the pulumi-aws target all
read it, and none of them decides a hop again.

>>> from evtc.frontend import compile_file
>>> plan = plan_of(compile_file("examples/orders.evt"))
>>> hop = next(p for p in plan.routes.values() if p.route.target == "billing")
>>> hop.carrier, hop.dialect, hop.handler.by
('esm', 'esm_kinesis', 'esm')
"""

from __future__ import annotations

import weakref

from evtc.frontend import Compilation
from evtc.graph import TopologyGraph
from evtc.plan.build import plan_graph
from evtc.plan.carriers import ASYNC_INVOKERS, CARRIERS, DIALECTS, table_streams
from evtc.plan.failures import written as delivery_settings
from evtc.plan.model import DeliveryPlan, Retry, RoutePlan, Shared
from evtc.plan.problems import ROUTE_NOT_DEPLOYABLE, SHARED_RESOURCE_CONFLICT

# NOTE: keyed by identity, as the analysis is: the entry goes away with the compilation.
_CACHE: dict[int, DeliveryPlan] = {}


def plan_of(compilation: Compilation | TopologyGraph) -> DeliveryPlan:
    """The plan of a compilation (or its graph), computed on first use and shared by every caller."""
    graph = compilation.graph if isinstance(compilation, Compilation) else compilation
    key = id(graph)
    found = _CACHE.get(key)
    if found is None:
        found = plan_graph(graph)
        _CACHE[key] = found
        weakref.finalize(graph, _CACHE.pop, key, None)
    return found


__all__ = [
    "ASYNC_INVOKERS",
    "CARRIERS",
    "DIALECTS",
    "ROUTE_NOT_DEPLOYABLE",
    "SHARED_RESOURCE_CONFLICT",
    "DeliveryPlan",
    "Retry",
    "RoutePlan",
    "Shared",
    "delivery_settings",
    "plan_graph",
    "plan_of",
    "table_streams",
]
