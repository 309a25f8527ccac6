"""`evtc filters FILE`: each route's `when`, compiled for the AWS filter of its hop.

Exit code 0 when every filter compiles, 1 when some route's filter cannot be expressed
(or the file does not compile), 2 on usage errors.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from evtc.cli._topology import compiled, topology_argument
from evtc.filters.dialects import HOP_DIALECTS
from evtc.filters.routes import FILTER_CODES, RouteFilter, route_filter
from evtc.frontend import Compilation
from evtc.frontend.unparse import filter_text
from evtc.plan import RoutePlan, plan_of
from evtc.report.formatters import text
from evtc.span import Span


def _label(route_filter: RouteFilter) -> str:
    r = route_filter.route
    qualifier = f".{r.event}" if r.event else ""
    return f"{r.source}{qualifier} -> {r.target}"


def _entry(found: RouteFilter) -> dict[str, Any]:
    if found.diagnostic is not None:
        return {"error": found.diagnostic.message, "hint": found.diagnostic.hint}
    return {"filter": found.artefact}


def _deployed(carriage: RoutePlan) -> RouteFilter:
    """What the route's hop deploys, as the delivery plan compiled it (with its selection)."""
    problem = carriage.problem if carriage.problem is not None and carriage.problem.code in FILTER_CODES else None
    nothing = {"Filters": []} if carriage.dialect.startswith("esm_") else {}
    artefact = None if problem else (carriage.filter if carriage.filter is not None else nothing)
    return RouteFilter(carriage.route, carriage.dialect, artefact, problem)


def as_json(compilation: Compilation, found: list[RouteFilter]) -> str:
    routes: dict[str, dict[str, Any]] = {}
    for item in found:
        key = f"{_label(item)} @{_where(compilation, item.route.span)}"
        route = routes.setdefault(
            key, {"when": filter_text(item.route.when) if item.route.when else None, "dialects": {}}
        )
        route["dialects"][item.dialect] = _entry(item)
    document = {"file": compilation.file, "routes": routes}
    return _indented_with_compact_filters(document) + "\n"


def _where(compilation: Compilation, span: Span) -> str:
    """A route's line, with its file when it is not the topology's first."""
    return str(span.line) if span.file == compilation.file else f"{span.file}:{span.line}"


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _indented_with_compact_filters(document: dict[str, Any]) -> str:
    """Indented JSON whose filters stay on one line each, as they are deployed.

    NOTE: each filter is swapped for a numbered placeholder string, the document indented,
    and the placeholders replaced by the compact filter text.
    """
    filters: list[str] = []
    for route in document["routes"].values():
        for entry in route["dialects"].values():
            if "filter" in entry:
                filters.append(_compact(entry["filter"]))
                entry["filter"] = f"@@filter{len(filters) - 1}@@"
    text = json.dumps(document, indent=2, ensure_ascii=False)
    for number, compact in enumerate(filters):
        text = text.replace(f'"@@filter{number}@@"', compact, 1)
    return text


def as_text(compilation: Compilation, found: list[RouteFilter]) -> str:
    lines: list[str] = []
    for item in found:
        when = f" when {filter_text(item.route.when)}" if item.route.when else " (no filter)"
        lines.append(f"{item.route.span.file}:{item.route.span.line}: {_label(item)}{when}")
        if item.diagnostic is None:
            lines.append(f"  {item.dialect}: {_compact(item.artefact)}")
        else:
            lines.append(f"  {item.dialect}: not expressible")
            source = compilation.sources.get(item.diagnostic.span.file, "")
            lines.extend("  " + line for line in text.render(item.diagnostic, source))
    return "\n".join(lines) + "\n" if lines else "no routes\n"


@click.command()
@topology_argument
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--dialect",
    type=click.Choice(HOP_DIALECTS),
    multiple=True,
    help="compile every route for this dialect (repeatable) instead of its hop's own",
)
@click.option("--all-dialects", is_flag=True, help="compile every route with a `when` for every dialect")
def command(file: str, fmt: str, dialect: tuple[str, ...], all_dialects: bool) -> None:
    """Print each route's filter as its hop deploys it: SNS, EventBridge, Lambda, S3."""
    compilation = compiled(file)
    graph = compilation.graph
    routes = [r for r in graph.topology.routes if r.when is not None or not all_dialects]
    chosen = HOP_DIALECTS if all_dialects else dialect
    if chosen:
        found = [route_filter(graph, route, d) for route in routes for d in chosen]
    else:
        found = [_deployed(carriage) for carriage in plan_of(compilation).routes.values()]
    sys.stdout.write((as_json if fmt == "json" else as_text)(compilation, found))
    sys.exit(1 if any(item.diagnostic for item in found) else 0)
