"""The catalogue's data: users and tokens, resources with immutable versions, the council's
assignments and reviews, the append-only audit log, downloads, and the use Moodle sites
report (counts only: no learner is ever named).

Typed SQLAlchemy 2.0 models (``Mapped[...]``). The enums and the rubric are the domain's
(``catalogue.domain``, re-exported here) and are stored as their string values; every
timestamp column is a ``UTCDateTime`` (aware UTC on SQLite and PostgreSQL alike).
A resource carries ``lock_version``: SQLAlchemy adds it to every UPDATE, so of two
concurrent decisions on one resource only the first commits (the other gets
``StaleDataError``, answered with 409).
"""

from __future__ import annotations

import enum
import uuid as uuid_module
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
    event,
    or_,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from catalogue.db import db
from catalogue.domain import (
    CRITERIA,
    GATES,
    LICENSES,
    READ_ONLY_SCOPES,
    AssignmentState,
    JobState,
    Recommendation,
    ResourceType,
    Role,
    State,
    TokenScope,
    as_utc,
    utcnow,
)
from scorm_builder.vocabulary import LANGUAGES

#: The domain's names, imported from here by much of the tree: they live in
#: ``catalogue.domain`` (pure, so that ``catalogue.workflow`` needs no model).
__all__ = [
    "CRITERIA",
    "GATES",
    "LICENSES",
    "READ_ONLY_SCOPES",
    "ApiToken",
    "AssignmentState",
    "AuditEvent",
    "Download",
    "Job",
    "JobState",
    "OfflineResultsFile",
    "Recommendation",
    "Resource",
    "ResourceAuthor",
    "ResourceType",
    "ResourceVersion",
    "Review",
    "ReviewAssignment",
    "Role",
    "State",
    "TokenScope",
    "USAGE_MOODLE",
    "USAGE_OFFLINE",
    "UTCDateTime",
    "UsageReport",
    "User",
    "UserRole",
    "utcnow",
]


