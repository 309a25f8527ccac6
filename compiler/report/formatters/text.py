"""The human format: location, code, severity, message, the quoted line with a caret, a hint
(`concise`: the first line only, as ruff's `--output-format concise`); ANSI colour on request."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from evtc.check.catalog import CodeInfo
from evtc.diagnostics import Diagnostic

_WINDOW = 100  # columns of a long line shown around the caret


_STYLE = {"error": "1;31", "warning": "1;33", "info": "1;36", "location": "1", "code": "1;35", "hint": "32"}


def write(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    catalog: Mapping[str, CodeInfo],
    *,
    concise: bool = False,
    color: bool = False,
    quiet: bool = False,
    files: int | None = None,
) -> str:
    """Every unsuppressed diagnostic, then (unless `quiet`) a summary, which says how many
    files were checked when `files` is given (`evtc check` does)."""
    lines: list[str] = []
    for d in diagnostics:
        if not d.suppressed:
            lines.extend(render(d, "" if concise else sources.get(d.span.file, ""), color, concise))
    if not quiet:
        lines.append(summary(diagnostics, files))
    return "".join(line + "\n" for line in lines)


def _paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{_STYLE[style]}m{text}\x1b[0m" if color else text


def render(d: Diagnostic, source: str, color: bool = False, concise: bool = False) -> list[str]:
    s = d.span
    where = _paint(f"{s.file}:{s.line}:{s.column}:", "location", color)
    level = _paint(d.severity.value, d.severity.value, color)
    out = [f"{where} {_paint(d.code, 'code', color)} {level} [{d.name}] {d.message}"]
    if concise:
        return out
    out.extend(_quote(source, s.line, s.column, s.end_line, s.end_column))
    for related in d.related:
        out.append(f"  = note: {related.span}: {related.message}")
    if d.hint:
        out.append(f"  = {_paint('hint', 'hint', color)}: {d.hint}")
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


def summary(diagnostics: Sequence[Diagnostic], files: int | None = None) -> str:
    """`2 errors, 1 warning (1 suppressed)`, after `checked N files: ` when `files` is given."""
    counts = Counter(d.severity.value for d in diagnostics if not d.suppressed)
    suppressed = sum(1 for d in diagnostics if d.suppressed)
    parts = [_plural(counts[s], s) for s in ("error", "warning", "info") if counts[s]]
    text = ", ".join(parts) if parts else "no problems found"
    checked = f"checked {_plural(files, 'file')}: " if files is not None else ""
    return checked + text + (f" ({suppressed} suppressed)" if suppressed else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 or word == "info" else "s")
