"""The pages' text of the resources being indexed, read from their stored packages once.

The text is kept by package digest in ``search_package_texts``: a package never changes
under its SHA-256, so a reindex (a state change, a rebuild) reads the table, not the zip.
A package that is not in the storage (test rows, a storage being moved) gives no text and
is tried again at the next reindex; only published resources are read, since only they
are searched.
"""

from __future__ import annotations

import dataclasses
import re

from flask import has_app_context
from sqlalchemy.orm import Session

from catalogue.search.backends import for_dialect
from catalogue.search.documents import Source
from catalogue.search.schema import search_package_texts
from catalogue.storage import storage
from scorm_builder.pagetext import package_text

_SHA256 = re.compile(r"[0-9a-f]{64}")


def stored_text(sha256: str) -> str | None:
    """The pages' text of the stored package, or None when there is no such package here."""
    if not has_app_context() or not _SHA256.fullmatch(sha256 or ""):
        return None
    stored = storage()
    if not stored.exists(sha256):
        return None
    return package_text(stored.path(sha256))


def with_bodies(session: Session, sources: list[Source]) -> list[Source]:
    """The sources, each published one with its pages' text (read and kept if new)."""
    read: dict[str, str | None] = {}
    for source in sources:
        sha = source.package_sha256
        if source.body is None and source.published and sha not in read:
            read[sha] = stored_text(sha)
    kept = [
        {"package_sha256": sha, "body_text": text} for sha, text in read.items() if text is not None
    ]
    if kept:
        _keep(session, kept)
    return [
        dataclasses.replace(source, body=read[source.package_sha256])
        if source.body is None and read.get(source.package_sha256) is not None
        else source
        for source in sources
    ]


def _keep(session: Session, rows: list[dict[str, str]]) -> None:
    """Keep the texts read, leaving alone any another transaction kept meanwhile."""
    backend = for_dialect(session.get_bind().dialect.name)
    backend.insert_new(session, search_package_texts, list(rows))
