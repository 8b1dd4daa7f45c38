"""Words of a query and of a document, the same way for both databases. No I/O.

A word is a run of letters and digits (``_`` and punctuation separate words, as in FTS5's
unicode61 tokenizer). Words are lower-cased with Python's Unicode tables, so Kazakh
letters fold like any other (Қ/қ, Ә/ә, Ұ/ұ, Ү/ү, І/і); ``ё`` is written ``е``, as most
Russian text does. Every word of two letters or more matches as a prefix ("сил" finds
"сила", "үдеу" finds "үдеуі"); a single letter must match a whole word.

Each word also has a *key* (``fold``, from ``scorm_builder.folding``, which the offline
library's page shares): what a Russian keyboard or a Latin transliteration would make of
it, in plain Latin letters. A pupil without a Kazakh keyboard types
"козгалыс" or "kozgalys" for "қозғалыс"; all three have the key ``kozgalys``. The index
keeps the keys of its words beside the words themselves, and a query's word matches
either its letters or its key, so the keyboard never decides what is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scorm_builder.folding import fold as fold  # the key of a word, shared with the offline library

WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 12
MAX_TERM_LENGTH = 64


def normalize(text: str) -> str:
    """The form text is indexed in (the databases fold case themselves)."""
    return text.replace("ё", "е").replace("Ё", "Е")


def words(text: str) -> list[str]:
    """Every word of a text, as written."""
    return WORD.findall(text)


def fold_text(text: str) -> str:
    """The keys of a text's words, in order, for the index's folded columns."""
    return " ".join(key for key in (fold(word) for word in words(normalize(text))) if key)


def terms(query: str) -> tuple[str, ...]:
    """The words of a query, lower-cased, in order, without repeats."""
    found: list[str] = []
    for word in WORD.findall(normalize(query)):
        term = word.lower()[:MAX_TERM_LENGTH]
        if term not in found:
            found.append(term)
    return tuple(found[:MAX_TERMS])


@dataclass(frozen=True)
class Term:
    """A query's word and its key; ``prefix``: whether either matches as a prefix."""

    word: str
    key: str

    @property
    def prefix(self) -> bool:
        return len(self.word) > 1


def keyed(words: tuple[str, ...]) -> tuple[Term, ...]:
    return tuple(Term(word, fold(word)) for word in words)


#: The FTS5 columns holding words as written, and those holding their keys.
EXACT_COLUMNS = ("title_text", "keywords_text", "names_text", "description_text", "body_text")
FOLDED_COLUMNS = ("folded_title", "folded_text")


def _fts5_phrase(text: str, prefix: bool) -> str:
    return f'"{text}"*' if prefix else f'"{text}"'


def fts5_match(words: tuple[str, ...]) -> str:
    """An FTS5 query needing every word, each as written or by its key::

        ({title_text ...}: "күш"* OR {folded_title folded_text}: "kush"*) AND (...)

    Words hold no quotes (they are letters and digits only)."""
    exact, folded = " ".join(EXACT_COLUMNS), " ".join(FOLDED_COLUMNS)
    parts = []
    for term in keyed(words):
        either = f"{{{exact}}}: {_fts5_phrase(term.word, term.prefix)}"
        if term.key:
            either += f" OR {{{folded}}}: {_fts5_phrase(term.key, term.prefix)}"
        parts.append(f"({either})")
    return " AND ".join(parts)


def _ts_lexeme(text: str, prefix: bool) -> str:
    return f"'{text}':*" if prefix else f"'{text}'"


def tsquery(words: tuple[str, ...]) -> str:
    """A PostgreSQL ``to_tsquery`` text needing every word: ``'сил':* & 'масс':*``."""
    return " & ".join(_ts_lexeme(word, len(word) > 1) for word in words)


def tsquery_any(words: tuple[str, ...], *, keys: bool = False) -> str:
    """A ``to_tsquery`` text finding any of the words (or of their keys), for ranking."""
    found = [(term.key if keys else term.word, term.prefix) for term in keyed(words)]
    return " | ".join(_ts_lexeme(text, prefix) for text, prefix in found if text)
