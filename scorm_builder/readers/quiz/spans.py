"""Slices of a GIFT question that know which characters are escaped.

GIFT marks (``~ = # { } :``) lose their meaning after a backslash: ``\\~ \\= \\# \\{ \\}
\\:`` are the characters themselves, ``\\\\`` is a backslash and ``\\n`` a line break. A
``Span`` keeps the text as written (``raw``) beside a ``mask`` of the same length in which
every escape is hidden, so marks are searched in the mask and offsets stay true to the
source (for line numbers); ``text()`` undoes the escapes once a piece is cut out.
"""

from __future__ import annotations

from dataclasses import dataclass

_ESCAPED = {"~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "\\": "\\", "n": "\n"}
_HIDDEN = "\x00"


def unescape(raw: str) -> str:
    """``raw`` with GIFT's escapes replaced by the characters they stand for."""
    out: list[str] = []
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == "\\" and raw[index + 1 : index + 2] in _ESCAPED:
            out.append(_ESCAPED[raw[index + 1]])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _mask(raw: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(raw):
        if raw[index] == "\\" and raw[index + 1 : index + 2] in _ESCAPED:
            out.append(_HIDDEN * 2)
            index += 2
            continue
        out.append(raw[index])
        index += 1
    return "".join(out)


@dataclass(frozen=True)
class Span:
    """Part of one question's text; ``start`` is its offset in the whole question."""

    raw: str
    mask: str
    start: int = 0

    @classmethod
    def of(cls, raw: str) -> Span:
        return cls(raw, _mask(raw))

    def __bool__(self) -> bool:
        return bool(self.raw)

    def find(self, mark: str, begin: int = 0) -> int:
        """Offset of the first unescaped ``mark`` from ``begin``, or -1."""
        return self.mask.find(mark, begin)

    def rfind(self, mark: str) -> int:
        return self.mask.rfind(mark)

    def cut(self, begin: int, end: int | None = None) -> Span:
        end = len(self.raw) if end is None else end
        return Span(self.raw[begin:end], self.mask[begin:end], self.start + begin)

    def strip(self) -> Span:
        left = len(self.raw) - len(self.raw.lstrip())
        right = len(self.raw.rstrip())
        return self.cut(left, max(left, right))

    def split(self, marks: str) -> list[tuple[str, Span]]:
        """Pieces between unescaped marks, each with the mark before it (``""`` for the first)."""
        pieces: list[tuple[str, Span]] = []
        mark, begin = "", 0
        for index, char in enumerate(self.mask):
            if char in marks:
                pieces.append((mark, self.cut(begin, index)))
                mark, begin = char, index + 1
        pieces.append((mark, self.cut(begin)))
        return pieces

    def text(self) -> str:
        """The piece as the teacher meant it: escapes undone, surrounding space removed."""
        return unescape(self.raw).strip()
