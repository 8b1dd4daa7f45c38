"""Keeping the index in step with the resources, without anyone calling it.

Session events collect which resources changed (``after_flush`` for ORM changes to a
resource's state, publication time, downloads or a version's metadata; ``do_orm_execute``
for bulk ``UPDATE``/``DELETE`` statements) and ``before_commit`` brings their documents and
feed entries up to date in the same transaction, so the index commits or rolls back with
the change itself. The download counter's UPDATE (marked ``COUNTERS_ONLY``) is the one
exception: its new counts are copied into the documents at once, with no reindex.

``reindex`` recomputes from the database and writes only what differs, so calling it
again, or for resources that did not change, is harmless. ``rebuild`` does it for every
resource (``flask search rebuild``; the benchmark's bulk load).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Result,
    Select,
    and_,
    bindparam,
    delete,
    event,
    func,
    insert,
    select,
)
from sqlalchemy import inspect as inspect_object
from sqlalchemy.orm import ORMExecuteState, Session

from catalogue.db import COUNTERS_ONLY
from catalogue.models import TAKEN_DOWN, Resource, ResourceVersion, utcnow
from catalogue.search.bodies import with_bodies
from catalogue.search.documents import (
    PUBLISHED,
    UNPUBLISHED,
    Source,
    document,
    feed_signature,
    utc,
)
from catalogue.search.engine import FACETS
from catalogue.search.schema import (
    TEXT_COLUMNS,
    published_changes,
    search_documents,
    search_generation,
    search_package_texts,
)

PENDING = "sandyq.search.pending"
CHUNK = 500

#: Changes that matter to the index; any other change (a review note, the lock version)
#: leaves it alone.
RESOURCE_FIELDS = ("state", "published_at", "published_number", "downloads")
VERSION_FIELDS = (
    "resource_id",
    "number",
    "package_sha256",
    "package_size",
    "title_kk",
    "title_ru",
    "title_en",
    "description_kk",
    "description_ru",
    "description_en",
    "language",
    "subject",
    "grades",
    "resource_type",
    "keywords",
    "license",
    "offline_ready",
    "scorm_version",
)


# ---- reading the sources --------------------------------------------------------------


def _sources(
    session: Session, where: ColumnElement[bool], limit: int | None = None
) -> list[Source]:
    latest = (
        select(func.max(ResourceVersion.number))
        .where(ResourceVersion.resource_id == Resource.id)
        .correlate(Resource)
        .scalar_subquery()
    )
    statement = (
        select(
            Resource.id,
            Resource.state,
            Resource.published_at,
            Resource.downloads,
            ResourceVersion.id,
            ResourceVersion.number,
            ResourceVersion.title_kk,
            ResourceVersion.title_ru,
            ResourceVersion.title_en,
            ResourceVersion.description_kk,
            ResourceVersion.description_ru,
            ResourceVersion.description_en,
            ResourceVersion.keywords,
            ResourceVersion.subject,
            ResourceVersion.grades,
            ResourceVersion.language,
            ResourceVersion.resource_type,
            ResourceVersion.license,
            ResourceVersion.offline_ready,
            ResourceVersion.package_size,
            ResourceVersion.package_sha256,
            ResourceVersion.scorm_version,
            search_package_texts.c.body_text,
            Resource.published_number,
        )
        .join(
            ResourceVersion,
            and_(
                ResourceVersion.resource_id == Resource.id,
                # the version the public sees, while the next one is under review too
                ResourceVersion.number == func.coalesce(Resource.published_number, latest),
            ),
        )
        .outerjoin(
            search_package_texts,
            search_package_texts.c.package_sha256 == ResourceVersion.package_sha256,
        )
        .where(where)
        .order_by(Resource.id)
        .limit(limit)
    )
    return with_bodies(session, [_source(row) for row in session.execute(statement)])


def _source(row: Sequence[Any]) -> Source:
    (rid, state, published_at, downloads, vid, number, tkk, tru, ten, dkk, dru, den) = row[:12]
    keywords, subject, grades, language, kind, license_, offline, size, sha, scorm = row[12:22]
    published_number = row[23]
    if published_number is not None:  # public, perhaps under revision, or taken down
        state = UNPUBLISHED if state in TAKEN_DOWN else PUBLISHED
    return Source(
        resource_id=rid,
        state=str(state),
        published_at=published_at,
        downloads=downloads or 0,
        version_id=vid,
        number=number,
        titles=(tkk or "", tru or "", ten or ""),
        descriptions=(dkk or "", dru or "", den or ""),
        keywords=tuple(str(word) for word in keywords or () if word),
        subject=subject or "",
        grades=tuple(grade for grade in grades or () if isinstance(grade, int)),
        language=language or "",
        resource_type=str(kind),
        license=license_ or "",
        offline_ready=bool(offline),
        package_size=size or 0,
        package_sha256=sha or "",
        scorm_version=scorm or "",
        body=row[22],
    )


# ---- writing the index ----------------------------------------------------------------


def reindex(session: Session, resource_ids: Iterable[int], now: datetime | None = None) -> None:
    """Bring the documents and feed entries of these resources up to date."""
    ids = sorted(set(resource_ids))
    moment = now or utcnow()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        _apply(session, chunk, _sources(session, Resource.id.in_(chunk)), moment)


def rebuild(session: Session, now: datetime | None = None) -> int:
    """Reindex every resource; the number of searchable (published) resources."""
    moment = now or utcnow()
    last = 0
    while True:
        sources = _sources(session, Resource.id > last, limit=CHUNK * 2)
        if not sources:
            break
        chunk = [source.resource_id for source in sources]
        _apply(session, chunk, sources, moment)
        last = chunk[-1]
    orphans = select(Resource.id)
    session.execute(delete(search_documents).where(search_documents.c.resource_id.not_in(orphans)))
    packages = select(ResourceVersion.package_sha256)
    texts = search_package_texts.c
    session.execute(delete(search_package_texts).where(texts.package_sha256.not_in(packages)))
    count = session.scalar(select(func.count()).select_from(search_documents))
    _next_generation(session)  # what any process kept from before may be wrong
    FACETS.clear()
    return int(count or 0)


def _apply(session: Session, chunk: list[int], sources: list[Source], now: datetime) -> None:
    by_id = {source.resource_id: source for source in sources}
    docs = search_documents.c
    compared = [column for column in search_documents.c if column.name not in TEXT_COLUMNS]
    have_docs = {
        row.resource_id: row._asdict()
        for row in session.execute(select(*compared).where(docs.resource_id.in_(chunk)))
    }
    feed = published_changes.c
    have_feed = {
        row.resource_id: (row.state, row.signature)
        for row in session.execute(
            select(feed.resource_id, feed.state, feed.signature).where(feed.resource_id.in_(chunk))
        )
    }
    removed: list[int] = []
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    feed_added: list[dict[str, Any]] = []
    feed_changed: list[dict[str, Any]] = []
    for resource_id in chunk:
        source = by_id.get(resource_id)
        wanted = document(source) if source is not None and source.published else None
        present = have_docs.get(resource_id)
        if wanted is None:
            if present is not None:
                removed.append(resource_id)
        elif present is None:
            added.append(wanted)
        elif present["text_digest"] != wanted["text_digest"]:
            removed.append(resource_id)
            added.append(wanted)
        elif _differs(present, wanted):
            changed.append({**wanted, "b_resource_id": resource_id})
        if source is not None:
            _feed_entry(source, have_feed.get(resource_id), now, feed_added, feed_changed)
    if removed:
        session.execute(delete(search_documents).where(docs.resource_id.in_(removed)))
    if added:
        session.execute(insert(search_documents), added)
    if changed:
        for row in changed:
            for name in ("resource_id", "text_digest", *TEXT_COLUMNS):
                del row[name]
        session.execute(
            search_documents.update().where(docs.resource_id == bindparam("b_resource_id")),
            changed,
        )
    if removed or added or changed or feed_added or feed_changed:
        _next_generation(session)
    if feed_added:
        session.execute(insert(published_changes), feed_added)
    if feed_changed:
        session.execute(
            published_changes.update().where(feed.resource_id == bindparam("b_resource_id")),
            feed_changed,
        )


def _next_generation(session: Session) -> None:
    """Raise the index's generation (its one row is made by migration 0006)."""
    row = search_generation.c
    session.execute(search_generation.update().values(generation=row.generation + 1))


