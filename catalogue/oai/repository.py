"""The catalogue seen as an OAI-PMH repository: which resources, with which datestamps.

Exposed are the resources with a published version (``published_number``): public ones
as records (their next version perhaps under review), UNPUBLISHED ones as deleted records,
kept for good (``deletedRecord=persistent``). Resources never published do not appear. A
record describes the published version.

The datestamp is when the record last changed, computed in SQL so that ``from``/``until``
and the order of pages come from the database (on SQLite and PostgreSQL alike):

    published    the last audit event into "published" (a republish), else published_at
    unpublished  the last audit event into "unpublished", else updated_at
    in revision  published_at: the review of the next version changes no record

(A published resource withdrawn or rejected, which the review's rules no longer allow, is a
deleted record too, dated from its publication.)

The last event into the resource's state is kept on the resource (``state_entered_at``), so
a page reads one row per record and no log. Published versions are frozen, so nothing else
changes a record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session, aliased, defer, lazyload

from catalogue.models import TAKEN_DOWN, Resource, ResourceVersion, State
from catalogue.oai.protocol import Window, as_utc
from catalogue.oai.records import Description, Header, Record
from catalogue.oai.sets import Facet, SetFilter, set_specs
from catalogue.oai.settings import OaiSettings
from catalogue.oai.tokens import Position
from scorm_builder.vocabulary import LANGUAGES

#: A resource is a record once a version of it was published: public (perhaps with its
#: next version under review) or, once taken down, a deleted record.
EXPOSED: ColumnElement[bool] = Resource.published_number.is_not(None)

#: Word for word the expression of the index ``ix_resources_oai_datestamp`` (migration
#: 0008): a public resource under revision is dated from its publication, since the
#: review's steps change nothing a harvester sees.
DATESTAMP: ColumnElement[datetime] = type_coerce(
    case(
        (
            Resource.state == State.PUBLISHED,
            func.coalesce(Resource.state_entered_at, Resource.published_at),
        ),
        (
            Resource.state == State.UNPUBLISHED,
            func.coalesce(Resource.state_entered_at, Resource.updated_at),
        ),
        else_=Resource.published_at,
    ),
    DateTime(timezone=True),
)

#: What a record is made of: the resource without its versions (the join brings the one
#: it describes) and the version without its validation report.
_RECORD_COLUMNS = (
    lazyload(Resource.versions),
    defer(ResourceVersion.validation),
    defer(ResourceVersion.author_response),
)


_ANY_TIME = Window()


class Repository:
    def __init__(self, session: Session, settings: OaiSettings) -> None:
        self.session = session
        self.settings = settings
        self._dialect = session.get_bind().dialect.name

    # ---- queries --------------------------------------------------------------------

    def find(self, uuid: str) -> Record | None:
        statement = self._exposed().where(Resource.uuid == uuid)
        row = self.session.execute(statement).first()
        return None if row is None else self._record(row[0], row[1], row[2])

    def page(
        self,
        window: Window,
        sets: SetFilter | None,
        after: Position | None,
        limit: int,
    ) -> list[tuple[Position, Record]]:
        """Up to ``limit`` records in datestamp order, after ``after`` when given.

        The page's resources are chosen first on the resources alone (in the order of the
        datestamp's index), then only those are read whole."""
        keys = self._keys(window, sets)
        if after is not None:
            keys = keys.where(
                or_(
                    DATESTAMP > after.datestamp,
                    and_(DATESTAMP == after.datestamp, Resource.id > after.resource_id),
                )
            )
        chosen = keys.order_by(DATESTAMP, Resource.id).limit(limit).subquery("page")
        statement = (
            self._exposed()
            .join(chosen, chosen.c.id == Resource.id)
            .order_by(chosen.c.datestamp, Resource.id)
        )
        return [
            (Position(row[2], row[0].id), self._record(row[0], row[1], row[2]))
            for row in self.session.execute(statement)
        ]

    def count(self, window: Window, sets: SetFilter | None) -> int:
        ids = self._keys(window, sets).subquery()
        return int(self.session.scalar(select(func.count()).select_from(ids)) or 0)

    def earliest_datestamp(self) -> datetime | None:
        keys = self._keys().subquery()
        earliest = self.session.scalar(select(func.min(keys.c.datestamp)))
        return None if earliest is None else as_utc(earliest)

    def facets_in_use(self) -> tuple[set[str], set[int]]:
        """The subjects and grades of the exposed records (for ListSets)."""
        statement = self._exposed().with_only_columns(
            ResourceVersion.subject, ResourceVersion.grades
        )
        subjects: set[str] = set()
        grades: set[int] = set()
        for subject, row_grades in self.session.execute(statement):
            if subject:
                subjects.add(subject)
            grades.update(grade for grade in row_grades or () if isinstance(grade, int))
        return subjects, grades

    # ---- building blocks ------------------------------------------------------------

    def _exposed(self) -> Select[Resource, ResourceVersion, datetime]:
        """Every exposed record's resource, the version it describes and its datestamp."""
        return (
            select(Resource, ResourceVersion, DATESTAMP)
            .join(
                ResourceVersion,
                and_(
                    ResourceVersion.resource_id == Resource.id,
                    ResourceVersion.number == Resource.published_number,
                ),
            )
            .where(EXPOSED, DATESTAMP.is_not(None))
            .options(*_RECORD_COLUMNS)
        )

    def _keys(
        self, window: Window = _ANY_TIME, sets: SetFilter | None = None
    ) -> Select[int, datetime]:
        """The id and datestamp of each exposed record in the window and sets: the
        resources' own columns, with the version only where a set asks for it."""
        statement = select(Resource.id, DATESTAMP.label("datestamp")).where(
            EXPOSED, DATESTAMP.is_not(None)
        )
        if window.start is not None:
            statement = statement.where(DATESTAMP >= window.start)
        if window.end is not None:
            statement = statement.where(DATESTAMP < window.end)
        if sets is not None:
            described = aliased(ResourceVersion)
            statement = statement.join(
                described,
                and_(
                    described.resource_id == Resource.id,
                    described.number == Resource.published_number,
                ),
            ).where(self._in_set(sets, described))
        return statement

    def _in_set(self, sets: SetFilter, version: type[ResourceVersion]) -> ColumnElement[bool]:
        if sets.facet is Facet.SUBJECT:
            if sets.value is None:
                return version.subject != ""
            return version.subject == str(sets.value)
        if sets.value is None:
            return func.json_array_length(version.grades) > 0
        return self._has_grade(version, int(sets.value))

    def _has_grade(self, version: type[ResourceVersion], grade: int) -> ColumnElement[bool]:
        """``grade`` is in the version's JSON list of grades: each database says it its way."""
        if self._dialect == "postgresql":
            return cast(version.grades, JSONB).contains([grade])
        each = func.json_each(version.grades).table_valued("value")
        return select(literal(1)).select_from(each).where(each.c.value == grade).exists()

    def _record(self, resource: Resource, version: ResourceVersion, datestamp: datetime) -> Record:
        settings = self.settings
        grades = tuple(grade for grade in version.grades or () if isinstance(grade, int))
        header = Header(
            identifier=settings.identifier(resource.uuid),
            datestamp=as_utc(datestamp),
            set_specs=set_specs(version.subject, grades),
            deleted=resource.state in TAKEN_DOWN,
        )
        names = [resource.owner.name, *(user.name for user in resource.coauthors)]
        description = Description(
            uuid=resource.uuid,
            titles=_by_language(version, "title"),
            descriptions=_by_language(version, "description"),
            language=version.language,
            subject=version.subject,
            grades=grades,
            keywords=tuple(str(keyword) for keyword in version.keywords or () if keyword),
            resource_type=version.resource_type,
            learning_minutes=version.learning_minutes,
            license=version.license,
            rights_holder=version.rights_holder,
            authors=tuple(name.strip() for name in names if name and name.strip()),
            version=version.number,
            package_size=version.package_size,
            scorm_version=version.scorm_version,
            published_at=None if resource.published_at is None else as_utc(resource.published_at),
            page_url=settings.page_url(resource.uuid),
            package_url=settings.package_url(resource.uuid),
        )
        return Record(header, description)


def _by_language(version: ResourceVersion, field: str) -> tuple[tuple[str, str], ...]:
    """The resource's own language first, then the others it was described in."""
    languages: Sequence[str] = LANGUAGES
    if version.language in languages:
        languages = (version.language, *(lang for lang in languages if lang != version.language))
    texts = ((lang, str(getattr(version, f"{field}_{lang}") or "").strip()) for lang in languages)
    return tuple((lang, text) for lang, text in texts if text)
