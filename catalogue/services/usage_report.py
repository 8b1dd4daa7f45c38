"""The usage report a Moodle site sends (``PUT /api/v1/usage``), checked before anything is
stored.

The body comes from a program on another server, so every field is checked for its type
and range, unknown fields are refused (a misspelt ``score_avg`` would otherwise be lost
without a word), and every problem is named by where it is, e.g.
``activities[3].completed: more than learners``, so whoever runs the sync finds it in
what they sent. Pure: no database and no Flask, so it is tested with plain dicts.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from catalogue.errors import Invalid

MAX_ACTIVITIES = 10_000
MAX_URL_LENGTH = 500
MAX_NAME_LENGTH = 500
#: Counts fit a 32-bit column; Moodle's ids and a sum of seconds may need 64 bits.
MAX_COUNT = 2**31 - 1
MAX_ID = 2**63 - 1
#: How many problems one answer names (a broken sync can get every entry wrong).
MAX_PROBLEMS = 50
#: How many of them the error's message repeats; ``details.fields`` has them all.
PROBLEMS_IN_MESSAGE = 5

DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)

REPORT_FIELDS = frozenset({"site", "period", "activities"})
SITE_FIELDS = frozenset({"url", "name"})
COURSE_FIELDS = frozenset({"id", "name"})
ACTIVITY_REQUIRED = frozenset({"resource", "course", "learners", "completed", "passed", "attempts"})
ACTIVITY_FIELDS = ACTIVITY_REQUIRED | {"version", "score_mean", "score_median", "time_seconds"}


@dataclass(frozen=True)
class Site:
    """A Moodle site, the catalogue's "school"; ``url`` is its identity (normalised)."""

    url: str
    name: str


@dataclass(frozen=True)
class Activity:
    """What the site knows of one resource in one of its courses: totals so far."""

    resource: str  # the resource's UUID, lower case
    version: int | None
    course_id: int
    course_name: str
    learners: int
    completed: int
    passed: int
    attempts: int
    score_mean: float | None
    score_median: float | None
    time_seconds: int | None


@dataclass(frozen=True)
class Report:
    site: Site
    period: date  # a UTC day
    activities: tuple[Activity, ...]


@dataclass
class Problems:
    """Problems found so far, by where they are; counting goes on past the ones kept.

    Shared by the parsers of what other programs send (this report, an offline library's
    results file: ``catalogue.services.offline_results``): ``error()`` is the one refusal,
    ``Invalid`` with ``code`` and ``details.fields`` naming each place. The code is given,
    as text, where the problems are gathered (``Problems(code="usage_invalid")``): there
    tests/catalogue/test_error_language.py finds it and checks that it has its texts."""

    code: str
    fields: dict[str, str] = field(default_factory=dict)
    count: int = 0

    def add(self, where: str, problem: str) -> None:
        self.count += 1
        if len(self.fields) < MAX_PROBLEMS:
            self.fields.setdefault(where, problem)

    def error(self) -> Invalid:
        named = [f"{where}: {problem}" for where, problem in self.fields.items()]
        message = "; ".join(named[:PROBLEMS_IN_MESSAGE])
        if self.count > PROBLEMS_IN_MESSAGE:
            message += f"; and {self.count - PROBLEMS_IN_MESSAGE} more"
        error = Invalid(message, details={"fields": self.fields})
        error.code = self.code
        return error

    def json_object(self, value: object, where: str) -> Mapping[str, Any] | None:
        """``value`` as a JSON object, or None with the problem added."""
        if isinstance(value, dict) and all(isinstance(key, str) for key in value):
            return value
        self.add(where or "(body)", "must be a JSON object")
        return None

    def bounded_list(self, data: Mapping[str, Any], name: str, most: int) -> list[Any]:
        """``data[name]`` when it is a list of at most ``most`` entries, else [] (a missing
        field is named by the caller's check of the required fields)."""
        listed = data.get(name)
        if name in data and not isinstance(listed, list):
            self.add(name, "must be a list")
        elif isinstance(listed, list):
            if len(listed) <= most:
                return listed
            self.add(name, f"more than {most} entries")
        return []

    def known_fields(
        self,
        data: Mapping[str, Any],
        where: str,
        allowed: frozenset[str],
        required: frozenset[str],
    ) -> None:
        """Each of ``required`` missing from ``data``, and each field not ``allowed``."""
        prefix = f"{where}." if where else ""
        for name in sorted(required - set(data)):
            self.add(prefix + name, "required")
        for name in sorted(set(data) - allowed):
            self.add(prefix + name[:60], "unknown field")


def parse_report(body: object, today: date) -> Report:
    """The report in ``body`` (decoded JSON), or ``Invalid`` naming every problem found.

    ``today`` is the UTC day of the request: a period up to one day ahead is accepted (a
    site east of Greenwich may already be in tomorrow), a later one is not.
    """
    problems = Problems(code="usage_invalid")
    data = problems.json_object(body, "")
    if data is None:
        raise problems.error()
    problems.known_fields(data, "", REPORT_FIELDS, REPORT_FIELDS)
    site = _site(data["site"], problems) if "site" in data else None
    period = _period(data["period"], today, problems) if "period" in data else None
    activities = _activities(problems.bounded_list(data, "activities", MAX_ACTIVITIES), problems)
    if problems.count:
        raise problems.error()
    assert site is not None and period is not None
    return Report(site, period, tuple(activities))


def normal_site_url(text: str) -> str:
    """The site's address as its identity: scheme and host in lower case, no trailing
    slash, so ``https://Moodle.school.kz/`` and ``https://moodle.school.kz`` are one site.
    ``ValueError`` says what is wrong with it."""
    if any(character.isspace() or _control(character) for character in text):
        raise ValueError("contains spaces or control characters")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValueError("not a URL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not an http(s) URL")
    if parts.username is not None or parts.password is not None:
        raise ValueError("must not carry a user name or password")
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise ValueError("must not have a query or a fragment")
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


