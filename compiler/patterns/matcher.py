"""Compile a pattern once into Python code that decides an event in one pass.

Each `$or`-free alternative becomes a trie of path segments. Fields that share a path
prefix share a trie node, so when that prefix crosses an array in the event, one element
has to satisfy all of them together: AWS's "array consistency" (`{"a": {"x": [1], "y": [2]}}`
does not match `{"a": [{"x": 1}, {"y": 2}]}`).

The trie is turned into the source of one function with every object level inlined, so a
decision costs a few dict lookups and set tests instead of a chain of closure calls.
Arrays, absent fields and unusual operators fall back to the closures of `conditions`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evtc.patterns.conditions import MISSING, Predicate, accepts_absent, flatten, leaf_predicate
from evtc.patterns.fastpath import fast_test, true_only_of_its_types
from evtc.patterns.flat import PLAIN, conjunct_matcher, probe, sorted_before
from evtc.patterns.limits import SNS, Dialect
from evtc.patterns.structure import Conjunct


@dataclass
class _Node:
    """A trie node: the pattern arrays that end here and the longer paths through here."""

    spec: Dialect = SNS
    arrays: list[list[Any]] = field(default_factory=list)
    children: dict[str, _Node] = field(default_factory=dict)
    # NOTE: built once per node; rebuilding it at every level above would take 2**depth.
    descent: Predicate | None = None

    def add(self, path: tuple[str, ...], arrays: list[list[Any]]) -> None:
        node = self
        for segment in path:
            node = node.children.setdefault(segment, _Node(self.spec))
        node.arrays.extend(arrays)

    def paths(self, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], list[Any]]]:
        """Every (path under this node, pattern array), for the library's own decision."""
        found = [(prefix, array) for array in self.arrays]
        for segment, child in self.children.items():
            found += child.paths((*prefix, segment))
        return found

    def accepts_absent(self) -> bool:
        """True when nothing at or under this path still matches: only `exists: false` here."""
        return all(accepts_absent(a) for a in self.arrays) and all(
            child.accepts_absent() for child in self.children.values()
        )


def compile_conjuncts(
    conjuncts: list[Conjunct], other: Predicate, read: Predicate | None = None, spec: Dialect = SNS
) -> Predicate:
    """One predicate over a whole event for the OR of the alternatives.

    Dicts are decided directly; anything else is handed to `other` (which may parse it).
    `read`, when given, turns each top-level value into the value to match (SNS typed
    attributes); it returns MISSING for a value that does not count.
    """
    if spec.ruler:
        conjuncts = [split for conjunct in conjuncts for split in _split_absence(conjunct)]
        matchers = [_ruler_conjunct(conjunct, spec, other if len(conjuncts) == 1 else None) for conjunct in conjuncts]
    elif len(conjuncts) == 1:
        return _object_matcher(_trie(conjuncts[0]), other, read)
    else:
        matchers = [_object_matcher(_trie(conjunct), None, read) for conjunct in conjuncts]
    if len(matchers) == 1:
        (single,) = matchers
        if getattr(single, "checks_type", False):
            return single

        def one(event: Any) -> bool:
            return single(event) if type(event) is dict else other(event)

        return one

    def any_alternative(event: Any) -> bool:
        if type(event) is not dict:
            return other(event)
        for matcher in matchers:  # NOTE: a loop, not any(generator): a third faster here
            if matcher(event):
                return True
        return False

    return any_alternative


def _trie(conjunct: Conjunct, spec: Dialect = SNS) -> _Node:
    root = _Node(spec)
    for path, arrays in conjunct.items():
        root.add(path, arrays)
    return root


def _ruler_conjunct(conjunct: Conjunct, spec: Dialect, other: Predicate | None = None) -> Predicate:
    """One alternative as the library decides it: `exists: false` alone on a path means the
    path is absent from the whole event (every element of every array), so it is checked
    apart from the rest; the rest is the trie, array-consistent."""
    absent = [path for path, arrays in conjunct.items() if all(_only_absence(a) for a in arrays)]
    rest = {path: arrays for path, arrays in conjunct.items() if path not in absent}
    if any(accepts_absent(array) for arrays in rest.values() for array in arrays):
        # NOTE: `exists: false` beside other values is rare: the library's model decides it
        return conjunct_matcher([(p, a) for p, arrays in conjunct.items() for a in arrays], spec)
    if not absent:
        return _object_matcher(_trie(rest, spec), other)
    present = _object_matcher(_trie(rest, spec))
    # NOTE: an absent path found in the event is still absent from the chosen array element
    # when a path sorted before it picked one: the library's model decides those
    narrowed = [
        (probe(path, walk=not before), before) for path in absent for before in [sorted_before(path, list(rest))]
    ]
    exact = conjunct_matcher([(p, a) for p, arrays in conjunct.items() for a in arrays], spec)

    check_present = bool(rest)

    def decide(event: dict[str, Any]) -> bool:
        if check_present and not present(event):
            return False
        for where, narrow in narrowed:
            found = where(event)
            if found == PLAIN or (found and not narrow):
                return False
            if found:
                return exact(event)
        return True

    return decide


