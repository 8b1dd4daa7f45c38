"""``GET /api/v1/published``: the feed of published resources for LMS sync (Moodle).

Any signed-in caller or token may read it, a sync token included; anonymous callers get
401. ``since`` (ISO 8601) starts the feed at a time, ``limit`` sets the page size (100, at
most 500), and ``next`` is the link to the following page (null on the last). Each item
says ``state``: "published", or "unpublished" for a resource taken down since.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, request

from catalogue import search
from catalogue.api import schemas
from catalogue.api.openapi import SIGNED_IN, documented
from catalogue.api.search import package_url, public_base
from catalogue.auth import login_required
from catalogue.db import db
from catalogue.domain import timestamp
from catalogue.errors import Invalid, Unauthenticated
from catalogue.search import FeedEntry, InvalidQuery
from catalogue.search.feed import DEFAULT_LIMIT, MAX_LIMIT

bp = Blueprint("api_published", __name__, url_prefix="/api/v1")

Json = dict[str, Any]


@bp.record_once
def _wire(state: Any) -> None:
    search.init_app(state.app)


def entry_json(entry: FeedEntry) -> Json:
    return {
        "uuid": entry.uuid,
        "version": entry.version,
        "title": entry.title,
        "language": entry.language,
        "subject": entry.subject,
        "grades": list(entry.grades),
        "sha256": entry.sha256,
        "size": entry.size,
        "scorm_version": entry.scorm_version,
        "download_url": package_url(entry.uuid),
        "published_at": timestamp(entry.published_at),
        "state": entry.state,
        "changed_at": timestamp(entry.changed_at),
    }


def _limit() -> int:
    values = request.args.getlist("limit")
    if not values:
        return DEFAULT_LIMIT
    value = values[0]
    if len(values) > 1 or not value.isascii() or not value.isdigit():
        raise InvalidQuery("limit: a whole number", details={"parameter": "limit"})
    if not 1 <= int(value) <= MAX_LIMIT:
        raise InvalidQuery(f"limit: from 1 to {MAX_LIMIT}", details={"parameter": "limit"})
    return int(value)


@bp.get("/published")
@documented(
    "The feed of published (and since unpublished) resources for LMS sync",
    description="Any signed-in caller or token, a sync token included.",
    operation_id="publishedFeed",
    security=SIGNED_IN,
    query=schemas.FeedQuery,
    responses={200: schemas.Feed},
    errors=(Unauthenticated, Invalid),
)
@login_required
def published() -> Json:
    limit = _limit()
    since_text = request.args.get("since")
    cursor_text = request.args.get("cursor")
    since = search.parse_since(since_text) if since_text is not None else None
    after = search.parse_cursor(cursor_text) if cursor_text is not None else None
    page = search.changes(db.session(), since=since, after=after, limit=limit)
    next_url = None
    if page.more and page.entries:
        parameters = {"cursor": page.entries[-1].cursor, "limit": str(limit)}
        next_url = f"{public_base()}/api/v1/published?{urlencode(parameters)}"
    return {"items": [entry_json(entry) for entry in page.entries], "next": next_url}
