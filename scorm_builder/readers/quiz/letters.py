"""Aiken's line shapes, and the Cyrillic letters teachers type in place of Latin ones.

On a Kazakh or Russian keyboard layout ``A``, ``B``, ``C`` come out as the Cyrillic
``А``, ``В``, ``С``, which look the same. Option letters and the ``ANSWER:`` letter accept
every such look-alike; ``ANSWER:`` may also be written in Kazakh (``ЖАУАП:``) or Russian
(``ОТВЕТ:``), in any case, with or without a space before the colon.
"""

from __future__ import annotations

import re

#: Cyrillic capital -> the Latin capital it looks like.
LOOKALIKES: dict[str, str] = {
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "І": "I", "К": "K",
    "М": "M", "О": "O", "Р": "P", "Т": "T", "Х": "X",
}  # fmt: skip
_LETTERS = "A-Z" + "".join(LOOKALIKES)

#: ``A) text``, ``A)text`` or ``A. text`` (a space is needed after the dot).
OPTION_LINE = re.compile(rf"^([{_LETTERS}])(?:\)\s*|\.\s+)(.*)$")
#: ``ANSWER: B`` and its Kazakh and Russian twins; group 1 is everything after the colon.
ANSWER_PREFIX = re.compile(r"^(?:ANSWER|ЖАУАП|ОТВЕТ)\s*:(.*)$", re.IGNORECASE)
#: A complete answer line: one letter, maybe followed by ``)`` or ``.``.
ANSWER_LINE = re.compile(r"^(?:ANSWER|ЖАУАП|ОТВЕТ)\s*:\s*([A-Za-zЁА-яё])[).]?$", re.IGNORECASE)
#: ``Б) text``: Russian lettering (А, Б, В, Г ...) whose letter has no Latin twin.
CYRILLIC_OPTION = re.compile(r"^([ЁА-Я])\)\s*\S")


def latin_letter(letter: str) -> str | None:
    """The Latin capital a typed option letter stands for, or None if it is no such letter."""
    upper = letter.upper()
    upper = LOOKALIKES.get(upper, upper)
    return upper if len(upper) == 1 and "A" <= upper <= "Z" else None
