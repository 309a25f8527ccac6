"""What `evtc check` prints: the chosen format, or `--statistics`, and the fix summary; colour."""

from __future__ import annotations

import os
import sys
from collections import Counter

from evtc.check.catalog import catalog
from evtc.check.checker import CheckResult
from evtc.diagnostics import Diagnostic
from evtc.report.formatters import FORMATS, text

FORMAT_NAMES = ["full", "concise", "text", "json", "sarif", "github", "junit"]


def use_color(choice: str, text_to_stdout: bool) -> bool:
    """`--color`, else NO_COLOR, else FORCE_COLOR, else whether stdout is a terminal (no-color.org,
    force-color.org); never when the report goes to a file or is not text."""
    if not text_to_stdout or choice == "never":
        return False
    if choice == "always":
        return True
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


class Report:
    """One rendering of a check result, by the command line's choices."""

    def __init__(
        self, fmt: str, quiet: bool, statistics: bool, color: bool, fixed: int = 0, unsafe: bool = False
    ) -> None:
        self.fmt, self.quiet, self.statistics, self.color = fmt, quiet, statistics, color
        self.fixed, self.unsafe = fixed, unsafe

    def render(self, result: CheckResult) -> str:
        diagnostics = result.diagnostics
        if self.statistics:
            return _statistics(diagnostics, len(result.sources), self.quiet)
        if self.fmt in ("full", "text", "concise"):
            body = text.write(
                diagnostics,
                result.sources,
                {},
                concise=self.fmt == "concise",
                color=self.color,
                quiet=self.quiet,
                files=len(result.sources),
            )
            return body if self.quiet else body + self._fix_note(diagnostics)
        # NOTE: only SARIF and JUnit describe the rules; the other formats must not load
        # them on a cached re-check.
        return FORMATS[self.fmt](diagnostics, result.sources, catalog() if self.fmt in ("sarif", "junit") else {})

    def _fix_note(self, diagnostics: tuple[Diagnostic, ...]) -> str:
        if not diagnostics and not self.fixed:
            return ""  # NOTE: a clean check need not import the fixes
        from evtc.check.fixes import fixability

        kinds = Counter(fixability(d) for d in diagnostics if not d.suppressed)
        lines = [f"fixed {self.fixed} problem{'s' if self.fixed != 1 else ''}"] if self.fixed else []
        if kinds["safe"]:
            lines.append(f"[*] {kinds['safe']} fixable with `evtc check --fix`")
        if kinds["unsafe"] and not self.unsafe:
            lines.append(f"{kinds['unsafe']} more fixable with `evtc check --fix --unsafe-fixes`")
        return "".join(line + "\n" for line in lines)


def _statistics(diagnostics: tuple[Diagnostic, ...], files: int, quiet: bool) -> str:
    """One line per code, most frequent first, as ruff's `--statistics`."""
    from evtc.check.fixes import fixability

    shown = [d for d in diagnostics if not d.suppressed]
    counts = Counter(d.code for d in shown)
    names = {d.code: d.name for d in shown}
    safe = {d.code for d in shown if fixability(d) == "safe"}
    width = len(str(max(counts.values(), default=0)))
    lines = [
        f"{count:>{width}}\t{code}\t{'[*] ' if code in safe else ''}{names[code]}"
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    if not quiet:
        lines.append(text.summary(diagnostics, files))
    return "".join(line + "\n" for line in lines)
