"""How resources are used in schools, as Moodle sites report it: storing a site's report of
a day, and summing up one resource's use.

A site sends totals so far (cumulative snapshots), not what happened since its last
report. So its report for a day replaces whatever it sent earlier that day, and a sum over
sites takes each site's latest snapshot, never adds up one site's days. The rows hold counts
and aggregates only: no learner's name or id ever reaches the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from catalogue.db import db
from catalogue.errors import Conflict
from catalogue.models import Resource, UsageReport, utcnow
from catalogue.services.usage_report import Report, Site

#: How many resource UUIDs one query looks up (well under SQLite's parameter limit).
LOOKUP_CHUNK = 500
#: A concurrent report for the same site and day makes the insert collide once; then the
#: report is stored again over the other one (the later report wins, as it would anyway).
ATTEMPTS = 2


@dataclass(frozen=True)
class Stored:
    site: Site
    period: date
    stored: int
    unknown_resources: tuple[str, ...]


@dataclass(frozen=True)
class Totals:
    """A resource's use as of ``day``: over every site, that site's latest snapshot up to
    that day (a site that stops reporting a resource keeps its last numbers: they are
    totals so far)."""

    day: date
    schools: int
    learners: int
    completed: int
    passed: int
    attempts: int
    #: Learners in the rows that report a mean score, and the sum of mean x learners.
    scored_learners: int
    score_total: float

    @property
    def completion_rate(self) -> float | None:
        """Completed over learners, 0 to 1; None before anyone started."""
        return self.completed / self.learners if self.learners else None

    @property
    def score_mean(self) -> float | None:
        """The mean score (0-100) weighted by learners, over the rows that report one."""
        return self.score_total / self.scored_learners if self.scored_learners else None


@dataclass(frozen=True)
class UsageSummary:
    """One resource's use across all its versions: the totals on each day that has reports,
    oldest first; the last of them is the use as of now."""

    days: tuple[Totals, ...]

    @property
    def latest(self) -> Totals | None:
        return self.days[-1] if self.days else None


# ---- storing ----------------------------------------------------------------------------


def store(report: Report) -> Stored:
    """Replace the site's rows of the report's day with the report, in one transaction.

    Activities of resources the catalogue does not know (deleted, or from another
    catalogue) are left out and named in the answer, so the rest of the report still
    counts.
    """
    for _ in range(ATTEMPTS):
        stored = _replace(report)
        if stored is not None:
            return stored
    raise Conflict(
        "another report for this site and day was stored at the same time; send it again",
        code="usage_conflict",
    )


def _replace(report: Report) -> Stored | None:
    """The report stored, or None when a concurrent one collided with it (rolled back)."""
    known = _resource_ids({activity.resource for activity in report.activities})
    received = utcnow()
    rows = [
        {
            "site_url": report.site.url,
            "site_name": report.site.name,
            "course_id": activity.course_id,
            "course_name": activity.course_name,
            "resource_id": known[activity.resource],
            "version_number": activity.version,
            "period": report.period,
            "learners": activity.learners,
            "completed": activity.completed,
            "passed": activity.passed,
            "attempts": activity.attempts,
            "score_mean": activity.score_mean,
            "score_median": activity.score_median,
            "time_seconds": activity.time_seconds,
            "received_at": received,
        }
        for activity in report.activities
        if activity.resource in known
    ]
    try:
        db.session.execute(
            delete(UsageReport).where(
                UsageReport.site_url == report.site.url, UsageReport.period == report.period
            )
        )
        if rows:
            db.session.execute(insert(UsageReport), rows)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    unknown = dict.fromkeys(a.resource for a in report.activities if a.resource not in known)
    return Stored(report.site, report.period, len(rows), tuple(unknown))


def _resource_ids(uuids: Iterable[str]) -> dict[str, int]:
    wanted = sorted(uuids)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        rows = db.session.execute(
            select(Resource.uuid, Resource.id).where(Resource.uuid.in_(chunk))
        ).all()
        found.update({uuid: ident for uuid, ident in rows})
    return found


# ---- summing up ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteDay:
    """One site's snapshot of one resource on one day, its courses added up."""

    site_url: str
    day: date
    learners: int
    completed: int
    passed: int
    attempts: int
    scored_learners: int
    score_total: float


def summary(resource: Resource) -> UsageSummary:
    """The resource's use, from the database: its rows added up per site and day there,
    then each day's totals over the sites' latest snapshots (``running_totals``)."""
    scored = UsageReport.score_mean.is_not(None)
    rows = db.session.execute(
        select(
            UsageReport.site_url,
            UsageReport.period,
            func.sum(UsageReport.learners),
            func.sum(UsageReport.completed),
            func.sum(UsageReport.passed),
            func.sum(UsageReport.attempts),
            func.sum(case((scored, UsageReport.learners), else_=0)),
            func.sum(UsageReport.score_mean * UsageReport.learners),
        )
        .where(UsageReport.resource_id == resource.id)
        .group_by(UsageReport.site_url, UsageReport.period)
        .order_by(UsageReport.period, UsageReport.site_url)
    ).all()
    site_days = [
        SiteDay(
            site_url=url,
            day=day,
            learners=int(learners or 0),
            completed=int(completed or 0),
            passed=int(passed or 0),
            attempts=int(attempts or 0),
            scored_learners=int(scored_learners or 0),
            score_total=float(score_total or 0.0),
        )
        for url, day, learners, completed, passed, attempts, scored_learners, score_total in rows
    ]
    return UsageSummary(tuple(running_totals(site_days)))


def running_totals(site_days: Sequence[SiteDay]) -> list[Totals]:
    """For each day that has snapshots (``site_days`` in day order), the totals over every
    site of its latest snapshot up to that day."""
    latest: dict[str, SiteDay] = {}
    totals: list[Totals] = []
    for day, same_day in groupby(site_days, key=lambda row: row.day):
        for row in same_day:
            latest[row.site_url] = row
        current = latest.values()
        totals.append(
            Totals(
                day=day,
                schools=len(latest),
                learners=sum(row.learners for row in current),
                completed=sum(row.completed for row in current),
                passed=sum(row.passed for row in current),
                attempts=sum(row.attempts for row in current),
                scored_learners=sum(row.scored_learners for row in current),
                score_total=sum(row.score_total for row in current),
            )
        )
    return totals
