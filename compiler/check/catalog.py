"""Every diagnostic code evtc can report, compiler codes and rules alike, with its help text."""

from __future__ import annotations

import inspect

from evtc.frontend import codes
from evtc.util.record import record
from evtc.util.registry import rules


@record(slots=False)
class CodeInfo:
    """One code's identity and help text, for `evtc rules` and SARIF."""

    code: str
    name: str
    category: str
    severity: str
    summary: str
    help: str


def catalog() -> dict[str, CodeInfo]:
    found = {
        c.code: CodeInfo(c.code, c.name, c.category.value, c.severity.value, c.summary, c.summary)
        for c in codes.ALL_CODES
    }
    for rule in rules():
        doc = inspect.getdoc(rule) or ""
        summary = doc.strip().splitlines()[0] if doc.strip() else rule.name
        found[rule.code] = CodeInfo(rule.code, rule.name, _value(rule.category), _value(rule.severity), summary, doc)
    return found


def _value(x: object) -> str:
    return str(getattr(x, "value", x))
