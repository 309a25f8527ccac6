"""One filter language, compiled to every AWS dialect and evaluated with AWS's semantics.

Matching AWS patterns (the engine):
- `matches(pattern, event, dialect=..., scope=...)`: decide one event as AWS would.
- `validate(pattern, dialect=...)`: the reasons AWS would reject a pattern (empty: accepted).
- `compile(pattern, dialect=...)`: an immutable `CompiledFilter` with `.matches(event)`.
Dialects: `eventbridge` (bus rules), `sns` (subscription filter policies, body or
attribute scope) and `esm` (Lambda event source mapping FilterCriteria and Pipes filters).

Compiling `when` (the compiler):
- `compile_when(expr, dialect=...)`: a route's filter as the artefact its hop deploys, for
  the hop dialects in `HOP_DIALECTS`; raises `NotExpressible` with a reason and a hint.
- `artefact_matcher(artefact, dialect)`: decide events from that artefact, as the service would.
- `route_filter(graph, route, dialect)`: a route's artefact in one dialect, or a diagnostic:
  `FILTER_NOT_EXPRESSIBLE` (LIM003) when the dialect cannot say it, `FILTER_NEVER_MATCHES`
  (DLV009) when nothing can ever match. Which dialect a hop deploys is `evtc.plan`'s.
- `can_match(expr)`: False only when no event can match the filter (the one decision of it).
- `normalise(pattern)` / `canonical_json(pattern)`: one spelling per filter.
"""

from __future__ import annotations

from evtc.filters.dialects import HOP_DIALECTS, artefact_matcher, compile_when, engine_dialect
from evtc.filters.fold import NotExpressible
from evtc.filters.routes import (
    FILTER_NEVER_MATCHES,
    FILTER_NOT_EXPRESSIBLE,
    RouteFilter,
    route_filter,
)
from evtc.filters.when import can_match
from evtc.patterns.engine import (
    DIALECTS,
    SCOPES,
    CompiledFilter,
    InvalidPatternError,
    compile,
    matches,
)
from evtc.patterns.normalise import canonical_json, normalise
from evtc.patterns.validate import validate

__all__ = [
    "DIALECTS",
    "FILTER_NEVER_MATCHES",
    "FILTER_NOT_EXPRESSIBLE",
    "HOP_DIALECTS",
    "SCOPES",
    "CompiledFilter",
    "InvalidPatternError",
    "NotExpressible",
    "RouteFilter",
    "artefact_matcher",
    "can_match",
    "canonical_json",
    "compile",
    "compile_when",
    "engine_dialect",
    "matches",
    "normalise",
    "route_filter",
    "validate",
]
