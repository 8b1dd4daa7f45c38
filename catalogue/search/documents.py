"""What the index stores for a resource: pure functions from the resource's row and its
latest version's to a search document and a published-feed entry. No I/O.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from catalogue.search.labels import names_text
from catalogue.search.text import fold_text, normalize

PUBLISHED = "published"
UNPUBLISHED = "unpublished"
GRADE_BITS = 31  # grades 0..30 fit a signed 32-bit mask


@dataclass(frozen=True)
class Source:
    """A resource and its latest version, as read from the database."""

    resource_id: int
    state: str
    published_at: datetime | None
    downloads: int
    version_id: int
    number: int
    titles: tuple[str, str, str]  # kk, ru, en
    descriptions: tuple[str, str, str]
    keywords: tuple[str, ...]
    subject: str
    grades: tuple[int, ...]
    language: str
    resource_type: str
    license: str
    offline_ready: bool
    package_size: int
    package_sha256: str
    scorm_version: str
    #: The text of the package's pages (``scorm_builder.pagetext``); None while not read yet.
    body: str | None = None

    @property
    def published(self) -> bool:
        return self.state == PUBLISHED and self.published_at is not None


def utc(moment: datetime) -> datetime:
    """An aware UTC datetime (SQLite hands back naive ones, which are UTC here)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def grades_mask(grades: Iterable[int]) -> int:
    mask = 0
    for grade in grades:
        if isinstance(grade, int) and 0 <= grade < GRADE_BITS:
            mask |= 1 << grade
    return mask


def _joined(parts: Iterable[str]) -> str:
    return normalize(" ".join(part.strip() for part in parts if part and part.strip()))


def text_digest(texts: Iterable[str]) -> str:
    """The digest of a document's text columns, in the order ``document`` writes them."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def document(source: Source) -> dict[str, Any]:
    """The ``search_documents`` row of a published resource."""
    assert source.published_at is not None
    title = _joined(source.titles)
    keywords = _joined(source.keywords)
    names = names_text(source.subject, source.grades)
    description = _joined(source.descriptions)
    body = normalize(source.body or "")
    texts = {
        "title_text": title,
        "keywords_text": keywords,
        "names_text": names,
        "description_text": description,
        "body_text": body,
        "folded_title": fold_text(title),
        "folded_text": fold_text(" ".join((keywords, names, description, body))),
    }
    return {
        "resource_id": source.resource_id,
        "version_id": source.version_id,
        **texts,
        "text_digest": text_digest(texts.values()),
        "subject": source.subject,
        "language": source.language,
        "resource_type": source.resource_type,
        "license": source.license,
        "offline_ready": source.offline_ready,
        "package_size": source.package_size,
        "grades_mask": grades_mask(source.grades),
        "published_at": utc(source.published_at),
        "downloads": source.downloads,
    }


def feed_signature(source: Source) -> str:
    """A digest of what the published feed says about the resource: when it changes, the
    resource's entry moves to the end of the feed. Downloads and the pages' text (read
    from the package, which the feed names by its digest) are not part of it."""
    if not source.published:
        return UNPUBLISHED
    described = asdict(source)
    del described["downloads"], described["state"], described["body"]
    described["published_at"] = utc(source.published_at or datetime.min).isoformat()
    text = json.dumps(described, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
