"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per problem, then
a summary line; and a notice when there are more than GitHub shows.

GitHub shows at most 10 error and 10 warning annotations per step (and 50 per job); the
rest are only in the log, so the notice says how many were cut and where to see them all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from evtc.check.catalog import CodeInfo
from evtc.diagnostics import Diagnostic
from evtc.report.formatters.text import summary

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
SHOWN_PER_STEP = 10  # per annotation level


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write(diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], catalog: Mapping[str, CodeInfo]) -> str:
    lines = []
    for d in diagnostics:
        if d.suppressed:
            continue
        s = d.span
        props = (
            f"file={_escape_property(s.file)},line={s.line},col={s.column},"
            f"endLine={s.end_line},endColumn={s.end_column},title={_escape_property(f'{d.code} {d.name}')}"
        )
        body = d.message + (f"\nhint: {d.hint}" if d.hint else "")
        lines.append(f"::{_LEVEL[d.severity.value]} {props}::{_escape_data(body)}")
    lines.extend(_beyond_limit(diagnostics))
    lines.append("evtc: " + summary(diagnostics))
    return "".join(line + "\n" for line in lines)


def _beyond_limit(diagnostics: Sequence[Diagnostic]) -> list[str]:
    counts = Counter(_LEVEL[d.severity.value] for d in diagnostics if not d.suppressed)
    over = {level: n for level, n in counts.items() if n > SHOWN_PER_STEP}
    if not over:
        return []
    cut = ", ".join(f"{n - SHOWN_PER_STEP} of {n} {level}s" for level, n in sorted(over.items()))
    message = (
        f"GitHub shows {SHOWN_PER_STEP} annotations of each level per step; {cut} are not shown as annotations. "
        "The step's log lists every finding; upload SARIF (evtc check --format sarif) to see them all in code scanning."
    )
    return [f"::notice title=evtc::{_escape_data(message)}"]
