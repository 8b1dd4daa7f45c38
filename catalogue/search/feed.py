"""The published feed for LMS sync: every change to what is published, oldest first.

Each entry is a resource that is published now, or was and is not any more ("unpublished"),
at the time its published state or metadata last changed (``published_changes``). Pages
follow the stable key ``(changed_at, resource_id)``: a cursor names the last entry seen,
so paging never repeats or skips an entry even while resources change (a resource that
changes meanwhile moves to the end and is seen again there).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session, load_only, raiseload

from catalogue.models import Resource, ResourceVersion
from catalogue.search.documents import utc
from catalogue.search.query import InvalidQuery
from catalogue.search.schema import published_changes

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


@dataclass(frozen=True)
class FeedEntry:
    resource_id: int
    uuid: str
    version: int
    title: str
    language: str
    subject: str
    grades: tuple[int, ...]
    sha256: str
    size: int
    scorm_version: str
    published_at: datetime | None
    state: str
    changed_at: datetime

    @property
    def cursor(self) -> str:
        """An opaque token for "after this entry"."""
        key = json.dumps([self.changed_at.isoformat(), self.resource_id])
        return base64.urlsafe_b64encode(key.encode("utf-8")).decode("ascii").rstrip("=")


@dataclass(frozen=True)
class FeedPage:
    entries: tuple[FeedEntry, ...]
    more: bool  # another page follows the last entry


def parse_since(value: str) -> datetime:
    """An ISO 8601 time; without an offset it is UTC."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidQuery(
            "since: an ISO 8601 time such as 2026-09-01T00:00:00Z",
            details={"parameter": "since"},
        ) from None
    return utc(moment)


def parse_cursor(value: str) -> tuple[datetime, int]:
    try:
        padded = value + "=" * (-len(value) % 4)
        moment, resource_id = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(resource_id, int) or not isinstance(moment, str):
            raise ValueError(value)
        return utc(datetime.fromisoformat(moment)), resource_id
    except (ValueError, TypeError, UnicodeError, binascii.Error):
        raise InvalidQuery(
            "cursor: use the 'next' link of the previous page as it is",
            code="invalid_cursor",
            details={"parameter": "cursor"},
        ) from None


def changes(
    session: Session,
    *,
    since: datetime | None = None,
    after: tuple[datetime, int] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> FeedPage:
    """Entries changed at or after ``since`` and strictly after the cursor ``after``."""
    feed = published_changes.c
    statement = (
        select(
            feed.resource_id,
            feed.state,
            feed.changed_at,
            Resource.uuid,
            Resource.published_at,
            ResourceVersion,
        )
        .join(Resource, Resource.id == feed.resource_id)
        .join(ResourceVersion, ResourceVersion.id == feed.version_id)
        .order_by(feed.changed_at, feed.resource_id)
        .limit(limit + 1)
        .options(
            load_only(
                ResourceVersion.number,
                ResourceVersion.title_kk,
                ResourceVersion.title_ru,
                ResourceVersion.title_en,
                ResourceVersion.language,
                ResourceVersion.subject,
                ResourceVersion.grades,
                ResourceVersion.package_sha256,
                ResourceVersion.package_size,
                ResourceVersion.scorm_version,
            ),
            raiseload("*"),
        )
    )
    if since is not None:
        statement = statement.where(feed.changed_at >= since.astimezone(UTC))
    if after is not None:
        moment, resource_id = after
        statement = statement.where(
            tuple_(feed.changed_at, feed.resource_id) > tuple_(moment.astimezone(UTC), resource_id)
        )
    rows = session.execute(statement).all()
    entries = tuple(
        FeedEntry(
            resource_id=resource_id,
            uuid=uuid,
            version=version.number,
            title=version.title,
            language=version.language,
            subject=version.subject,
            grades=tuple(version.grades or ()),
            sha256=version.package_sha256,
            size=version.package_size,
            scorm_version=version.scorm_version,
            published_at=utc(published_at) if published_at is not None else None,
            state=state,
            changed_at=utc(changed_at),
        )
        for resource_id, state, changed_at, uuid, published_at, version in rows[:limit]
    )
    return FeedPage(entries=entries, more=len(rows) > limit)
