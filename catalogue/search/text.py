"""Words of a query and of a document, the same way for both databases. No I/O.

A word is a run of letters and digits (``_`` and punctuation separate words, as in FTS5's
unicode61 tokenizer). Words are lower-cased with Python's Unicode tables, so Kazakh
letters fold like any other (Қ/қ, Ә/ә, Ұ/ұ, Ү/ү, І/і); ``ё`` is written ``е``, as most
Russian text does. Every word of two letters or more matches as a prefix ("сил" finds
"сила", "үдеу" finds "үдеуі"); a single letter must match a whole word.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 12
MAX_TERM_LENGTH = 64


def normalize(text: str) -> str:
    """The form text is indexed in (the databases fold case themselves)."""
    return text.replace("ё", "е").replace("Ё", "Е")


def terms(query: str) -> tuple[str, ...]:
    """The words of a query, lower-cased, in order, without repeats."""
    found: list[str] = []
    for word in _WORD.findall(normalize(query)):
        term = word.lower()[:MAX_TERM_LENGTH]
        if term not in found:
            found.append(term)
    return tuple(found[:MAX_TERMS])


def fts5_match(words: tuple[str, ...]) -> str:
    """An FTS5 query needing every word: ``"сил"* "масс"*``. Words hold no quotes."""
    return " ".join(f'"{word}"*' if len(word) > 1 else f'"{word}"' for word in words)


def tsquery(words: tuple[str, ...]) -> str:
    """A PostgreSQL ``to_tsquery`` text needing every word: ``'сил':* & 'масс':*``."""
    return " & ".join(f"'{word}':*" if len(word) > 1 else f"'{word}'" for word in words)
