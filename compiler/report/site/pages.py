"""The catalog's HTML pages, rendered with jinja2 (autoescaped) from `facts`."""

from __future__ import annotations

from typing import Any

import jinja2

CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d2731; }
header { background: #1d2731; color: #fff; padding: 10px 24px; } header a { color: #fff; margin-right: 16px; }
main { padding: 16px 24px 40px; max-width: 1200px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #d5dbe1; }
table { border-collapse: collapse; margin: 8px 0; } td, th { border: 1px solid #d5dbe1; padding: 4px 8px;
  text-align: left; vertical-align: top; } th { background: #f4f7fb; }
pre { background: #f4f7fb; padding: 10px; overflow-x: auto; font-size: 12px; }
.error { color: #c0392b; } .warning { color: #b9770e; } .info { color: #2874a6; }
.drawing { overflow-x: auto; border: 1px solid #d5dbe1; padding: 8px; } .drawing svg { max-width: 100%; height: auto; }
code { background: #f4f7fb; padding: 0 3px; }
"""

BASE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title><style>{{ css }}</style></head>
<body><header><a href="{{ root }}index.html">evtc catalog</a>{% if topology %}<a href="../index.html">{{ topology }}</a>{% endif %}</header>
<main>{% block main %}{% endblock %}</main></body></html>
"""

INDEX = """{% extends "base" %}{% block main %}<h1>Topologies</h1>
<table><tr><th>topology</th><th>file</th><th>events</th><th>components</th><th>diagnostics</th></tr>
{% for t in topologies %}<tr><td><a href="{{ t.slug }}/index.html">{{ t.name }}</a></td><td>{{ t.file }}</td>
<td>{{ t.events|length }}</td><td>{{ t.components|length }}</td><td>{{ t.diagnostics|length }}</td></tr>{% endfor %}</table>
{% if orphans %}<h2>Files that do not compile</h2>{% include "diagnostics" %}{% endif %}
{% endblock %}"""

TOPOLOGY = """{% extends "base" %}{% block main %}<h1>{{ t.name }}</h1><p>{{ t.file }}</p>
<div class="drawing">{{ drawing|safe }}</div>
<h2>Events</h2><ul>{% for e in t.events %}<li><a href="events/{{ e }}.html">{{ e }}</a></li>{% endfor %}</ul>
<h2>Components</h2><table><tr><th>component</th><th>kind</th></tr>
{% for c in t.components %}<tr><td><a href="components/{{ c.name }}.html">{{ c.name }}</a></td><td>{{ c.kind }}</td></tr>{% endfor %}</table>
<h2>Diagnostics</h2>{% set rows = t.diagnostics %}{% include "diagnostics" %}
{% endblock %}"""

DIAGNOSTICS = """{% if rows %}<table><tr><th>where</th><th>code</th><th>severity</th><th>message</th><th>hint</th></tr>
{% for d in rows %}<tr><td>{{ d.where }}</td><td>{{ d.code }} {{ d.name }}</td><td class="{{ d.severity }}">{{ d.severity }}</td>
<td>{{ d.message }}</td><td>{{ d.hint }}</td></tr>{% endfor %}</table>{% else %}<p>No problems found.</p>{% endif %}"""

EVENT = """{% extends "base" %}{% block main %}<h1>event {{ e.name }}</h1><p>{{ file }}, line {{ e.line }}</p>
<h2>Fields</h2><table><tr><th>field</th><th>type</th><th>annotations</th></tr>
{% for f in e.fields %}<tr><td><code>{{ f.path }}</code></td><td><code>{{ f.type }}</code></td><td>{{ f.notes }}</td></tr>{% endfor %}</table>
<h2>Emitted by</h2>{{ links(e.emitters) }}
<h2>Consumed by</h2>{{ links(e.consumers) }}
<h2>Filters that select it</h2>{% if e.filters %}<table><tr><th>route</th><th>when</th><th>deployed as</th></tr>
{% for f in e.filters %}<tr><td>{{ f.route }} (line {{ f.line }})</td><td><code>{{ f.when }}</code></td>
<td>{{ f.dialect }}{% if f.artefact %}<pre>{{ f.artefact }}</pre>{% endif %}{% if f.problem %}<p class="error">{{ f.problem }}</p>{% endif %}</td></tr>{% endfor %}</table>
{% else %}<p>No route filters on it.</p>{% endif %}
<h2>Example payload</h2><pre>{{ e.example }}</pre>
<h2>JSON Schema</h2><pre>{{ e.schema }}</pre>
{% endblock %}"""

COMPONENT = """{% extends "base" %}{% block main %}<h1>{{ c.keyword }} {{ c.name }}{% if c.kind %}: {{ c.kind }}{% endif %}</h1>
<p>{{ file }}, line {{ c.line }}</p>
<h2>What reaches it</h2>{% if c.arriving %}<table><tr><th>emitter</th><th>event</th></tr>
{% for a in c.arriving %}<tr><td>{{ link(a.emitter) }}</td><td><a href="../events/{{ a.event }}.html">{{ a.event }}</a></td></tr>{% endfor %}</table>
{% else %}<p>Nothing is routed to it.</p>{% endif %}
{% if c.emits %}<h2>Emits</h2><ul>{% for e in c.emits %}<li><a href="../events/{{ e }}.html">{{ e }}</a></li>{% endfor %}</ul>{% endif %}
<h2>Routes</h2><table><tr><th>from</th><th>to</th><th>event</th><th>when</th><th>line</th></tr>
{% for r in c.into + c.out %}<tr><td>{{ link(r.source) }}</td><td>{{ link(r.target) }}</td><td>{{ r.event or "" }}</td>
<td>{% if r.when %}<code>{{ r.when }}</code>{% endif %}</td><td>{{ r.line }}</td></tr>{% endfor %}</table>
{% if c.paths %}<h2>What each path guarantees (evtc explain)</h2>
{% for p in c.paths %}<h3>{{ p.emitter }}.{{ p.event }}</h3><table>
<tr><th>path</th><td>{{ p.via|join(" → ") }}{% if p.paths > 1 %} ({{ p.paths }} paths){% endif %}</td></tr>
<tr><th>ordering</th><td>{% if p.ordering.key %}in order per {{ p.ordering.key }}{% else %}unordered{% if p.ordering.lost_at %}: lost at {{ p.ordering.lost_at }} ({{ p.ordering.reason }}){% endif %}{% endif %}</td></tr>
<tr><th>delivery</th><td>{{ p.delivery.semantics }}{% if p.delivery.dead_letters %}; dead letters: {{ p.delivery.dead_letters|join(", ") }}{% endif %}
{% for d in p.delivery.drops %}<br>drops at {{ d.at }}: {{ d.reason }}{% endfor %}</td></tr>
<tr><th>durability</th><td>{% for r in p.durability.retained %}{{ r.store }} keeps {{ r.seconds|duration }}{% if not loop.last %}, {% endif %}{% endfor %}
{%- if p.durability.outage_tolerance_seconds is not none %}; can be down {{ p.durability.outage_tolerance_seconds|duration }}{% else %}; no event lost to an outage{% endif %}</td></tr>
<tr><th>confidentiality</th><td>{% if p.confidentiality.sensitive_fields %}sensitive: {{ p.confidentiality.sensitive_fields|join(", ") }};
consumer {{ "cleared" if p.confidentiality.consumer_cleared else "NOT cleared" }}{% else %}no sensitive fields{% endif %}</td></tr>
<tr><th>payload</th><td>{{ p.payload.mode }}, at most {{ p.payload.max_bytes }} B{% if p.payload.unbounded_fields %} + unbounded: {{ p.payload.unbounded_fields|join(", ") }}{% endif %}</td></tr>
</table>{% endfor %}{% endif %}
{% endblock %}"""

_MACROS = """{% macro link(name) %}<a href="../components/{{ name }}.html">{{ name }}</a>{% endmacro %}
{% macro links(names) %}{% if names %}<ul>{% for n in names %}<li>{{ link(n) }}</li>{% endfor %}</ul>{% else %}<p>none</p>{% endif %}{% endmacro %}"""


def environment() -> jinja2.Environment:
    from evtc.analysis.hops import duration_text

    templates = {
        "base": BASE,
        "index": INDEX,
        "topology": TOPOLOGY,
        "diagnostics": DIAGNOSTICS,
        "event": _MACROS + EVENT,
        "component": _MACROS + COMPONENT,
    }
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["duration"] = duration_text
    return env


def render(env: jinja2.Environment, name: str, **context: Any) -> str:
    return env.get_template(name).render(css=CSS, **context)
