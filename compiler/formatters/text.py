"""The human format: location, code, severity, message, the quoted line with a caret, a hint."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from evtc.catalog import CodeInfo
from evtc.diagnostics import Diagnostic

_WINDOW = 100  # columns of a long line shown around the caret


def write(diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], catalog: Mapping[str, CodeInfo]) -> str:
    lines: list[str] = []
    shown = [d for d in diagnostics if not d.suppressed]
    for d in shown:
        lines.extend(render(d, sources.get(d.span.file, "")))
    lines.append(summary(diagnostics))
    return "\n".join(lines) + "\n"


def render(d: Diagnostic, source: str) -> list[str]:
    s = d.span
    out = [f"{s.file}:{s.line}:{s.column}: {d.code} {d.severity.value} [{d.name}] {d.message}"]
    out.extend(_quote(source, s.line, s.column, s.end_line, s.end_column))
    for related in d.related:
        out.append(f"  = note: {related.span}: {related.message}")
    if d.hint:
        out.append(f"  = hint: {d.hint}")
    return out


def _quote(source: str, line: int, column: int, end_line: int, end_column: int) -> list[str]:
    source_lines = source.splitlines()
    if not 1 <= line <= len(source_lines):
        return []
    text = source_lines[line - 1].expandtabs(1)
    stop = end_column if end_line == line else len(text) + 1
    width = max(1, min(stop, len(text) + 1) - column)
    start = max(0, column - 1 - _WINDOW // 2) if len(text) > _WINDOW else 0
    shown = text[start : start + _WINDOW]
    prefix = "…" if start else ""
    suffix = "…" if start + _WINDOW < len(text) else ""
    gutter = " " * len(str(line))
    caret_at = column - 1 - start + len(prefix)
    caret = "^" * max(1, min(width, _WINDOW - (column - 1 - start)))
    return [f"  {line} | {prefix}{shown}{suffix}", f"  {gutter} | {' ' * caret_at}{caret}"]


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    counts = Counter(d.severity.value for d in diagnostics if not d.suppressed)
    suppressed = sum(1 for d in diagnostics if d.suppressed)
    parts = [_plural(counts[s], s) for s in ("error", "warning", "info") if counts[s]]
    text = ", ".join(parts) if parts else "no problems found"
    return text + (f" ({suppressed} suppressed)" if suppressed else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 or word == "info" else "s")
