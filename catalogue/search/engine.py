"""``search(session, query)``: the published resources a query finds, one page of them, and
facet counts over all of them, the same on both databases (the backend only matches words).

Three statements: the facet counts (with the total) over the filtered set, materialised
once (and kept, see ``FacetCache``); the page of resource ids in the asked order; and the
page's versions. When no document has every word, ``suggest`` offers the query with its
unknown words replaced by the index's closest ones ("did you mean").
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session, load_only, raiseload

from catalogue.models import Resource, ResourceVersion
from catalogue.search.backends import Backend, Match, for_dialect
from catalogue.search.documents import grades_mask, utc
from catalogue.search.query import (
    SIZE_BUCKETS,
    FacetCount,
    Facets,
    Hit,
    SearchQuery,
    SearchResult,
    SizeBucket,
    Sort,
)
from catalogue.search.schema import search_documents, search_generation
from catalogue.search.suggest import suggestion
from scorm_builder.vocabulary import GRADES

docs = search_documents.c


def backend_of(session: Session) -> Backend:
    return for_dialect(session.get_bind().dialect.name)


def search(session: Session, query: SearchQuery) -> SearchResult:
    backend = backend_of(session)
    conditions = _filters(query)
    words = backend.words(query.terms) if query.terms else None
    similar = backend.similar(query.text) if query.terms else None
    key = _cache_key(session, query)
    counted = FACETS.get(key)
    if counted is None:
        counted = _count(session, words, similar, conditions)
        FACETS.put(key, counted)
    match = similar if counted.fuzzy else words
    items: tuple[Hit, ...] = ()
    if counted.total > query.offset:
        items = _hits(session, _page(session, query, match, conditions))
    offered = None
    if query.terms and (counted.total == 0 or counted.fuzzy):
        offered = suggestion(session, backend, query.text, generation(session))
    return SearchResult(
        total=counted.total,
        items=items,
        facets=counted.facets,
        fuzzy=counted.fuzzy,
        suggestion=offered,
    )


@dataclass(frozen=True)
class Counted:
    facets: Facets
    total: int
    fuzzy: bool  # no document had every word: these count the similar titles


def _count(
    session: Session,
    words: Match | None,
    similar: Match | None,
    conditions: list[ColumnElement[bool]],
) -> Counted:
    facets, total = _facets(session, words, conditions)
    if total == 0 and words is not None and similar is not None:
        facets, total = _facets(session, similar, conditions)
        return Counted(facets, total, fuzzy=True)
    return Counted(facets, total, fuzzy=False)


# ---- facet counts are worth keeping ----------------------------------------------------


class FacetCache:
    """The facet counts (and total) of recent searches, in this process.

    Counting over a broad search (the front page: every resource) reads the whole index,
    so counts are kept, keyed by the search and by the index's generation (every publish,
    unpublish, metadata change or rebuild raises it; downloads do not count). Entries also
    expire after ``ttl`` seconds, which bounds staleness from what does not raise it (a
    resource deleted outright).
    """

    def __init__(self, size: int = 512, ttl: float = 60.0) -> None:
        self.size, self.ttl = size, ttl
        self._entries: OrderedDict[Hashable, tuple[float, Counted]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Counted | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None or time.monotonic() - found[0] > self.ttl:
                return None
            self._entries.move_to_end(key)
            return found[1]

    def put(self, key: Hashable, value: Counted) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


FACETS = FacetCache()


def generation(session: Session) -> int:
    """How many times the index has changed (``search_generation``): every publish,
    unpublish, new version, metadata change and rebuild raises it; downloads do not."""
    return int(session.scalar(select(search_generation.c.generation)) or 0)


def _cache_key(session: Session, query: SearchQuery) -> Hashable:
    changed = generation(session)
    return (
        session.get_bind().engine.url.render_as_string(hide_password=True),
        changed,
        query.terms,
        query.text if query.terms else "",
        query.subjects,
        query.grades,
        query.languages,
        query.resource_types,
        query.licenses,
        query.offline,
        query.size_min,
        query.size_max,
    )


# ---- narrowing -------------------------------------------------------------------------


def _filters(query: SearchQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for column, values in (
        (docs.subject, query.subjects),
        (docs.language, query.languages),
        (docs.resource_type, query.resource_types),
        (docs.license, query.licenses),
    ):
        if values:
            conditions.append(column.in_(values) if len(values) > 1 else column == values[0])
    if query.grades:
        conditions.append(docs.grades_mask.bitwise_and(grades_mask(query.grades)) != 0)
    if query.offline is not None:
        conditions.append(docs.offline_ready.is_(query.offline))
    if query.size_min is not None:
        conditions.append(docs.package_size >= query.size_min)
    if query.size_max is not None:
        conditions.append(docs.package_size <= query.size_max)
    return conditions


def _narrowed(
    columns: Sequence[Any], match: Match | None, conditions: list[ColumnElement[bool]]
) -> Select[Any]:
    statement = select(*columns).select_from(search_documents)
    if match is not None and match.join is not None:
        statement = statement.join(match.join, match.join.c.resource_id == docs.resource_id)
    if match is not None and match.condition is not None:
        statement = statement.where(match.condition)
    return statement.where(*conditions)


# ---- facets --------------------------------------------------------------------------


def _size_bucket(bucket: SizeBucket) -> ColumnElement[bool]:
    if bucket.max is None:
        return docs.package_size >= bucket.min
    return and_(docs.package_size >= bucket.min, docs.package_size <= bucket.max)


def _facets(
    session: Session, match: Match | None, conditions: list[ColumnElement[bool]]
) -> tuple[Facets, int]:
    size = case(
        *((_size_bucket(bucket), bucket.name) for bucket in SIZE_BUCKETS), else_="other"
    ).label("size")
    offline = case((docs.offline_ready, "true"), else_="false").label("offline")
    hits = (
        _narrowed(
            [
                docs.subject,
                docs.language,
                docs.resource_type,
                docs.license,
                offline,
                size,
                docs.grades_mask,
            ],
            match,
            conditions,
        )
        .cte("hits")
        .prefix_with("MATERIALIZED")
    )
    grades = union_all(
        *(
            select(
                literal_column(str(grade)).label("grade"),
                literal_column(str(1 << grade)).label("bit"),
            )
            for grade in GRADES
        )
    ).subquery("grade_numbers")

    def grouped(facet: str, column: Any) -> Select[Any, Any, Any]:
        return (
            select(
                literal_column(f"'{facet}'").label("facet"),
                cast(column, String).label("value"),
                func.count().label("n"),
            )
            .select_from(hits)
            .group_by(column)
        )

    statement: CompoundSelect[Any, Any, Any] = union_all(
        select(
            literal_column("'total'").label("facet"),
            cast(literal_column("''"), String).label("value"),
            func.count().label("n"),
        ).select_from(hits),
        grouped("subject", hits.c.subject),
        grouped("language", hits.c.language),
        grouped("type", hits.c.resource_type),
        grouped("license", hits.c.license),
        grouped("offline", hits.c.offline),
        grouped("size", hits.c.size),
        select(
            literal_column("'grade'").label("facet"),
            cast(grades.c.grade, String).label("value"),
            func.count().label("n"),
        )
        .select_from(hits)
        .join(grades, hits.c.grades_mask.bitwise_and(grades.c.bit) != 0)
        .group_by(grades.c.grade),
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for facet, value, number in session.execute(statement):
        counts[facet][value] = int(number)
    total = counts["total"].get("", 0)
    return _shaped(counts), total


def _by_count(counts: dict[str, int]) -> tuple[FacetCount, ...]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(FacetCount(value, number) for value, number in ordered if number)


def _shaped(counts: dict[str, dict[str, int]]) -> Facets:
    return Facets(
        subject=_by_count(counts["subject"]),
        grade=tuple(
            FacetCount(int(grade), number)
            for grade, number in sorted(counts["grade"].items(), key=lambda item: int(item[0]))
            if number
        ),
        language=_by_count(counts["language"]),
        type=_by_count(counts["type"]),
        license=_by_count(counts["license"]),
        offline=tuple(
            FacetCount(value, counts["offline"].get(name, 0))
            for value, name in ((True, "true"), (False, "false"))
        ),
        size=tuple(
            FacetCount(bucket.name, counts["size"].get(bucket.name, 0), bucket.min, bucket.max)
            for bucket in SIZE_BUCKETS
        ),
    )


# ---- the page --------------------------------------------------------------------------


def _page(
    session: Session,
    query: SearchQuery,
    match: Match | None,
    conditions: list[ColumnElement[bool]],
) -> list[int]:
    order: list[ColumnElement[Any]] = []
    sort = query.order
    if sort is Sort.RELEVANCE and match is not None:
        order.append(match.score.desc())
    elif sort is Sort.DOWNLOADS:
        order.append(docs.downloads.desc())
    order += [docs.published_at.desc(), docs.resource_id.desc()]
    statement = (
        _narrowed([docs.version_id], match, conditions)
        .order_by(*order)
        .limit(query.per_page)
        .offset(query.offset)
    )
    return list(session.scalars(statement))


def _hits(session: Session, version_ids: list[int]) -> tuple[Hit, ...]:
    if not version_ids:
        return ()
    statement = (
        select(ResourceVersion, Resource.uuid, Resource.published_at, Resource.downloads)
        .join(Resource, Resource.id == ResourceVersion.resource_id)
        .where(ResourceVersion.id.in_(version_ids))
        .options(
            load_only(
                *(
                    getattr(ResourceVersion, name)
                    for name in (
                        "resource_id",
                        "number",
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
                        "package_size",
                        "scorm_version",
                    )
                )
            ),
            raiseload("*"),
        )
    )
    found = {
        version.id: _hit(version, uuid, published_at, downloads)
        for version, uuid, published_at, downloads in session.execute(statement)
    }
    return tuple(found[version_id] for version_id in version_ids if version_id in found)


def _hit(version: ResourceVersion, uuid: str, published_at: Any, downloads: int) -> Hit:
    descriptions = {
        "kk": version.description_kk,
        "ru": version.description_ru,
        "en": version.description_en,
    }
    description = descriptions.get(version.language) or next(
        (text for text in descriptions.values() if text), ""
    )
    return Hit(
        uuid=uuid,
        version=version.number,
        title=version.title,
        titles={"kk": version.title_kk, "ru": version.title_ru, "en": version.title_en},
        description=description,
        language=version.language,
        subject=version.subject,
        grades=tuple(version.grades or ()),
        resource_type=str(version.resource_type),
        license=version.license,
        keywords=tuple(version.keywords or ()),
        offline_ready=version.offline_ready,
        size=version.package_size,
        scorm_version=version.scorm_version,
        published_at=utc(published_at),
        downloads=downloads or 0,
    )
