"""Inline suppression: `# evtc: ignore[DLV002]` (codes or rule names, comma-separated) on
the line a diagnostic points at marks it suppressed. It is still reported (JSON and SARIF
say so), never silently dropped.

>>> marks = suppressions("queue q {}  # evtc: ignore[DLV001, unconsumed-store]\\n")
>>> sorted(marks[1])
['DLV001', 'unconsumed-store']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from evtc.diagnostics import Diagnostic

_MARK = re.compile(r"#\s*evtc:\s*ignore\[([^\]]*)\]")


def suppressions(text: str) -> dict[int, set[str]]:
    """Line number → the codes and names suppressed on it."""
    found: dict[int, set[str]] = {}
    if "evtc:" not in text:
        return found  # the common case costs one scan
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _MARK.finditer(line):
            found.setdefault(number, set()).update(c.strip() for c in match.group(1).split(",") if c.strip())
    return found


def apply(diagnostics: Iterable[Diagnostic], text: str) -> list[Diagnostic]:
    marks = suppressions(text)
    if not marks:
        return list(diagnostics)
    return [_mark(d, marks.get(d.span.line, set())) for d in diagnostics]


def _mark(d: Diagnostic, codes: set[str]) -> Diagnostic:
    if (d.code in codes or d.name in codes) and d.category.value != "syntax":
        return replace(d, suppressed=True)
    return d
