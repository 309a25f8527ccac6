"""evtc diagnostics as LSP diagnostics: the same findings as `evtc check`, with the hint,
the related places and a link to the code's documentation."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from evtc.check.config import Config, ConfigError, find_config
from evtc.diagnostics import Diagnostic, Severity
from evtc.frontend import Compilation
from evtc.lsp.positions import Lines

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
    from evtc.check.ruleset import RuleSet, ruleset

    try:
        config = find_config(path.parent) if path is not None else Config()
        found = ruleset(config)
    except ConfigError:
        found = ruleset(Config())  # NOTE: a broken [tool.evtc] is `evtc check`'s usage error; lint on
    chosen = found if rules else RuleSet((), found.config)
    return [d for d in check_compilation_with(compilation, chosen) if not d.suppressed]


def to_lsp(d: Diagnostic, lines: Lines, uri: str, docs: str = DOCS) -> types.Diagnostic:
    related = [
        types.DiagnosticRelatedInformation(types.Location(uri, lines.range(r.span)), r.message)
        for r in d.related
        if r.span.file == d.span.file
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
