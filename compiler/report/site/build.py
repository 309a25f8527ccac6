"""Write the catalog folder: one index, and per topology its drawing, events and components."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2

from evtc.check.checker import CheckResult
from evtc.frontend import Compilation
from evtc.report.drawing.svg import svg
from evtc.report.site.facts import component_page, diagnostic_rows, event_page
from evtc.report.site.pages import environment, render


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def write_site(result: CheckResult, out: Path) -> list[Path]:
    """Every page of the catalog of `result`'s files under `out`; the written paths."""
    env = environment()
    written: list[Path] = []
    topologies = []
    orphans = []
    for compilation in result.compilations:
        mine = [d for d in result.diagnostics if d.span.file in compilation.sources]
        if any(d.severity.value == "error" and d.code.startswith(("SYN", "REF")) for d in mine):
            orphans.extend(diagnostic_rows(mine))
            continue
        summary = _summary(compilation, diagnostic_rows(mine))
        topologies.append(summary)
        written.extend(_topology(env, compilation, summary, out / summary["slug"]))
    index = out / "index.html"
    index.write_text(
        render(
            env,
            "index",
            title="evtc catalog",
            root="",
            topology=None,
            topologies=topologies,
            orphans=orphans,
            rows=orphans,
        ),
        encoding="utf-8",
    )
    return [index, *written]


def _summary(compilation: Compilation, diagnostics: list[dict[str, Any]]) -> dict[str, Any]:
    t = compilation.topology
    return {
        "name": t.name,
        "slug": slug(t.name),
        "file": ", ".join(compilation.files),
        "events": [e.name for e in t.events if t.event(e.name) is e],
        "components": [
            {"name": c.name, "kind": c.keyword + (f": {c.kind}" if getattr(c, "kind", None) else "")}
            for c in t.components
            if t.component(c.name) is c
        ],
        "diagnostics": diagnostics,
    }


def _topology(env: jinja2.Environment, compilation: Compilation, summary: dict[str, Any], folder: Path) -> list[Path]:
    t = compilation.topology
    (folder / "events").mkdir(parents=True, exist_ok=True)
    (folder / "components").mkdir(parents=True, exist_ok=True)
    drawing = svg(compilation.graph, link=lambda c: f"components/{slug(c.name)}.html")
    pages = {
        folder / "index.html": render(
            env, "topology", title=t.name, root="../", topology=None, t=summary, drawing=drawing
        )
    }
    common = {"root": "../../", "topology": t.name, "file": ", ".join(compilation.files)}
    for event in t.events:
        if t.event(event.name) is event:
            page = render(env, "event", title=f"{event.name} ({t.name})", e=event_page(compilation, event), **common)
            pages[folder / "events" / f"{slug(event.name)}.html"] = page
    for c in t.components:
        if t.component(c.name) is c:
            page = render(env, "component", title=f"{c.name} ({t.name})", c=component_page(compilation, c), **common)
            pages[folder / "components" / f"{slug(c.name)}.html"] = page
    for path, text in pages.items():
        path.write_text(text, encoding="utf-8")
    return list(pages)
