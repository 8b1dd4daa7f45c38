"""Search over the published resources, and the published feed for LMS sync.

One interface on both databases::

    search(session, SearchQuery(text="қозғалыс", grades=(7,))) -> SearchResult
    changes(session, since=..., after=cursor, limit=100) -> FeedPage

SQLite (the embedded default) matches words with FTS5, PostgreSQL with its full text
search plus pg_trgm for typos; ``backends`` is the only module that knows which. A word
matches as written or by its key (``text.fold``: what a Russian or Latin keyboard types
for Kazakh letters), in the titles, keywords, descriptions, the subject's and grades'
names (``labels``) and the text of the package's pages (``scorm_builder.pagetext``, kept
by ``bodies``); a query no document fully matches gets a "did you mean" (``suggest``). The index
(``schema``) is derived from the resources and follows them by itself: ``init_app``
installs session events (``indexer``) that reindex a resource in the same transaction
whenever its state, publication, downloads or latest version's metadata change. The API
blueprints call ``init_app`` when they are registered, so ``create_app`` needs nothing more.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from catalogue.search.engine import generation, search
from catalogue.search.feed import FeedEntry, FeedPage, changes, parse_cursor, parse_since
from catalogue.search.indexer import rebuild, reindex
from catalogue.search.query import (
    FacetCount,
    Facets,
    Hit,
    InvalidQuery,
    SearchQuery,
    SearchResult,
    Sort,
    parse_query,
)
from catalogue.search.schema import include_name

__all__ = [
    "FacetCount",
    "Facets",
    "FeedEntry",
    "FeedPage",
    "Hit",
    "InvalidQuery",
    "SearchQuery",
    "SearchResult",
    "Sort",
    "changes",
    "generation",
    "init_app",
    "parse_cursor",
    "parse_query",
    "parse_since",
    "rebuild",
    "reindex",
    "search",
]


def init_app(app: Flask) -> None:
    """Keep the index in step with every session, and keep Alembic's autogenerate away
    from the database-specific full-text objects of migration 0002."""
    from catalogue.search import indexer

    indexer.install()
    migrate = app.extensions.get("migrate")
    if migrate is not None:
        arguments: dict[str, Any] = migrate.configure_args
        arguments.setdefault("include_name", include_name)
    app.extensions["sandyq.search"] = True
