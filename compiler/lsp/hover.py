"""Hover text (markdown): a property's meaning, type, default and AWS range; a component's
kind and what `evtc explain` says of the paths through it; an event's schema; a field's
type; the documentation of the code of a diagnostic under the cursor."""

from __future__ import annotations

import dataclasses

from evtc import aws, ir
from evtc.analysis.hops import duration_text
from evtc.frontend.schema import ENDPOINT_KINDS, SOURCE_KINDS, specs_for
from evtc.lsp.index import COMPONENT, EVENT, FIELD, KIND, PROPERTY, TYPE, Index, Occurrence
from evtc.span import Span
from evtc.spec import Spec

# What each keyword deploys as on AWS (the pulumi-aws target's resource for it).
AWS_RESOURCES = {
    "queue": "an Amazon SQS queue (`aws.sqs.Queue`)",
    "stream": "an Amazon Kinesis data stream (`aws.kinesis.Stream`)",
    "topic": "an Amazon SNS topic (`aws.sns.Topic`)",
    "bus": "an Amazon EventBridge event bus (`aws.cloudwatch.EventBus`)",
    "function": "an AWS Lambda function (`aws.lambda_.Function`)",
    "endpoint": "an SNS subscription of the endpoint",
    "source": "the emitter of events (an S3 bucket, a DynamoDB table, an HTTP API, a schedule or your app)",
    "route": "a subscription, event source mapping, rule target or pipe, by the kinds of its two ends",
}
# Which AWS service's facts (compiler/analysis/aws.py: `SERVICE.property`) bound a keyword's properties.
_SERVICE = {"queue": "sqs", "stream": "kinesis", "function": "lambda"}


def hover(index: Index, line: int, column: int) -> str | None:
    found = index.at(line, column)
    if not found:
        return None
    first = found[0]
    if first.kind == PROPERTY:
        keyword, kind, name = first.key.split(":", 2)
        text = property_text(keyword, kind, name)
        hop = hop_text(index, line) if keyword == "route" else None
        return f"{text}\n\n{hop}" if text and hop else text
    if first.kind == COMPONENT:
        return component_text(index, first.key)
    if first.kind == KIND:
        return kind_text(*first.key.split(":", 1))
    if first.kind == EVENT:
        return event_text(index, first.key)
    if first.kind == TYPE:
        return type_text(index, first.key)
    return "\n\n".join(field_text(index, o) for o in found if o.kind == FIELD)


def property_text(keyword: str, kind: str, name: str) -> str | None:
    spec = specs_for(keyword, kind or None).get(name)
    if spec is None:
        return None
    owner = f"{keyword}: {kind}" if kind else keyword
    lines = [f"**{name}** ({owner}): {_type(spec)}", "", spec.doc[:1].upper() + spec.doc[1:] + "."]
    default = _default(keyword, name)
    if default is not None:
        lines += ["", f"Default: `{default}`" + (" (AWS's default)" if keyword != "source" else "")]
    if spec.required:
        lines += ["", "Required."]
    fact = aws.FACTS.get(f"{_SERVICE.get(keyword, '')}.{name}") or _checked_fact(keyword, name)
    if fact is not None:
        lines += ["", f"AWS: {fact.what}, {_range(fact)} ({fact.source}, checked {fact.checked})."]
    lines += ["", f"Deploys as part of {AWS_RESOURCES[keyword]}."]
    return "\n".join(lines)


def _checked_fact(keyword: str, name: str) -> aws.Fact | None:
    """The AWS range LIM001 checks property `name` of `keyword` against, when its key does
    not follow the keyword's service (a webhook's `timeout` is its HTTP API's)."""
    from evtc.rules.value_outside_aws_range import _COMPONENT_FACTS  # NOTE: the rule owns which fact applies

    for kind, table in _COMPONENT_FACTS.items():
        if kind.keyword == keyword and name in table:
            return aws.FACTS[table[name]]
    return None


def hop_text(index: Index, line: int) -> str | None:
    """What the analysis says the route on `line` does (the numbers its properties set)."""
    from evtc.analysis import analyze

    route = next((r for r in index.compilation.topology.routes if r.span.line <= line <= r.span.end_line), None)
    hop = analyze(index.compilation).hops.get(route.id) if route else None
    if hop is None:
        return None
    attempts = "unbounded" if hop.attempts == float("inf") else f"{hop.attempts:g}"
    dead = f"failed events go to '{hop.dead_letter}'" if hop.dead_letter else "failed events go nowhere"
    return (
        f"This route is a `{hop.style}` hop: up to {attempts} attempt(s), gives up after "
        f"{duration_text(hop.give_up)}; {dead}."
    )


def kind_text(keyword: str, kind: str) -> str | None:
    """A source or endpoint kind: the properties it adds to its keyword's own."""
    kinds = SOURCE_KINDS if keyword == "source" else ENDPOINT_KINDS if keyword == "endpoint" else {}
    if kind not in kinds:
        return None
    own = [f"- `{name}`: {_type(spec)}; {spec.doc}" for name, spec in kinds[kind].items()]
    others = ", ".join(f"`{k}`" for k in kinds if k != kind)
    body = "\n".join(own) if own else "No properties of its own."
    return f"**{kind}** ({keyword} kind)\n\n{body}\n\nOther {keyword} kinds: {others}."


