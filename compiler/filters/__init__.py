"""One filter language, compiled to every AWS dialect and evaluated with AWS's semantics.

- `matches(pattern, event, dialect=..., scope=...)`: decide one event as AWS would.
- `validate(pattern, dialect=...)`: the reasons AWS would reject a pattern (empty: accepted).
- `compile(pattern, dialect=...)`: an immutable `CompiledFilter` with `.matches(event)`.

Dialects: `eventbridge` (bus rules), `sns` (subscription filter policies, body or
attribute scope) and `esm` (Lambda event source mapping FilterCriteria and Pipes filters).
"""

from __future__ import annotations

from evtc.filters.engine import (
    DIALECTS,
    SCOPES,
    CompiledFilter,
    InvalidPatternError,
    compile,
    matches,
)
from evtc.filters.validate import validate

__all__ = [
    "DIALECTS",
    "SCOPES",
    "CompiledFilter",
    "InvalidPatternError",
    "compile",
    "matches",
    "validate",
]