def _differs(present: dict[str, Any], wanted: dict[str, Any]) -> bool:
    for name, value in wanted.items():
        if name not in present:
            continue  # a text column: its digest was compared
        current = present[name]
        if isinstance(current, datetime):
            current = utc(current)
        if current != value:
            return True
    return False


def _feed_entry(
    source: Source,
    present: tuple[str, str] | None,
    now: datetime,
    added: list[dict[str, Any]],
    changed: list[dict[str, Any]],
) -> None:
    """The resource's feed entry: published, or unpublished once it was published."""
    if source.published:
        state = PUBLISHED
    elif present is not None or source.published_at is not None:
        state = UNPUBLISHED
    else:
        return  # never published: the feed does not know it
    signature = feed_signature(source)
    if present == (state, signature):
        return
    entry = {
        "version_id": source.version_id,
        "state": state,
        "signature": signature,
        "changed_at": now,
    }
    if present is None:
        added.append({"resource_id": source.resource_id, **entry})
    else:
        changed.append({"b_resource_id": source.resource_id, **entry})


# ---- the session events ---------------------------------------------------------------


def _pending(session: Session) -> set[int]:
    pending: set[int] = session.info.setdefault(PENDING, set())
    return pending


def _changed(obj: object, fields: Iterable[str]) -> bool:
    attributes = inspect_object(obj).attrs
    return any(attributes[name].history.has_changes() for name in fields)


