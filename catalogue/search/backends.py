"""The one part of a search that differs by database: matching words and scoring them,
and listing the index's words.

Both backends narrow the same query over ``search_documents`` and give a score where
higher is better; ``for_dialect`` picks one by the session's database. A query's word
matches the words as written (as a prefix) or, by its key (``text.fold``), the keys of
the words; a document has to match every word one way or the other.

- SQLite: the FTS5 table ``search_fts`` (``{columns}: "сил"* OR {folded columns}:
  "sil"*``), scored by BM25 with titles over keywords over names over descriptions over
  the pages' text, and the keys far below the words as written (``FTS5_WEIGHTS``). Its
  words come from ``search_fts_vocab`` (fts5vocab).
- PostgreSQL: the generated ``tsvector`` columns ``document`` (words as written; titles
  A, keywords and names B, descriptions C, pages D) and ``folded`` (keys; titles A, the
  rest D), 'simple' configuration, prefix queries ``'сил':*``; scored by ``ts_rank`` of
  the words plus ``FOLDED_SHARE`` of the keys' rank. When no document has every word,
  titles similar to the query (pg_trgm's word similarity ``<%``, at least
  ``pg_trgm.word_similarity_threshold``, 0.6 by default) are found instead, so a typo
  still finds its resource. Its words come from ``ts_stat`` over ``document``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Float,
    FromClause,
    Integer,
    Table,
    and_,
    bindparam,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy import text as sql
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import REGCONFIG, TSQUERY, TSVECTOR
from sqlalchemy.orm import Session

from catalogue.search import text
from catalogue.search.schema import search_documents


@dataclass(frozen=True)
class Match:
    """How a query narrows the documents: a source to join on ``resource_id`` and/or a
    condition, and the score of each document found."""

    score: ColumnElement[float]
    join: FromClause | None = None
    condition: ColumnElement[bool] | None = None


class Backend(Protocol):
    def words(self, terms: tuple[str, ...]) -> Match:
        """Documents holding every word (each as a prefix, as written or by its key)."""

    def similar(self, query: str) -> Match | None:
        """Documents whose titles look like the query, or None if the database cannot."""

    def vocabulary(self, session: Session) -> Iterator[tuple[str, int]]:
        """The index's words as written (lower-cased), each with how many documents
        hold it, for "did you mean"."""

    def insert_new(self, session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
        """Insert the rows, leaving alone any whose key another transaction inserted."""


#: BM25 weights of the FTS5 columns, in their order: title_text, keywords_text,
#: names_text, description_text, body_text, folded_title, folded_text. A word as written
#: counts above its key (the one typed with Kazakh letters meant them), a title above the
#: rest either way.
FTS5_WEIGHTS = (10.0, 4.0, 2.0, 1.0, 0.5, 0.5, 0.1)
#: How much a match by key counts beside the same match as written, on PostgreSQL.
FOLDED_SHARE = 0.1
#: Words shorter or longer than these are not offered instead of a typo.
SHORTEST_WORD, LONGEST_WORD = 3, 40


class SQLiteBackend:
    def insert_new(self, session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
        session.execute(sqlite.insert(table).on_conflict_do_nothing(), rows)

    def words(self, terms: tuple[str, ...]) -> Match:
        fts = table("search_fts", column("rowid", Integer))
        name: ColumnElement[Any] = literal_column("search_fts")
        found = (
            select(
                fts.c.rowid.label("resource_id"),
                (-func.bm25(name, *FTS5_WEIGHTS, type_=Float)).label("score"),
            )
            .where(name.op("MATCH")(bindparam("fts_query", text.fts5_match(terms))))
            .subquery("fts")
        )
        return Match(score=found.c.score, join=found)

    def similar(self, query: str) -> Match | None:
        return None

    def vocabulary(self, session: Session) -> Iterator[tuple[str, int]]:
        columns = ", ".join(f"'{name}'" for name in text.EXACT_COLUMNS)
        rows = session.execute(
            sql(
                "SELECT term, max(doc) FROM search_fts_vocab"
                f" WHERE col IN ({columns}) AND length(term) BETWEEN :shortest AND :longest"
                " GROUP BY term"
            ),
            {"shortest": SHORTEST_WORD, "longest": LONGEST_WORD},
        )
        for word, documents in rows:
            yield str(word), int(documents)


class PostgreSQLBackend:
    document = literal_column("search_documents.document", TSVECTOR)
    folded = literal_column("search_documents.folded", TSVECTOR)

    def insert_new(self, session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
        session.execute(postgresql.insert(table).on_conflict_do_nothing(), rows)

    def words(self, terms: tuple[str, ...]) -> Match:
        simple = literal_column("'simple'", REGCONFIG)

        def query(name: str, value: str) -> ColumnElement[Any]:
            return func.to_tsquery(simple, bindparam(name, value), type_=TSQUERY)

        each = []
        for number, term in enumerate(text.keyed(terms)):
            as_written = self.document.op("@@")(
                query(f"ts_word_{number}", text.tsquery((term.word,)))
            )
            if term.key:
                by_key = self.folded.op("@@")(query(f"ts_key_{number}", text.tsquery((term.key,))))
                each.append(or_(as_written, by_key))
            else:
                each.append(as_written)
        written_rank = func.ts_rank(
            self.document, query("ts_words", text.tsquery_any(terms)), type_=Float
        )
        keys = text.tsquery_any(terms, keys=True)
        score: ColumnElement[float] = written_rank
        if keys:
            key_rank = func.ts_rank(self.folded, query("ts_keys", keys), type_=Float)
            score = written_rank + FOLDED_SHARE * key_rank
        return Match(score=score, condition=and_(*each))

    def similar(self, query: str) -> Match | None:
        words: BindParameter[str] = bindparam("similar_to", text.normalize(query))
        title = search_documents.c.title_text
        similarity = func.word_similarity(words, title, type_=Float)
        return Match(score=similarity, condition=words.op("<%")(title))

    def vocabulary(self, session: Session) -> Iterator[tuple[str, int]]:
        rows = session.execute(
            sql(
                "SELECT word, ndoc FROM ts_stat('SELECT document FROM search_documents')"
                " WHERE length(word) BETWEEN :shortest AND :longest"
            ),
            {"shortest": SHORTEST_WORD, "longest": LONGEST_WORD},
        )
        for word, documents in rows:
            yield str(word), int(documents)


class UnsupportedDatabase(RuntimeError):
    """The catalogue's search runs on SQLite and PostgreSQL only."""


def for_dialect(name: str) -> Backend:
    if name == "sqlite":
        return SQLiteBackend()
    if name == "postgresql":
        return PostgreSQLBackend()
    raise UnsupportedDatabase(f"search needs SQLite or PostgreSQL, not {name}")
