"""Per-kind property schemas, derived from the IR: which properties each component and route
accepts (each IR field's `Spec`, `evtc.spec`), of which type, and how a written value
becomes the typed IR attribute.

Only language-level sanity lives here (types, units, non-negative counts). AWS's own
ranges (a queue's retention between 60 s and 14 d, …) are checked by the `limits` rules,
so that they can be configured and cite their source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any

from evtc import ir
from evtc.diagnostics import Diagnostic
from evtc.frontend import codes, placement
from evtc.frontend.keying import RANDOM, key_attributes
from evtc.ir import Binding, Duration, Name, Property, Size
from evtc.span import Span
from evtc.spec import EXTERNAL, Spec, specs_of
from evtc.util.suggest import did_you_mean, indefinite


def _derived(cls: type) -> list[Spec]:
    """The specs of `cls`'s fields, each named by its written property and the field it sets."""
    return [replace(spec, name=spec.name or f.name, attr=f.name) for f, spec in specs_of(cls)]


def _table(specs: list[Spec]) -> dict[str, Spec]:
    return {spec.name: spec for spec in specs}


_CLASSES: dict[str, type] = {**ir.COMPONENT_TYPES, "route": ir.Route}
_SPECS: dict[str, list[Spec]] = {keyword: _derived(cls) for keyword, cls in _CLASSES.items()}
KINDS: dict[str, tuple[str, ...]] = {keyword: cls.kinds for keyword, cls in ir.COMPONENT_TYPES.items() if cls.kinds}

# every keyword's own properties (those every kind of it takes), and each kind's own ones
SCHEMAS: dict[str, dict[str, Spec]] = {kw: _table([s for s in specs if not s.kinds]) for kw, specs in _SPECS.items()}
SOURCE_KINDS: dict[str, dict[str, Spec]] = {
    kind: _table([s for s in _SPECS["source"] if kind in s.kinds]) for kind in KINDS["source"]
}
ENDPOINT_KINDS: dict[str, dict[str, Spec]] = {
    kind: _table([s for s in _SPECS["endpoint"] if kind in s.kinds]) for kind in KINDS["endpoint"]
}


# properties of which a kind takes at most one (EventBridge Scheduler takes one expression);
# a schedule with neither is LIM012's (nothing to deploy), not the language's
AT_MOST_ONE: dict[tuple[str, str], tuple[str, ...]] = {
    ("source", "schedule"): ("rate", "cron"),
    ("source", "webhook"): ("type_field", "type_header"),
}


def at_most_one(keyword: str, kind: str | None, props: tuple[Property, ...], owner: str) -> list[Diagnostic]:
    """A diagnostic when a kind that takes one of some properties is given several."""
    names = AT_MOST_ONE.get((keyword, kind or ""), ())
    written = [p for p in props if p.name in names]
    if len({p.name for p in written}) < 2:
        return []
    choices = " or ".join(f"`{n}`" for n in names)
    message = f"{owner} takes {choices}, not both"
    return [codes.DUPLICATE_PROPERTY.at(written[-1].span, message, f"remove `{written[-1].name}`")]


@cache
def specs_for(keyword: str, kind: str | None) -> dict[str, Spec]:
    """The properties `KEYWORD NAME: KIND` takes (`kind` None: those every kind takes);
    computed once per kind and shared, so never changed by a caller.

    `KEYWORD NAME: external` is a component owned elsewhere (another stack, team or account,
    or AWS itself): evtc references it and never creates it. An external source is a kind of
    its own (a producer known by its `source`); any other external component takes its
    keyword's properties, none required, to describe it, and an identity (`arn`, `name`).
    """
    own = _table([s for s in _SPECS[keyword] if kind is not None and kind in s.kinds])
    if kind == EXTERNAL and keyword in KINDS:
        return own
    if kind == EXTERNAL:
        return {**{name: replace(spec, required=False) for name, spec in SCHEMAS[keyword].items()}, **own}
    return {**SCHEMAS[keyword], **own}


