"""The catalogue seen as an OAI-PMH repository: which resources, with which datestamps.

Exposed are PUBLISHED resources (as records) and UNPUBLISHED ones, which were published
once (as deleted records, kept for good: ``deletedRecord=persistent``). Drafts, resources
in review, approved but not yet published, rejected and withdrawn ones never appear. A
record describes the resource's last frozen version, the one that was published.

The datestamp is when the record last changed, computed in SQL so that ``from``/``until``
and the order of pages come from the database (on SQLite and PostgreSQL alike):

    published    the last audit event into "published" (a republish), else published_at
    unpublished  the last audit event into "unpublished", else updated_at

Published versions are frozen, so nothing else changes a record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

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
from sqlalchemy.orm import Session, aliased

from catalogue.models import AuditEvent, Resource, ResourceVersion, State
from catalogue.oai.protocol import Window, as_utc
from catalogue.oai.records import Description, Header, Record
from catalogue.oai.sets import Facet, SetFilter, set_specs
from catalogue.oai.settings import OaiSettings
from catalogue.oai.tokens import Position
from scorm_builder.vocabulary import LANGUAGES

EXPOSED_STATES = (State.PUBLISHED, State.UNPUBLISHED)


def _last_move_into(state: State) -> Any:
    return (
        select(func.max(AuditEvent.at))
        .where(AuditEvent.resource_id == Resource.id, AuditEvent.to_state == state.value)
        .scalar_subquery()
    )


DATESTAMP: ColumnElement[datetime] = type_coerce(
    case(
        (
            Resource.state == State.PUBLISHED,
            func.coalesce(_last_move_into(State.PUBLISHED), Resource.published_at),
        ),
        else_=func.coalesce(_last_move_into(State.UNPUBLISHED), Resource.updated_at),
    ),
    DateTime(timezone=True),
)

_Frozen = aliased(ResourceVersion)
_PUBLISHED_VERSION = (
    select(func.max(_Frozen.number))
    .where(_Frozen.resource_id == Resource.id, _Frozen.frozen_at.is_not(None))
    .scalar_subquery()
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
        """Up to ``limit`` records in datestamp order, after ``after`` when given."""
        statement = self._exposed(window, sets)
        if after is not None:
            statement = statement.where(
                or_(
                    DATESTAMP > after.datestamp,
                    and_(DATESTAMP == after.datestamp, Resource.id > after.resource_id),
                )
            )
        statement = statement.order_by(DATESTAMP, Resource.id).limit(limit)
        return [
            (Position(row[2], row[0].id), self._record(row[0], row[1], row[2]))
            for row in self.session.execute(statement)
        ]

    def count(self, window: Window, sets: SetFilter | None) -> int:
        ids = self._exposed(window, sets).with_only_columns(Resource.id).subquery()
        return int(self.session.scalar(select(func.count()).select_from(ids)) or 0)

    def earliest_datestamp(self) -> datetime | None:
        ids = self._exposed().with_only_columns(DATESTAMP.label("datestamp")).subquery()
        earliest = self.session.scalar(select(func.min(ids.c.datestamp)))
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

    def _exposed(
        self, window: Window = _ANY_TIME, sets: SetFilter | None = None
    ) -> Select[Resource, ResourceVersion, datetime]:
        statement = (
            select(Resource, ResourceVersion, DATESTAMP)
            .join(
                ResourceVersion,
                and_(
                    ResourceVersion.resource_id == Resource.id,
                    ResourceVersion.number == _PUBLISHED_VERSION,
                ),
            )
            .where(Resource.state.in_(EXPOSED_STATES), DATESTAMP.is_not(None))
        )
        if window.start is not None:
            statement = statement.where(DATESTAMP >= window.start)
        if window.end is not None:
            statement = statement.where(DATESTAMP < window.end)
        if sets is not None:
            statement = statement.where(self._in_set(sets))
        return statement

    def _in_set(self, sets: SetFilter) -> ColumnElement[bool]:
        if sets.facet is Facet.SUBJECT:
            if sets.value is None:
                return ResourceVersion.subject != ""
            return ResourceVersion.subject == str(sets.value)
        if sets.value is None:
            return func.json_array_length(ResourceVersion.grades) > 0
        return self._has_grade(int(sets.value))

    def _has_grade(self, grade: int) -> ColumnElement[bool]:
        """``grade`` is in the version's JSON list of grades: each database says it its way."""
        if self._dialect == "postgresql":
            return cast(ResourceVersion.grades, JSONB).contains([grade])
        each = func.json_each(ResourceVersion.grades).table_valued("value")
        return select(literal(1)).select_from(each).where(each.c.value == grade).exists()

    def _record(self, resource: Resource, version: ResourceVersion, datestamp: datetime) -> Record:
        settings = self.settings
        grades = tuple(grade for grade in version.grades or () if isinstance(grade, int))
        header = Header(
            identifier=settings.identifier(resource.uuid),
            datestamp=as_utc(datestamp),
            set_specs=set_specs(version.subject, grades),
            deleted=resource.state is State.UNPUBLISHED,
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