# ---- the parts ----------------------------------------------------------------------


def _site(value: object, problems: Problems) -> Site | None:
    data = problems.json_object(value, "site")
    if data is None:
        return None
    problems.known_fields(data, "site", SITE_FIELDS, SITE_FIELDS)
    normal = _site_url(data["url"], problems) if "url" in data else ""
    return Site(normal, _name(data, "name", "site.name", problems))


def _site_url(url: object, problems: Problems) -> str:
    if not isinstance(url, str) or not url:
        problems.add("site.url", "must be an http(s) URL")
    elif len(url) > MAX_URL_LENGTH:
        problems.add("site.url", f"longer than {MAX_URL_LENGTH} characters")
    else:
        try:
            return normal_site_url(url)
        except ValueError as error:
            problems.add("site.url", str(error))
    return ""


def _period(value: object, today: date, problems: Problems) -> date | None:
    if not isinstance(value, str) or not DAY.fullmatch(value):
        problems.add("period", "must be a day as YYYY-MM-DD")
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.add("period", "not a real date")
        return None
    if day > today + timedelta(days=1):
        problems.add("period", "more than a day in the future")
        return None
    return day


def _activities(listed: list[Any], problems: Problems) -> list[Activity]:
    found: list[Activity] = []
    first_at: dict[tuple[int, str], int] = {}
    for index, value in enumerate(listed):
        where = f"activities[{index}]"
        activity = _activity(value, where, problems)
        if activity is None:
            continue
        key = (activity.course_id, activity.resource)
        if key in first_at:
            problems.add(where, f"the same course and resource as activities[{first_at[key]}]")
            continue
        first_at[key] = index
        found.append(activity)
    return found


def _activity(value: object, where: str, problems: Problems) -> Activity | None:
    data = problems.json_object(value, where)
    if data is None:
        return None
    before = problems.count
    problems.known_fields(data, where, ACTIVITY_FIELDS, ACTIVITY_REQUIRED)
    resource = _uuid(data, where, problems)
    version = _whole(data, "version", where, problems, least=1, optional=True)
    course_id, course_name = (
        _course(data["course"], f"{where}.course", problems) if "course" in data else (None, "")
    )
    learners = _whole(data, "learners", where, problems)
    completed = _whole(data, "completed", where, problems)
    passed = _whole(data, "passed", where, problems)
    attempts = _whole(data, "attempts", where, problems)
    if learners is not None:
        if completed is not None and completed > learners:
            problems.add(f"{where}.completed", "more than learners")
        if passed is not None and passed > learners:
            problems.add(f"{where}.passed", "more than learners")
    score_mean = _score(data, "score_mean", where, problems)
    score_median = _score(data, "score_median", where, problems)
    seconds = _whole(data, "time_seconds", where, problems, most=MAX_ID, optional=True)
    if problems.count > before:
        return None
    assert resource is not None and course_id is not None
    assert learners is not None and completed is not None
    assert passed is not None and attempts is not None
    return Activity(
        resource=resource,
        version=version,
        course_id=course_id,
        course_name=course_name,
        learners=learners,
        completed=completed,
        passed=passed,
        attempts=attempts,
        score_mean=score_mean,
        score_median=score_median,
        time_seconds=seconds,
    )


def _course(value: object, where: str, problems: Problems) -> tuple[int | None, str]:
    data = problems.json_object(value, where)
    if data is None:
        return None, ""
    problems.known_fields(data, where, COURSE_FIELDS, COURSE_FIELDS)
    ident = _whole(data, "id", where, problems, least=1, most=MAX_ID)
    return ident, _name(data, "name", f"{where}.name", problems)


# ---- values -------------------------------------------------------------------------


def _whole(
    data: Mapping[str, Any],
    name: str,
    where: str,
    problems: Problems,
    *,
    least: int = 0,
    most: int = MAX_COUNT,
    optional: bool = False,
) -> int | None:
    """A whole number in ``least..most`` (JSON ``true`` is not 1, nor ``2.0`` two)."""
    if name not in data:
        return None  # missing: reported by known_fields when it is required
    value = data[name]
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        problems.add(f"{where}.{name}", "must be a whole number")
        return None
    if not least <= value <= most:
        problems.add(f"{where}.{name}", f"must be from {least} to {most}")
        return None
    return value


def _score(data: Mapping[str, Any], name: str, where: str, problems: Problems) -> float | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.add(f"{where}.{name}", "must be a number from 0 to 100, or null")
        return None
    if not (math.isfinite(value) and 0 <= value <= 100):
        problems.add(f"{where}.{name}", "must be from 0 to 100")
        return None
    return float(value)


def _uuid(data: Mapping[str, Any], where: str, problems: Problems) -> str | None:
    value = data.get("resource")
    if "resource" not in data:
        return None
    if not isinstance(value, str) or not UUID_TEXT.fullmatch(value):
        problems.add(f"{where}.resource", "must be a resource's UUID")
        return None
    return value.lower()


def _name(data: Mapping[str, Any], name: str, where: str, problems: Problems) -> str:
    if name not in data:
        return ""  # reported as missing
    value = data[name]
    if not isinstance(value, str):
        problems.add(where, "must be text")
        return ""
    text = value.strip()
    if len(text) > MAX_NAME_LENGTH:
        problems.add(where, f"longer than {MAX_NAME_LENGTH} characters")
        return ""
    if any(_control(character) for character in text):
        problems.add(where, "contains control characters")
        return ""
    return text


def _control(character: str) -> bool:
    return unicodedata.category(character) in ("Cc", "Cs")
