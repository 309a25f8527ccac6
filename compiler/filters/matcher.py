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

from evtc.filters.conditions import MISSING, Predicate, accepts_absent, flatten, leaf_predicate
from evtc.filters.fastpath import fast_test, true_only_of_its_types
from evtc.filters.structure import Conjunct


@dataclass
class _Node:
    """A trie node: the pattern arrays that end here and the longer paths through here."""

    arrays: list[list[Any]] = field(default_factory=list)
    children: dict[str, _Node] = field(default_factory=dict)
    # NOTE: built once per node; rebuilding it at every level above would take 2**depth.
    descent: Predicate | None = None

    def add(self, path: tuple[str, ...], arrays: list[list[Any]]) -> None:
        node = self
        for segment in path:
            node = node.children.setdefault(segment, _Node())
        node.arrays.extend(arrays)

    def accepts_absent(self) -> bool:
        """True when nothing at or under this path still matches: only `exists: false` here."""
        return all(accepts_absent(a) for a in self.arrays) and all(
            child.accepts_absent() for child in self.children.values()
        )


def compile_conjuncts(conjuncts: list[Conjunct], other: Predicate, read: Predicate | None = None) -> Predicate:
    """One predicate over a whole event for the OR of the alternatives.

    Dicts are decided directly; anything else is handed to `other` (which may parse it).
    `read`, when given, turns each top-level value into the value to match (SNS typed
    attributes); it returns MISSING for a value that does not count.
    """
    if len(conjuncts) == 1:
        return _object_matcher(_trie(conjuncts[0]), other, read)
    matchers = [_object_matcher(_trie(conjunct), None, read) for conjunct in conjuncts]

    def any_alternative(event: Any) -> bool:
        if type(event) is not dict:
            return other(event)
        for matcher in matchers:  # NOTE: a loop, not any(generator): a third faster here
            if matcher(event):
                return True
        return False

    return any_alternative


def _trie(conjunct: Conjunct) -> _Node:
    root = _Node()
    for path, arrays in conjunct.items():
        root.add(path, arrays)
    return root


class _Source:
    """The text of one generated matcher and the constants it refers to by name."""

    def __init__(self, read: Predicate | None) -> None:
        self.lines: list[str] = ["def match(o0):"]
        self.names: dict[str, Any] = {"M": MISSING, "D": dotted_lookup, "R": read}
        self.read = read is not None
        self.counter = 0

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
    source = _Source(read)
    if other is not None:
        source.emit(1, f"if type(o0) is not dict: return {source.name('f', other)}(o0)")
    _emit_object(source, node, "o0", 1)
    return source.function()


def _emit_object(source: _Source, node: _Node, obj: str, depth: int) -> None:
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
        _emit_value(source, child, value, depth)


_MAX_INLINE_DEPTH = 30  # NOTE: Python refuses source indented more than 100 levels


def _emit_value(source: _Source, node: _Node, value: str, depth: int) -> None:
    if depth > _MAX_INLINE_DEPTH:
        source.emit(depth, f"if not {source.name('c', _value_check(node))}({value}): return False")
    elif node.children and not node.arrays:
        source.emit(depth, f"if type({value}) is dict:")
        _emit_object(source, node, value, depth + 1)
        source.emit(depth, f"elif not {source.name('n', _descend(node))}({value}): return False")
    elif len(node.arrays) == 1 and not node.children and fast_test(node.arrays[0]) is not None:
        _emit_fast(source, node.arrays[0], value, depth)
    else:
        source.emit(depth, f"if not {source.name('c', _value_check(node))}({value}): return False")


def _emit_fast(source: _Source, array: list[Any], value: str, depth: int) -> None:
    """The inline test for the usual type, the full predicate for anything else."""
    fast = fast_test(array)
    assert fast is not None
    types, expression, constant = fast
    constant_name = source.name("k", constant) if constant is not None else "None"
    test = expression.format(v=value, c=constant_name)
    guard = "str" if types == frozenset({str}) else source.name("t", types)
    kind = f"type({value}) is str" if guard == "str" else f"type({value}) in {guard}"
    full = source.name("l", leaf_predicate(array))
    source.emit(depth, f"if {kind}:")
    source.emit(depth + 1, f"if not ({test}): return False")
    if true_only_of_its_types(array):
        # An array of such values: any element passing decides; anything else in it (other
        # types, nested arrays, objects) goes to the full predicate, which reads the whole array.
        item = f"x{value}"
        other = f"type({item}) is not str" if guard == "str" else f"type({item}) not in {guard}"
        source.emit(depth, f"elif type({value}) is list:")
        source.emit(depth + 1, f"for {item} in {value}:")
        source.emit(depth + 2, f"if {other}:")
        source.emit(depth + 3, f"if not {full}({value}): return False")
        source.emit(depth + 3, "break")
        source.emit(depth + 2, f"if {expression.format(v=item, c=constant_name)}: break")
        source.emit(depth + 1, "else: return False")
    source.emit(depth, f"elif not {full}({value}): return False")


def _value_check(node: _Node) -> Predicate:
    """The test for the value found at this node's path, as a closure."""
    checks = [leaf_predicate(array) for array in node.arrays]
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
