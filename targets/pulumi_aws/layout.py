"""Line breaking as `ruff format` (Black's style, 88 columns) does it, for the few shapes
the generated program has: calls, dict and list displays, and unsplittable atoms.

A node that fits on its line stays flat. Otherwise it splits at its own brackets: a display
of several items, or a node with a magic trailing comma, puts one item per line and ends
each with a comma; a call (or one-item display) first tries its items on one line of
their own, then one per line.
"""

from __future__ import annotations

import json

LINE = 88
INDENT = 4


# NOTE: plain classes with slots, not dataclasses: a 10k-component program builds millions
# of these, and each works out its flat text once (`lines` asks every node if it fits).
class Flat:
    __slots__ = ("text",)
    exploded = False

    def __init__(self, text: str) -> None:
        self.text = text


class Group:
    """Items between brackets. `display` for dict/list literals; `magic` keeps it exploded
    (`exploded`: a magic trailing comma anywhere inside forbids the flat form)."""

    __slots__ = ("close", "display", "exploded", "items", "magic", "open", "text")

    def __init__(
        self, open: str, close: str, items: tuple[Node, ...], display: bool = False, magic: bool = False
    ) -> None:
        self.open, self.close, self.items, self.display, self.magic = open, close, items, display, magic
        self.text = open + ", ".join([i.text for i in items]) + close
        self.exploded = magic or any(i.exploded for i in items)


class Prefixed:
    """Text glued before a group (`aws.sqs.Queue` before its arguments, `key=` before a value)."""

    __slots__ = ("exploded", "node", "prefix", "text")

    def __init__(self, prefix: str, node: Node) -> None:
        self.prefix, self.node = prefix, node
        self.text, self.exploded = prefix + node.text, node.exploded


class Ternary:
    """`a if condition else b`: split before `if` and `else`, at the line's own indent."""

    __slots__ = ("condition", "otherwise", "text", "then")
    exploded = False

    def __init__(self, then: str, condition: str, otherwise: str) -> None:
        self.then, self.condition, self.otherwise = then, condition, otherwise
        self.text = f"{then} if {condition} else {otherwise}"


Node = Flat | Group | Prefixed | Ternary


def call(callee: str, *items: Node, magic: bool = False) -> Prefixed:
    return Prefixed(callee, Group("(", ")", tuple(items), magic=magic))


def flat(node: Node) -> str:
    return node.text


def lines(node: Node, head: str = "", tail: str = "", indent: int = 0) -> list[str]:
    if not node.exploded and len(head) + len(node.text) + len(tail) <= LINE:
        return [head + node.text + tail]
    if isinstance(node, Prefixed):
        return lines(node.node, head + node.prefix, tail, indent)
    if isinstance(node, Ternary):
        pad = " " * indent
        return [head + node.then, f"{pad}if {node.condition}", f"{pad}else {node.otherwise}{tail}"]
    if isinstance(node, Flat) or not node.items:
        return [head + node.text + tail]
    inner, pad = indent + INDENT, " " * (indent + INDENT)
    if node.magic or (node.display and len(node.items) > 1):
        body = _each(node, pad, inner)
    elif len(node.items) == 1:
        body = lines(node.items[0], pad, "", inner)
    else:
        joined = pad + ", ".join(i.text for i in node.items)
        body = [joined] if len(joined) <= LINE and not node.exploded else _each(node, pad, inner)
    return [head + node.open, *body, " " * indent + node.close + tail]


def _each(node: Group, pad: str, inner: int) -> list[str]:
    return [line for item in node.items for line in lines(item, pad, ",", inner)]


def string(value: str) -> str:
    """A string literal with the quotes ruff prefers: double, unless single quotes need
    fewer escapes."""
    text = json.dumps(value, ensure_ascii=False)
    if value.count('"') <= value.count("'"):
        return text
    inner = text[1:-1].replace('\\"', '"').replace("'", "\\'")
    return f"'{inner}'"
