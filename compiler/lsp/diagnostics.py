"""evtc diagnostics as LSP diagnostics: the same findings as `evtc check`, with the hint,
the related places and a link to the code's documentation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from evtc.check.config import Config, ConfigError, find_config
from evtc.diagnostics import Diagnostic, Severity
from evtc.frontend import Compilation
from evtc.lsp.positions import Lines
from evtc.lsp.shift import LineMap, remapped
from evtc.span import Span

if TYPE_CHECKING:
    from evtc.check.ruleset import Findings, RuleSet

DOCS = "https://github.com/evtc/evtc/blob/main/docs"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def help_uri(code: str, name: str, docs: str = DOCS) -> str:
    """The page that documents a code: a rule's section of rules.md (the anchor its
    generated heading gets), or the compiler codes' table in language.md."""
    if code.startswith(("SYN", "REF")):
        return f"{docs}/language.md#diagnostics-of-the-front-end"
    return f"{docs}/rules.md#{code.lower()}-{name}"


def check(compilation: Compilation, path: Path | None, rules: bool = True) -> list[Diagnostic]:
    """What `evtc check` reports for this compilation, under the configuration that applies
    to `path` (the nearest pyproject.toml's `[tool.evtc]`; defaults for an unsaved file).
    Without `rules`: only the front end's findings, suppressions applied as check does."""
    from evtc.check.checker import check_compilation_with
    from evtc.check.ruleset import RuleSet

    found = _ruleset(path)
    chosen = found if rules else RuleSet((), found.config)
    per_file = _per_file(compilation, rules) if len(compilation.sources) > 1 else None
    return [d for d in check_compilation_with(compilation, chosen, per_file) if not d.suppressed]


@dataclass(frozen=True)
class RulesRun:
    """The rules' findings on one version of a file, one tuple per rule of `rules`."""

    rules: RuleSet
    findings: Findings
    topology: Span  # where the findings of a rule that cannot point elsewhere stand


def check_reusing(
    compilation: Compilation, path: Path | None, before: RulesRun | None = None, moved: LineMap | None = None
) -> tuple[list[Diagnostic], RulesRun | None]:
    """`check(compilation, path)`, with the rules' findings for the next call. Given the
    findings on the version before (`before`) and, when each declaration of this one is
    one of that version's moved by whole lines, where its lines went (`moved`), a rule that
    declares `moves_with_text` is not run again: its findings are moved with the lines."""
    from evtc.check.checker import check_compilation_with

    if len(compilation.sources) > 1 or any(d.category.value == "syntax" for d in compilation.diagnostics):
        return check(compilation, path), None  # NOTE: several files: each under its own rule set
    chosen = _ruleset(path)
    here = compilation.topology.span
    # NOTE: a file without `topology` has its topology at 1:1, which does not move with lines
    reuse = before is not None and moved is not None and before.rules is chosen and moved(before.topology) == here
    carry = (lambda found: remapped(found, moved)) if reuse else None
    findings = chosen.run_each(compilation, before.findings if reuse and before else None, carry)
    found = check_compilation_with(compilation, chosen, found_by_rules=[d for each in findings for d in each])
    return [d for d in found if not d.suppressed], RulesRun(chosen, findings, here)


def _ruleset(path: Path | None) -> RuleSet:
    from evtc.check.ruleset import ruleset

    try:
        config = find_config(path.parent) if path is not None else Config()
        return ruleset(config)
    except ConfigError:
        return ruleset(Config())  # NOTE: a broken [tool.evtc] is `evtc check`'s usage error; lint on


def _per_file(compilation: Compilation, rules: bool) -> dict[str, object]:
    """Each file of a topology in several files under its own configuration, as `evtc check`
    runs it (the nearest `[tool.evtc]`, its `per-file-ignores`)."""
    from evtc.check.ruleset import RuleSet, ruleset

    found = {}
    for file in compilation.sources:
        try:
            own = ruleset(find_config(Path(file).resolve().parent).for_file(Path(file)))
        except ConfigError:
            own = ruleset(Config())
        found[file] = own if rules else RuleSet((), own.config)
    return found


def to_lsp(
    d: Diagnostic, lines: Lines, uri: str, docs: str = DOCS, others: Mapping[str, tuple[str, Lines]] | None = None
) -> types.Diagnostic:
    """`others`: the URI and lines of each file of a topology in several files, for related
    places in another file than the finding's."""
    elsewhere = others or {}
    related = [
        types.DiagnosticRelatedInformation(types.Location(uri, lines.range(r.span)), r.message)
        if r.span.file == d.span.file
        else types.DiagnosticRelatedInformation(
            types.Location(elsewhere[r.span.file][0], elsewhere[r.span.file][1].range(r.span)), r.message
        )
        for r in d.related
        if r.span.file == d.span.file or r.span.file in elsewhere
    ]
    message = f"{d.message}\nhint: {d.hint}" if d.hint else d.message
    return types.Diagnostic(
        range=lines.range(d.span),
        message=message,
        severity=_SEVERITY.get(d.severity, types.DiagnosticSeverity.Error),
        code=d.code,
        code_description=types.CodeDescription(help_uri(d.code, d.name, docs)),
        source="evtc",
        related_information=related or None,
        data={"name": d.name, "hint": d.hint},
    )
