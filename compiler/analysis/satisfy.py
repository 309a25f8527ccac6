"""Can a `when` filter match anything at all? A small, sound-for-"never" decision.

The filter is brought to disjunctive normal form (bounded: past `MAX_TERMS` conjunctions
it is assumed satisfiable), and each conjunction is checked per field: equalities and
`in` lists give candidate values, numeric bounds an interval, `startswith`/`endswith`
must be compatible, `exists` must not be contradicted. Anything not understood counts as
satisfiable, so a "never matches" answer is always right.

>>> from evtc.frontend import compile_text
>>> src = 'topology t\\nevent E { a: number }\\nsource s: app { emits: [E] }\\nqueue q {}\\nroute s.E -> q when '
>>> can_match(compile_text(src + 'a > 5 and a < 3', "t.evt").topology.routes[0].when)
False
>>> can_match(compile_text(src + 'a > 5 or a < 3', "t.evt").topology.routes[0].when)
True
"""

from __future__ import annotations

from itertools import product

from evtc import ir

MAX_TERMS = 64
Literal = tuple[bool, ir.Compare | ir.Exists]  # (negated, leaf)
_NEGATE = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<", "in": "not in", "not in": "in"}


def can_match(node: ir.Filter) -> bool:
    terms = _dnf(node, False)
    return terms is None or any(_satisfiable(term) for term in terms)


def _dnf(node: ir.Filter, negated: bool) -> list[list[Literal]] | None:
    """The filter as a list of conjunctions, or None when that would be too large."""
    if isinstance(node, ir.Not):
        return _dnf(node.operand, not negated)
    if isinstance(node, (ir.And, ir.Or)):
        parts = [_dnf(op, negated) for op in node.operands]
        if any(p is None for p in parts):
            return None
        conjunctive = isinstance(node, ir.And) != negated
        return _combine(parts, conjunctive)  # type: ignore[arg-type]
    return [[(negated, node)]]


def _combine(parts: list[list[list[Literal]]], conjunctive: bool) -> list[list[Literal]] | None:
    if not conjunctive:
        terms = [term for part in parts for term in part]
        return terms if len(terms) <= MAX_TERMS else None
    size = 1
    for part in parts:
        size *= len(part)
        if size > MAX_TERMS:
            return None
    return [[lit for term in combo for lit in term] for combo in product(*parts)]


def _satisfiable(term: list[Literal]) -> bool:
    by_path: dict[tuple[str, ...], list[Literal]] = {}
    for lit in term:
        by_path.setdefault(lit[1].path.parts, []).append(lit)
    return all(_field_ok(lits) for lits in by_path.values())


def _field_ok(lits: list[Literal]) -> bool:
    present = [not neg for neg, leaf in lits if isinstance(leaf, ir.Exists)]
    compares = [_normal(neg, leaf) for neg, leaf in lits if isinstance(leaf, ir.Compare)]
    known = [c for c in compares if c is not None]
    if (True in present and False in present) or (
        False in present and any(op not in ("!=", "not in") for op, _ in known)
    ):
        return False
    candidates = _candidates(known)
    if candidates is not None:
        return any(all(_holds(op, value, c) for op, value in known) for c in candidates)
    return _bounds_ok(known) and _affixes_ok(known)


def _normal(negated: bool, leaf: ir.Compare) -> tuple[str, object] | None:
    """(op, value) with the negation folded in; None when evtc cannot reason about it."""
    if leaf.ignorecase:
        return None
    if not negated:
        return (leaf.op, leaf.value)
    op = _NEGATE.get(leaf.op)
    return (op, leaf.value) if op else None


def _candidates(known: list[tuple[str, object]]) -> set[object] | None:
    found: set[object] | None = None
    for op, value in known:
        values = {value} if op == "==" else set(value) if op == "in" and isinstance(value, tuple) else None
        if values is not None:
            found = values if found is None else found & values
    return found


def _holds(op: str, value: object, candidate: object) -> bool:
    try:
        if op == "==":
            return candidate == value
        if op == "!=":
            return candidate != value
        if op == "in":
            return candidate in value  # type: ignore[operator]
        if op == "not in":
            return candidate not in value  # type: ignore[operator]
        if op in ("<", "<=", ">", ">="):
            return _compare(op, candidate, value)
        if op == "startswith":
            return isinstance(candidate, str) and candidate.startswith(str(value))
        if op == "endswith":
            return isinstance(candidate, str) and candidate.endswith(str(value))
    except TypeError:
        return False
    return True  # matches, cidr: not decided here


def _compare(op: str, a: object, b: object) -> bool:
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or isinstance(a, bool):
        return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _bounds_ok(known: list[tuple[str, object]]) -> bool:
    low, high = float("-inf"), float("inf")
    low_open = high_open = False
    for op, value in known:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        if op in (">", ">=") and (value > low or (value == low and op == ">")):
            low, low_open = float(value), op == ">"
        elif op in ("<", "<=") and (value < high or (value == high and op == "<")):
            high, high_open = float(value), op == "<"
    return low < high or (low == high and not (low_open or high_open))


def _affixes_ok(known: list[tuple[str, object]]) -> bool:
    for op, compatible in (("startswith", _prefix_pair), ("endswith", _suffix_pair)):
        values = [str(v) for o, v in known if o == op]
        if any(not compatible(a, b) for a in values for b in values):
            return False
    return True


def _prefix_pair(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _suffix_pair(a: str, b: str) -> bool:
    return a.endswith(b) or b.endswith(a)
