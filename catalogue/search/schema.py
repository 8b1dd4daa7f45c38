"""The search index's tables, derived from resources and kept in step by ``indexer``.

- ``search_documents``: one row per published resource, from its latest version: the text
  to search (titles, keywords, the subject's and grades' names, descriptions, the text of
  the package's pages) as written, the keys of the same words (``text.fold``) in
  ``folded_title`` and ``folded_text``, and the facet and sort columns. Grades are a
  bit mask (bit ``g`` set for grade ``g``), so filtering and counting grades need no join.
- ``published_changes``: one row per resource that was ever published, with the time its
  entry in the published feed last changed; the feed pages through it by
  ``(changed_at, resource_id)``.
- ``search_package_texts``: the text of a stored package's pages
  (``scorm_builder.pagetext``), by the package's SHA-256, read from the zip once: a
  package never changes under its digest.

The full-text structures differ by database and exist only in the migrations (0002, made
again by 0007): SQLite has the FTS5 table ``search_fts`` (external content over
``search_documents``, kept in step by triggers) and ``search_fts_vocab`` (its words);
PostgreSQL has the generated ``tsvector`` columns ``document`` (words as written) and
``folded`` (their keys) with GIN indexes, and a trigram index on ``title_text``.
``include_name`` hides them from Alembic's autogenerate, which would otherwise propose
dropping them.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from catalogue.db import db

search_documents = Table(
    "search_documents",
    db.metadata,
    Column(
        "resource_id",
        Integer,
        ForeignKey("resources.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column(
        "version_id",
        Integer,
        ForeignKey("resource_versions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("title_text", Text, nullable=False),
    Column("keywords_text", Text, nullable=False),
    Column("description_text", Text, nullable=False),
    Column("names_text", Text, nullable=False, server_default=""),
    Column("body_text", Text, nullable=False, server_default=""),
    Column("folded_title", Text, nullable=False, server_default=""),
    Column("folded_text", Text, nullable=False, server_default=""),
    #: SHA-256 of the text columns: whether the text changed, without reading it back.
    Column("text_digest", String(64), nullable=False, server_default=""),
    Column("subject", String(64), nullable=False),
    Column("language", String(5), nullable=False),
    Column("resource_type", String(32), nullable=False),
    Column("license", String(32), nullable=False),
    Column("offline_ready", Boolean, nullable=False),
    Column("package_size", BigInteger, nullable=False),
    Column("grades_mask", Integer, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("downloads", Integer, nullable=False),
    Index("ix_search_documents_published_at", "published_at", "resource_id"),
    Index("ix_search_documents_downloads", "downloads", "published_at", "resource_id"),
    Index("ix_search_documents_subject", "subject"),
)

#: One row: how many times the index has changed. Every write of documents or feed entries
#: (and every rebuild) raises it, so whatever is kept from a search (facet counts, whole
#: public answers) is keyed by it and is never older than the index. A download's new
#: count does not raise it.
search_generation = Table(
    "search_generation",
    db.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("generation", BigInteger, nullable=False),
)

#: Columns whose change means the text must be indexed again (the rest are facets/sorts);
#: ``text_digest`` stands for them when the index is compared with what it should hold.
TEXT_COLUMNS = (
    "title_text",
    "keywords_text",
    "names_text",
    "description_text",
    "body_text",
    "folded_title",
    "folded_text",
)

search_package_texts = Table(
    "search_package_texts",
    db.metadata,
    Column("package_sha256", String(64), primary_key=True),
    Column("body_text", Text, nullable=False),
)

published_changes = Table(
    "published_changes",
    db.metadata,
    Column(
        "resource_id",
        Integer,
        ForeignKey("resources.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column(
        "version_id",
        Integer,
        ForeignKey("resource_versions.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("state", String(32), nullable=False),
    Column("signature", String(64), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Index("ix_published_changes_changed_at", "changed_at", "resource_id"),
)

#: What migrations 0002 and 0007 create beside the tables above, per database.
DATABASE_ONLY: Mapping[str, frozenset[str]] = {
    "table": frozenset({"search_fts", "search_fts_vocab"}),
    "column": frozenset({"document", "folded"}),
    "index": frozenset(
        {
            "ix_search_documents_document",
            "ix_search_documents_folded",
            "ix_search_documents_title_trgm",
        }
    ),
}


def include_name(name: str | None, type_: str, parent_names: Mapping[str, str | None]) -> bool:
    """Alembic ``include_name``: leave the database-specific full-text objects alone."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith("search_fts")
    if type_ == "column" and parent_names.get("table_name") != "search_documents":
        return True
    return name not in DATABASE_ONLY.get(type_, frozenset())