def _split_absence(conjunct: Conjunct) -> list[Conjunct]:
    """`P: [{"exists": false}, X]` is "P absent, or P matches X": two alternatives, each of
    which the fast path decides (the library's search takes the same two ways at P)."""
    result = [conjunct]
    for path, arrays in conjunct.items():
        if len(arrays) != 1 or not accepts_absent(arrays[0]) or _only_absence(arrays[0]):
            continue
        values = [item for item in arrays[0] if not (isinstance(item, dict) and item.get("exists") is False)]
        result = [variant for c in result for variant in ({**c, path: [values]}, {**c, path: [[{"exists": False}]]})]
    return result


def _only_absence(array: list[Any]) -> bool:
    return all(isinstance(item, dict) and item.get("exists") is False for item in array)


class _Source:
    """The text of one generated matcher and the constants it refers to by name."""

    def __init__(self, read: Predicate | None, node: _Node) -> None:
        self.lines: list[str] = ["def match(o0):"]
        self.names: dict[str, Any] = {"M": MISSING, "D": dotted_lookup, "R": read}
        self.read = read is not None
        self.counter = 0
        self.spec = node.spec
        if node.spec.ruler:
            self.names["F"] = conjunct_matcher(node.paths(), node.spec)

    def failed(self, levels: list[str], node: _Node, path: tuple[str, ...]) -> str:
        """What a failed test returns: with the library's reading, a dotted key in an
        object on the way down may still supply the field (`{"a.b": ...}` for `a` then
        `b`). NOTE: only the keys that spell a piece of a failed path can, so the test
        is a few dict lookups, decided when the source is generated."""
        if not self.spec.ruler:
            return "False"
        full = [path + rest for rest, _ in node.paths()] or [path]
        tests = []
        for depth, level in enumerate(["o0", *levels]):
            keys = sorted({".".join(q[depth:end]) for q in full for end in range(depth + 2, len(q) + 1)})
            tests += [f"{key!r} in {level}" for key in keys]
        return f"({' or '.join(tests)}) and F(o0)" if tests else "False"

    def name(self, prefix: str, value: Any = None) -> str:
        self.counter += 1
        label = f"{prefix}{self.counter}"
        if value is not None:
            self.names[label] = value
        return label

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def function(self) -> Predicate:
        self.emit(1, "return True")
        namespace = dict(self.names)
        exec("\n".join(self.lines), namespace)  # noqa: S102 - our own generated source
        matcher: Predicate = namespace["match"]
        return matcher


def _object_matcher(node: _Node, other: Predicate | None = None, read: Predicate | None = None) -> Predicate:
    source = _Source(read, node)
    if other is not None:
        source.emit(1, f"if type(o0) is not dict: return {source.name('f', other)}(o0)")
    _emit_object(source, node, "o0", 1, [])
    matcher = source.function()
    if other is not None:
        matcher.checks_type = True  # type: ignore[attr-defined]
    return matcher


def _emit_object(
    source: _Source, node: _Node, obj: str, depth: int, levels: list[str], path: tuple[str, ...] = ()
) -> None:
    for segment, child in node.children.items():
        value = source.name("v")
        source.emit(depth, f"{value} = {obj}.get({segment!r}, M)")
        if source.read and depth == 1:
            # NOTE: SNS String attributes inlined; every other type goes through `read`.
            text = f"w{value}"
            string = f"{value}.get('Type') == 'String' and type({text} := {value}.get('Value')) is str"
            source.emit(depth, f"if type({value}) is dict and {string}: {value} = {text}")
            source.emit(depth, f"elif {value} is not M: {value} = R({value})")
        else:
            source.emit(depth, f"if {value} is M: {value} = D({obj}, {segment!r})")
        _emit_value(source, child, value, depth, levels, (*path, segment))