def _type(spec: Spec) -> str:
    if spec.choices and spec.type == "enum":
        return " | ".join(f"`{c}`" for c in spec.choices)
    if spec.choices:
        return f"a list of {', '.join(spec.choices)}"
    shown = {"names": "a list of names", "strings": "a list of strings", "archive": "true or a duration"}
    text = shown.get(spec.type, f"a {spec.type}")
    if spec.minimum is not None:
        at_least = duration_text(spec.minimum) if spec.type == "duration" else f"{spec.minimum:g}"
        text += f", at least {at_least}"
    return text


def _default(keyword: str, name: str) -> str | None:
    cls = ir.Route if keyword == "route" else ir.COMPONENT_TYPES[keyword]
    f = next((f for f in dataclasses.fields(cls) if f.name == name), None)
    if f is None or f.default is dataclasses.MISSING:
        return None
    value = f.default
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and name not in ("memory",):
        return duration_text(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return str(value)


def _range(fact: aws.Fact) -> str:
    def show(value: float) -> str:
        return duration_text(value) if fact.unit == "seconds" else f"{value:g}"

    parts = []
    if fact.minimum is not None or fact.maximum is not None:
        low = show(fact.minimum) if fact.minimum is not None else "–"
        high = show(fact.maximum) if fact.maximum is not None else "–"
        parts.append(f"allowed {low} to {high}")
    if fact.default is not None:
        parts.append(f"default {show(fact.default)}")
    return ", ".join(parts) or "no range"


def component_text(index: Index, name: str) -> str | None:
    c = index.compilation.topology.component(name)
    if c is None:
        return None
    kind = getattr(c, "kind", None)
    head = f"**{c.keyword} {c.name}**" + (f": `{kind}`" if kind else "")
    lines = [head, "", f"Deploys as {AWS_RESOURCES[c.keyword]}."]
    paths = explained(index, name)
    if paths:
        lines += ["", "What `evtc explain` says of the paths through it:", "", "```text", *paths, "```"]
    return "\n".join(lines)


def explained(index: Index, name: str, limit: int = 6) -> list[str]:
    """`evtc explain`'s blocks for the consumer paths that pass through component `name`."""
    from evtc.report.explain import _block, rows  # NOTE: explain's own rendering, so hover and CLI agree

    c = index.compilation
    found = [(flow, facts) for flow, facts in rows(c) if name in facts.via]
    lines: list[str] = []
    for flow, facts in found[:limit]:
        lines.append(f"{facts.emitter}.{facts.event}")
        lines.extend(_block(c, flow, facts))
    if len(found) > limit:
        lines.append(f"… and {len(found) - limit} more (run `evtc explain`)")
    return lines


def event_text(index: Index, name: str) -> str | None:
    event = index.compilation.topology.event(name)
    if event is None:
        return None
    emitters = [c.name for c in index.compilation.topology.components if name in getattr(c, "emits", ())]
    tail = f"Emitted by: {', '.join(emitters)}." if emitters else "Emitted by no component."
    return f"```evt\n{_written(index, event.span)}\n```\n\n{tail}"


def type_text(index: Index, name: str) -> str | None:
    """A named type as declared, and the events that use it."""
    t = index.compilation.topology
    decl = next((d for d in t.types if d.name == name), None)
    if decl is None:
        return None
    users = [o for o in index.uses(TYPE, name) if not o.definition]
    tail = f"Used {len(users)} time(s)." if users else "Not used yet."
    return f"```evt\n{_written(index, decl.span)}\n```\n\n{tail}"


def _written(index: Index, span: Span) -> str:
    """The text of a declaration as written (its schema, comments included)."""
    lines = index.lines_of(span.file)
    start, end = lines.span_offsets(span)
    return lines.text[start:end]


def field_text(index: Index, occurrence: Occurrence) -> str:
    event_name, *parts = occurrence.key.split(".")
    event = index.compilation.topology.event(event_name)
    fields = event.fields if event else ()
    found: ir.Field | None = None
    for part in parts:
        found = next((f for f in fields if f.name == part), None)
        if found is None:
            break
        t = found.type
        while isinstance(t, ir.ListType):
            t = t.item
        fields = t.fields if isinstance(t, ir.ObjectType) else ()
    if found is None:
        return f"field `{occurrence.key}`"
    sensitive = "\n\nSensitive: only consumers with `clearance: [sensitive]` may receive it." if found.sensitive else ""
    return f"**{occurrence.key}**\n\n```evt\n{_written(index, found.span)}\n```{sensitive}"


def code_page(code: str) -> str | None:
    """The documentation of a diagnostic code: a rule's page, or a compiler code's summary."""
    from evtc.check.rulesdoc import page
    from evtc.frontend import codes
    from evtc.util.registry import rules

    for rule in rules():
        if rule.code == code:
            return page(rule, level=3)
    found = next((c for c in codes.ALL_CODES if c.code == code), None)
    return f"### {found.code} `{found.name}`\n\n{found.summary[:1].upper()}{found.summary[1:]}." if found else None
