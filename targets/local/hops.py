"""The one place the runtime decides a route's `when`: AWS's filter JSON for that hop,
evaluated by `evtc.filters` on the object AWS would match it against.

Hop kinds and what AWS matches there:
- `sns`: a subscription filter policy on the message body (the envelope): `{"data": …}`;
- `eventbridge`: a rule pattern on the EventBridge event: `{"detail": {"data": …}}`;
- `sqs` / `kinesis` / `dynamodb`: Lambda event source mapping FilterCriteria on the body
  (`{"body": {"data": …}}`) or the decoded record data (`{"data": {"data": …}}`);
- `emit`: a filter evaluated where the event leaves its emitter (S3 notification prefix
  and suffix rules, evtc's own emit) on `{"data": …}`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evtc import filters, ir
from evtc.envelope import Envelope

Decide = Callable[[Envelope], bool]
_DIALECT = {"sns": "sns", "eventbridge": "eventbridge", "sqs": "esm", "kinesis": "esm", "dynamodb": "esm", "emit": "eventbridge"}
_WRAP = {"sns": (), "eventbridge": ("detail",), "sqs": ("body",), "kinesis": ("data",), "dynamodb": ("data",), "emit": ()}


def hop_filter(route: ir.Route, hop: str) -> Decide | None:
    """A decision function for `route.when` on a hop of kind `hop`; None when unfiltered."""
    if route.when is None:
        return None
    wrap = _WRAP[hop]
    pattern: dict[str, Any] = {"data": when_pattern(route.when)}
    for key in reversed(wrap):
        pattern = {key: pattern}
    matcher = filters.compile(pattern, dialect=_DIALECT[hop]).matches
    if not wrap:
        return lambda envelope: matcher({"data": envelope.data})
    outer = wrap[0]
    return lambda envelope: matcher({outer: {"data": envelope.data}})


# ---- NOTE: interim translation of `when` to a pattern, until evtc.filters exports its own --------
_NUMERIC = {"<", "<=", ">", ">="}


def when_pattern(node: ir.Filter) -> dict[str, Any]:
    if isinstance(node, ir.And):
        merged: dict[str, Any] = {}
        for operand in node.operands:
            _merge(merged, when_pattern(operand))
        return merged
    if isinstance(node, ir.Or):
        return {"$or": [when_pattern(operand) for operand in node.operands]}
    if isinstance(node, ir.Exists):
        return _nest(node.path.parts, [{"exists": True}])
    if isinstance(node, ir.Not):
        return _negate(node.operand)
    return _nest(node.path.parts, _condition(node))


def _condition(node: ir.Compare) -> list[Any]:
    op, value = node.op, node.value
    if op == "==":
        return [{"equals-ignore-case": value}] if node.ignorecase else [value]
    if op == "!=":
        return [{"anything-but": value}]
    if op in _NUMERIC:
        return [{"numeric": [op, value]}]
    if op == "in":
        return list(value)  # type: ignore[arg-type]
    if op == "not in":
        return [{"anything-but": list(value)}]  # type: ignore[arg-type]
    if op in ("startswith", "endswith"):
        key = "prefix" if op == "startswith" else "suffix"
        return [{key: {"equals-ignore-case": value} if node.ignorecase else value}]
    if op == "matches":
        return [{"wildcard": value}]
    return [{"cidr": value}]


def _negate(node: ir.Filter) -> dict[str, Any]:
    if isinstance(node, ir.Exists):
        return _nest(node.path.parts, [{"exists": False}])
    if isinstance(node, ir.Compare) and node.op in ("==", "in"):
        values = list(node.value) if node.op == "in" else node.value  # type: ignore[arg-type]
        return _nest(node.path.parts, [{"anything-but": values}])
    raise filters.InvalidPatternError([f"cannot express `not` of {type(node).__name__} in AWS patterns"])


def _nest(parts: tuple[str, ...], leaf: list[Any]) -> dict[str, Any]:
    pattern: Any = leaf
    for part in reversed(parts):
        pattern = {part: pattern}
    return pattern  # type: ignore[no-any-return]


def _merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    for key, value in other.items():
        if key in into and isinstance(into[key], dict) and isinstance(value, dict):
            _merge(into[key], value)
        elif key in into and isinstance(into[key], list) and _numeric_pair(into[key], value):
            into[key] = [{"numeric": into[key][0]["numeric"] + value[0]["numeric"]}]
        else:
            into[key] = value


def _numeric_pair(left: list[Any], right: Any) -> bool:
    single = lambda v: isinstance(v, list) and len(v) == 1 and isinstance(v[0], dict) and "numeric" in v[0]  # noqa: E731
    return single(left) and single(right)
