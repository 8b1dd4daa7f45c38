"""How resources are used in schools, as Moodle sites report it and offline libraries' results
files tell it: storing a site's report of a day, taking a library's file, and summing up
one resource's use.

A site sends totals so far (cumulative snapshots), not what happened since its last
report. So its report for a day replaces whatever it sent earlier that day, and a sum over
sites takes each site's latest snapshot, never adds up one site's days. The rows hold counts
and aggregates only: no learner's name or id ever reaches the catalogue.

An offline library's results file is such a snapshot too: the library's totals so far, as
of the day it was exported, stored as the rows of a "site" ``offline:<library id>`` (source
``offline``). A file is taken whole or not at all, and only once (its checksum).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby

from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from catalogue.db import db
from catalogue.domain import timestamp
from catalogue.errors import Conflict, Invalid
from catalogue.models import USAGE_OFFLINE, OfflineResultsFile, Resource, UsageReport, utcnow
from catalogue.services import offline_results
from catalogue.services.offline_results import OfflineResults
from catalogue.services.usage_report import Problems, Report, Site

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
    #: Of ``schools`` and ``learners``, those counted from offline libraries' files.
    offline_libraries: int = 0
    offline_learners: int = 0

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


# ---- an offline library's results file -----------------------------------------------

#: The site name of a library whose teacher typed no school.
OFFLINE_SITE_NAME = "Offline library"


@dataclass(frozen=True)
class TakenOffline:
    """What a results file was counted as."""

    library: str
    school: str
    exported_at: datetime
    period: date
    taken_at: datetime
    entries: int
    learners: int
    resources: int


def offline_site(library: str) -> str:
    """The "site" a library's rows are stored under (never an http(s) site's identity)."""
    return f"offline:{library}"


def take_offline(results: OfflineResults, taken_by_id: int | None) -> TakenOffline:
    """Count the file into its resources' use, all of it in one transaction, or refuse it
    and change nothing:

    - the same file again (its checksum): 409 ``offline_results_already_taken``;
    - an older export of the library's day than one taken already: 409
      ``offline_results_outdated`` (the day's rows are the library's latest totals);
    - entries of resources the catalogue never published (another catalogue's library, or
      a file made up): 422 ``offline_results_unknown_resources``, naming them. A resource
      published once and taken down since still counts: the pupils did use it.

    The library's rows of the export's day are replaced, as a Moodle site's report of a day
    replaces that day's, so a later export of the same day stands for the library.
    """
    for _ in range(ATTEMPTS):
        taken = _take(results, taken_by_id)
        if taken is not None:
            return taken
    raise Conflict(
        "another results file of this library and day was taken at the same time; send it again",
        code="usage_conflict",
    )


def _take(results: OfflineResults, taken_by_id: int | None) -> TakenOffline | None:
    """The file counted, or None when a concurrent one collided with it (rolled back)."""
    _refuse_taken(results.checksum)
    _refuse_outdated(results)
    known = _published_ids(results)
    sums = offline_results.totals(results)
    taken_at = utcnow()
    site = offline_site(results.library)
    rows = [
        {
            "site_url": site,
            "site_name": results.school or OFFLINE_SITE_NAME,
            "course_id": 0,
            "course_name": "",
            "resource_id": known[total.resource],
            "version_number": total.version,
            "period": results.period,
            "learners": total.learners,
            "completed": total.completed,
            "passed": total.passed,
            "attempts": total.attempts,
            "score_mean": total.score_mean,
            "score_median": total.score_median,
            "time_seconds": None,
            "received_at": taken_at,
            "source": USAGE_OFFLINE,
        }
        for total in sums
    ]
    try:
        db.session.add(
            OfflineResultsFile(
                checksum=results.checksum,
                library=results.library,
                school=results.school,
                exported_at=results.exported_at,
                taken_at=taken_at,
                taken_by_id=taken_by_id,
                entries=len(results.entries),
            )
        )
        db.session.flush()
        db.session.execute(
            delete(UsageReport).where(
                UsageReport.site_url == site, UsageReport.period == results.period
            )
        )
        if rows:
            db.session.execute(insert(UsageReport), rows)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        _refuse_taken(results.checksum)  # the same file, sent twice at once
        return None
    return TakenOffline(
        library=results.library,
        school=results.school,
        exported_at=results.exported_at,
        period=results.period,
        taken_at=taken_at,
        entries=len(results.entries),
        learners=results.learners,
        resources=len(rows),
    )


def _refuse_taken(checksum: str) -> None:
    taken = db.session.scalar(
        select(OfflineResultsFile).where(OfflineResultsFile.checksum == checksum)
    )
    if taken is not None:
        raise Conflict(
            f"this results file was taken already, on {timestamp(taken.taken_at)}",
            code="offline_results_already_taken",
            details={
                "taken_at": timestamp(taken.taken_at),
                "exported_at": timestamp(taken.exported_at),
            },
        )


def _refuse_outdated(results: OfflineResults) -> None:
    day = datetime.combine(results.period, time(), tzinfo=UTC)
    later = db.session.scalar(
        select(func.max(OfflineResultsFile.exported_at)).where(
            OfflineResultsFile.library == results.library,
            OfflineResultsFile.exported_at >= day,
            OfflineResultsFile.exported_at < day + timedelta(days=1),
            OfflineResultsFile.exported_at > results.exported_at,
        )
    )
    if later is not None:
        raise Conflict(
            f"a later export of this library from the same day ({timestamp(later)}) was "
            "taken already; its numbers stand",
            code="offline_results_outdated",
            details={"exported_at": timestamp(later)},
        )


def _published_ids(results: OfflineResults) -> dict[str, int]:
    """The file's resources by UUID: each one the catalogue has published (public now, or
    taken down since); ``Invalid`` naming the entries of any other."""
    wanted = sorted({entry.resource for entry in results.entries})
    found: dict[str, int] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        rows = db.session.execute(
            select(Resource.uuid, Resource.id).where(
                Resource.uuid.in_(chunk), Resource.published_number.is_not(None)
            )
        ).all()
        found.update({uuid: ident for uuid, ident in rows})
    unknown = [uuid for uuid in wanted if uuid not in found]
    if unknown:
        problems = Problems(code="offline_results_unknown_resources")
        for entry in results.entries:
            if entry.resource not in found:
                problems.add(
                    f"results[{entry.index}].resource", "not a resource this catalogue published"
                )
        error: Invalid = problems.error()
        error.details = {"resources": unknown, **error.details}
        raise error
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
    offline: bool = False


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
            UsageReport.source,
        )
        .where(UsageReport.resource_id == resource.id)
        .group_by(UsageReport.site_url, UsageReport.period, UsageReport.source)
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
            scored_learners=int(scored or 0),
            score_total=float(score_total or 0.0),
            offline=source == USAGE_OFFLINE,
        )
        for url, day, learners, completed, passed, attempts, scored, score_total, source in rows
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
                offline_libraries=sum(1 for row in current if row.offline),
                offline_learners=sum(row.learners for row in current if row.offline),
            )
        )
    return totals
