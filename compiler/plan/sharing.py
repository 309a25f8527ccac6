"""Routes that AWS carries with one resource, and the one artefact that resource deploys.

AWS keeps one SNS subscription per topic and endpoint, one event source mapping per store
and function, and one asynchronous-invocation configuration per function. Routes that land
on one of those share it: their event-type selections and filters are folded into one
filter as AWS allows (`$or` in a filter policy, several FilterCriteria filters), and
settings the resource holds once must agree, or `evtc check` reports LIM011.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from evtc import ir
from evtc.diagnostics import Diagnostic, Related
from evtc.filters.dialects import MAX_ESM_FILTERS, scope_of
from evtc.patterns.normalise import normalise
from evtc.patterns.validate import validate
from evtc.plan.carriers import ASYNC_INVOKERS
from evtc.plan.model import Retry, RoutePlan, Shared
from evtc.plan.problems import SHARED_RESOURCE_CONFLICT

# NOTE: two pipes on one queue would compete for its messages, so routes from one store to
# one target share a pipe, as they share a mapping.
_ONE_PER_PAIR = {"sns-subscription": "subscription", "esm": "mapping", "pipe": "pipe"}
_MAPPING_SETTINGS = ("batch_size", "batching_window", "retries", "max_age", "bisect", "dead_letter", "start")
_SUBSCRIPTION_SETTINGS = ("dead_letter", "retries", "delivery_dead_letter")
_ASYNC_SETTINGS = ("retries", "max_age", "dead_letter")
_LABEL = {
    "sns-subscription": "one SNS subscription",
    "esm": "one event source mapping",
    "pipe": "one EventBridge Pipe",
    "async-config": "one asynchronous-invocation configuration",
}


def resource_key(carrier: str, route: ir.Route) -> str:
    kind = _ONE_PER_PAIR.get(carrier)
    return f"{kind}:{route.source}->{route.target}" if kind else f"{carrier}:{route.id}"


def share(t: ir.Topology, routes: dict[str, RoutePlan]) -> tuple[dict[str, Shared], list[Diagnostic]]:
    groups: dict[str, list[RoutePlan]] = {}
    for plan in routes.values():
        groups.setdefault(plan.resource, []).append(plan)
        if plan.carrier in ASYNC_INVOKERS and plan.ends[1] == "function":
            groups.setdefault(f"async:{plan.route.target}", []).append(plan)
    shared: dict[str, Shared] = {}
    problems: list[Diagnostic] = []
    for key, members in groups.items():
        carrier = "async-config" if key.startswith("async:") else members[0].carrier
        artefact, problem = _merged(carrier, members)
        shared[key] = Shared(key, carrier, tuple(m.id for m in members), artefact)
        problems += [problem] if problem else []
        problems += _conflicts(carrier, members)
    return shared, problems


def _merged(carrier: str, members: list[RoutePlan]) -> tuple[dict[str, Any] | None, Diagnostic | None]:
    if carrier == "async-config" or any(m.filter is None for m in members):
        return None, None  # NOTE: one route letting everything through opens the shared resource
    if len(members) == 1:
        return members[0].filter, None
    if carrier in ("esm", "pipe"):
        texts = sorted({f["Pattern"] for m in members for f in m.filter["Filters"]})  # type: ignore[index]
        if len(texts) > MAX_ESM_FILTERS:
            why = f"together they need {len(texts)} filters; an event source mapping takes {MAX_ESM_FILTERS}"
            return None, _problem(
                carrier, members, why, "merge the routes' filters, or feed the function from two stores"
            )
        return {"Filters": [{"Pattern": text} for text in texts]}, None
    alternatives: list[Any] = []
    for m in members:
        found = m.filter or {}
        parts = found["$or"] if set(found) == {"$or"} else [found]
        alternatives += [p for p in parts if p not in alternatives]
    merged = normalise({"$or": alternatives}) if len(alternatives) > 1 else alternatives[0]
    reasons = validate(merged, dialect="sns", scope=scope_of(members[0].dialect))
    if reasons:
        return None, _problem(
            carrier, members, "SNS rejects their merged filter policy: " + "; ".join(reasons), "simplify the filters"
        )
    return merged, None


def _conflicts(carrier: str, members: list[RoutePlan]) -> list[Diagnostic]:
    names = {
        "esm": _MAPPING_SETTINGS,
        "pipe": _MAPPING_SETTINGS,
        "sns-subscription": _SUBSCRIPTION_SETTINGS,
        "async-config": _ASYNC_SETTINGS,
    }
    found: list[Diagnostic] = []
    for name in names.get(carrier, ()):
        values = {getattr(m.route, name) for m in members if carrier != "async-config" or _sets_async(m.route)}
        if len(values) > 1:
            hint = f"give every route into '{members[0].route.target}' from here the same `{name}`"
            found.append(_problem(carrier, members, f"they set different `{name}` values, which it holds once", hint))
    return found


def _sets_async(route: ir.Route) -> bool:
    return any(getattr(route, name) is not None for name in _ASYNC_SETTINGS)


def _problem(carrier: str, members: list[RoutePlan], why: str, hint: str) -> Diagnostic:
    first, other = members[0].route, members[-1].route
    label = _LABEL.get(carrier, "one resource")
    message = f"AWS carries '{first.source} -> {first.target}' and {len(members) - 1} more route(s) with {label}: {why}"
    related = tuple(Related(m.route.span, "shares the resource") for m in members if m.route is not other)
    return SHARED_RESOURCE_CONFLICT.at(other.span, message, hint, related)


def with_function_settings(
    t: ir.Topology, routes: dict[str, RoutePlan], shared: dict[str, Shared]
) -> dict[str, RoutePlan]:
    """Lambda keeps one asynchronous-invocation configuration per function: every async route
    into it retries a failing handler as that configuration says, whichever route set it."""
    result = dict(routes)
    for resource in shared.values():
        if resource.carrier != "async-config":
            continue
        setters = [routes[r] for r in resource.routes if _sets_async(routes[r].route)]
        if not setters:
            continue
        chosen = setters[0].handler
        for route_id in resource.routes:
            plan = routes[route_id]
            if chosen is not None and plan.handler != chosen:
                result[route_id] = _replace_handler(plan, chosen)
    return result


def _replace_handler(plan: RoutePlan, handler: Retry) -> RoutePlan:
    return replace(plan, handler=handler)
