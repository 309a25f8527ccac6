"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per problem."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from evtc.catalog import CodeInfo
from evtc.diagnostics import Diagnostic

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


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
    return "".join(line + "\n" for line in lines)
