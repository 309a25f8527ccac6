"""A `when` expression as AWS patterns: negations pushed to the leaves, `or` lifted to the
top (disjunctive normal form), and the conditions on one field of each alternative folded
into the single pattern array AWS evaluates for that field.

The meaning of `when` is the meaning of the pattern it compiles to: a comparison on a
field the event does not have is false, and so is its negation (`x != 1` is AWS's
`anything-but`, which needs `x`); `not exists x` is the way to ask for absence.

Whether a filter can match at all is decided here, once, by the same folding that
compiles it (`can_match`): `evtc check` (DLV009), `evtc filters` and the runtime agree.

>>> from evtc.frontend import compile_text
>>> src = 'topology t\nevent E { a: number }\nsource s: app { emits: [E] }\nqueue q {}\nroute s.E -> q when '
>>> can_match(compile_text(src + 'a > 5 and a < 3', "t.evt").topology.routes[0].when)
False
>>> can_match(compile_text(src + 'a > 5 or a < 3', "t.evt").topology.routes[0].when)
True
"""

from __future__ import annotations

import json
from itertools import combinations, product
from typing import Any

from evtc import ir
from evtc.filters.fold import NeverMatches, NotExpressible, Unsatisfiable, distinct, fold_field

MAX_ALTERNATIVES = 64
Literal = tuple[bool, ir.Compare | ir.Exists]  # (negated, leaf)
Path = tuple[str, ...]


def alternatives(expr: ir.Filter) -> list[list[Literal]]:
    """The expression as an OR of ANDs of (possibly negated) comparisons."""
    result = _dnf(expr, False)
    if len(result) > MAX_ALTERNATIVES:
        raise NotExpressible(
            f"the filter expands to {len(result)} alternatives (evtc stops at {MAX_ALTERNATIVES})",
            "factor common conditions out of the `or`s, or use `in [...]` for alternatives on one field",
        )
    return result


def _dnf(node: ir.Filter, negated: bool) -> list[list[Literal]]:
    if isinstance(node, ir.Not):
        return _dnf(node.operand, not negated)
    if isinstance(node, (ir.And, ir.Or)):
        parts = [_dnf(operand, negated) for operand in node.operands]
        if isinstance(node, ir.Or) != negated:  # or, or a negated and (De Morgan)
            return [term for part in parts for term in part]
        return [[lit for term in combo for lit in term] for combo in _bounded_product(parts)]
    return [[(negated, node)]]


def _bounded_product(parts: list[list[list[Literal]]]) -> list[tuple[list[Literal], ...]]:
    size = 1
    for part in parts:
        size *= len(part)
    if size > MAX_ALTERNATIVES:
        raise NotExpressible(
            f"the filter expands to {size} alternatives (evtc stops at {MAX_ALTERNATIVES})",
            "factor common conditions out of the `or`s, or use `in [...]` for alternatives on one field",
        )
    return list(product(*parts))


def can_match(expr: ir.Filter) -> bool:
    """False only when no event can ever match the filter, on any hop.

    An alternative the compiler cannot fold (too many alternatives, conditions AWS cannot
    AND) counts as one that may match, so "never" is always right.
    """
    try:
        terms = alternatives(expr)
    except NotExpressible:
        return True
    for term in terms:
        try:
            _term_fields(term)
        except Unsatisfiable:
            continue
        except NotExpressible:
            return True
        return True
    return False


def data_patterns(expr: ir.Filter | None) -> list[dict[str, Any]]:
    """One pattern over the event's data per satisfiable alternative; `[{}]` without a filter.

    Raises NotExpressible when some alternative cannot be written as a pattern, and
    NeverMatches when no alternative can ever match.
    """
    if expr is None:
        return [{}]
    fields: list[dict[Path, list[Any]]] = []
    for term in alternatives(expr):
        try:
            fields.append(_term_fields(term))
        except Unsatisfiable:
            continue  # this alternative never matches; the others still may
    if not fields:
        raise NeverMatches(
            "the filter can never match",
            "check for an `and` that should be an `or`, or conditions on one field that exclude each other",
        )
    return [_nested(f) for f in _merge_alternatives(fields)]


def _term_fields(term: list[Literal]) -> dict[Path, list[Any]]:
    by_path: dict[Path, list[Literal]] = {}
    for literal in term:
        by_path.setdefault(literal[1].path.parts, []).append(literal)
    return {path: fold_field(literals) for path, literals in by_path.items()}


def _merge_alternatives(fields: list[dict[Path, list[Any]]]) -> list[dict[Path, list[Any]]]:
    """Join alternatives that differ in one field only: (A and x) or (A and y) is A and (x or y),
    and an AWS array is an OR. Equal filters written differently then compile alike."""
    merged = True
    while merged:
        merged = False
        for i, j in combinations(range(len(fields)), 2):
            joined = _join(fields[i], fields[j])
            if joined is not None:
                fields = [f for k, f in enumerate(fields) if k not in (i, j)] + [joined]
                merged = True
                break
    return fields


def _join(left: dict[Path, list[Any]], right: dict[Path, list[Any]]) -> dict[Path, list[Any]] | None:
    if left.keys() != right.keys():
        return None
    differ = [path for path in left if _text(left[path]) != _text(right[path])]
    if len(differ) > 1:
        return None
    joined = dict(left)
    for path in differ:
        joined[path] = distinct(left[path] + right[path])
    return joined


def _text(array: list[Any]) -> str:
    return json.dumps(array, sort_keys=True)  # NOTE: JSON equality; Python has 1 == True


def _nested(fields: dict[Path, list[Any]]) -> dict[str, Any]:
    pattern: dict[str, Any] = {}
    for path, array in fields.items():
        _place(pattern, path, array)
    return pattern


def _place(pattern: dict[str, Any], path: Path, array: list[Any]) -> None:
    node = pattern
    for part in path[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise NotExpressible(
                f"`{'.'.join(path)}` is filtered on while its parent is compared as a value",
                "filter on the parent or on its fields, not both",
            )
        node = child
    if isinstance(node.get(path[-1]), dict):
        raise NotExpressible(
            f"`{'.'.join(path)}` is compared as a value while its fields are filtered on",
            "filter on the parent or on its fields, not both",
        )
    node[path[-1]] = array
