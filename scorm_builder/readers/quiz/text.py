"""Test files as text: decoding, Word's stray characters, and telling GIFT from Aiken."""

from __future__ import annotations

import re
from typing import Literal

from scorm_builder.errors import SourceFileError
from scorm_builder.readers.quiz.letters import ANSWER_LINE, OPTION_LINE

QuizFormat = Literal["gift", "aiken"]

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
#: Word and web pages put these in place of ordinary spaces; they would break GIFT's marks.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})
#: Invisible characters Word leaves behind (zero-width space, BOM mid-file, soft hyphen).
_INVISIBLE = re.compile("[\u200b\ufeff\u00ad]")
_SAVE_AS_UTF8 = (
    "save the file as UTF-8: in Notepad choose 'Save as' -> Encoding 'UTF-8'; "
    "in Word choose 'Plain text' with the 'Unicode (UTF-8)' encoding"
)


def decode(data: bytes, source: str) -> tuple[str, list[str]]:
    """Text of a test file and warnings: UTF-8 (BOM or not), UTF-16 with a BOM, else cp1251."""
    if data.startswith(b"PK\x03\x04"):
        raise SourceFileError(
            "this is a Word document or another zip file, not a text file",
            file=source,
            hint="in Word choose 'Save as' -> 'Plain text (.txt)' with the UTF-8 encoding",
        )
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    for bom, codec in _UTF16_BOMS.items():
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        raise SourceFileError(
            "the file is neither UTF-8 nor Windows-1251 text",
            file=source,
            line=line,
            hint=_SAVE_AS_UTF8,
        ) from None
    warning = (
        f"{source}:{line}: the file is not UTF-8; it was read as Windows-1251 (Cyrillic). "
        "Kazakh letters such as Ә, Қ, Ң, Ө, Ұ, Ү cannot be stored in that encoding; "
        + _SAVE_AS_UTF8
    )
    return text, [warning]


def normalise(text: str) -> str:
    """One line ending (LF), ordinary spaces for no-break ones, no invisible characters.

    Typographic quotes («» “” ‘’) are left alone: they are text, never GIFT marks.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", text.translate(_SPACES))


def detect_format(text: str) -> QuizFormat:
    """``"aiken"`` when the text has option lines and ``ANSWER: X`` lines (or options and
    no GIFT answer block at all); ``"gift"`` otherwise."""
    lines = [line.strip() for line in normalise(text).split("\n")]
    lines = [line for line in lines if line and not line.startswith("//")]
    options = sum(1 for line in lines if OPTION_LINE.match(line))
    answers = any(ANSWER_LINE.match(line) for line in lines)
    if options and answers:
        return "aiken"
    has_block = any(re.search(r"(?<!\\)\{", line) for line in lines)
    return "aiken" if options >= 2 and not has_block else "gift"
