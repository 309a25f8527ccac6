"""Per-kind property schemas: which properties each component and route accepts, of which
type, and how a written value becomes the typed IR attribute.

Only language-level sanity lives here (types, units, non-negative counts). AWS's own
ranges (a queue's retention between 60 s and 14 d, …) are checked by the `limits` rules,
so that they can be configured and cite their source.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evtc.diagnostics import Diagnostic
from evtc.frontend import codes
from evtc.ir import Binding, Duration, Name, Property, Size
from evtc.span import Span
from evtc.util.record import record
from evtc.util.suggest import did_you_mean, indefinite


@record
class Spec:
    """The type, range and documentation of one property of a component kind."""

    type: str  # duration | size | int | bool | string | name | names | strings | enum | memory | archive | cron | url_path
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    required: bool = False
    doc: str = ""


def _enum(*choices: str, doc: str = "") -> Spec:
    return Spec("enum", choices=choices, doc=doc)


_EMITS = Spec("names", doc="the event types this component publishes")
_PAYLOAD = _enum("state", "notification", doc="state transfer (the data) or notification (a pointer)")
_CLEARANCE = Spec("names", choices=("sensitive",), doc="data classes this consumer may receive")
_ENCRYPTED = Spec("bool", doc="encrypt at rest with a customer-managed KMS key")
_LOSSY = Spec("bool", doc="losing an occurrence is fine (the next one replaces it): no loss findings for it")

SOURCE_KINDS: dict[str, dict[str, Spec]] = {
    "app": {},
    "s3": {"bucket": Spec("string", doc="bucket name (created, or an existing one by stack config)")},
    "dynamodb": {
        "emits": Spec(
            "bindings",
            choices=("INSERT", "MODIFY", "REMOVE"),
            doc='the event types of its changes, each bound to a change kind: `[Added: "INSERT", Removed: "REMOVE"]`',
        ),
        "table": Spec("string", doc="table name"),
        "replicas": Spec("strings", doc="regions the table is replicated to (a global table)"),
    },
    "webhook": {
        "verify": _enum("hmac_sha256", doc="how callers' requests are authenticated"),
        "secret": Spec("string", doc="the name of the secret holding the signing key, never its value"),
        "path": Spec("url_path", doc="URL path of the endpoint (default: `/<source name>`)"),
    },
    "schedule": {
        "rate": Spec("duration", minimum=60, doc="emit every so often"),
        "cron": Spec("cron", doc="a cron expression, as EventBridge Scheduler takes it (six fields)"),
    },
}

ENDPOINT_KINDS: dict[str, dict[str, Spec]] = {
    "email": {"address": Spec("string", required=True, doc="the e-mail address to deliver to")},
    "https": {"url": Spec("string", required=True, doc="the https URL to deliver to")},
}

SCHEMAS: dict[str, dict[str, Spec]] = {
    "source": {"emits": _EMITS, "payload": _PAYLOAD, "lossy": _LOSSY},
    "queue": {
        "visibility_timeout": Spec("duration", minimum=0, doc="how long a received message stays hidden"),
        "retention": Spec("duration", minimum=0, doc="how long an unconsumed message is kept"),
        "max_receives": Spec("int", minimum=1, doc="receives before a message moves to `dead_letter`"),
        "dead_letter": Spec("name", doc="the queue that takes messages after `max_receives`"),
        "fifo": Spec("bool", doc="first-in-first-out per message group"),
        "group_by": Spec("name", doc="the event field that names a FIFO message group"),
        "content_dedup": Spec("bool", doc="FIFO deduplication by a hash of the body"),
        "encrypted": _ENCRYPTED,
        "delay": Spec("duration", minimum=0, doc="delivery delay of every message"),
        "on_exhausted": _enum("drop", "dead_letter", doc="what happens when receives run out"),
    },
    "stream": {
        "shards": Spec("int", minimum=1, doc="number of shards (ordered lanes)"),
        "partition_key": Spec("name", doc="the event field that picks the shard"),
        "retention": Spec("duration", minimum=0, doc="how long records are kept"),
        "encrypted": _ENCRYPTED,
    },
    "topic": {
        "fifo": Spec("bool", doc="ordered fan-out (SNS FIFO)"),
        "encrypted": _ENCRYPTED,
        "content_dedup": Spec("bool", doc="FIFO deduplication by a hash of the body"),
    },
    "bus": {
        "encrypted": _ENCRYPTED,
        "archive": Spec("archive", doc="keep an archive for replay: `true` or a retention duration"),
    },
    "function": {
        "handler": Spec("string", required=True, doc='"module.path:callable", relative to the .evt file'),
        "timeout": Spec("duration", minimum=0.001, doc="maximum run time of one invocation"),
        "memory": Spec("memory", minimum=1, doc="memory size (`512MiB`, or a number of MB)"),
        "concurrency": Spec("int", minimum=1, doc="reserved concurrency: at most this many at once"),
        "ordered": Spec("bool", doc="the consumer needs events in order per key"),
        "emits": _EMITS,
        "reads": Spec("names", doc="sources this function may read back (notification payloads)"),
        "clearance": _CLEARANCE,
    },
    "endpoint": {"clearance": _CLEARANCE},
    "route": {
        "batch_size": Spec("int", minimum=1, doc="records per invocation (queue and stream hops)"),
        "batching_window": Spec("duration", minimum=0, doc="how long to gather a batch"),
        "retries": Spec("int", minimum=0, doc="retries of a failed delivery or batch"),
        "max_age": Spec("duration", minimum=0, doc="give up on records older than this"),
        "backoff": _enum("exponential", "linear", "none", doc="delay between retries"),
        "dead_letter": Spec("name", doc="where failed deliveries go"),
        "on_exhausted": _enum("drop", "dead_letter", doc="what happens when retries run out"),
        "bisect": Spec("bool", doc="split a failing batch to isolate the bad record"),
        "start": _enum("latest", "trim_horizon", doc="where a new stream consumer starts"),
        "lossy": _LOSSY,
    },
}


# properties of which a kind takes at most one (EventBridge Scheduler takes one expression);
# a schedule with neither is LIM012's (nothing to deploy), not the language's
AT_MOST_ONE: dict[tuple[str, str], tuple[str, ...]] = {("source", "schedule"): ("rate", "cron")}


def at_most_one(keyword: str, kind: str | None, props: tuple[Property, ...], owner: str) -> list[Diagnostic]:
    """A diagnostic when a kind that takes one of some properties is given several."""
    names = AT_MOST_ONE.get((keyword, kind or ""), ())
    written = [p for p in props if p.name in names]
    if len({p.name for p in written}) < 2:
        return []
    choices = " or ".join(f"`{n}`" for n in names)
    message = f"{owner} takes {choices}, not both"
    return [codes.DUPLICATE_PROPERTY.at(written[-1].span, message, f"remove `{written[-1].name}`")]


# `KEYWORD NAME: external`: a component owned elsewhere (another stack, team or account, or
# AWS itself). evtc references it and never creates it; its own properties describe it.
EXTERNAL = "external"
_IDENTITY = {
    "arn": Spec("string", doc="its ARN (another stack or account); its name is the ARN's last part"),
    "name": Spec("string", doc="its AWS name in this account and region, when it differs from NAME"),
}
_EXTERNAL_SOURCE = {
    "emits": Spec("bindings", doc='the event types it may publish, each with its detail-type: `[T: "Detail Type"]`'),
    "source": Spec("string", doc='the EventBridge `source` its events carry (`"aws.ec2"`, `"com.example.shop"`)'),
    "bus": Spec("name", doc="the bus its events arrive on; the account's default bus when omitted"),
    "payload": _PAYLOAD,
}


def specs_for(keyword: str, kind: str | None) -> dict[str, Spec]:
    if kind == EXTERNAL and keyword == "source":
        return dict(_EXTERNAL_SOURCE)
    if kind == EXTERNAL:
        own = {name: Spec(**{**vars_of(spec), "required": False}) for name, spec in SCHEMAS[keyword].items()}
        return {**own, **_IDENTITY}
    specs = dict(SCHEMAS[keyword])
    if keyword == "source":
        specs.update(SOURCE_KINDS.get(kind or "", {}))
    elif keyword == "endpoint":
        specs.update(ENDPOINT_KINDS.get(kind or "", {}))
    return specs


def convert(
    props: tuple[Property, ...], specs: dict[str, Spec], owner: str, anchor: Span
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Typed attribute values for `props`, plus a diagnostic for each one that does not fit.

    `owner` names the component in messages; `anchor` is where a missing property is reported.
    """
    values: dict[str, Any] = {}
    diagnostics: list[Diagnostic] = []
    for prop in props:
        spec = specs.get(prop.name)
        if spec is None:
            hint = did_you_mean(prop.name, specs) or f"{owner} accepts: {', '.join(sorted(specs)) or 'no properties'}"
            diagnostics.append(codes.UNKNOWN_PROPERTY.at(prop.span, f"{owner} has no property '{prop.name}'", hint))
            continue
        if prop.name in values:
            diagnostics.append(
                codes.DUPLICATE_PROPERTY.at(prop.span, f"'{prop.name}' is set twice", "remove one of them")
            )
            continue
        value, problem = _CONVERTERS[spec.type](prop.value, spec)
        if problem is not None:
            diagnostics.append(problem(prop))
        else:
            values[prop.name] = value
    for name, spec in specs.items():
        if spec.required and name not in values and not any(p.name == name for p in props):
            message = f"{owner} needs '{name}'"
            diagnostics.append(codes.MISSING_PROPERTY.at(anchor, message, f"add `{name}: …` to its block"))
    return values, diagnostics


def vars_of(spec: Spec) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in ("type", "choices", "minimum", "required", "doc")}


def change_values(values: dict[str, Any]) -> dict[str, Any]:
    """A dynamodb source's event types and the change kinds they are bound to."""
    bound = values.get("emits", ())
    result = {**values, "emits": tuple(dict.fromkeys(event for event, _ in bound))}
    result["change_kinds"] = tuple((event, kind) for event, kind in bound if kind is not None)
    return result


def external_values(keyword: str, values: dict[str, Any]) -> dict[str, Any]:
    """The IR attributes of an external component from its converted properties."""
    result = {k: v for k, v in values.items() if k not in ("name", "source", "emits")}
    result["external"] = True
    if "name" in values:
        result["aws_name"] = values["name"]
    if keyword == "source":
        result["kind"] = EXTERNAL
        bound = values.get("emits", ())
        result["emits"] = tuple(event for event, _ in bound)
        result["detail_types"] = tuple((event, text) for event, text in bound if text is not None)
        result["event_source"] = values.get("source")
    return result


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
    "enum": _as_enum,
    "archive": _as_archive,
    "cron": _as_cron,
    "url_path": _as_url_path,
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
