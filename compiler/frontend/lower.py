"""Lowering: lark parse events → IR dataclasses.

`Lowering` is a lark Transformer handed to the LALR parser itself, so the IR is built
while parsing and no parse tree is ever materialised (this is what keeps the front end
under lark's bare parse time). Spans come from the tokens and child nodes, since lark's
inline transformers get no `meta`.
"""

from __future__ import annotations

import math
import sys
from typing import Any

from lark import Token, Transformer

from evtc import ir
from evtc.diagnostics import Diagnostic
from evtc.frontend import codes
from evtc.frontend.placement import placed
from evtc.frontend.schema import KINDS, at_most_one, check_kind, convert, specs_for
from evtc.span import Span
from evtc.spec import EXTERNAL

_SIZE_UNITS = {"B": 1, "KB": 1000, "KiB": 1024, "MB": 10**6, "MiB": 1024**2, "GB": 10**9, "GiB": 1024**3}
_DURATION_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_DEPTH = 32
_REPORTED = object()  # the value of a property whose value was already reported as wrong
_LARGEST = sys.float_info.max  # what an out-of-range literal reads as, after its REF006 error


def token_span(file: str, tok: Token) -> Span:
    return Span(file, tok.line, tok.column, tok.end_line, tok.end_column)  # type: ignore[arg-type]


