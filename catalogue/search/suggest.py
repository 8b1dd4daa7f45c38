"""Did you mean: the index's own word closest to a query's word that no document holds.

Only a word the index does not know is replaced (neither as written nor by its key is it
the beginning of any indexed word), by the indexed word whose key is fewest edits away
(at most one for a short word, two for a longer one); ties go to the fewer edits as
written, then to the word more documents hold. Keys are compared, so a word typed on a
Russian keyboard is never a typo of its Kazakh self ("куш" is "күш" already).

The words are read from the index (``Backend.vocabulary``) once per generation of the
index and process, and grouped by the first letter of their keys; a typo in the first
letter is not looked for. What is offered is written as the index's texts most often
write it ("Ньютон", not "ньютон").
"""

from __future__ import annotations

import re
import threading
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.search import text
from catalogue.search.backends import Backend
from catalogue.search.schema import search_documents


@dataclass(frozen=True)
class Known:
    word: str
    key: str
    documents: int


class Vocabulary:
    """The index's words by the first letter of their keys."""

    def __init__(self, words: Iterable[tuple[str, int]]) -> None:
        self.by_letter: dict[str, list[Known]] = defaultdict(list)
        for word, documents in words:
            key = text.fold(word)
            if key and not word.isdigit():
                self.by_letter[key[0]].append(Known(word, key, documents))

    def knows(self, term: text.Term) -> bool:
        """Whether some indexed word begins with the term, as written or by its key."""
        if not term.key:
            return True
        return any(
            known.word.startswith(term.word) or known.key.startswith(term.key)
            for known in self.by_letter.get(term.key[0], ())
        )

    def closest(self, term: text.Term) -> str | None:
        allowed = 1 if len(term.key) <= 5 else 2
        best: tuple[int, int, int, str] | None = None
        for known in self.by_letter.get(term.key[0], ()):
            if abs(len(known.key) - len(term.key)) > allowed:
                continue
            edits = distance(term.key, known.key, allowed)
            if edits > allowed:
                continue
            rank = (edits, distance(term.word, known.word, 99), -known.documents, known.word)
            if best is None or rank < best:
                best = rank
        return best[3] if best else None


def distance(first: str, second: str, most: int) -> int:
    """Levenshtein's edit distance, or ``most + 1`` as soon as it must be more than most."""
    previous = list(range(len(second) + 1))
    for row, letter in enumerate(first, 1):
        current = [row]
        for place, other in enumerate(second, 1):
            current.append(
                min(previous[place] + 1, current[-1] + 1, previous[place - 1] + (letter != other))
            )
        if min(current) > most:
            return most + 1
        previous = current
    return previous[-1]


class VocabularyCache:
    """The vocabulary of the latest generation of each index, in this process."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[int, Vocabulary]] = {}
        self._lock = threading.Lock()

    def get(self, index: Hashable, generation: int, read: Iterable[tuple[str, int]]) -> Vocabulary:
        with self._lock:
            found = self._kept.get(index)
            if found is not None and found[0] == generation:
                return found[1]
        vocabulary = Vocabulary(read)
        with self._lock:
            self._kept[index] = (generation, vocabulary)
        return vocabulary

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


VOCABULARIES = VocabularyCache()


def suggestion(session: Session, backend: Backend, query_text: str, generation: int) -> str | None:
    """The query with each unknown word replaced by the closest known one, or None when
    every word is known or no unknown word is close to anything."""
    terms = text.keyed(text.terms(query_text))
    if not terms:
        return None
    index = session.get_bind().engine.url.render_as_string(hide_password=True)
    vocabulary = VOCABULARIES.get(index, generation, backend.vocabulary(session))
    replaced = False
    words: list[str] = []
    for term in terms:
        closest = None
        if len(term.word) >= 3 and not vocabulary.knows(term):
            closest = vocabulary.closest(term)
        if closest is not None:
            words.append(written(session, backend, closest))
            replaced = True
        else:
            words.append(term.word)
    return " ".join(words) if replaced else None


def written(session: Session, backend: Backend, word: str) -> str:
    """``word`` as the documents holding it write it: the form most often written inside
    a sentence (a capital there is the word's own: "Ньютон"), else the most frequent."""
    match = backend.words((word,))
    docs = search_documents.c
    statement = select(docs.title_text, docs.keywords_text, docs.description_text).select_from(
        search_documents
    )
    if match.join is not None:
        statement = statement.join(match.join, match.join.c.resource_id == docs.resource_id)
    if match.condition is not None:
        statement = statement.where(match.condition)
    inside: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    for title, keywords, description in session.execute(statement.limit(20)):
        for field, opens in ((title, True), (keywords, False), (description, True)):
            for form, first in _forms(field, opens):
                if form.lower() == word:
                    anywhere[form] += 1
                    if not first:
                        inside[form] += 1
    forms = inside or anywhere
    if not forms:
        return word
    return max(forms, key=lambda form: (forms[form], form == word))


_SENTENCE_END = re.compile(r"[.!?…]\s*$")


def _forms(field: str, opens: bool) -> Iterable[tuple[str, bool]]:
    """Each word of a text, and whether it begins a sentence (``opens``: the text does)."""
    end = 0
    for found in text.WORD.finditer(field):
        first = (opens and end == 0) or bool(_SENTENCE_END.search(field[end : found.start()]))
        end = found.end()
        yield found.group(), first
