"""`evtc check` as a library call: the front end, then every enabled rule, per file.

>>> from evtc.check.checker import check_paths
>>> result = check_paths(["examples/ami_scan.evt"])
>>> result.exit_code
0

Rule results are cached by content (file bytes + configuration + rule set), so
re-checking an unchanged file reads one small pickle; the compilation itself is only
loaded when a caller asks for `result.compilations`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from evtc.check.config import SELECTABLE_CODES, Config, ConfigError, find_config
from evtc.check.followon import drop_follow_on
from evtc.check.ruleset import RuleSet, fingerprint, ruleset
from evtc.check.suppress import apply as apply_suppressions
from evtc.diagnostics import Diagnostic, Severity, sorted_diagnostics
from evtc.util.cache import Cache
from evtc.util.record import record

if TYPE_CHECKING:  # NOTE: the front end is imported only when a file must be compiled
    from evtc.frontend import Compilation


def compile_file(path: Path, cache: Cache | None = None) -> Compilation:
    from evtc.frontend import compile_file as compile_

    return compile_(path, cache=cache)


class UsageError(Exception):
    """A problem with the command line itself (exit code 2)."""


@record(slots=False)
class CheckResult:
    """What `evtc check` found in a set of files, and its exit code."""

    files: tuple[Path, ...]
    diagnostics: tuple[Diagnostic, ...]
    fail_on: Severity = Severity.ERROR
    sources: dict[str, str] = field(default_factory=dict)
    cache: Cache | None = field(default=None, repr=False, compare=False)
    _loaded: dict[Path, Compilation] = field(default_factory=dict, repr=False, compare=False)

    @property
    def exit_code(self) -> int:
        failing = [d for d in self.diagnostics if not d.suppressed and d.severity.rank >= self.fail_on.rank]
        return 1 if failing else 0

    @property
    def compilations(self) -> tuple[Compilation, ...]:
        """The compiled files, in order (compiled or loaded from the cache on first use)."""
        for path in self.files:
            if path not in self._loaded:
                self._loaded[path] = compile_file(path, cache=self.cache)
        return tuple(self._loaded[p] for p in self.files)


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


def check_compilation(compilation: Compilation, config: Config | None = None) -> list[Diagnostic]:
    """Front-end diagnostics plus those of every enabled rule (rules run only on a file that
    parsed), with inline suppressions applied."""
    return check_compilation_with(compilation, _ruleset(config or Config()))


def check_paths(
    paths: Sequence[str | Path],
    cache: Cache | None = None,
    fail_on: Severity = Severity.ERROR,
    config: Config | None = None,
    config_for: Callable[[Path], Config] | None = None,
) -> CheckResult:
    """Check every file; `config_for(file)` (else the nearest configuration) configures each."""
    files = tuple(expand_paths(paths))
    diagnostics: list[Diagnostic] = []
    sources: dict[str, str] = {}
    loaded: dict[Path, Compilation] = {}
    for path in files:
        found, text, compilation = _check_file(path, config or (config_for or _config_for)(path), cache)
        diagnostics.extend(found)
        sources[str(path)] = text
        if compilation is not None:
            loaded[path] = compilation
    return CheckResult(files, tuple(sorted_diagnostics(diagnostics)), fail_on, sources, cache, loaded)


def _config_for(path: Path) -> Config:
    try:
        return find_config(path.resolve().parent)
    except ConfigError as error:
        raise UsageError(str(error)) from None


def _ruleset(config: Config) -> RuleSet:
    try:
        return ruleset(config)
    except ConfigError as error:
        raise UsageError(str(error)) from None


def _check_file(path: Path, config: Config, cache: Cache | None) -> tuple[list[Diagnostic], str, Compilation | None]:
    data = _read(path)
    if cache is not None and data is not None:
        # NOTE: only a valid configuration ever wrote an entry, so a hit needs no validation.
        hit = cache.get("check", str(path), data, fingerprint(config))
        if isinstance(hit, tuple) and len(hit) == 2:
            return list(hit[0]), hit[1], None
    rules = _ruleset(config)
    # NOTE: the front end's own cache entry (a pickled compilation) is not written here: the
    # rule results below make re-checks cheap, and pickling a large IR costs half a compile.
    compilation = compile_file(path)
    found = check_compilation_with(compilation, rules)
    if cache is not None and data is not None:
        cache.put("check", str(path), data, (tuple(found), compilation.text), rules.fingerprint)
    return found, compilation.text, compilation


def check_compilation_with(compilation: Compilation, rules: RuleSet) -> list[Diagnostic]:
    diagnostics = list(compilation.diagnostics)
    if not any(d.category.value == "syntax" for d in diagnostics):
        diagnostics.extend(drop_follow_on(rules.run(compilation), compilation))
    enabled = {a.rule.code for a in rules.active}
    marked = apply_suppressions(
        diagnostics,
        compilation.text,
        compilation.file,
        _known_codes,
        lambda code: code in enabled or code[:3] in ("SYN", "REF"),
    )
    selectable = {code for code, _ in SELECTABLE_CODES}
    kept = [d for d in marked if d.code not in selectable or rules.config.enabled(d.code, d.name)]
    return sorted_diagnostics(kept)


def _known_codes() -> dict[str, str]:
    """Every code and rule name (a name mapped to its code), for checking suppressions."""
    from evtc.check.catalog import catalog

    known = catalog()
    return {code: code for code in known} | {info.name: code for code, info in known.items()}


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
