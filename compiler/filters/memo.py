"""`compile_when` and `can_match`, remembered by what they read: the filter's shape (its
operators, paths and literals, not where it is written), the dialect, the event-type
qualifier and the field types. The language server plans the whole topology after each
pause in typing; a filter that did not change (or only moved) is not compiled again.

The language server turns the memo on (`remember_filters`); `evtc check` compiles each
filter once anyway, and keying and copying would cost it a tenth of the plan's time.

Neither function reads a span (their reasons and hints name values and operators only),
so two filters of one shape compile alike wherever they stand. Literals are keyed with
their type: `1`, `1.0` and `true` are equal in Python but spell different patterns.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from evtc import ir
from evtc.filters.dialects import compile_when
from evtc.filters.fold import NotExpressible
from evtc.filters.when import can_match

_LIMIT = 50_000  # NOTE: entries kept before the memo starts afresh (a few MB; far above one topology's filters)
_COMPILED: dict[tuple[Any, ...], dict[str, Any] | NotExpressible] = {}
_MATCHES: dict[Any, bool] = {}
_ON = [False]
_BYPASSED = [False]


def remember_filters() -> None:
    """Remember compiled filters from now on, in this process (the language server's)."""
    _ON[0] = True


@contextmanager
def bypassed() -> Iterator[None]:
    """Compile every filter afresh within (what the tests compare the memo with)."""
    before, _BYPASSED[0] = _BYPASSED[0], True
    try:
        yield
    finally:
        _BYPASSED[0] = before


def shape(expr: ir.Filter) -> Any:
    """A hashable key that two filters share exactly when they differ only in their spans."""
    kind = type(expr)
    if kind is ir.Compare:
        value = expr.value  # type: ignore[union-attr]
        typed = tuple((type(v), v) for v in value) if type(value) is tuple else (type(value), value)
        return (expr.path.parts, expr.op, typed, expr.ignorecase)  # type: ignore[union-attr]
    if kind is ir.Exists:
        return ("exists", expr.path.parts)  # type: ignore[union-attr]
    if kind is ir.Not:
        return ("not", shape(expr.operand))  # type: ignore[union-attr]
    if kind is ir.And or kind is ir.Or:
        return (kind.__name__, tuple(shape(x) for x in expr.operands))  # type: ignore[union-attr]
    raise TypeError(f"not a filter: {expr!r}")


def compiled_when(
    expr: ir.Filter | None,
    *,
    dialect: str,
    event: str | None = None,
    field_types: Mapping[tuple[str, ...], str] | None = None,
    key_field: str = "key",
) -> dict[str, Any]:
    """`compile_when(…)` with the same arguments: a fresh copy of the artefact (callers may
    change theirs), or the same `NotExpressible` raised."""
    if _BYPASSED[0] or not _ON[0]:
        return compile_when(expr, dialect=dialect, event=event, field_types=field_types, key_field=key_field)
    types = tuple(sorted(field_types.items())) if field_types else ()
    key = (shape(expr) if expr is not None else None, dialect, event, types, key_field)
    found = _COMPILED.get(key)
    if found is None:
        try:
            found = compile_when(expr, dialect=dialect, event=event, field_types=field_types, key_field=key_field)
        except NotExpressible as problem:
            found = problem
        _remember(_COMPILED, key, found)
    if isinstance(found, NotExpressible):
        raise found
    return _copy(found)  # type: ignore[no-any-return]


def can_match_remembered(expr: ir.Filter) -> bool:
    """`can_match(expr)`."""
    if _BYPASSED[0] or not _ON[0]:
        return can_match(expr)
    key = shape(expr)
    found = _MATCHES.get(key)
    if found is None:
        found = can_match(expr)
        _remember(_MATCHES, key, found)
    return found


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> None:
    if len(memo) >= _LIMIT:
        memo.clear()
    memo[key] = value


def _copy(value: Any) -> Any:
    """A JSON-like value copied through its dicts and lists (strings and numbers are shared)."""
    if type(value) is dict:
        return {k: _copy(v) for k, v in value.items()}
    if type(value) is list:
        return [_copy(v) for v in value]
    return value
