"""IR filters back to .evt text, in one canonical spelling.

>>> from evtc.frontend import compile_text
>>> src = 'topology t\\nevent E { a: number b: string }\\nsource s: app { emits: [E] }\\nqueue q {}\\n'
>>> route = compile_text(src + 'route s.E -> q when a>1 and (b=="x" or not exists b)', "t.evt").topology.routes[0]
>>> filter_text(route.when)
'a > 1 and (b == "x" or not exists b)'
"""

from __future__ import annotations

import json

from evtc import ir

_PRECEDENCE = {ir.Or: 1, ir.And: 2, ir.Not: 3}


def literal_text(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(literal_text(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def filter_text(node: ir.Filter, parent: int = 0) -> str:
    own = _PRECEDENCE.get(type(node), 4)
    text = _text(node, own)
    return f"({text})" if own < parent else text


def _text(node: ir.Filter, own: int) -> str:
    if isinstance(node, ir.Or):
        return " or ".join(filter_text(x, own + 1) for x in node.operands)
    if isinstance(node, ir.And):
        return " and ".join(filter_text(x, own + 1) for x in node.operands)
    if isinstance(node, ir.Not):
        return f"not {filter_text(node.operand, own)}"
    if isinstance(node, ir.Exists):
        return f"exists {node.path}"
    return _compare_text(node)


def _compare_text(node: ir.Compare) -> str:
    case = " ignorecase" if node.ignorecase else ""
    if node.op == "cidr":
        return f"{node.path} in cidr {literal_text(node.value)}"
    return f"{node.path} {node.op} {literal_text(node.value)}{case}"