def convert(
    props: tuple[Property, ...], specs: dict[str, Spec], owner: str, anchor: Span
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Typed attribute values for `props`, plus a diagnostic for each one that does not fit.

    `owner` names the component in messages; `anchor` is where a missing property is reported.
    """
    values: dict[str, Any] = {}
    seen: set[str] = set()
    diagnostics: list[Diagnostic] = []
    for prop in props:
        spec = specs.get(prop.name)
        if spec is None:
            hint = did_you_mean(prop.name, specs) or f"{owner} accepts: {', '.join(sorted(specs)) or 'no properties'}"
            diagnostics.append(codes.UNKNOWN_PROPERTY.at(prop.span, f"{owner} has no property '{prop.name}'", hint))
            continue
        if prop.name in seen:
            diagnostics.append(
                codes.DUPLICATE_PROPERTY.at(prop.span, f"'{prop.name}' is set twice", "remove one of them")
            )
            continue
        seen.add(prop.name)
        value, problem = _CONVERTERS[spec.type](prop.value, spec)
        if problem is not None:
            diagnostics.append(problem(prop))
        else:
            values.update(_attributes(spec, value))
    for name, spec in specs.items():
        if spec.required and name not in seen:
            message = f"{owner} needs '{name}'"
            diagnostics.append(codes.MISSING_PROPERTY.at(anchor, message, f"add `{name}: …` to its block"))
    return values, diagnostics


def _attributes(spec: Spec, value: Any) -> dict[str, Any]:
    """The IR attributes a converted value sets: its field, for bindings the bound pairs, for
    an ordering key the field, constant or `random` it is (evtc.frontend.keying)."""
    if spec.type == "key":
        return key_attributes(spec.attr, value)
    if spec.type not in ("bindings", "writes"):
        return {spec.attr: value}
    events = tuple(dict.fromkeys(event for event, _ in value))
    return {spec.attr: events, spec.pairs: tuple((event, text) for event, text in value if text is not None)}


Problem = Callable[[Property], Diagnostic] | None


def _wrong(expected: str, example: str) -> Problem:
    def problem(prop: Property) -> Diagnostic:
        return codes.WRONG_TYPE.at(
            prop.value_span,
            f"'{prop.name}' must be {expected}, not {_describe(prop.value)}",
            f"write it like `{prop.name}: {example}`",
        )

    return problem


def _below(minimum: float) -> Problem:
    def problem(prop: Property) -> Diagnostic:
        return codes.OUT_OF_RANGE.at(
            prop.value_span, f"'{prop.name}' must be at least {minimum:g}", "use a positive value"
        )

    return problem


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, Duration):
        return f"the duration {value.text}"
    if isinstance(value, Size):
        return f"the size {value.text}"
    if isinstance(value, Name):
        return f"the name {value.text}"
    if isinstance(value, str):
        return f'the string "{value}"'
    if isinstance(value, tuple):
        return "a list"
    return f"the number {value}"


def _as_duration(value: object, spec: Spec) -> tuple[Any, Problem]:
    if isinstance(value, Duration):
        if spec.minimum is not None and value.seconds < spec.minimum:
            return None, _below_duration(spec.minimum)
        return value.seconds, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None, _bad_unit("a duration", f"{value}s", "ms, s, m, h or d")
    return None, _wrong("a duration", "30s")


def _below_duration(minimum: float) -> Problem:
    def problem(prop: Property) -> Diagnostic:
        return codes.OUT_OF_RANGE.at(
            prop.value_span, f"'{prop.name}' must be at least {minimum:g}s", f"use a duration of {minimum:g}s or more"
        )

    return problem


def _bad_unit(expected: str, example: str, units: str) -> Problem:
    def problem(prop: Property) -> Diagnostic:
        return codes.BAD_UNIT.at(
            prop.value_span,
            f"'{prop.name}' must be {expected} with a unit, not {_describe(prop.value)}",
            f"add a unit, like `{prop.name}: {example}` ({units})",
        )

    return problem


def _as_int(value: object, spec: Spec) -> tuple[Any, Problem]:
    if isinstance(value, bool) or not isinstance(value, int):
        return None, _wrong("a whole number", "3")
    if spec.minimum is not None and value < spec.minimum:
        return None, _below(spec.minimum)
    return value, None


def _as_memory(value: object, spec: Spec) -> tuple[Any, Problem]:
    if isinstance(value, Size):
        return value.bytes // (1024 * 1024), None
    return _as_int(value, spec)


def _as_bool(value: object, spec: Spec) -> tuple[Any, Problem]:
    return (value, None) if isinstance(value, bool) else (None, _wrong("true or false", "true"))


def _as_string(value: object, spec: Spec) -> tuple[Any, Problem]:
    return (value, None) if isinstance(value, str) else (None, _wrong("a quoted string", '"…"'))


def _as_name(value: object, spec: Spec) -> tuple[Any, Problem]:
    return (value.text, None) if isinstance(value, Name) else (None, _wrong("a name", "orders_dlq"))


def _as_names(value: object, spec: Spec) -> tuple[Any, Problem]:
    if not isinstance(value, tuple) or not all(isinstance(v, Name) for v in value):
        return None, _wrong("a list of names", "[Name, …]")
    names = tuple(v.text for v in value)
    if spec.choices and any(n not in spec.choices for n in names):
        return None, _wrong(f"a list of {', '.join(spec.choices)}", f"[{spec.choices[0]}]")
    return names, None


def _as_key(value: object, spec: Spec) -> tuple[Any, Problem]:
    """An ordering key: a field (a name), a constant (a string) or `random`."""
    if isinstance(value, Name):
        return (("random", None) if value.text == RANDOM else ("field", value.text)), None
    if isinstance(value, str) and value:
        return ("constant", value), None
    return None, _wrong("a field name, a quoted constant or `random`", "customer_id")


def _as_writes(value: object, spec: Spec) -> tuple[Any, Problem]:
    example = '[orders: "MODIFY"]'
    if not isinstance(value, tuple) or not all(isinstance(v, (Name, Binding)) for v in value):
        return None, _wrong("a list of tables and buckets, a table optionally with its change kind", example)
    if any(isinstance(v, Binding) and v.text not in spec.choices for v in value):
        return None, _wrong(f"a list of tables and buckets, each kind one of {', '.join(spec.choices)}", example)
    return tuple((v.text, None) if isinstance(v, Name) else (v.name, v.text) for v in value), None


def _as_bindings(value: object, spec: Spec) -> tuple[Any, Problem]:
    if not isinstance(value, tuple) or not all(isinstance(v, (Name, Binding)) for v in value):
        return None, _wrong("a list of event types with their detail-types", '[Name: "Detail Type", …]')
    wrong = [v.text for v in value if isinstance(v, Binding) and spec.choices and v.text not in spec.choices]
    if wrong:
        return None, _wrong(f"a list of event types bound to {', '.join(spec.choices)}", f'[Name: "{spec.choices[0]}"]')
    return tuple((v.text, None) if isinstance(v, Name) else (v.name, v.text) for v in value), None


def _as_strings(value: object, spec: Spec) -> tuple[Any, Problem]:
    if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
        return None, _wrong("a list of strings", '["…"]')
    return value, None


def _as_placement(
    problem_of: Callable[[object], str | None], example: str
) -> Callable[[object, Spec], tuple[Any, Problem]]:
    def convert_one(value: object, spec: Spec) -> tuple[Any, Problem]:
        problem = problem_of(value)
        return (value, None) if problem is None else (None, _wrong(problem, f'"{example}"'))

    return convert_one


def _as_enum(value: object, spec: Spec) -> tuple[Any, Problem]:
    text = value.text if isinstance(value, Name) else value if isinstance(value, str) else None
    if text in spec.choices:
        return text, None
    return None, _wrong(" or ".join(spec.choices), spec.choices[0])


def _as_archive(value: object, spec: Spec) -> tuple[Any, Problem]:
    if value is True:
        return 0.0, None  # NOTE: 0 means "keep forever", as EventBridge's RetentionDays does
    if value is False:
        return None, None
    return _as_duration(value, spec)


def _as_cron(value: object, spec: Spec) -> tuple[Any, Problem]:
    """EventBridge's six-field cron, with or without `cron(…)`, spelt `cron(…)` in the IR."""
    if not isinstance(value, str):
        return None, _wrong("a quoted cron expression", '"cron(0 12 * * ? *)"')
    text = value.strip()
    inner = text[5:-1] if text.startswith("cron(") and text.endswith(")") else text
    fields = inner.split()
    if len(fields) != 6:
        return None, _wrong(
            "a cron expression of six fields (minutes hours day month weekday year)", '"cron(0 12 * * ? *)"'
        )
    if "?" not in (fields[2], fields[4]):
        return None, _wrong(
            "a cron expression with `?` as its day or its weekday (EventBridge's rule)", '"cron(0 12 * * ? *)"'
        )
    return f"cron({' '.join(fields)})", None


def _as_url_path(value: object, spec: Spec) -> tuple[Any, Problem]:
    ok = isinstance(value, str) and value.startswith("/") and not any(c.isspace() or c in "?#" for c in value)
    return (value, None) if ok else (None, _wrong("a URL path: `/` first, no spaces, `?` or `#`", '"/hook"'))


_CONVERTERS: dict[str, Callable[[object, Spec], tuple[Any, Problem]]] = {
    "duration": _as_duration,
    "int": _as_int,
    "memory": _as_memory,
    "bool": _as_bool,
    "string": _as_string,
    "name": _as_name,
    "names": _as_names,
    "strings": _as_strings,
    "bindings": _as_bindings,
    "key": _as_key,
    "writes": _as_writes,
    "enum": _as_enum,
    "archive": _as_archive,
    "cron": _as_cron,
    "url_path": _as_url_path,
    "account": _as_placement(placement.account_problem, placement.EXAMPLE_ACCOUNT),
    "region": _as_placement(placement.region_problem, placement.EXAMPLE_REGION),
    "size": lambda v, s: (
        (v.bytes, None) if isinstance(v, Size) else (None, _bad_unit("a size", "256KiB", "B, KiB, MiB, GiB"))
    ),
}


def check_kind(keyword: str, name: str, kind: str | None, kind_span: Span | None, span: Span) -> Diagnostic | None:
    """A diagnostic when `KEYWORD NAME: KIND` names a kind that does not exist (or none is allowed)."""
    kinds = SOURCE_KINDS if keyword == "source" else ENDPOINT_KINDS if keyword == "endpoint" else None
    if kind == EXTERNAL and keyword != "endpoint":
        return None
    if kinds is None:
        if kind is None:
            return None
        return codes.UNKNOWN_KIND.at(
            kind_span or span,
            f"{indefinite(keyword)} has no kind, but '{name}' is given '{kind}'",
            did_you_mean(kind, (EXTERNAL,))
            or f"write `{keyword} {name} {{ … }}`, or `{keyword} {name}: external {{ … }}` for one owned elsewhere",
        )
    if kind in kinds:
        return None
    choices = ", ".join((*kinds, EXTERNAL) if keyword == "source" else kinds)
    if kind is None:
        return codes.UNKNOWN_KIND.at(
            span, f"{keyword} '{name}' needs a kind", f"write `{keyword} {name}: KIND`, KIND one of {choices}"
        )
    hint = did_you_mean(kind, kinds) or f"use one of {choices}"
    return codes.UNKNOWN_KIND.at(kind_span or span, f"'{kind}' is not {indefinite(keyword)} kind", hint)
