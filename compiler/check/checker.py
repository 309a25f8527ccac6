"""`evtc check` as a library call: the front end, then every enabled rule, per topology
(one file, or the several files of one; see evtc.frontend.load).

>>> from evtc.check.checker import check_paths
>>> result = check_paths(["examples/ami_scan.evt"])
>>> result.exit_code
0

Rule results are cached by content (the bytes of every file of the topology + each file's
configuration + rule set), so re-checking an unchanged topology reads one small pickle;
the compilation itself is only loaded when a caller asks for `result.compilations`.
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
    from evtc.frontend.load import Group


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
    _loaded: dict[tuple[str, ...], Compilation] = field(default_factory=dict, repr=False, compare=False)
    groups: tuple[Group, ...] = field(default=(), repr=False, compare=False)

    @property
    def exit_code(self) -> int:
        failing = [d for d in self.diagnostics if not d.suppressed and d.severity.rank >= self.fail_on.rank]
        return 1 if failing else 0

    @property
    def compilations(self) -> tuple[Compilation, ...]:
        """The compiled topologies, in order (compiled on first use)."""
        from evtc.frontend.load import compile_group

        if not self.groups:
            return tuple(self._loaded.get((str(p),)) or compile_file(p, cache=self.cache) for p in self.files)
        for g in self.groups:
            if g.files not in self._loaded:
                self._loaded[g.files] = compile_group(g)
        return tuple(self._loaded[g.files] for g in self.groups)


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
    """Check every topology the paths name (all of its files, also those not named);
    `config_for(file)` (else the nearest configuration) configures each file."""
    from evtc.frontend.load import group

    groups = tuple(group(expand_paths(paths)))
    configure = (lambda path: config) if config is not None else (config_for or _config_for)
    diagnostics: list[Diagnostic] = []
    sources: dict[str, str] = {}
    loaded: dict[tuple[str, ...], Compilation] = {}
    for g in groups:
        found, texts, compilation = _check_group(g, configure, cache)
        diagnostics.extend(found)
        sources.update(texts)
        if compilation is not None:
            loaded[g.files] = compilation
    files = tuple(Path(f) for g in groups for f in g.files)
    return CheckResult(files, tuple(sorted_diagnostics(diagnostics)), fail_on, sources, cache, loaded, groups)


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


def _check_group(
    g: Group, configure: Callable[[Path], Config], cache: Cache | None
) -> tuple[list[Diagnostic], dict[str, str], Compilation | None]:
    from evtc.frontend.load import compile_group

    configs = {f: configure(Path(f)) for f in g.files}
    complete = len(g.data) == len(g.files)
    data = b"".join(f"{len(f)}:{f}{len(d)}:".encode() + d for f, d in g.data.items())
    # NOTE: the key hashes evtc's own modules (a few milliseconds): only a cached check needs it.
    cached = cache if complete else None
    key = b"".join(fingerprint(c) for c in configs.values()) if cached is not None else b""
    if cached is not None:
        # NOTE: only a valid configuration ever wrote an entry, so a hit needs no validation.
        hit = cached.get("check", g.files[0], data, key)
        if isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[1], dict):
            return list(hit[0]), hit[1], None
    rules = {f: _ruleset(c) for f, c in configs.items()}
    # NOTE: the front end's own cache entry (a pickled compilation) is not written here: the
    # rule results below make re-checks cheap, and pickling a large IR costs half a compile.
    compilation = compile_group(g)
    found = check_compilation_with(compilation, rules[g.files[0]], rules)
    if cached is not None:
        cached.put("check", g.files[0], data, (tuple(found), compilation.sources), key)
    return found, compilation.sources, compilation


def check_compilation_with(
    compilation: Compilation,
    rules: RuleSet,
    per_file: dict[str, RuleSet] | None = None,
    found_by_rules: Iterable[Diagnostic] | None = None,
) -> list[Diagnostic]:
    """The findings on a compilation; `per_file` gives each file of a topology its own rule
    set (its configuration: per-file ignores, a nearer pyproject.toml), else `rules` is all's.
    `found_by_rules`: what `rules` found on the compilation, when the caller has it already
    (see `RuleSet.run_each`)."""
    front = list(compilation.diagnostics)
    ran = not any(d.category.value == "syntax" for d in front)
    chosen = per_file or {}
    found: list[Diagnostic] = []
    entry = compilation.file
    for own, files in _by_ruleset(compilation, rules, chosen):
        given = found_by_rules if own is rules else None
        run = drop_follow_on(own.run(compilation) if given is None else given, compilation) if ran else []
        for file in files:
            here = [d for d in (*front, *run) if (d.span.file if d.span.file in compilation.sources else entry) == file]
            found += _suppressed(here, compilation.sources[file], file, own, ran)
    return sorted_diagnostics(found)


def _by_ruleset(
    compilation: Compilation, rules: RuleSet, chosen: dict[str, RuleSet]
) -> list[tuple[RuleSet, list[str]]]:
    """The files of the compilation by the rule set that applies to each (usually one)."""
    found: dict[int, tuple[RuleSet, list[str]]] = {}
    for file in compilation.sources:
        own = chosen.get(file, rules)
        found.setdefault(id(own), (own, []))[1].append(file)
    return list(found.values())


def _suppressed(diagnostics: list[Diagnostic], text: str, file: str, rules: RuleSet, ran: bool) -> list[Diagnostic]:
    enabled = {a.rule.code for a in rules.active}
    marked = apply_suppressions(
        diagnostics, text, file, _known_codes, lambda code: code in enabled or code[:3] in ("SYN", "REF"), ran
    )
    selectable = {code for code, _ in SELECTABLE_CODES}
    return [d for d in marked if d.code not in selectable or rules.config.enabled(d.code, d.name)]


def _known_codes() -> dict[str, str]:
    """Every code and rule name (a name mapped to its code), for checking suppressions."""
    from evtc.check.catalog import catalog

    known = catalog()
    return {code: code for code in known} | {info.name: code for code, info in known.items()}
