"""The compiled form of a filter: validate once, build the matcher once, decide many times."""

from __future__ import annotations

import json
from dataclasses import field
from functools import lru_cache
from typing import Any

from evtc.patterns.conditions import Predicate
from evtc.patterns.events import INVALID, attribute_value, json_object, parse_json
from evtc.patterns.limits import DIALECTS as SPECS
from evtc.patterns.matcher import compile_conjuncts
from evtc.patterns.structure import expand, expand_ruler, is_sns_or
from evtc.patterns.validate import validate
from evtc.util.record import record

DIALECTS = ("eventbridge", "sns", "esm")
SCOPES = ("MessageBody", "MessageAttributes")


class InvalidPatternError(ValueError):
    """AWS would reject the pattern; `reasons` says why, in AWS's words."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@record(slots=False)
class CompiledFilter:
    """A validated pattern bound to its dialect and scope, ready to decide events.

    `matches(event)` takes a dict, or JSON text (an SNS body may be any text); for SNS
    attribute scope it takes the message attributes in SNS form.

    >>> shop = compile({"source": ["shop"]}, dialect="eventbridge")
    >>> shop.matches({"source": "shop"}), shop.matches({"source": "bank"})
    (True, False)
    """

    text: str
    dialect: str
    scope: str
    # NOTE: a plain attribute holding the specialised closure, so a call is one call.
    matches: Predicate = field(repr=False, compare=False)

    @property
    def pattern(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.text)
        return loaded


def compile(pattern: dict[str, Any] | str, *, dialect: str, scope: str = "MessageBody") -> CompiledFilter:
    """Validate `pattern` (a dict, or its JSON text) for `dialect` and build its matcher;
    raise InvalidPatternError."""
    if scope not in SCOPES:
        raise InvalidPatternError([f"unknown scope {scope!r}; use MessageBody or MessageAttributes"])
    reasons = validate(pattern, dialect=dialect, scope=scope)
    if reasons:
        raise InvalidPatternError(reasons)
    if isinstance(pattern, str):
        pattern = json.loads(pattern)
    # NOTE: key order kept: where a path is given twice, the later one counts (EventBridge)
    text = json.dumps(pattern, separators=(",", ":"), ensure_ascii=False)
    return _compile_text(text, dialect, scope)


@lru_cache(maxsize=1024)
def _compile_text(text: str, dialect: str, scope: str) -> CompiledFilter:
    pattern = json.loads(text)
    if not pattern:
        return CompiledFilter(text, dialect, scope, lambda event: True)  # matches everything
    if dialect == "sns" and scope == "MessageAttributes":
        conjuncts = expand(pattern, is_sns_or, split=False)
        return CompiledFilter(text, dialect, scope, compile_conjuncts(conjuncts, _nothing, attribute_value))
    spec = SPECS[dialect]
    conjuncts = expand_ruler(pattern) if spec.ruler else expand(pattern, is_sns_or)

    def parsed(event: Any) -> bool:
        """Decide an event given as text: parse it; text that is not JSON matches nothing."""
        if type(event) is str:  # NOTE: the usual SNS body, in as few calls as possible
            body = parse_json(event)
            if type(body) is dict:
                return decide(body)
            return body is not INVALID and decide({})  # JSON, but not an object: no fields
        found = json_object(event)
        return found is not None and decide(found)

    decide = compile_conjuncts(conjuncts, parsed, spec=spec)
    return CompiledFilter(text, dialect, scope, decide)


def _nothing(event: Any) -> bool:
    return False


def matches(pattern: dict[str, Any], event: Any, *, dialect: str, scope: str = "MessageBody") -> bool:
    """Decide one event exactly as AWS would.

    >>> matches({"detail": {"n": [{"numeric": [">", 1]}]}}, {"detail": {"n": 2}}, dialect="eventbridge")
    True
    >>> matches({"n": [300]}, '{"n": 3.0e2}', dialect="sns")
    True
    """
    return compile(pattern, dialect=dialect, scope=scope).matches(event)