def _after_flush(session: Session, context: object) -> None:
    pending = _pending(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        resource_id: int | None = None
        if isinstance(obj, Resource):
            if obj not in session.dirty or _changed(obj, RESOURCE_FIELDS):
                resource_id = obj.id
        elif isinstance(obj, ResourceVersion):
            if obj not in session.dirty or _changed(obj, VERSION_FIELDS):
                resource_id = obj.resource_id
        if resource_id is not None:
            pending.add(resource_id)


def _bulk_statement(state: ORMExecuteState) -> Result[Any] | None:
    """A bulk UPDATE or DELETE of resources or versions: note the rows it will touch (or,
    for counters only, run it and copy the counts)."""
    if not (state.is_update or state.is_delete):
        return None
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name == Resource.__tablename__:
        column = Resource.id
    elif name == ResourceVersion.__tablename__:
        column = ResourceVersion.resource_id
    else:
        return None
    where = getattr(state.statement, "whereclause", None)
    touched = select(column) if where is None else select(column).where(where)
    if name == Resource.__tablename__ and state.execution_options.get(COUNTERS_ONLY):
        result = state.invoke_statement()
        _copy_downloads(state.session, touched)
        return result
    _pending(state.session).update(state.session.scalars(touched))
    return None


def _copy_downloads(session: Session, touched: Select[int]) -> None:
    """The touched resources' download counts, as they are now, into their documents."""
    docs = search_documents.c
    count = select(Resource.downloads).where(Resource.id == docs.resource_id).scalar_subquery()
    session.execute(
        search_documents.update().where(docs.resource_id.in_(touched)).values(downloads=count)
    )


def _before_commit(session: Session) -> None:
    session.flush()
    while pending := session.info.pop(PENDING, None):
        reindex(session, pending)
        session.flush()


_LISTENERS = (
    ("after_flush", _after_flush),
    ("do_orm_execute", _bulk_statement),
    ("before_commit", _before_commit),
)


def install() -> None:
    """Listen to every ORM session (once per process)."""
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
