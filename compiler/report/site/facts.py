"""What the catalog pages show, read from the stages that own each fact."""

from __future__ import annotations

import json
import random
from typing import Any

from evtc import ir
from evtc.diagnostics import Diagnostic
from evtc.export.jsonschema import event_schema
from evtc.frontend import Compilation
from evtc.frontend.unparse import filter_text
from evtc.plan import plan_of
from evtc.report.explain import as_dict, rows
from evtc.samples import filter_literals, sample_data


def event_page(compilation: Compilation, event: ir.Event) -> dict[str, Any]:
    t, graph = compilation.topology, compilation.graph
    emitters = sorted(c.name for c in t.components if event.name in getattr(c, "emits", ()))
    consumers = sorted(
        c.name for node, c in graph.nodes.items() if isinstance(c, ir.CONSUMERS) and event.name in graph.events_at(node)
    )
    selecting = []
    delivery = plan_of(compilation)
    for route in t.routes:
        carried = {e for _, e in graph.carried.get(route.id, ())}
        carriage = delivery.of(route)
        if route.when is not None and event.name in carried and carriage is not None:
            shared = delivery.resource_of(route)
            deployed = shared.artefact if shared is not None else carriage.filter
            selecting.append(
                {
                    "route": f"{route.source} -> {route.target}",
                    "line": route.span.line,
                    "when": filter_text(route.when),
                    "dialect": f"{carriage.dialect} ({carriage.carrier})",
                    "artefact": json.dumps(deployed, indent=2) if deployed is not None else None,
                    "problem": carriage.problem.message if carriage.problem else None,
                }
            )
    example = sample_data(event, random.Random(0), filter_literals(t), 0, 1)
    return {
        "name": event.name,
        "line": event.span.line,
        "fields": list(_fields(event.fields, "")),
        "schema": json.dumps(event_schema(event, t), indent=2, ensure_ascii=False),
        "example": json.dumps(example, indent=2, ensure_ascii=False),
        "emitters": emitters,
        "consumers": consumers,
        "filters": selecting,
    }


def _fields(fields: tuple[ir.Field, ...], prefix: str) -> Any:
    from evtc.diff.changes import signature

    for f in fields:
        notes = [a.name + (f"({a.args[0]})" if a.args else "") for a in f.annotations]
        yield {"path": prefix + f.name, "type": signature(f.type), "notes": " ".join(f"@{n}" for n in notes)}
        inner = f.type
        while isinstance(inner, ir.ListType):
            inner = inner.item
        if isinstance(inner, ir.ObjectType):
            yield from _fields(inner.fields, f"{prefix}{f.name}.")


def component_page(compilation: Compilation, component: ir.Component) -> dict[str, Any]:
    t, graph = compilation.topology, compilation.graph
    node = component.id
    arriving = sorted(graph.arriving.get(node, ()))
    paths = [as_dict(t, flow, facts) for flow, facts in rows(compilation) if facts.via[-1] == component.name]
    return {
        "name": component.name,
        "keyword": component.keyword,
        "kind": getattr(component, "kind", None),
        "line": component.span.line,
        "arriving": [{"emitter": e, "event": name} for e, name in arriving],
        "emits": list(getattr(component, "emits", ())),
        "into": [_route(r) for r in graph.routes_into(node)],
        "out": [_route(r) for r in graph.routes_from(node)],
        "properties": [{"name": p.name, "line": p.span.line} for p in component.props],
        "paths": paths,
    }


def _route(route: ir.Route) -> dict[str, Any]:
    return {
        "source": route.source,
        "target": route.target,
        "event": route.event,
        "when": filter_text(route.when) if route.when is not None else None,
        "line": route.span.line,
    }


def diagnostic_rows(diagnostics: list[Diagnostic]) -> list[dict[str, Any]]:
    return [
        {
            "where": f"{d.span.file}:{d.span.line}:{d.span.column}",
            "code": d.code,
            "name": d.name,
            "severity": d.severity.value,
            "message": d.message,
            "hint": d.hint,
        }
        for d in diagnostics
        if not d.suppressed
    ]
