"""`compile_when`: a route's `when` as the artefact its hop deploys, per hop dialect.

Every event travels as a CloudEvents envelope whose user fields are under `data`, so the
data pattern is wrapped where each service sees the envelope:

| hop dialect    | AWS artefact                            | the data pattern sits at  | event type at       |
|----------------|-----------------------------------------|---------------------------|---------------------|
| `sns`          | subscription filter policy (body scope) | `data`                    | `type`              |
| `sns_attributes` | subscription filter policy (attribute scope) | the attributes, flat | `evtc.type`       |
| `eventbridge`  | rule event pattern                      | `detail.data`             | `detail-type`       |
| `eventbridge_native` | rule pattern on an external producer's own event | `detail`    | `source`, `detail-type` (the plan adds them) |
| `esm_sqs`      | Lambda / Pipes FilterCriteria           | `body.data`               | `body.type`         |
| `esm_kinesis`  | Lambda / Pipes FilterCriteria           | `data.data`               | `data.type`         |
| `esm_dynamodb` | Lambda / Pipes FilterCriteria           | `dynamodb.NewImage`, typed| -                   |
| `s3`           | notification filter rules               | one prefix, one suffix    | -                   |
| `envelope`     | evaluated by evtc where the event is emitted | `data`               | `type`              |
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from evtc import ir
from evtc.filters.dynamodb import typed_image
from evtc.filters.fold import NotExpressible, condition
from evtc.filters.when import alternatives, data_patterns
from evtc.patterns.engine import compile as compile_pattern
from evtc.patterns.normalise import canonical_json, normalise
from evtc.patterns.validate import validate

# dialect -> (engine dialect, where the data pattern goes, where the event type goes)
_PLACES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "sns": ("sns", ("data",), ("type",)),
    # the `@attribute` fields as SNS message attributes, beside the event type's own
    "sns_attributes": ("sns", (), ("evtc.type",)),
    "eventbridge": ("eventbridge", ("detail", "data"), ("detail-type",)),
    # an external producer's event in its own shape: the fields are the `detail` itself
    "eventbridge_native": ("eventbridge", ("detail",), ("detail-type",)),
    "envelope": ("eventbridge", ("data",), ("type",)),
    "esm_sqs": ("esm", ("body", "data"), ("body", "type")),
    "esm_kinesis": ("esm", ("data", "data"), ("data", "type")),
    "esm_dynamodb": ("esm", ("dynamodb", "NewImage"), ()),
}
HOP_DIALECTS = (*_PLACES, "s3")
_SCOPES = {"sns_attributes": "MessageAttributes"}  # the SNS FilterPolicyScope of a dialect; else MessageBody
MAX_ESM_FILTERS = 5  # NOTE: Lambda's default quota of filters per event source mapping
_HINTS = {
    "sns": "SNS filter policies lack this: route the topic to a queue and filter its consumer's route, "
    "or publish through an EventBridge bus",
    "eventbridge": "simplify the filter: fewer alternatives, fewer values or shorter strings",
    "eventbridge_native": "simplify the filter: fewer alternatives, fewer values or shorter strings",
    "envelope": "simplify the filter: fewer alternatives, fewer values or shorter strings",
    "esm": "Lambda filters support fewer operators: send the events through an EventBridge bus or an SNS "
    "topic and filter there",
}


def scope_of(dialect: str) -> str:
    """The SNS filter policy scope a hop dialect's artefact is written for."""
    return _SCOPES.get(dialect, "MessageBody")


def engine_dialect(dialect: str) -> str:
    """The matching engine's dialect for a hop dialect (`esm_sqs` -> `esm`)."""
    return "eventbridge" if dialect == "s3" else _PLACES[dialect][0]


def compile_when(
    expr: ir.Filter | None,
    *,
    dialect: str,
    event: str | None = None,
    field_types: Mapping[tuple[str, ...], str] | None = None,
    key_field: str = "key",
) -> dict[str, Any]:
    """The artefact for `dialect`; raise NotExpressible (with a hint) when there is none.

    `event` adds the event-type qualifier; `field_types` (path -> `string`, `number`,
    `boolean`) lets DynamoDB filters pick attribute types; `key_field` names the S3 object
    key field. Equal filters give byte-identical JSON.
    """
    if dialect == "s3":
        return s3_rules(expr, key_field)
    if dialect not in _PLACES:
        raise NotExpressible(f"unknown dialect {dialect!r}", f"use one of {', '.join(HOP_DIALECTS)}")
    types = field_types or {}
    datas = data_patterns(expr)
    if dialect.startswith("esm_"):
        return _filter_criteria(dialect, [_wrap(dialect, data, event, types) for data in datas])
    # alternatives become one `$or` beside the shared envelope keys; an empty one matches all
    data = datas[0] if len(datas) == 1 else ({} if not all(datas) else {"$or": datas})
    return _checked(dialect, normalise(_wrap(dialect, data, event, types)))


