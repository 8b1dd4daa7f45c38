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

from catalogue.search.text import normalize

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


def document(source: Source) -> dict[str, Any]:
    """The ``search_documents`` row of a published resource."""
    assert source.published_at is not None
    return {
        "resource_id": source.resource_id,
        "version_id": source.version_id,
        "title_text": _joined(source.titles),
        "keywords_text": _joined(source.keywords),
        "description_text": _joined(source.descriptions),
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
    resource's entry moves to the end of the feed. Downloads are not part of it."""
    if not source.published:
        return UNPUBLISHED
    described = asdict(source)
    del described["downloads"], described["state"]
    described["published_at"] = utc(source.published_at or datetime.min).isoformat()
    text = json.dumps(described, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
