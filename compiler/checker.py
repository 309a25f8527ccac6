"""`evtc check` as a library call: the front end, then every registered rule, per file.

>>> from evtc.checker import check_paths
>>> result = check_paths(["examples/ami_scan.evt"])
>>> result.exit_code
0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evtc.cache import Cache
from evtc.diagnostics import Diagnostic, Severity, sorted_diagnostics
from evtc.frontend import Compilation, compile_file
from evtc.registry import rules


@dataclass(frozen=True)
class CheckResult:
    compilations: tuple[Compilation, ...]
    diagnostics: tuple[Diagnostic, ...]
    fail_on: Severity = Severity.ERROR
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        failing = [d for d in self.diagnostics if not d.suppressed and d.severity.rank >= self.fail_on.rank]
        return 1 if failing else 0


class UsageError(Exception):
    """A problem with the command line itself (exit code 2)."""


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, directories searched for *.evt; a missing path is a usage error."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.evt") if p.is_file()))
        elif path.exists():
            found.append(path)
        else:
            raise UsageError(f"no such file or directory: {raw}")
    return found


def check_compilation(compilation: Compilation) -> list[Diagnostic]:
    """Front-end diagnostics plus those of every rule (rules run only on a file that parsed)."""
    diagnostics = list(compilation.diagnostics)
    if any(d.category.value == "syntax" for d in diagnostics):
        return diagnostics
    for rule in rules():
        diagnostics.extend(rule().check(compilation) if isinstance(rule, type) else rule.check(compilation))
    return sorted_diagnostics(diagnostics)


def check_paths(paths: Sequence[str | Path], cache: Cache | None = None, fail_on: Severity = Severity.ERROR) -> CheckResult:
    compilations = tuple(compile_file(p, cache=cache) for p in expand_paths(paths))
    diagnostics: list[Diagnostic] = []
    for c in compilations:
        diagnostics.extend(check_compilation(c))
    sources = {c.file: c.text for c in compilations}
    return CheckResult(compilations, tuple(sorted_diagnostics(diagnostics)), fail_on, sources)