class UTCDateTime(TypeDecorator[datetime]):
    """The type of every timestamp column: UTC in, aware UTC out, on every database.

    The storage stays ``DateTime(timezone=True)`` (so no migration): PostgreSQL keeps a
    ``timestamptz`` and answers in the session's time zone, SQLite keeps text without a
    zone and answers naive datetimes; both come back here as aware UTC. A naive datetime
    written is taken to be UTC already (what ``flask_babel.to_utc`` gives); an aware one in
    another zone is converted, where SQLite would otherwise keep its wall-clock time.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"a timestamp column takes a datetime, not {type(value).__name__}")
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


def _enum(kind: type[enum.Enum], name: str) -> Enum:
    return Enum(
        kind,
        name=name,
        native_enum=False,
        values_callable=lambda e: [m.value for m in e],
        length=32,
    )


class User(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(256))
    locale: Mapped[str] = mapped_column(String(5), default="kk")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(row.role for row in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)


class UserRole(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), primary_key=True)
    user: Mapped[User] = relationship(back_populates="role_rows")


class ApiToken(db.Model):  # type: ignore[name-defined,misc]
    """A bearer token; only its SHA-256 is stored (tokens are 256 random bits)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    scope: Mapped[TokenScope] = mapped_column(_enum(TokenScope, "token_scope"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")


#: The states of a resource that was published once and is not any more: unpublished by
#: the council (and, in data older than the review's rules, withdrawn or rejected).
TAKEN_DOWN = frozenset({State.UNPUBLISHED, State.WITHDRAWN, State.REJECTED})


class Resource(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(
        String(36), unique=True, index=True, default=lambda: str(uuid_module.uuid4())
    )
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[State] = mapped_column(_enum(State, "state"), default=State.DRAFT, index=True)
    reviews_anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    #: The moment of the last audit event that left the resource in the state it is in now
    #: (kept by ``_events_date_their_resource`` below): OAI-PMH dates its records from it
    #: without reading the log for every record.
    state_entered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revision_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the authors were last reminded of an overdue revision (reminders are spaced).
    revision_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    downloads: Mapped[int] = mapped_column(Integer, default=0)
    #: The number of the version the public sees, set when the council publishes one. A
    #: published resource keeps it while its next version is under review, so schools go on
    #: with the approved lesson until the council publishes the new one (``is_public``).
    published_number: Mapped[int | None] = mapped_column(Integer)
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")
    coauthor_rows: Mapped[list[ResourceAuthor]] = relationship(
        back_populates="resource", cascade="all, delete-orphan", lazy="selectin"
    )
    versions: Mapped[list[ResourceVersion]] = relationship(
        back_populates="resource",
        order_by="ResourceVersion.number",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def coauthors(self) -> list[User]:
        return [row.user for row in self.coauthor_rows]

    @property
    def author_ids(self) -> frozenset[int]:
        return frozenset({self.owner_id, *(row.user_id for row in self.coauthor_rows)})

    @property
    def latest(self) -> ResourceVersion:
        return self.versions[-1]

    @property
    def published_version(self) -> ResourceVersion | None:
        """The version last published, public or taken down since."""
        number = self.published_number
        return next((v for v in self.versions if v.number == number), None)

    @property
    def is_public(self) -> bool:
        """Whether the public sees the resource: a version was published and the resource was
        not taken down since (a revision in review keeps it public)."""
        return self.published_number is not None and self.state not in TAKEN_DOWN

    @property
    def public_version(self) -> ResourceVersion | None:
        return self.published_version if self.is_public else None

    @property
    def in_revision(self) -> bool:
        """A published resource whose next version is on its way through the council."""
        return self.is_public and self.state is not State.PUBLISHED


def is_public_clause() -> ColumnElement[bool]:
    """``Resource.is_public`` in SQL."""
    return and_(Resource.published_number.is_not(None), Resource.state.not_in(TAKEN_DOWN))


class ResourceAuthor(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "resource_authors"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    resource: Mapped[Resource] = relationship(back_populates="coauthor_rows")
    user: Mapped[User] = relationship(lazy="joined")


class ResourceVersion(db.Model):  # type: ignore[name-defined,misc]
    """One version: the package and its metadata. Frozen once submitted (``frozen_at``)."""

    __tablename__ = "resource_versions"
    __table_args__ = (UniqueConstraint("resource_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    package_sha256: Mapped[str] = mapped_column(String(64), index=True)
    package_size: Mapped[int] = mapped_column(Integer)
    package_name: Mapped[str] = mapped_column(String(255), default="package.zip")
    validation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    title_kk: Mapped[str] = mapped_column(String(500), default="")
    title_ru: Mapped[str] = mapped_column(String(500), default="")
    title_en: Mapped[str] = mapped_column(String(500), default="")
    description_kk: Mapped[str] = mapped_column(Text, default="")
    description_ru: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="kk")
    subject: Mapped[str] = mapped_column(String(64), default="", index=True)
    grades: Mapped[list[int]] = mapped_column(JSON, default=list)
    resource_type: Mapped[ResourceType] = mapped_column(
        _enum(ResourceType, "resource_type"), default=ResourceType.LESSON
    )
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    learning_minutes: Mapped[int | None] = mapped_column(Integer)
    license: Mapped[str] = mapped_column(String(32), default="CC-BY-4.0")
    rights_holder: Mapped[str] = mapped_column(String(300), default="")
    copyright_attested: Mapped[bool] = mapped_column(Boolean, default=False)
    accessibility: Mapped[list[str]] = mapped_column(JSON, default=list)
    offline_ready: Mapped[bool] = mapped_column(Boolean, default=False)
    scorm_version: Mapped[str] = mapped_column(String(32), default="")
    author_response: Mapped[str] = mapped_column(Text, default="")

    resource: Mapped[Resource] = relationship(back_populates="versions")

    @property
    def title(self) -> str:
        """The title in the resource's language, else any title it has."""
        own = getattr(self, f"title_{self.language}", "") if self.language in LANGUAGES else ""
        return own or self.title_kk or self.title_ru or self.title_en


class ReviewAssignment(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "review_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("resource_versions.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[AssignmentState] = mapped_column(
        _enum(AssignmentState, "assignment_state"), default=AssignmentState.INVITED
    )
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    no_conflict_declared: Mapped[bool] = mapped_column(Boolean, default=False)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    #: When the reviewer was last reminded of an overdue review (reminders are spaced).
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    resource: Mapped[Resource] = relationship()
    version: Mapped[ResourceVersion] = relationship()
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id], lazy="joined")
    review: Mapped[Review | None] = relationship(back_populates="assignment", uselist=False)


class Review(db.Model):  # type: ignore[name-defined,misc]
    """A reviewer's review of one version: gates, criteria 0-3 (None = N/A), recommendation."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("review_assignments.id", ondelete="CASCADE"), unique=True
    )
    gates: Mapped[dict[str, bool | None]] = mapped_column(JSON, default=dict)
    scores: Mapped[dict[str, int | None]] = mapped_column(JSON, default=dict)
    recommendation: Mapped[Recommendation | None] = mapped_column(
        _enum(Recommendation, "recommendation")
    )
    comment_to_author: Mapped[str] = mapped_column(Text, default="")
    comment_to_chair: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    assignment: Mapped[ReviewAssignment] = relationship(back_populates="review")


class AuditEvent(db.Model):  # type: ignore[name-defined,misc]
    """Append-only: who did what to which resource version, from which state to which, why."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    version_number: Mapped[int | None] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor: Mapped[User | None] = relationship(lazy="joined")


class Download(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "downloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    version_number: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    via_token_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_tokens.id", ondelete="SET NULL")
    )


#: Where a usage report comes from (``UsageReport.source``).
USAGE_MOODLE = "moodle"
USAGE_OFFLINE = "offline"


class UsageReport(db.Model):  # type: ignore[name-defined,misc]
    """What one Moodle site knows of one resource in one of its courses, as of one UTC day.

    Moodle sends totals so far (cumulative), not what happened that day, so a site's report
    for a day replaces that day's rows of that site. Only counts and aggregates: nothing
    here identifies a learner. An offline library's results file is counted in the same
    shape (``source`` "offline"), the library standing for the site.
    """

    __tablename__ = "usage_reports"
    __table_args__ = (UniqueConstraint("site_url", "course_id", "resource_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_url: Mapped[str] = mapped_column(String(500))
    site_name: Mapped[str] = mapped_column(String(500), default="")
    course_id: Mapped[int] = mapped_column(BigInteger)
    course_name: Mapped[str] = mapped_column(String(500), default="")
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    version_number: Mapped[int | None] = mapped_column(Integer)
    period: Mapped[date] = mapped_column(Date)
    learners: Mapped[int] = mapped_column(Integer)
    completed: Mapped[int] = mapped_column(Integer)
    passed: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer)
    score_mean: Mapped[float | None] = mapped_column(Float)
    score_median: Mapped[float | None] = mapped_column(Float)
    time_seconds: Mapped[int | None] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Who counted it: "moodle" (a site's report), or "offline" (an offline library's
    #: results file, ``site_url`` "offline:<library id>", ``course_id`` 0).
    source: Mapped[str] = mapped_column(
        String(16), default=USAGE_MOODLE, server_default=USAGE_MOODLE
    )


class OfflineResultsFile(db.Model):  # type: ignore[name-defined,misc]
    """An offline library's results file the catalogue has counted into ``usage_reports``:
    its checksum is unique, so the same file is never counted twice. Not the file itself
    (it names pupils): when, from which library, by whom, and how many entries."""

    __tablename__ = "offline_results_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    checksum: Mapped[str] = mapped_column(String(71), unique=True)  # "sha256:" + 64 hex
    library: Mapped[str] = mapped_column(String(36), index=True)
    school: Mapped[str] = mapped_column(String(500), default="")
    exported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    taken_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    entries: Mapped[int] = mapped_column(Integer)


@event.listens_for(Session, "before_flush")
def _audit_is_append_only(session: Session, context: object, instances: object) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError("the audit log is append-only")


@event.listens_for(Session, "after_flush")
def _events_date_their_resource(session: Session, context: object) -> None:
    """Each new audit event whose ``to_state`` is its resource's state now moves the
    resource's ``state_entered_at`` forward to the event's moment. After the flush, so the
    resource's own UPDATE has run whatever order the flush chose; a plain UPDATE, so
    neither ``lock_version`` nor ``updated_at`` moves with it."""
    events = [obj for obj in session.new if isinstance(obj, AuditEvent) and obj.to_state]
    resources = Resource.__table__
    entered = resources.c.state_entered_at
    for audit in events:
        session.execute(
            resources.update()
            .where(
                resources.c.id == audit.resource_id,
                resources.c.state == audit.to_state,
                or_(entered.is_(None), entered < audit.at),
            )
            .values(state_entered_at=audit.at, updated_at=resources.c.updated_at)
        )


class Job(db.Model):  # type: ignore[name-defined,misc]
    """A background job (a build, a transcode, a validation): its state lives here, not in
    the queue, so a restart or a lost queue message loses no job.

    A worker claims a queued job with one conditional UPDATE (``state = queued``), so two
    workers never run the same job; a running job whose ``heartbeat_at`` is too old had
    its worker die and is queued again (up to ``max_attempts``) or reported failed.
    """

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(
        String(36), primary_key=True, default=lambda: str(uuid_module.uuid4())
    )
    kind: Mapped[str] = mapped_column(String(32), index=True)
    state: Mapped[JobState] = mapped_column(
        _enum(JobState, "job_state"), default=JobState.QUEUED, index=True
    )
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: A message key of ``catalogue.jobs`` (translated on the page) and its fields.
    step: Mapped[str] = mapped_column(String(64), default="")
    progress: Mapped[float] = mapped_column(default=0.0)
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=2)
    worker: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    owner: Mapped[User | None] = relationship()

    @property
    def finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)
