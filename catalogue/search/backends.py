"""The one part of a search that differs by database: matching words and scoring them.

Both backends narrow the same query over ``search_documents`` and give a score where
higher is better; ``for_dialect`` picks one by the session's database.

- SQLite: the FTS5 table ``search_fts`` (prefix queries ``"сил"*``), scored by BM25 with
  titles weighted over keywords over descriptions.
- PostgreSQL: the generated ``tsvector`` ``document`` ('simple' configuration, prefix
  queries ``'сил':*``), scored by ``ts_rank`` (titles A, keywords B, descriptions C). When
  no document has every word, titles similar to the query (pg_trgm's word similarity)
  are found instead (``<%``: word similarity of at least
  ``pg_trgm.word_similarity_threshold``, 0.6 by default), so a typo still finds its
  resource.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Float,
    FromClause,
    Integer,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSQUERY, TSVECTOR

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
        """Documents holding every word (each as a prefix)."""

    def similar(self, query: str) -> Match | None:
        """Documents whose titles look like the query, or None if the database cannot."""


#: BM25 weights of the FTS5 columns: title_text, keywords_text, description_text.
FTS5_WEIGHTS = (10.0, 4.0, 1.0)


class SQLiteBackend:
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


class PostgreSQLBackend:
    document = literal_column("search_documents.document", TSVECTOR)

    def words(self, terms: tuple[str, ...]) -> Match:
        simple = literal_column("'simple'", REGCONFIG)
        query = func.to_tsquery(simple, bindparam("ts_query", text.tsquery(terms)), type_=TSQUERY)
        return Match(
            score=func.ts_rank(self.document, query, type_=Float),
            condition=self.document.op("@@")(query),
        )

    def similar(self, query: str) -> Match | None:
        words: BindParameter[str] = bindparam("similar_to", text.normalize(query))
        title = search_documents.c.title_text
        similarity = func.word_similarity(words, title, type_=Float)
        return Match(score=similarity, condition=words.op("<%")(title))


class UnsupportedDatabase(RuntimeError):
    """The catalogue's search runs on SQLite and PostgreSQL only."""


def for_dialect(name: str) -> Backend:
    if name == "sqlite":
        return SQLiteBackend()
    if name == "postgresql":
        return PostgreSQLBackend()
    raise UnsupportedDatabase(f"search needs SQLite or PostgreSQL, not {name}")
