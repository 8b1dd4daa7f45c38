"""Learners' results back to the catalogue: what Moodle knows of each synced activity.

After the plan is carried out (or alone, with ``sandyq sync moodle --results``), the sync
asks ``local_sandyq_get_results`` for every course that holds a synced activity (one call
for all of them: core functions would need one call per learner) and sends the catalogue
one report for this Moodle site and today's date. Only counts and aggregates travel:
learners who attempted, completed and passed, attempts, the mean and median grade and the
time spent; no learner's name or id ever leaves Moodle.

A report holds the totals so far, so the catalogue keeps one per site and day and a second
run on the same day replaces the first (idempotent); losing a run loses nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence, Set
from dataclasses import dataclass
from typing import Any, Protocol

from lms_sync.models import module_idnumber
from lms_sync.remote import ActivityUse, SiteInfo, SyncedModule

_PREFIX = module_idnumber("")


class _Moodle(Protocol):
    def get_synced(self, courseids: Any = None) -> list[SyncedModule]: ...
    def get_results(self, courseids: Sequence[int]) -> list[ActivityUse]: ...


@dataclass(frozen=True)
class UsageReport:
    site_url: str
    site_name: str
    period: str  # the UTC day, YYYY-MM-DD
    activities: tuple[ActivityUse, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "site": {"url": self.site_url, "name": self.site_name},
            "period": self.period,
            "activities": [_activity(use) for use in self.activities],
        }


def collect(
    moodle: _Moodle, site: SiteInfo, resources: Set[str], today: dt.date | None = None
) -> UsageReport:
    """Read the use of the activities of ``resources`` (the uuids of this catalogue's feed):
    a Moodle may also hold activities that another catalogue's sync made."""
    courses = sorted({module.courseid for module in moodle.get_synced()})
    uses = [
        use
        for use in moodle.get_results(courses)
        if use.idnumber.startswith(_PREFIX) and use.idnumber.removeprefix(_PREFIX) in resources
    ]
    day = today or dt.datetime.now(dt.UTC).date()
    return UsageReport(site.siteurl, site.sitename, day.isoformat(), tuple(uses))


def _activity(use: ActivityUse) -> dict[str, Any]:
    return {
        "resource": use.idnumber.removeprefix(_PREFIX),
        "course": {"id": use.courseid, "name": use.course_name},
        "learners": use.learners,
        "completed": use.completed,
        "passed": use.passed,
        "attempts": use.attempts,
        "score_mean": use.score_mean,
        "score_median": use.score_median,
        "time_seconds": use.time_seconds,
    }
