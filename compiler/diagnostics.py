"""The diagnostic model shared by the compiler, the rules and every output format."""

from __future__ import annotations

from dataclasses import field, replace
from enum import Enum

from evtc.span import Span
from evtc.util.record import record


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Category(str, Enum):
    SYNTAX = "syntax"
    REFERENCE = "reference"
    SECURITY = "security"
    ORDERING = "ordering"
    DELIVERY = "delivery"
    LIMITS = "limits"
    COMPATIBILITY = "compatibility"  # `evtc diff`: a change that breaks consumers


@record
class Related:
    """A second place a diagnostic points at (the other declaration, the hop that breaks)."""

    span: Span
    message: str


@record
class Diagnostic:
    """One problem: what is wrong, where, how bad, and how to fix it."""

    code: str
    name: str
    severity: Severity
    category: Category
    message: str
    span: Span
    hint: str = ""
    related: tuple[Related, ...] = ()
    suppressed: bool = False

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)


@record
class Code:
    """A compiler diagnostic kind: code, kebab-case name, category and default severity."""

    code: str
    name: str
    category: Category
    severity: Severity = Severity.ERROR
    summary: str = field(default="", compare=False)

    def at(self, span: Span, message: str, hint: str = "", related: tuple[Related, ...] = ()) -> Diagnostic:
        return Diagnostic(self.code, self.name, self.severity, self.category, message, span, hint, related)


def sorted_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=Diagnostic.sort_key)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR and not d.suppressed for d in diagnostics)
