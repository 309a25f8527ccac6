"""The compiler's own diagnostics (syntax and reference), in their own code range.

Rules (security, ordering, delivery, limits) live in `evtc.rules`; these are the problems
found while reading the file, before any rule runs.
"""

from __future__ import annotations

from evtc.diagnostics import Category, Code, Severity

_S = Category.SYNTAX
_R = Category.REFERENCE

UNREADABLE = Code("SYN001", "unreadable-file", _S, summary="the file cannot be read or is not UTF-8 text")
UNEXPECTED_TOKEN = Code("SYN002", "unexpected-token", _S, summary="a token the grammar does not allow here")
UNEXPECTED_CHARACTER = Code("SYN003", "unexpected-character", _S, summary="a character no token starts with")
UNTERMINATED_STRING = Code("SYN004", "unterminated-string", _S, summary="a string with no closing quote on its line")
UNEXPECTED_END = Code("SYN005", "unexpected-end-of-file", _S, summary="the file ends inside a declaration")
MISSING_TOPOLOGY = Code("SYN006", "missing-topology", _S, summary="no `topology NAME` declaration")
DUPLICATE_TOPOLOGY = Code("SYN007", "duplicate-topology", _S, summary="more than one `topology` declaration")
TOO_DEEP = Code("SYN008", "nesting-too-deep", _S, summary="a filter or type nested deeper than evtc supports")

UNDEFINED_NAME = Code(
    "REF001", "undefined-name", _R, summary="a reference to a component or event that is not declared"
)
DUPLICATE_NAME = Code("REF002", "duplicate-name", _R, summary="two declarations with the same name")
UNKNOWN_PROPERTY = Code("REF003", "unknown-property", _R, summary="a property the component kind does not have")
WRONG_TYPE = Code("REF004", "wrong-value-type", _R, summary="a property value of the wrong type")
BAD_UNIT = Code("REF005", "bad-unit", _R, summary="a duration or size with a unit that does not fit")
OUT_OF_RANGE = Code("REF006", "value-out-of-range", _R, summary="a value outside what the language allows")
UNKNOWN_KIND = Code("REF007", "unknown-kind", _R, summary="a component kind that does not exist")
UNKNOWN_FIELD = Code("REF008", "unknown-field", _R, summary="a filter or key on a field no event on that route has")
WRONG_REFERENCE_KIND = Code(
    "REF009", "wrong-reference-kind", _R, summary="a name that refers to the wrong kind of component"
)
UNKNOWN_TYPE = Code("REF010", "unknown-type", _R, summary="an event field type that does not exist")
MISPLACED_ATTRIBUTE = Code(
    "REF021", "misplaced-attribute", _R, summary="an `@attribute` field SNS cannot send as a message attribute"
)
RECURSIVE_TYPE = Code("REF020", "recursive-type", _R, summary="a named type that contains itself")
UNKNOWN_ANNOTATION = Code("REF011", "unknown-annotation", _R, summary="an annotation evtc does not know")
FILTER_TYPE_MISMATCH = Code(
    "REF012", "filter-type-mismatch", _R, summary="a filter comparing a field with a value of another type"
)
DUPLICATE_PROPERTY = Code("REF013", "duplicate-property", _R, summary="the same property set twice")
MISSING_PROPERTY = Code("REF015", "missing-property", _R, summary="a required property is not set")
BARE_SUPPRESSION = Code(
    "REF016", "bare-suppression", _R, Severity.WARNING, summary="a `# evtc: ignore` that names no code"
)
UNKNOWN_SUPPRESSION_CODE = Code(
    "REF017",
    "unknown-suppression-code",
    _R,
    Severity.WARNING,
    summary="a suppression naming a code that does not exist",
)
UNUSED_SUPPRESSION = Code(
    "REF018", "unused-suppression", _R, Severity.WARNING, summary="a suppression that suppresses nothing"
)
CONFLICTING_PLACEMENT = Code(
    "REF019", "conflicting-placement", _R, summary="an `account:` or `region:` that contradicts the component's ARN"
)
# REF030-REF032: topologies in several files (docs/language.md)
MISSING_USED_FILE = Code("REF030", "missing-used-file", _R, summary="a `use` naming a file that does not exist")
USE_CYCLE = Code("REF031", "use-cycle", _R, summary="files that `use` each other in a cycle")
FOREIGN_USED_FILE = Code("REF032", "foreign-used-file", _R, summary="a `use` naming a file of another topology")

ALL_CODES: tuple[Code, ...] = tuple(v for v in list(globals().values()) if isinstance(v, Code))

__all__ = ["ALL_CODES", "Severity"]
