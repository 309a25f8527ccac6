"""Line breaking as `ruff format` (Black's style, 88 columns) does it, for the few shapes
the generated program has: calls, dict and list displays, and unsplittable atoms.

A node that fits on its line stays flat. Otherwise it splits at its own brackets: a display
of several items, or a node with a magic trailing comma, puts one item per line and ends
each with a comma; a call (or one-item display) first tries its items on one line of
their own, then one per line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

LINE = 88
INDENT = 4


@dataclass(frozen=True)
class Flat:
    text: str


@dataclass(frozen=True)
class Group:
    """Items between brackets. `display` for dict/list literals; `magic` keeps it exploded."""

    open: str
    close: str
    items: tuple[Node, ...]
    display: bool = False
    magic: bool = False


@dataclass(frozen=True)
class Prefixed:
    """Text glued before a group (`aws.sqs.Queue` before its arguments, `key=` before a value)."""

    prefix: str
    node: Node


@dataclass(frozen=True)
class Ternary:
    """`a if condition else b`: split before `if` and `else`, at the line's own indent."""

    then: str
    condition: str
    otherwise: str


Node = Flat | Group | Prefixed | Ternary


def call(callee: str, *items: Node, magic: bool = False) -> Prefixed:
    return Prefixed(callee, Group("(", ")", tuple(items), magic=magic))


def flat(node: Node) -> str:
    if isinstance(node, Flat):
        return node.text
    if isinstance(node, Prefixed):
        return node.prefix + flat(node.node)
    if isinstance(node, Ternary):
        return f"{node.then} if {node.condition} else {node.otherwise}"
    return node.open + ", ".join(flat(i) for i in node.items) + node.close


def lines(node: Node, head: str = "", tail: str = "", indent: int = 0) -> list[str]:
    text = head + flat(node) + tail
    if not _magic(node) and len(text) <= LINE:
        return [text]
    if isinstance(node, Prefixed):
        return lines(node.node, head + node.prefix, tail, indent)
    if isinstance(node, Ternary):
        pad = " " * indent
        return [head + node.then, f"{pad}if {node.condition}", f"{pad}else {node.otherwise}{tail}"]
    if isinstance(node, Flat) or not node.items:
        return [text]
    inner, pad = indent + INDENT, " " * (indent + INDENT)
    if node.magic or (node.display and len(node.items) > 1):
        body = _each(node, pad, inner)
    elif len(node.items) == 1:
        body = lines(node.items[0], pad, "", inner)
    else:
        joined = pad + ", ".join(flat(i) for i in node.items)
        body = [joined] if len(joined) <= LINE and not any(map(_magic, node.items)) else _each(node, pad, inner)
    return [head + node.open, *body, " " * indent + node.close + tail]


def _each(node: Group, pad: str, inner: int) -> list[str]:
    return [line for item in node.items for line in lines(item, pad, ",", inner)]


def _magic(node: Node) -> bool:
    if isinstance(node, Prefixed):
        return _magic(node.node)
    if isinstance(node, Group):
        return node.magic or any(map(_magic, node.items))
    return False


def string(value: str) -> str:
    """A string literal with the quotes ruff prefers: double, unless single quotes need
    fewer escapes."""
    text = json.dumps(value, ensure_ascii=False)
    if value.count('"') <= value.count("'"):
        return text
    inner = text[1:-1].replace('\\"', '"').replace("'", "\\'")
    return f"'{inner}'"
