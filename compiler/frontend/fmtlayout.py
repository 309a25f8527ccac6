"""The formatter's layout engine: the file's tokens (as the parser read them) and comments → text.

`plan_layout` decides which tokens start a line (and at which indentation) and which
blocks stay on one line; `render` walks the tokens and comments in source order and
writes them out by that plan. The rules themselves are listed in `evtc.frontend.fmt`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lark import Token

WIDTH = 100
INDENT = 2
CONTINUATION = 4


@dataclass
class _Block:
    """One `{ … }`: its braces, the first token of each item, and the blocks inside it."""

    open: Token
    close: Token
    items: list[Token]
    parent: _Block | None
    owner_indent: int = 0


@dataclass
class Layout:
    """Which tokens start lines and at what indentation; which blocks are exploded."""

    blocks: dict[int, _Block] = field(default_factory=dict)  # by the `{` token's position
    starts: list[tuple[Token, int]] = field(default_factory=list)  # declarations: (first token, 0)
    exploded: set[int] = field(default_factory=set)

    def line_starts(self) -> dict[int, int]:
        """Token position → indentation, for every token that begins a line."""
        marks = {tok.start_pos: indent for tok, indent in self.starts}
        for key, block in self.blocks.items():
            if key in self.exploded:
                for item in block.items:
                    marks[item.start_pos] = block.owner_indent + INDENT
                marks[block.close.start_pos] = block.owner_indent
        return marks  # type: ignore[return-value]


DECLARATION_STARTS = frozenset({"TOPOLOGY", "USE", "TYPE", "EVENT", "COMPONENT_KEYWORD", "ROUTE"})


def _collect(tokens: list[Token], layout: Layout) -> None:
    """Blocks, their items and the declarations, from the tokens alone.

    Every `{ … }` of the grammar is a block (component, route, event, object type); inside
    one, a name followed by `:` (not within `[…]` or `(…)`) begins an item; at the top
    level, a keyword token begins a declaration (the parser's contextual lexer gives a field
    named `route` the type NAME, so only real keywords count).
    """
    stack: list[_Block | str] = []
    values = [t.value for t in tokens]  # NOTE: plain strings: lark's Token.__eq__ is slow
    for i, tok in enumerate(tokens):
        value = values[i]
        if not stack and tok.type in DECLARATION_STARTS:
            layout.starts.append((tok, 0))
        if value == "{":
            parent = next((b for b in reversed(stack) if isinstance(b, _Block)), None)
            block = _Block(tok, tok, [], parent)
            layout.blocks[tok.start_pos] = block  # type: ignore[index]
            stack.append(block)
        elif value == "}":
            block = stack.pop()  # type: ignore[assignment]
            block.close = tok
        elif value in ("[", "("):
            stack.append(value)
        elif value in ("]", ")"):
            stack.pop()
        elif tok.type == "NAME" and stack and isinstance(stack[-1], _Block):
            if i + 1 < len(tokens) and values[i + 1] == ":":
                stack[-1].items.append(tok)


def plan_layout(tokens: list[Token], comments: list[Token]) -> Layout:
    layout = Layout()
    _collect(tokens, layout)
    for block in layout.blocks.values():
        if _written_exploded(block, comments):
            _explode(block, layout)
    return layout


def _written_exploded(block: _Block, comments: list[Token]) -> bool:
    opened, closed = block.open.start_pos, block.close.start_pos
    if any(opened < c.start_pos < closed for c in comments):  # type: ignore[operator]
        return True
    return bool(block.items) and block.items[0].line != block.open.line


def _explode(block: _Block, layout: Layout) -> None:
    current: _Block | None = block
    while current is not None and current.open.start_pos not in layout.exploded:
        layout.exploded.add(current.open.start_pos)  # type: ignore[arg-type]
        current = current.parent


def render(tokens: list[Token], comments: list[Token], layout: Layout) -> str:
    """The formatted text; the outermost one-line block of any line wider than WIDTH is
    exploded, and the text written again, until no line is."""
    while True:
        _set_indents(layout)
        lines = _Writer(layout).write(tokens, comments)
        changed = False
        for _, width, opens in lines:
            inline = [k for k in opens if k not in layout.exploded and layout.blocks[k].items]
            if width > WIDTH and inline:
                _explode(layout.blocks[inline[0]], layout)
                changed = True
        if not changed:
            text = "\n".join(line.rstrip() for line, _, _ in lines).strip("\n")
            return text + "\n" if text else ""


def _set_indents(layout: Layout) -> None:
    """A block's items sit one level deeper than the line its `{` is on."""
    for block in sorted(layout.blocks.values(), key=lambda b: b.open.start_pos):  # type: ignore[arg-type,return-value]
        parent = block.parent
        if parent is None or parent.open.start_pos not in layout.exploded:
            block.owner_indent = parent.owner_indent if parent else 0
        else:
            block.owner_indent = parent.owner_indent + INDENT


