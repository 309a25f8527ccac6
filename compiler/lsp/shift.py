"""Moving IR by whole lines: `shifted(node, lines)` is `node` with every span in it moved
down by `lines`, for a declaration that only moved because lines were added or removed
above it; `remapped(node, LineMap(…))` moves each span by what its line's run moved by,
for findings about a file whose declarations moved by different amounts.

Every record class gets one generated function that rebuilds it field by field, knowing
from its annotations which fields are spans, which can hold none (a name, a number, a
tuple of names: kept as they are) and which must be looked at (a value, a nested node):
a line added at the top of a 1,000-component file moves every node of it, so the walk
skips what cannot hold a span.
"""

from __future__ import annotations

import enum
import types
import typing
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import MISSING, fields, is_dataclass
from typing import Any

from evtc import ir
from evtc.span import Span

Shift = Callable[[Any, int], Any]
_PLAIN_TYPES = (str, int, float, bool, type(None))
_PLAIN = {str, int, float, bool, type(None), ir.Duration, ir.Size, ir.Name, ir.Binding}


def shifted(node: Any, lines: int) -> Any:
    """`node` with every span in it moved down by `lines` (IR records, diagnostics, lists)."""
    return node if lines == 0 else _shift(node, lines)


def remapped(node: Any, move: Callable[[Span], Span]) -> Any:
    """`node` with every span in it replaced by `move(span)` (see `LineMap`)."""
    return _shift(node, move)


def _shift(node: Any, lines: int) -> Any:
    shifter = _SHIFTERS.get(type(node), MISSING)
    if shifter is None:
        return node
    if shifter is MISSING:
        shifter = _SHIFTERS[type(node)] = _make_shifter(type(node))
        if shifter is None:
            return node
    return shifter(node, lines)  # type: ignore[operator]


def _sequence(node: tuple[Any, ...] | list[Any], lines: int) -> Any:
    if not node or all(type(x) in _PLAIN for x in node):
        return node
    return type(node)([_shift(x, lines) for x in node])


# NOTE: a moved Span is made by its slots' own setters: a line added at the top of a large
# file moves tens of thousands of spans, and the frozen dataclass's __init__ (a checked
# setattr per field) costs twice as much. Span has no __post_init__ to skip.
_NEW = object.__new__
_SET = tuple(Span.__dict__[name].__set__ for name in ("file", "line", "column", "end_line", "end_column"))


def _span(span: Span, lines: Any) -> Span:
    if type(lines) is not int:
        return lines(span)  # type: ignore[no-any-return]
    moved = _NEW(Span)
    set_file, set_line, set_column, set_end_line, set_end_column = _SET
    set_file(moved, span.file)
    set_line(moved, span.line + lines)
    set_column(moved, span.column)
    set_end_line(moved, span.end_line + lines)
    set_end_column(moved, span.end_column)
    return moved  # type: ignore[no-any-return]


def _spans(node: tuple[Any, ...], lines: Any) -> tuple[Any, ...]:
    """A field annotated `tuple[Span, ...]` (each item's place in a list property)."""
    return tuple([_span(x, lines) if type(x) is Span else _shift(x, lines) for x in node]) if node else node


class LineMap:
    """Where each line of one version of a file went in the next, when whole runs of lines
    moved and nothing else changed: lines from `starts[i]` (0-based) on moved by `moves[i]`."""

    def __init__(self, starts: list[int], moves: list[int]) -> None:
        self.starts, self.moves = starts, moves

    def line(self, line: int) -> int:
        """The new 1-based line of an old one."""
        return line + self.moves[max(bisect_right(self.starts, line - 1) - 1, 0)]

    def __call__(self, span: Span) -> Span:
        return Span(span.file, self.line(span.line), span.column, self.line(span.end_line), span.end_column)


_SHIFTERS: dict[type, Shift | None] = {
    **dict.fromkeys(_PLAIN),
    Span: _span,
    tuple: _sequence,
    list: _sequence,
}


def _make_shifter(kind: type) -> Shift | None:
    """The generated function for a record class (None: not a dataclass, or holds no span)."""
    if not is_dataclass(kind) or isinstance(kind, enum.EnumMeta):
        return None
    try:
        hints = typing.get_type_hints(kind)
    except Exception:  # noqa: BLE001  NOTE: a plugin's class with unresolvable annotations: walk it
        hints = {}
    every = [f for f in fields(kind) if f.init]
    args = []
    scope: dict[str, Any] = {"K": kind, "sp": _span, "sps": _spans, "recs": _records, "shift": _shift}
    for f in every:
        hint = hints.get(f.name, Any)
        how = _how(hint, set())
        value = f"n.{f.name}"
        code = {"plain": value, "span": f"sp({value}, d)", "spans": f"sps({value}, d)"}.get(how, f"shift({value}, d)")
        item = _record_items(hint) if how == "walk" else None
        if item is not None:  # NOTE: a tuple of one record class: each item moved by its own function
            scope[f"R_{f.name}"] = item
            code = f"recs({value}, d, R_{f.name})"
        args.append(f"{f.name}={code}" if f.kw_only else code)
    if all(_how(hints.get(f.name, Any), set()) == "plain" for f in every):
        _PLAIN.add(kind)
        return None
    source = f"def shift_{kind.__name__}(n, d):\n    return K({', '.join(args)})\n"
    exec(compile(source, f"<shift {kind.__qualname__}>", "exec"), scope)  # noqa: S102  NOTE: generated from the fields above
    return scope[f"shift_{kind.__name__}"]  # type: ignore[no-any-return]


def _record_items(hint: Any) -> type | None:
    """C for an annotation `tuple[C, ...]` where C is one record class."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = args[0]
        return item if isinstance(item, type) and is_dataclass(item) else None
    return None


def _records(node: Any, lines: Any, kind: type) -> Any:
    """A field annotated `tuple[kind, ...]`: the items of exactly that class moved without the
    generic walk's look-ups (anything else, a subclass or a list, is walked as usual)."""
    if not node:
        return node
    shifter = _SHIFTERS.get(kind, MISSING)
    if shifter is MISSING:
        shifter = _SHIFTERS[kind] = _make_shifter(kind)
    if shifter is None or type(node) is not tuple:
        return _shift(node, lines)
    return tuple([shifter(x, lines) if type(x) is kind else _shift(x, lines) for x in node])  # type: ignore[operator]


def _how(hint: Any, seen: set[type]) -> str:
    """'span', 'spans' (a tuple of them), 'plain' (can hold no span) or 'walk' for a field's annotation."""
    if hint is Span:
        return "span"
    if typing.get_origin(hint) is tuple and typing.get_args(hint) == (Span, Ellipsis):
        return "spans"
    if hint in _PLAIN or (isinstance(hint, type) and issubclass(hint, (*_PLAIN_TYPES, enum.Enum))):
        return "plain"
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType) or origin is tuple or origin is frozenset:
        parts = [a for a in typing.get_args(hint) if a is not Ellipsis]
        return "plain" if parts and all(_how(a, seen) == "plain" for a in parts) else "walk"
    if isinstance(hint, type) and is_dataclass(hint) and hint not in seen:
        seen.add(hint)
        try:
            inner = typing.get_type_hints(hint)
        except Exception:  # noqa: BLE001
            return "walk"
        return "plain" if all(_how(inner.get(f.name, Any), seen) == "plain" for f in fields(hint)) else "walk"
    return "walk"
