"""Which SNS message attributes each event carries, and which topic routes the plan
filters by them (FilterPolicyScope `MessageAttributes`) rather than by the body.

A route out of a topic filters in attribute scope when every field its `when` names is
an `@attribute` of every event the route carries, every route sharing its subscription
can too, and every event reaches the topic by an SDK `Publish` of evtc's own runtime (a
bus rule, a pipe or a schedule delivering to a topic sets no message attributes). Else
it filters the body, as before: an attribute is also a field of the body, so the same
filter holds there.
"""

from __future__ import annotations

from evtc import ir
from evtc.attributes import TYPE_ATTRIBUTE
from evtc.frontend.attributes import SNS_TYPES, attribute_types, sns_type
from evtc.graph import TopologyGraph

__all__ = ["SNS_TYPES", "TYPE_ATTRIBUTE", "attribute_routes", "attribute_types", "published_topics", "sns_type"]


def attribute_routes(
    graph: TopologyGraph, pairs: dict[tuple[str, str], list[ir.Route]], carriers: dict[str, str]
) -> set[str]:
    """The ids of the topic routes the plan filters in attribute scope. `pairs` groups the
    routes of each SNS subscription (topic, endpoint); `carriers` maps route id -> carrier."""
    published = published_topics(graph.topology, carriers)
    chosen: set[str] = set()
    for (topic, _), members in pairs.items():
        if not any(r.when is not None for r in members) or topic not in published:
            continue
        if all(_fits(graph, r) for r in members):
            chosen.update(r.id for r in members)
    return chosen


def _fits(graph: TopologyGraph, route: ir.Route) -> bool:
    """Whether the route's filter can be written over message attributes: every field its
    `when` names is an attribute of each event that has the field (an event without it
    lacks it in either scope), and a qualifier's event type carries attributes (`evtc.type`
    is set only beside them)."""
    from evtc.frontend.fields import leaves

    names = sorted({event for _, event in graph.carried.get(route.id, ())})
    events = [e for e in (graph.topology.event(n) for n in names) if e is not None]
    qualified = graph.topology.event(route.event) if route.event else None
    if route.event is not None and (qualified is None or not attribute_types(qualified)):
        return False
    if route.when is None:
        return True
    for leaf in leaves(route.when):
        name = leaf.path.parts[0]
        having = [e for e in events if any(f.name == name for f in e.fields)]
        if len(leaf.path.parts) != 1 or not having or any(name not in attribute_types(e) for e in having):
            return False
    return True


def published_topics(topology: ir.Topology, carriers: dict[str, str]) -> set[str]:
    """The topics every route into which is a `Publish` by evtc's runtime (`carriers`: route
    id -> carrier), so that every message on them carries its attributes; one pass."""
    publishing: dict[str, bool] = {}
    for r in topology.routes:
        if isinstance(topology.component(r.target), ir.Topic):
            publishing[r.target] = publishing.get(r.target, True) and carriers.get(r.id) == "publish"
    return {topic for topic, only in publishing.items() if only}
