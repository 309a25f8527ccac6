"""Between evtc's spans (1-based lines and columns counted in characters) and LSP's ranges
(0-based, columns in UTF-16 code units, as LSP clients count by default)."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from lsprotocol import types

from evtc.span import Span


class Lines:
    """The lines of one text, for converting positions both ways."""

    def __init__(self, text: str) -> None:
        self.text = text
        # NOTE: from the lines' lengths, in C: a find() loop costs milliseconds on a large file
        self.starts = [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]

    def line(self, index: int) -> str:
        """Line `index` (0-based) without its newline; '' past the end."""
        if not 0 <= index < len(self.starts):
            return ""
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[index] : end].rstrip("\r")

    def offset(self, line: int, column: int) -> int:
        """The text offset of a 1-based line and column (clamped into the text)."""
        index = min(max(line - 1, 0), len(self.starts) - 1)
        return min(self.starts[index] + max(column - 1, 0), len(self.text))

    def span_offsets(self, span: Span) -> tuple[int, int]:
        return self.offset(span.line, span.column), self.offset(span.end_line, span.end_column)

    def point(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a text offset."""
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def span(self, file: str, start: int, end: int) -> Span:
        line, column = self.point(start)
        end_line, end_column = self.point(end)
        return Span(file, line, column, end_line, end_column)

    # ---- LSP ----------------------------------------------------------------------------
    def position(self, line: int, column: int) -> types.Position:
        """The LSP position of a 1-based line and character column."""
        text = self.line(line - 1)
        before = text[: max(column - 1, 0)]
        units = len(before) if before.isascii() else len(before.encode("utf-16-le")) // 2
        return types.Position(max(line - 1, 0), units + max(column - 1 - len(text), 0))

    def range(self, span: Span) -> types.Range:
        return types.Range(self.position(span.line, span.column), self.position(span.end_line, span.end_column))

    def column(self, position: types.Position) -> tuple[int, int]:
        """The 1-based (line, character column) of an LSP position."""
        text = self.line(position.line)
        if text.isascii():
            return position.line + 1, min(position.character, len(text)) + 1
        units = 0
        for index, char in enumerate(text):
            if units >= position.character:
                return position.line + 1, index + 1
            units += 2 if ord(char) > 0xFFFF else 1
        return position.line + 1, len(text) + 1

    def at(self, position: types.Position) -> int:
        """The text offset of an LSP position."""
        return self.offset(*self.column(position))