def _wrap(
    dialect: str, data: dict[str, Any], event: str | None, types: Mapping[tuple[str, ...], str]
) -> dict[str, Any]:
    _, data_at, type_at = _PLACES[dialect]
    if dialect == "esm_dynamodb":
        data = typed_image(data, types)
    pattern: dict[str, Any] = _nest(data_at, data) if data else {}
    if event and type_at:
        _merge(pattern, _nest(type_at, [event]))
    return pattern


def _filter_criteria(dialect: str, patterns: list[dict[str, Any]]) -> dict[str, Any]:
    if any(not p for p in patterns):
        return {"Filters": []}  # no filter: every record
    if len(patterns) > MAX_ESM_FILTERS:
        raise NotExpressible(
            f"the filter needs {len(patterns)} Lambda filters (one per `or` alternative); "
            f"an event source mapping takes {MAX_ESM_FILTERS}",
            "use `in [...]` for alternatives on one field, or ask AWS to raise the quota to 10",
        )
    texts = sorted({canonical_json(_checked(dialect, p)) for p in patterns})
    return {"Filters": [{"Pattern": text} for text in texts]}


def _checked(dialect: str, pattern: dict[str, Any]) -> dict[str, Any]:
    if not pattern:
        return pattern  # NOTE: no filter; AWS refuses `{}` as a pattern, so the target adds its own keys
    engine = engine_dialect(dialect)
    reasons = validate(pattern, dialect=engine, scope=scope_of(dialect))
    if reasons:
        reason = "; ".join(reasons)
        if "wildcard" in reason:
            reason += " (`startswith` with `endswith` on one field, and `matches`, need EventBridge's wildcard)"
        raise NotExpressible(f"AWS rejects the compiled pattern: {reason}", _HINTS.get(engine, _HINTS["esm"]))
    return pattern


def artefact_matcher(artefact: dict[str, Any], dialect: str) -> Callable[[Any], bool]:
    """Decide what the hop's service would, from the deployed artefact itself.

    It takes what AWS matches there: the SNS message body (the envelope), the EventBridge
    event, the SQS / Kinesis / DynamoDB record, or, for `s3`, the object key.
    """
    if dialect == "s3":
        prefix, suffix = artefact.get("prefix", ""), artefact.get("suffix", "")
        return lambda key: isinstance(key, str) and key.startswith(prefix) and key.endswith(suffix)
    engine = engine_dialect(dialect)
    if not artefact:
        return lambda event: True  # no filter
    if not dialect.startswith("esm_"):
        return compile_pattern(artefact, dialect=engine, scope=scope_of(dialect)).matches
    filters = [compile_pattern(json.loads(f["Pattern"]), dialect=engine).matches for f in artefact["Filters"]]
    if not filters:
        return lambda record: True
    return lambda record: any(decide(record) for decide in filters)


def s3_rules(expr: ir.Filter | None, key_field: str = "key") -> dict[str, Any]:
    """S3 notification filter rules: at most one prefix and one suffix on the object key."""
    if expr is None:
        return {}
    terms = alternatives(expr)
    if len(terms) != 1:
        raise NotExpressible("S3 notification filters cannot express `or`", _S3_HINT)
    rules: dict[str, str] = {}
    for negated, leaf in terms[0]:
        kind, text = _s3_condition(negated, leaf, key_field)
        known = rules.get(kind, "")
        longer, shorter = sorted((known, text), key=len, reverse=True)
        if not (longer.startswith(shorter) if kind == "prefix" else longer.endswith(shorter)):
            raise NotExpressible(f"two different {kind}es on `{key_field}` can never both hold", _S3_HINT)
        rules[kind] = longer
    return rules


_S3_HINT = 'S3 filters only `key startswith "..."` and `key endswith "..."`: route the bucket to a queue and filter its consumer\'s route'


def _s3_condition(negated: bool, leaf: ir.Compare | ir.Exists, key_field: str) -> tuple[str, str]:
    cond = condition(negated, leaf)
    if str(leaf.path) != key_field:
        raise NotExpressible(f"S3 notification filters see only the object key, not `{leaf.path}`", _S3_HINT)
    if cond[0] not in ("prefix", "suffix") or cond[2]:
        raise NotExpressible(
            "S3 notification filters have one case-sensitive prefix and one suffix, nothing else", _S3_HINT
        )
    return cond[0], cond[1]


def _nest(path: tuple[str, ...], leaf: Any) -> dict[str, Any]:
    node: Any = leaf
    for key in reversed(path):
        node = {key: node}
    return node  # type: ignore[no-any-return]


def _merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(into.get(key), dict) and isinstance(value, dict):
            _merge(into[key], value)
        else:
            into[key] = value
