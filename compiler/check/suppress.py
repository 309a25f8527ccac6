"""Inline suppression, as ruff's `# noqa`: `# evtc: ignore[DLV002]` (codes or rule names,
comma-separated) marks suppressed every finding of those codes whose span covers the
comment's line; `# evtc: ignore-file[SEC003]` anywhere marks them in the whole file.
A suppressed finding is still reported (JSON and SARIF say so), never silently dropped.

The suppressions are checked too: a bare `# evtc: ignore` (REF016), a code that does not
exist (REF017) and a code that suppressed nothing (REF018, as ruff's RUF100) are warnings
pointing at the comment.

>>> marks = suppressions("queue q {}  # evtc: ignore[DLV001, unconsumed-store]\\n")
>>> sorted(m.code for m in marks)
['DLV001', 'unconsumed-store']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from evtc.diagnostics import Diagnostic
from evtc.frontend import codes
from evtc.span import Span
from evtc.util.record import record
from evtc.util.suggest import did_you_mean

_MARK = re.compile(r"#\s*evtc:\s*(ignore(?:-file)?)\b(\[([^\]]*)\])?")
_CODE = re.compile(r"[^,\s]+")


@record
class Mark:
    """One code named by one suppression comment, and where it is written."""

    code: str
    line: int
    column: int
    whole_file: bool


@record
class _Bare:
    line: int
    column: int
    width: int
    directive: str


def suppressions(text: str) -> list[Mark]:
    return [m for m in _scan(text) if isinstance(m, Mark)]


def _scan(text: str) -> list[Mark | _Bare]:
    found: list[Mark | _Bare] = []
    if "evtc:" not in text:
        return found  # the common case costs one scan
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _MARK.finditer(line):
            directive, inside = match.group(1), match.group(3)
            if match.group(2) is None or not (inside or "").strip():
                found.append(_Bare(number, match.start() + 1, match.end() - match.start(), directive))
                continue
            for code in _CODE.finditer(inside):
                column = match.start(3) + code.start() + 1
                found.append(Mark(code.group(), number, column, directive == "ignore-file"))
    return found


def apply(
    diagnostics: Iterable[Diagnostic],
    text: str,
    file: str = "",
    known: Callable[[], dict[str, str]] | None = None,
    enabled: Callable[[str], bool] | None = None,
    rules_ran: bool | None = None,
) -> list[Diagnostic]:
    """The diagnostics with suppressed ones marked, plus the problems of the suppressions.

    `known` gives every code and rule name (mapped to its code); `enabled` says whether a
    code's rule ran. Unused suppressions are reported only when the rules ran (by default:
    when the file has no syntax error; a topology of several files says for all of them).
    """
    found = list(diagnostics)
    if rules_ran is None:
        rules_ran = not any(d.category.value == "syntax" for d in found)
    scanned = _scan(text)
    if not scanned:
        return found
    file = file or (found[0].span.file if found else "<file>")
    marks = [m for m in scanned if isinstance(m, Mark)]
    used: set[Mark] = set()
    out = [_mark(d, marks, used) for d in found]
    names = known() if known else {}
    for m in scanned:
        if isinstance(m, _Bare):
            out.append(_bare(m, file))
        elif names and m.code not in names:
            out.append(_unknown(m, file, names))
        elif m not in used and rules_ran:
            code = names.get(m.code, m.code)
            out.append(_unused(m, file, enabled is None or enabled(code)))
    return out


def _covers(d: Diagnostic, m: Mark) -> bool:
    return m.whole_file or d.span.line <= m.line <= d.span.end_line


def _mark(d: Diagnostic, marks: list[Mark], used: set[Mark]) -> Diagnostic:
    if d.category.value == "syntax":
        return d
    matching = [m for m in marks if m.code in (d.code, d.name) and _covers(d, m)]
    used.update(matching)
    return replace(d, suppressed=True) if matching else d


def _at(file: str, line: int, column: int, width: int) -> Span:
    return Span.point(file, line, column, width)


def _bare(m: _Bare, file: str) -> Diagnostic:
    return codes.BARE_SUPPRESSION.at(
        _at(file, m.line, m.column, m.width),
        f"`# evtc: {m.directive}` names no code, so it suppresses nothing",
        f"name what it suppresses: `# evtc: {m.directive}[CODE]` (codes or rule names, comma-separated)",
    )


def _unknown(m: Mark, file: str, names: dict[str, str]) -> Diagnostic:
    hint = did_you_mean(m.code, names) or "`evtc rules` lists every code and rule name"
    return codes.UNKNOWN_SUPPRESSION_CODE.at(
        _at(file, m.line, m.column, len(m.code)), f"'{m.code}' is not a code or rule name evtc knows", hint
    )


def _unused(m: Mark, file: str, rule_enabled: bool) -> Diagnostic:
    where = "in this file" if m.whole_file else "covering this line"
    reason = f"no {m.code} finding {where}" if rule_enabled else f"{m.code} is not enabled"
    return codes.UNUSED_SUPPRESSION.at(
        _at(file, m.line, m.column, len(m.code)),
        f"unused suppression: {reason}",
        f"remove '{m.code}' from the comment (or the whole comment if it names nothing else)",
    )
