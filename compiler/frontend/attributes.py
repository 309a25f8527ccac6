"""`@attribute` fields: the event fields a producer also sends as SNS message attributes.

SNS message attributes are flat and typed (String, Number, String.Array), and a message
carries at most ten (evtc.aws), one of which is the event type (`evtc.type`). So an
`@attribute` must be a top-level field of a string, timestamp, number or integer type, or
a list of one of those, and not `@sensitive` (SNS encrypts the body at rest, never the
attributes, and hands them to every subscriber); anything else is reported here, where
it was written.
"""

from __future__ import annotations

from collections.abc import Iterator

from evtc import aws, ir
from evtc.diagnostics import Diagnostic
from evtc.frontend import codes

# evtc scalar type -> SNS attribute data type; a list of these is a `String.Array`
SNS_TYPES = {"string": "String", "timestamp": "String", "number": "Number", "integer": "Number"}
_HINT = "mark a top-level field of type string, timestamp, number or integer (or a list of one)"


def check_attributes(topology: ir.Topology) -> list[Diagnostic]:
    found: dict[tuple[int, int], Diagnostic] = {}  # NOTE: by position: a named type is checked once per use
    for event in topology.events:
        for problem in _event(event):
            found.setdefault((problem.span.line, problem.span.column), problem)
    return list(found.values())


def _event(event: ir.Event) -> Iterator[Diagnostic]:
    for f in event.fields:
        mark = _mark(f)
        if mark is not None and sns_type(f.type) is None:
            yield codes.MISPLACED_ATTRIBUTE.at(
                mark.span, f"SNS has no message attribute type for '{f.name}' ({_type_text(f.type)})", _HINT
            )
        elif mark is not None and f.sensitive:
            # NOTE: SNS encrypts a message's body at rest, never its attributes, and every
            # subscriber (cleared or not) receives them
            yield codes.MISPLACED_ATTRIBUTE.at(
                mark.span,
                f"'{f.name}' is @sensitive: SNS neither encrypts message attributes nor withholds them from any subscriber",
                "filter on a field that is not sensitive, or keep this one in the body only",
            )
        yield from _nested(f.type)
    limit = int(aws.maximum("sns.message_attributes")) - 1  # NOTE: one is the event type's own
    count = len(attribute_types(event))
    if count > limit:
        yield codes.MISPLACED_ATTRIBUTE.at(
            event.span,
            f"event '{event.name}' has {count} `@attribute` fields; an SNS message carries at most {limit} beside its type",
            f"keep the {limit} fields subscriptions filter on as attributes; the rest stay in the body",
        )


def attribute_types(event: ir.Event) -> dict[str, str]:
    """`{field: SNS data type}` of the event's `@attribute` fields (top level only, and not
    `@sensitive`: the others are reported)."""
    found: dict[str, str] = {}
    for f in event.fields:
        kind = sns_type(f.type) if _mark(f) is not None and not f.sensitive else None
        if kind is not None:
            found[f.name] = kind
    return found


def non_empty(f: ir.Field) -> bool:
    """Whether top-level field `f` must be a non-empty string: an `@attribute` string, as SNS
    refuses an empty attribute value (the JSON schema and `evtc diff` read this)."""
    marked = _mark(f) is not None and not f.sensitive
    return marked and isinstance(f.type, ir.ScalarType) and f.type.name in ("string",)


def sns_type(t: ir.TypeExpr) -> str | None:
    """The SNS data type a field of type `t` is sent as; None when SNS has none for it."""
    if isinstance(t, ir.ScalarType):
        return SNS_TYPES.get(t.name)
    if isinstance(t, ir.ListType) and isinstance(t.item, ir.ScalarType) and t.item.name in SNS_TYPES:
        return "String.Array"
    return None


def _nested(t: ir.TypeExpr) -> Iterator[Diagnostic]:
    while isinstance(t, ir.ListType):
        t = t.item
    if not isinstance(t, ir.ObjectType):
        return
    for f in t.fields:
        mark = _mark(f)
        if mark is not None:
            yield codes.MISPLACED_ATTRIBUTE.at(
                mark.span,
                f"'{f.name}' is inside an object: SNS message attributes are flat",
                "mark a top-level field, or copy the value into one",
            )
        yield from _nested(f.type)


def _mark(f: ir.Field) -> ir.Annotation | None:
    return next((a for a in f.annotations if a.name == "attribute"), None)


def _type_text(t: ir.TypeExpr) -> str:
    if isinstance(t, ir.ScalarType):
        return t.name
    if isinstance(t, ir.ListType):
        return f"[{_type_text(t.item)}]"
    return t.name or "an object"