class Lowering(Transformer):  # type: ignore[type-arg]
    """Builds IR for one file. `file` and `diagnostics` are reset by `start_file`."""

    def __init__(self) -> None:
        super().__init__(visit_tokens=False)
        self.file = ""
        self.diagnostics: list[Diagnostic] = []

    def start_file(self, file: str) -> None:
        self.file = file
        self.diagnostics = []

    # ---- spans -----------------------------------------------------------------
    def _span(self, first: Any, last: Any) -> Span:
        # NOTE: a token and a span share the position attributes: one Span made, not three
        # (lowering makes one per node of the file)
        a = first if isinstance(first, Token) else first.span
        b = last if isinstance(last, Token) else last.span
        return Span(self.file, a.line, a.column, b.end_line, b.end_column)

    def _start(self, node: Any) -> Span:
        if isinstance(node, Token):
            return token_span(self.file, node)
        return node.span  # type: ignore[no-any-return]

    # ---- top level -----------------------------------------------------------------
    def start(self, children: list[Any]) -> list[Any]:
        return children

    def topology(self, c: list[Any]) -> tuple[str, str, Span]:
        return ("topology", str(c[1]), self._span(c[0], c[1]))

    def use(self, c: list[Any]) -> ir.Use:
        return ir.Use(_unquote(c[1]), self._span(c[0], c[1]), token_span(self.file, c[1]))

    # ---- events ----------------------------------------------------------------------
    def event(self, c: list[Any]) -> ir.Event:
        return ir.Event(str(c[1]), tuple(c[3:-1]), self._span(c[0], c[-1]))

    def based_event(self, c: list[Any]) -> ir.Event:
        """`event Name: Type [{ more fields }]`: the type's fields come in when types are resolved."""
        fields = tuple(x for x in c[3:] if isinstance(x, ir.Field))
        last = next(x for x in reversed(c) if x is not None)
        return ir.Event(str(c[1]), fields, self._span(c[0], last), str(c[2]), token_span(self.file, c[2]))

    def type_decl(self, c: list[Any]) -> ir.TypeDecl:
        return ir.TypeDecl(str(c[1]), tuple(c[3:-1]), self._span(c[0], c[-1]))

    def field(self, c: list[Any]) -> ir.Field:
        name, type_, annotations = c[0], c[1], tuple(c[2:])
        last = annotations[-1] if annotations else type_
        span = self._span(name, last)
        if _type_depth(type_) > MAX_DEPTH:
            message = f"the type of '{name}' is nested more than {MAX_DEPTH} levels deep"
            self.diagnostics.append(codes.TOO_DEEP.at(span, message, "split it into named events or flatter fields"))
            type_ = ir.ScalarType("string", span)
        return ir.Field(str(name), type_, annotations, span)

    def scalar_type(self, c: list[Any]) -> ir.ScalarType:
        return ir.ScalarType(str(c[0]), token_span(self.file, c[0]))

    def list_type(self, c: list[Any]) -> ir.ListType:
        return ir.ListType(c[1], self._span(c[0], c[2]))

    def object_type(self, c: list[Any]) -> ir.ObjectType:
        return ir.ObjectType(tuple(c[1:-1]), self._span(c[0], c[-1]))

    def annotation(self, c: list[Any]) -> ir.Annotation:
        args = tuple(a for a in c[2:] if a is not None)
        return ir.Annotation(str(c[1]), tuple(v for v, _ in args if v is not _REPORTED), self._span(c[0], c[1]))

    # ---- components ------------------------------------------------------------------
    def component(self, c: list[Any]) -> ir.Component | None:
        keyword, name, kind, (props, close) = str(c[0]), c[1], c[2], c[3]
        span = self._span(c[0], close)
        return self._build_component(keyword, str(name), str(kind) if kind else None, props, span, kind)

    def _build_component(
        self, keyword: str, name: str, kind: str | None, props: tuple[ir.Property, ...], span: Span, kind_tok: Any
    ) -> ir.Component | None:
        problem = check_kind(keyword, name, kind, kind_tok and token_span(self.file, kind_tok), span)
        if problem is not None:
            self.diagnostics.append(problem)
            # NOTE: keep what every kind shares (`emits`, …) so the rules do not report the
            # typo's consequences; the kind's own properties cannot be judged without a kind.
            values, _ = convert(props, specs_for(keyword, None), name, span)
            return ir.COMPONENT_TYPES[keyword](name=name, span=span, props=props, **values)
        owner = f"{keyword} '{name}'" + (f" ({kind})" if kind else "")
        values, problems = convert(props, specs_for(keyword, kind), owner, span)
        self.diagnostics.extend(problems + at_most_one(keyword, kind, props, owner))
        if kind == EXTERNAL:
            values["external"] = True
        if keyword in KINDS:
            values["kind"] = kind
        component = ir.COMPONENT_TYPES[keyword](name=name, span=span, props=props, **values)
        if kind == EXTERNAL and component.arn:
            component, conflicts = placed(component)
            self.diagnostics.extend(conflicts)
        return component

    def block(self, c: list[Any]) -> tuple[tuple[ir.Property, ...], Token]:
        return tuple(p for p in c[:-1] if p is not None), c[-1]

    def property(self, c: list[Any]) -> ir.Property | None:
        name, (value, value_span, *items) = c
        if value is _REPORTED or (isinstance(value, tuple) and _REPORTED in value):
            return None  # NOTE: its REF005 is reported; the property is left out, so nothing follows from it
        span = token_span(self.file, name).to(value_span)
        return ir.Property(str(name), value, span, value_span, tuple(items[0]) if items else ())

    # ---- values: (python value, span) pairs ---------------------------------------------------
    def _tok(self, tok: Token, value: Any) -> tuple[Any, Span]:
        return value, token_span(self.file, tok)

    def string(self, c: list[Any]) -> tuple[Any, Span]:
        return self._tok(c[0], _unquote(c[0]))

    def number(self, c: list[Any]) -> tuple[Any, Span]:
        text = str(c[0])
        is_int = "." not in text and "e" not in text.lower()
        if not is_int:
            return self._tok(c[0], self._finite(c[0], float(text), "number"))
        if len(text) > 300:  # NOTE: int() refuses very long digit strings; no AWS value is near
            return self._tok(c[0], int(self._finite(c[0], math.inf, "number")))
        return self._tok(c[0], int(text))

    def duration(self, c: list[Any]) -> tuple[Any, Span]:
        text = str(c[0])
        unit = "ms" if text.endswith("ms") else text[-1]
        seconds = self._finite(c[0], float(text[: -len(unit)]) * _DURATION_UNITS[unit], "duration")
        return self._tok(c[0], ir.Duration(seconds, text))

    def size(self, c: list[Any]) -> tuple[Any, Span]:
        text = str(c[0])
        digits = text.rstrip("BKMGi")
        unit = text[len(digits) :]
        size = self._finite(c[0], float(digits) * _SIZE_UNITS[unit], "size")
        return self._tok(c[0], ir.Size(int(size), text))

    def _finite(self, tok: Token, value: float, what: str) -> float:
        """`value`, or the largest float with a REF006 error when the literal overflows a float."""
        if math.isfinite(value):
            return value
        shown = str(tok) if len(str(tok)) <= 24 else f"{str(tok)[:12]}…{str(tok)[-8:]}"
        self.diagnostics.append(
            codes.OUT_OF_RANGE.at(
                token_span(self.file, tok),
                f"the {what} {shown} is too large for evtc to read (the limit is about 1e300)",
                f"write a smaller {what}: AWS's own limits are far below this",
            )
        )
        return _LARGEST

    def quantity(self, c: list[Any]) -> tuple[Any, Span]:
        from evtc.frontend.units import bad_quantity

        self.diagnostics.append(bad_quantity(str(c[0]), token_span(self.file, c[0])))
        return self._tok(c[0], _REPORTED)

    def true(self, c: list[Any]) -> tuple[Any, Span]:
        return self._tok(c[0], True)

    def false(self, c: list[Any]) -> tuple[Any, Span]:
        return self._tok(c[0], False)

    def null(self, c: list[Any]) -> tuple[Any, Span]:
        return self._tok(c[0], None)

    def name(self, c: list[Any]) -> tuple[Any, Span]:
        return self._tok(c[0], ir.Name(str(c[0])))

    def binding(self, c: list[Any]) -> tuple[Any, Span]:
        return ir.Binding(str(c[0]), _unquote(c[1])), self._span(c[0], c[1])

    def list_value(self, c: list[Any]) -> tuple[Any, ...]:
        elements = [x for x in c[1:-1] if x is not None]
        items = tuple(x[0] for x in elements)
        return items, self._span(c[0], c[-1]), tuple(x[1] for x in elements)

    literal_list = list_value

    # ---- routes ------------------------------------------------------------------------
    def route(self, c: list[Any]) -> ir.Route | None:
        route_kw, (source, event, source_span), target, condition, block = c
        props, close = block if block is not None else ((), None)
        last = close if close is not None else condition if condition is not None else target
        span = self._span(route_kw, last)
        if condition is not None and _depth(condition) > MAX_DEPTH:
            self.diagnostics.append(
                codes.TOO_DEEP.at(
                    condition.span,
                    f"this filter is nested more than {MAX_DEPTH} levels deep",
                    "flatten it: `and`/`or` chains need no parentheses",
                )
            )
            condition = None
        values, problems = convert(props, specs_for("route", None), "a route", span)
        self.diagnostics.extend(problems)
        target_span = token_span(self.file, target)
        return ir.Route(str(source), event, str(target), condition, span, source_span, target_span, props, **values)

    def when(self, c: list[Any]) -> ir.Filter:
        return c[1]  # type: ignore[no-any-return]

    def endpoint(self, c: list[Any]) -> tuple[str, str | None, Span]:
        first, second = c
        return str(first), str(second) if second else None, self._span(first, second or first)

    # ---- filters --------------------------------------------------------------------------
    def disjunction(self, c: list[Any]) -> ir.Or:
        operands = tuple(x for x in c if not isinstance(x, Token))
        return ir.Or(operands, self._span(c[0], c[-1]))

    def conjunction(self, c: list[Any]) -> ir.And:
        operands = tuple(x for x in c if not isinstance(x, Token))
        return ir.And(operands, self._span(c[0], c[-1]))

    def negate(self, c: list[Any]) -> ir.Not:
        return ir.Not(c[1], self._span(c[0], c[1]))

    def group(self, c: list[Any]) -> Any:
        return c[1]

    def exists(self, c: list[Any]) -> ir.Exists:
        return ir.Exists(c[1], self._span(c[0], c[1]))

    def path(self, c: list[Any]) -> ir.Path:
        return ir.Path(tuple(str(t) for t in c), self._span(c[0], c[-1]))

    def _compare(self, path: ir.Path, op: str, value: tuple[Any, Span], case: Any) -> ir.Compare:
        last = token_span(self.file, case) if case is not None else value[1]
        return ir.Compare(path, op, value[0], case is not None, path.span.to(last))

    def compare(self, c: list[Any]) -> ir.Compare:
        return self._compare(c[0], str(c[1]), c[2], c[3])

    def member(self, c: list[Any]) -> ir.Compare:
        return self._compare(c[0], "in", c[2], c[3])

    def not_member(self, c: list[Any]) -> ir.Compare:
        return self._compare(c[0], "not in", c[3], c[4])

    def cidr(self, c: list[Any]) -> ir.Compare:
        return self._compare(c[0], "cidr", (_unquote(c[3]), token_span(self.file, c[3])), None)

    def startswith(self, c: list[Any]) -> ir.Compare:
        return self._compare(c[0], "startswith", (_unquote(c[2]), token_span(self.file, c[2])), c[3])

    def endswith(self, c: list[Any]) -> ir.Compare:
        return self._compare(c[0], "endswith", (_unquote(c[2]), token_span(self.file, c[2])), c[3])

    def wildcard(self, c: list[Any]) -> ir.Compare:
        return self._compare(c[0], "matches", (_unquote(c[2]), token_span(self.file, c[2])), None)


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(tok: Token) -> str:
    """The text of a string literal; an unknown escape such as `\\d` keeps its backslash."""
    text = str(tok)[1:-1]
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _type_depth(node: ir.TypeExpr) -> int:
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(current, ir.ListType):
            stack.append((current.item, depth + 1))
        elif isinstance(current, ir.ObjectType):
            stack.extend((f.type, depth + 1) for f in current.fields)
    return deepest


def _depth(node: ir.Filter) -> int:
    """Nesting depth, computed without recursion so absurd inputs cannot exhaust the stack."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(current, ir.Not):
            stack.append((current.operand, depth + 1))
        elif isinstance(current, (ir.And, ir.Or)):
            stack.extend((child, depth + 1) for child in current.operands)
    return deepest
