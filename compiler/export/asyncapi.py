"""`evtc export asyncapi`: the topology as an AsyncAPI 3.0 document.

- a channel per router and store (topics, buses, queues, streams: what a consumer attaches
  to), listing the events that reach it, with its AWS binding;
- a message per event: its JSON Schema (`evtc.export.jsonschema`) as the payload, the
  CloudEvents attributes of evtc's envelope as the headers;
- an operation per hop: `send` for an emitter's route into a channel, `receive` for every
  route out of one (with the subscription, rule or event source mapping and its filter).

Routes that never touch a channel (an app straight to a function) have nothing a third
party can attach to, so they are left out.
"""

from __future__ import annotations

from typing import Any

from evtc import ir
from evtc.envelope import SPECVERSION, WIRE_KEYS
from evtc.export.bindings import channel_bindings, graph_events, operation_bindings
from evtc.export.jsonschema import event_schema
from evtc.frontend import Compilation
from evtc.frontend.unparse import filter_text
from evtc.graph import TopologyGraph

VERSION = "3.0.0"
PAYLOAD_FORMAT = "application/schema+json;version=draft-2020-12"
CHANNEL_KINDS = (*ir.ROUTERS, *ir.STORES)
_HEADER_TYPES: dict[str, dict[str, Any]] = {
    "specversion": {"type": "string", "const": SPECVERSION},
    "id": {"type": "string", "description": "unique per event and source"},
    "source": {"type": "string", "format": "uri-reference", "description": "evtc://TOPOLOGY/EMITTER"},
    "type": {"type": "string", "description": "the event type"},
    "time": {"type": "string", "format": "date-time", "description": "when it happened"},
    "recordedtime": {"type": "string", "format": "date-time", "description": "when it was emitted"},
    "datacontenttype": {"type": "string", "const": "application/json"},
    "partitionkey": {"type": "string", "description": "the ordering key, where the path is ordered"},
}


def asyncapi(compilation: Compilation, version: str = "1.0.0") -> dict[str, Any]:
    t, graph = compilation.topology, compilation.graph
    events = [e for e in t.events if t.event(e.name) is e]
    return {
        "asyncapi": VERSION,
        "info": {
            "title": t.name,
            "version": version,
            "description": f"The events of the `{t.name}` topology and the channels that carry them, from {t.file}.",
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": {c.name: _channel(graph, c) for c in t.components if isinstance(c, CHANNEL_KINDS)},
        "operations": _operations(compilation),
        "components": {
            "messages": {e.name: _message(t, e) for e in events},
            "schemas": {e.name: _payload(t, e) for e in events},
        },
    }


def _channel(graph: TopologyGraph, c: ir.Component) -> dict[str, Any]:
    kind = getattr(c, "kind", None) or c.keyword
    names = sorted(graph.events_at(c.id) | dead_lettered(graph, c.id))
    channel: dict[str, Any] = {
        "address": c.name,
        "title": f"{c.name} ({kind})",
        "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in names},
        "x-evtc-kind": c.keyword,
    }
    bindings = channel_bindings(c)
    if bindings:
        channel["bindings"] = bindings
    return channel


def dead_lettered(graph: TopologyGraph, node: str) -> set[str]:
    """The events that land in `node` as a dead letter: a queue's redrive or a route's failures."""
    found: set[str] = set()
    for u, v, _, data in graph.edges:
        if v == node and data["kind"] == "dead_letter":
            route = data["route"]
            found |= graph_events(graph, route) if route is not None else graph.events_at(u)
    return found


def _message(t: ir.Topology, event: ir.Event) -> dict[str, Any]:
    headers = {
        "type": "object",
        "properties": {k: dict(_HEADER_TYPES[k]) for k in WIRE_KEYS if k in _HEADER_TYPES},
        "required": ["specversion", "id", "source", "type"],
    }
    headers["properties"]["type"]["const"] = event.name
    return {
        "name": event.name,
        "title": event.name,
        "contentType": "application/json",
        "headers": headers,
        "payload": {"$ref": f"#/components/schemas/{event.name}"},
        "description": "CloudEvents 1.0: the headers are the envelope's attributes; evtc sends them in "
        "structured mode, the attributes and `data` (the payload) in one JSON body.",
    }


def _payload(t: ir.Topology, event: ir.Event) -> dict[str, Any]:
    return {"schemaFormat": PAYLOAD_FORMAT, "schema": event_schema(event, t)}


def _operations(compilation: Compilation) -> dict[str, dict[str, Any]]:
    t, graph = compilation.topology, compilation.graph
    found: dict[str, dict[str, Any]] = {}
    for route in t.routes:
        source, target = t.component(route.source), t.component(route.target)
        if source is None or target is None:
            continue
        events = sorted(graph_events(graph, route))
        if isinstance(source, CHANNEL_KINDS):
            key, operation = _receive(compilation, route, events)
        elif isinstance(target, CHANNEL_KINDS) and events:
            key, operation = _send(route, events)
        else:
            continue
        found[f"{key}.{route.span.line}" if key in found else key] = operation
    return found


def _send(route: ir.Route, events: list[str]) -> tuple[str, dict[str, Any]]:
    operation = {
        "action": "send",
        "channel": {"$ref": f"#/channels/{route.target}"},
        "title": f"{route.source} sends to {route.target}",
        "messages": [{"$ref": f"#/channels/{route.target}/messages/{e}"} for e in events],
        "x-evtc-route": _route_facts(route),
    }
    return f"{route.source}.send.{route.target}", operation


def _receive(compilation: Compilation, route: ir.Route, events: list[str]) -> tuple[str, dict[str, Any]]:
    operation: dict[str, Any] = {
        "action": "receive",
        "channel": {"$ref": f"#/channels/{route.source}"},
        "title": f"{route.target} receives from {route.source}",
        "messages": [{"$ref": f"#/channels/{route.source}/messages/{e}"} for e in events],
        "x-evtc-route": _route_facts(route),
    }
    bindings = operation_bindings(compilation.graph, route)
    if bindings:
        operation["bindings"] = bindings
    return f"{route.target}.receive.{route.source}", operation


def _route_facts(route: ir.Route) -> dict[str, Any]:
    facts: dict[str, Any] = {"line": route.span.line}
    if route.event:
        facts["event"] = route.event
    if route.when is not None:
        facts["when"] = filter_text(route.when)
    if route.dead_letter:
        facts["deadLetter"] = route.dead_letter
    return facts
