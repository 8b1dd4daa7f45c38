"""The catalogue's statistics: downloads per month, how long the council takes, and how
many resources there are by state, subject, grade and language.

Review turnaround is read from the audit log alone, from its events that change the state
(the log records actions within a state with that state on both sides). A stage starts
when a resource enters its first state and ends when the resource next enters one of its
end states; any other transition in between (a return to draft, a withdrawal) abandons it.
``turnaround`` is the pure part, so it can be tested with a list of events.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute

from catalogue.db import db
from catalogue.domain import as_utc
from catalogue.models import (
    AuditEvent,
    Download,
    Resource,
    ResourceVersion,
    is_public_clause,
)


@dataclass(frozen=True)
class Stage:
    name: str
    start: str
    ends: frozenset[str]


STAGES = (
    Stage("submitted_to_under_review", "submitted", frozenset({"under_review"})),
    Stage(
        "under_review_to_decision",
        "under_review",
        frozenset({"revision_requested", "approved", "rejected"}),
    ),
    Stage("revision_requested_to_resubmitted", "revision_requested", frozenset({"submitted"})),
    Stage("approved_to_published", "approved", frozenset({"published"})),
)


@dataclass(frozen=True)
class Transition:
    """One state change of a resource, as the audit log records it."""

    resource_id: int
    to_state: str
    at: datetime


@dataclass(frozen=True)
class Turnaround:
    median_days: float | None
    count: int


@dataclass(frozen=True)
class MonthlyDownloads:
    resource_uuid: str
    month: str  # YYYY-MM, UTC
    downloads: int


@dataclass(frozen=True)
class ResourceCounts:
    """Counts by state over every resource; by subject, grade and language of the latest
    version over the resources counted (every one, or the published ones only)."""

    total: int
    by_state: dict[str, int]
    by_subject: dict[str, int]
    by_grade: dict[str, int]
    by_language: dict[str, int]


def turnaround(transitions: Iterable[Transition]) -> dict[str, Turnaround]:
    """The median length in days of each stage over ``transitions`` (in time order)."""
    durations: dict[str, list[float]] = {stage.name: [] for stage in STAGES}
    started: dict[tuple[int, str], datetime] = {}
    for t in transitions:
        for stage in STAGES:
            key = (t.resource_id, stage.name)
            if key in started:
                begun = started.pop(key)
                if t.to_state in stage.ends:
                    seconds = (as_utc(t.at) - as_utc(begun)).total_seconds()
                    durations[stage.name].append(seconds / 86400)
            if t.to_state == stage.start:
                started[key] = t.at
    return {
        name: Turnaround(round(statistics.median(days), 2) if days else None, len(days))
        for name, days in durations.items()
    }


def _changes_state() -> ColumnElement[bool]:
    """Events that moved the resource (the log also records actions within a state)."""
    return AuditEvent.from_state.is_(None) | (AuditEvent.from_state != AuditEvent.to_state)


def review_turnaround() -> dict[str, Turnaround]:
    rows = db.session.execute(
        select(AuditEvent.resource_id, AuditEvent.to_state, AuditEvent.at)
        .where(AuditEvent.to_state.is_not(None), _changes_state())
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return turnaround(Transition(r, str(s), a) for r, s, a in rows)


def _month(column: InstrumentedAttribute[datetime]) -> ColumnElement[str]:
    """``YYYY-MM`` of a UTC timestamp, in the database's own dialect."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def monthly_downloads(resource_id: int | None = None) -> list[MonthlyDownloads]:
    """Downloads per resource per month, oldest month first."""
    month = _month(Download.at).label("month")
    query = (
        select(Resource.uuid, month, func.count(Download.id))
        .join(Resource, Resource.id == Download.resource_id)
        .group_by(Resource.uuid, month)
        .order_by(month, Resource.uuid)
    )
    if resource_id is not None:
        query = query.where(Download.resource_id == resource_id)
    return [MonthlyDownloads(u, str(m), int(n)) for u, m, n in db.session.execute(query)]


def resource_counts(published_only: bool = False) -> ResourceCounts:
    """``total`` and the subject, grade and language counts are over the published
    resources with ``published_only`` (what the public sees), else over every resource,
    drafts and reviews included; ``by_state`` always names every state."""
    by_state = {
        state.value: int(n)
        for state, n in db.session.execute(
            select(Resource.state, func.count(Resource.id)).group_by(Resource.state)
        )
    }
    fields = (ResourceVersion.subject, ResourceVersion.language, ResourceVersion.grades)
    if published_only:  # as the public sees them: the published version, a newer under review
        described = (
            select(*fields)
            .join(Resource, Resource.id == ResourceVersion.resource_id)
            .where(is_public_clause(), ResourceVersion.number == Resource.published_number)
        )
    else:
        newest = (
            select(ResourceVersion.resource_id, func.max(ResourceVersion.number).label("number"))
            .group_by(ResourceVersion.resource_id)
            .subquery()
        )
        described = select(*fields).join(
            newest,
            (newest.c.resource_id == ResourceVersion.resource_id)
            & (newest.c.number == ResourceVersion.number),
        )
    latest = db.session.execute(described)
    subjects: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    grades: Counter[int] = Counter()
    for subject, language, grade_list in latest:
        subjects[subject or ""] += 1
        languages[language or ""] += 1
        grades.update(set(grade_list or []))
    return ResourceCounts(
        total=int(db.session.scalar(select(func.count(Resource.id)).where(is_public_clause())) or 0)
        if published_only
        else sum(by_state.values()),
        by_state=dict(sorted(by_state.items())),
        by_subject=dict(sorted(subjects.items())),
        by_grade={str(g): n for g, n in sorted(grades.items())},
        by_language=dict(sorted(languages.items())),
    )