_MAX_INLINE_DEPTH = 30  # NOTE: Python refuses source indented more than 100 levels


def _emit_value(source: _Source, node: _Node, value: str, depth: int, levels: list[str], path: tuple[str, ...]) -> None:
    fail = source.failed(levels, node, path)
    if depth > _MAX_INLINE_DEPTH:
        source.emit(depth, f"if not {source.name('c', _value_check(node))}({value}): return {fail}")
    elif node.children and not node.arrays:
        source.emit(depth, f"if type({value}) is dict:")
        _emit_object(source, node, value, depth + 1, [*levels, value], path)
        source.emit(depth, f"elif not {source.name('n', _descend(node))}({value}): return {fail}")
    elif len(node.arrays) == 1 and not node.children and fast_test(node.arrays[0], node.spec) is not None:
        _emit_fast(source, node, value, depth, fail)
    else:
        source.emit(depth, f"if not {source.name('c', _value_check(node))}({value}): return {fail}")


def _emit_fast(source: _Source, node: _Node, value: str, depth: int, fail: str) -> None:
    """The inline test for the usual type, the full predicate for anything else."""
    array = node.arrays[0]
    fast = fast_test(array, node.spec)
    assert fast is not None
    types, expression, constant = fast
    constant_name = source.name("k", constant) if constant is not None else "None"
    test = expression.format(v=value, c=constant_name)
    guard = "str" if types == frozenset({str}) else source.name("t", types)
    kind = f"type({value}) is str" if guard == "str" else f"type({value}) in {guard}"
    full = source.name("l", leaf_predicate(array, node.spec))
    source.emit(depth, f"if {kind}:")
    source.emit(depth + 1, f"if not ({test}): return {fail}")
    if true_only_of_its_types(array):
        # An array of such values: any element passing decides; anything else in it (other
        # types, nested arrays, objects) goes to the full predicate, which reads the whole array.
        item = f"x{value}"
        other = f"type({item}) is not str" if guard == "str" else f"type({item}) not in {guard}"
        source.emit(depth, f"elif type({value}) is list:")
        source.emit(depth + 1, f"for {item} in {value}:")
        source.emit(depth + 2, f"if {other}:")
        source.emit(depth + 3, f"if not {full}({value}): return {fail}")
        source.emit(depth + 3, "break")
        source.emit(depth + 2, f"if {expression.format(v=item, c=constant_name)}: break")
        source.emit(depth + 1, f"else: return {fail}")
    source.emit(depth, f"elif not {full}({value}): return {fail}")


def _value_check(node: _Node) -> Predicate:
    """The test for the value found at this node's path, as a closure."""
    checks = [leaf_predicate(array, node.spec) for array in node.arrays]
    if node.children:
        checks.append(_descend(node))
    if len(checks) == 1:
        return checks[0]
    return lambda value: all(check(value) for check in checks)


def _descend(node: _Node) -> Predicate:
    """Match the deeper paths: in an object, or in any one object element of an array."""
    if node.descent is None:
        node.descent = _build_descent(node)
    return node.descent


def _build_descent(node: _Node) -> Predicate:
    match_object = _object_matcher(node)
    absent = node.accepts_absent()

    def descend(value: Any) -> bool:
        kind = type(value)
        if kind is dict:
            return match_object(value)
        if kind is not list:
            return absent
        seen = False  # NOTE: one pass over the usual flat array, no copy
        for item in value:
            if type(item) is dict:
                if match_object(item):
                    return True
                seen = True
            elif type(item) is list:  # nested arrays: flattened first
                objects = _objects(value)
                return any(map(match_object, objects)) if objects else absent
        return False if seen else absent

    return descend


def _objects(values: list[Any]) -> list[dict[str, Any]]:
    return [value for value in flatten(values) if type(value) is dict]


def dotted_lookup(event: dict[str, Any], segment: str) -> Any:
    """The value a dotted event key (`"a.b": 1`) puts under `segment` (`a`), or MISSING.

    AWS flattens events to dotted paths, so `{"a.b": 1}` and `{"a": {"b": 1}}` are the
    same field. NOTE: only consulted when `segment` itself is absent, to keep hits fast.
    """
    if "." not in "".join(event):  # NOTE: one C-level pass; most events have no dotted key
        return MISSING
    prefix = segment + "."
    found = {key[len(prefix) :]: value for key, value in event.items() if key.startswith(prefix)}
    return found if found else MISSING
