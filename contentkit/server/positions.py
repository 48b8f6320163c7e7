"""Offsets into a post's text and LSP positions, in the code units the client negotiated.

LSP counts a line's characters in UTF-16 code units unless client and server agreed on UTF-8
or UTF-32 (``positionEncoding``); contentkit counts code points. A line ends at ``\\r\\n``,
``\\r`` or ``\\n`` in both (never at U+2028 or a form feed, which ``str.splitlines`` would
split on), so line numbers agree and only columns need converting.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate

from lsprotocol import types

_NEWLINE = re.compile(r"\r\n|\r|\n")

UTF8 = types.PositionEncodingKind.Utf8
UTF16 = types.PositionEncodingKind.Utf16
UTF32 = types.PositionEncodingKind.Utf32


def line_starts(text: str) -> list[int]:
    """Offset of each line's first character."""
    if "\r" in text:
        return [0, *(m.end() for m in _NEWLINE.finditer(text))]
    return [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]


def _units(piece: str, encoding: str) -> int:
    if encoding == UTF32 or piece.isascii():
        return len(piece)
    if encoding == UTF8:
        return len(piece.encode("utf-8", "surrogatepass"))
    return len(piece.encode("utf-16-le", "surrogatepass")) // 2


class LineIndex:
    """Line starts of one text, for converting offsets to positions and back."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self.starts = line_starts(text)

    def _line_end(self, line: int) -> int:
        """Offset of the end of ``line`` (0-based), before its line break."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            if self.text[end - 1] == "\n":
                end -= 1
            if end > self.starts[line] and self.text[end - 1] == "\r":
                end -= 1
            return end
        return len(self.text)

    def position(self, offset: int) -> types.Position:
        """The LSP position of code-point ``offset``."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return types.Position(line, _units(self.text[start:offset], self.encoding))

    def offset(self, position: types.Position) -> int:
        """The code-point offset of an LSP position; past a line's end means its end, as
        the protocol says, and past the last line means the end of the text."""
        if position.line < 0:
            return 0
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        end = self._line_end(position.line)
        want = max(0, position.character)
        line = self.text[start:end]
        if self.encoding == UTF32 or line.isascii():
            return start + min(want, len(line))
        counted = 0
        for i, ch in enumerate(line):
            if counted >= want:
                return start + i
            if self.encoding == UTF8:
                counted += len(ch.encode("utf-8", "surrogatepass"))
            else:
                counted += 2 if ord(ch) > 0xFFFF else 1
        return end

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(self.position(start), self.position(end))

    def offset_of(self, line: int, column: int) -> int:
        """The offset of contentkit's 1-based ``line`` and code-point ``column``."""
        line = max(1, min(line, len(self.starts)))
        start = self.starts[line - 1]
        return min(start + max(column, 1) - 1, self._line_end(line - 1))


def apply_change(text: str, index: LineIndex, change: types.TextDocumentContentChangeEvent) -> str:
    """``text`` after one ``didChange`` content change (a range edit or the whole text)."""
    if isinstance(change, types.TextDocumentContentChangePartial):
        start = index.offset(change.range.start)
        end = max(start, index.offset(change.range.end))
        return text[:start] + change.text + text[end:]
    return change.text
