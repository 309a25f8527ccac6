"""The formatter's layout engine: a parse tree with every token and the comments → text.

`plan_layout` decides which tokens start a line (and at which indentation) and which
blocks stay on one line; `render` walks the tokens and comments in source order and
writes them out by that plan. The rules themselves are listed in `evtc.fmt`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lark import Token, Tree

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


def _first_token(node: Tree[Token] | Token) -> Token:
    while isinstance(node, Tree):
        node = node.children[0]
    return node


def tokens_of(tree: Tree[Token]) -> list[Token]:
    """Every token of the tree in source order (iteratively: filters may nest deeply)."""
    out: list[Token] = []
    stack: list[Tree[Token] | Token] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Token):
            out.append(node)
        else:
            stack.extend(reversed(node.children))  # type: ignore[arg-type]
    return out


def _collect_blocks(tree: Tree[Token], layout: Layout) -> None:
    stack: list[tuple[Tree[Token], _Block | None]] = [(tree, None)]
    while stack:
        node, parent = stack.pop()
        block = parent
        opening = [i for i, c in enumerate(node.children) if isinstance(c, Token) and c == "{"]
        if opening and node.data in ("block", "event", "object_type"):
            i = opening[0]
            items = [_first_token(c) for c in node.children[i + 1 : -1]]
            close = node.children[-1]
            assert isinstance(close, Token)
            block = _Block(node.children[i], close, items, parent)  # type: ignore[arg-type]
            layout.blocks[block.open.start_pos] = block  # type: ignore[index]
        for child in node.children:
            if isinstance(child, Tree):
                stack.append((child, block))


def plan_layout(tree: Tree[Token], comments: list[Token]) -> Layout:
    layout = Layout()
    layout.starts = [(_first_token(child), 0) for child in tree.children]
    _collect_blocks(tree, layout)
    for block in layout.blocks.values():
        if _written_exploded(block, comments):
            _explode(block, layout)
    _fit(tree, comments, layout)
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


def _fit(tree: Tree[Token], comments: list[Token], layout: Layout) -> None:
    """Explode the outermost one-line block of every line longer than WIDTH, until none is."""
    while True:
        _set_indents(layout)
        lines = render_lines(tree, comments, layout)
        changed = False
        for code, opens in lines:
            if len(code) <= WIDTH:
                continue
            inline = [k for k in opens if k not in layout.exploded and layout.blocks[k].items]
            if inline:
                _explode(layout.blocks[inline[0]], layout)
                changed = True
        if not changed:
            return


def _set_indents(layout: Layout) -> None:
    """A block's items sit one level deeper than the line its `{` is on."""
    for block in sorted(layout.blocks.values(), key=lambda b: b.open.start_pos):  # type: ignore[arg-type,return-value]
        parent = block.parent
        if parent is None or parent.open.start_pos not in layout.exploded:
            block.owner_indent = parent.owner_indent if parent else 0
        else:
            block.owner_indent = parent.owner_indent + INDENT


def render(tree: Tree[Token], comments: list[Token], layout: Layout) -> str:
    _set_indents(layout)
    lines = [code for code, _ in render_lines(tree, comments, layout, with_comments=True)]
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    return text + "\n" if text else ""


def render_lines(
    tree: Tree[Token], comments: list[Token], layout: Layout, with_comments: bool = False
) -> list[tuple[str, list[int]]]:
    """(line, the positions of the `{` written on it) for each output line."""
    return _Writer(layout, with_comments).write(tokens_of(tree), comments)


class _Writer:
    def __init__(self, layout: Layout, with_comments: bool) -> None:
        self.marks = layout.line_starts()
        self.with_comments = with_comments
        self.lines: list[tuple[str, list[int]]] = []
        self.current = ""
        self.opens: list[int] = []
        self.indent = 0
        self.prev: Token | None = None
        self.before_prev: Token | None = None
        self.broken = False  # a comment ended the line: the next token starts a new one

    def write(self, tokens: list[Token], comments: list[Token]) -> list[tuple[str, list[int]]]:
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
            if is_token and tok == "," and next_token[i] in ("]", ")"):
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
            self.lines.append((self.current, self.opens))
        self.current, self.opens = "", []

    def _newline(self, gap: int, indent: int) -> None:
        self._flush()
        if gap >= 2 and self.lines and (self.prev is None or self.prev != "{"):
            self.lines.append(("", []))
        self.current = " " * indent

    def _token(self, tok: Token, gap: int) -> None:
        position = tok.start_pos
        if position in self.marks:
            self.indent = self.marks[position]  # type: ignore[index]
            self._newline(0 if tok == "}" else gap, self.indent)
        elif self.broken:
            self._newline(0, self.indent + CONTINUATION)
        elif self.prev is not None:
            self.current += _space(self.before_prev, self.prev, tok)
        if tok == "{":
            self.opens.append(position)  # type: ignore[arg-type]
        self.current += str(tok)
        self.before_prev, self.prev, self.broken = self.prev, tok, False

    def _comment(self, tok: Token, gap: int, following: Token | None) -> None:
        text = str(tok).rstrip()
        if self.prev is not None and gap == 0 and not self.broken:
            if self.with_comments:
                self.current += "  " + text
        else:
            starts_line = following is None or following.start_pos in self.marks
            self._newline(gap if starts_line else 0, self._comment_indent(following))
            if self.with_comments:
                self.current += text
            else:
                self.current = ""
        self.broken = True

    def _comment_indent(self, following: Token | None) -> int:
        if following is None:
            return 0
        indent = self.marks.get(following.start_pos)  # type: ignore[arg-type]
        if indent is None:
            return self.indent + CONTINUATION
        return indent + INDENT if following == "}" else indent


def _space(before: Token | None, prev: Token, tok: Token) -> str:
    # NOTE: comparing a token with punctuation compares its text; a string token's text
    # starts with a quote, so it never equals one.
    if tok in (":", ",", ")", "]", "."):
        return ""
    if prev in ("(", "[", ".", "@"):
        return ""
    if tok == "(" and before is not None and before == "@":
        return ""
    if tok == "}" and prev == "{":
        return ""
    return " "