class _Writer:
    """Writes tokens and comments out line by line: (text, width of its code, the `{` on it)."""

    def __init__(self, layout: Layout) -> None:
        self.marks = layout.line_starts()
        self.lines: list[tuple[str, int, list[int]]] = []
        self.current = ""
        self.width = 0  # of the current line's code, without a trailing comment
        self.opens: list[int] = []
        self.indent = 0
        self.prev: Token | None = None
        self.before_prev: Token | None = None
        self.broken = False  # a comment ended the line: the next token starts a new one

    def write(self, tokens: list[Token], comments: list[Token]) -> list[tuple[str, int, list[int]]]:
        events: list[tuple[int, int, Token]] = [(t.start_pos, 1, t) for t in tokens]  # type: ignore[misc]
        events += [(c.start_pos, 0, c) for c in comments]  # type: ignore[misc]
        events.sort(key=lambda e: (e[0], e[1]))
        next_token: list[Token | None] = [None] * len(events)
        upcoming: Token | None = None
        for i in range(len(events) - 1, -1, -1):
            next_token[i] = upcoming
            if events[i][1] == 1:
                upcoming = events[i][2]
        last_end = 0
        for i, (_, is_token, tok) in enumerate(events):
            gap = tok.line - last_end if last_end else 0  # type: ignore[operator]
            if is_token and tok.value == "," and next_token[i] is not None and next_token[i].value in ("]", ")"):
                continue  # a trailing comma is dropped
            if is_token:
                self._token(tok, gap)
            else:
                self._comment(tok, gap, next_token[i])
            last_end = tok.end_line  # type: ignore[assignment]
        self._flush()
        return self.lines

    def _flush(self) -> None:
        if self.current or self.lines:
            self.lines.append((self.current, self.width, self.opens))
        self.current, self.width, self.opens = "", 0, []

    def _newline(self, gap: int, indent: int) -> None:
        self._flush()
        if gap >= 2 and self.lines and (self.prev is None or self.prev.value != "{"):
            self.lines.append(("", 0, []))
        self.current = " " * indent

    def _token(self, tok: Token, gap: int) -> None:
        position = tok.start_pos
        if position in self.marks:
            self.indent = self.marks[position]  # type: ignore[index]
            self._newline(0 if tok.value == "}" else gap, self.indent)
        elif self.broken:
            self._newline(0, self.indent + CONTINUATION)
        elif self.prev is not None:
            self.current += _space(self.before_prev, self.prev, tok)
        if tok.value == "{":
            self.opens.append(position)  # type: ignore[arg-type]
        self.current += str(tok)
        self.width = len(self.current)
        self.before_prev, self.prev, self.broken = self.prev, tok, False

    def _comment(self, tok: Token, gap: int, following: Token | None) -> None:
        text = str(tok).rstrip()
        if self.prev is not None and gap == 0 and not self.broken:
            self.current += "  " + text
        else:
            starts_line = following is None or following.start_pos in self.marks
            self._newline(gap if starts_line else 0, self._comment_indent(following))
            self.current += text
        self.broken = True

    def _comment_indent(self, following: Token | None) -> int:
        if following is None:
            return 0
        indent = self.marks.get(following.start_pos)  # type: ignore[arg-type]
        if indent is None:
            return self.indent + CONTINUATION
        return indent + INDENT if following.value == "}" else indent


def _space(before: Token | None, prev: Token, tok: Token) -> str:
    # NOTE: a string token's text starts with a quote, so it never equals punctuation.
    after, this = prev.value, tok.value
    if this in (":", ",", ")", "]", "."):
        return ""
    if after in ("(", "[", ".", "@"):
        return ""
    if this == "(" and before is not None and before.value == "@":
        return ""
    if this == "}" and after == "{":
        return ""
    return " "
