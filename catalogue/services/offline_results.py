"""An offline library's results file (``sandyq-offline-results/1``, docs/offline-library.md),
checked and summed up before anything is stored.

The file comes from a teacher's laptop, made by the library's own page, so it is checked
as strictly as a Moodle site's report (``catalogue.services.usage_report``, whose
``Problems`` this shares): every field for its type and range, unknown fields refused,
every problem named by where it is (``results[3].score: more than 100``). Its checksum,
the SHA-256 of the canonical JSON of every other field, is compared first: a file edited
or damaged after it was exported is refused as such, whatever else is wrong with it.

The file names pupils (a random ``p-`` id, a first name when the teacher chose so); they
are checked and then dropped: ``totals`` turns the entries into the counts and aggregates a
Moodle site would report (learners, completed, passed, attempts, mean and median score),
per resource, and nothing else leaves this module. Pure: no database and no Flask.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from typing import Any

from catalogue.errors import Invalid
from catalogue.services.usage_report import DAY, UUID_TEXT, Problems

FORMAT = "sandyq-offline-results/1"
MAX_RESULTS = 100_000
MAX_SCHOOL_LENGTH = 500
MAX_PUPIL_LENGTH = 40
MAX_PUPIL_NAME_LENGTH = 200
#: How far ahead of the catalogue's clock an export may be dated (a laptop's clock is
#: often a little wrong; a file from next year would stay the library's latest for good).
CLOCK_SLACK = timedelta(days=1)

ALTERED_MESSAGE = (
    "the file was changed after it was exported (its checksum does not match): "
    "export it again from the library"
)

FILE_FIELDS = frozenset({"format", "library", "school", "exported_at", "results", "checksum"})
ENTRY_REQUIRED = frozenset({"resource", "pupil", "completed", "passed", "score", "last_played"})
ENTRY_FIELDS = ENTRY_REQUIRED | {"version", "name"}

CHECKSUM = re.compile(r"sha256:[0-9a-f]{64}")
PUPIL = re.compile(r"p-[0-9a-f]+", re.I)
MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)


@dataclass(frozen=True)
class Entry:
    """One pupil's use of one resource (version), as the library recorded it; the pupil's
    name, if the file had one, is not kept."""

    index: int  # where it was in ``results``, to name it in a refusal
    resource: str  # the resource's UUID, lower case
    version: int | None
    pupil: str  # the library's random id, lower case
    completed: bool
    passed: bool
    score: int | None
    last_played: date | None  # null when the library did not record the day


@dataclass(frozen=True)
class OfflineResults:
    library: str  # the library's UUID, lower case
    school: str
    exported_at: datetime  # aware, UTC
    checksum: str  # "sha256:<64 hex>", lower case
    entries: tuple[Entry, ...]

    @property
    def period(self) -> date:
        """The UTC day the totals are of: the export's."""
        return self.exported_at.date()

    @property
    def learners(self) -> int:
        """Pupils in the file (a pupil who used three resources is one)."""
        return len({entry.pupil for entry in self.entries})


@dataclass(frozen=True)
class ResourceTotals:
    """What the library knows of one resource, as a Moodle site would report it."""

    resource: str
    #: The version, when every entry of the resource names the same one; else None.
    version: int | None
    learners: int
    completed: int
    passed: int
    attempts: int
    score_mean: float | None
    score_median: float | None


def canonical(body: Mapping[str, Any]) -> bytes:
    """The bytes the checksum is taken of: every field but ``checksum``, keys sorted at
    every level, no spaces, UTF-8 with letters as they are (what the library's page writes
    with ``JSON.stringify`` over sorted keys). ``UnicodeEncodeError`` for text that is not
    Unicode (a lone surrogate escaped as ``\\ud800``)."""
    rest = {key: value for key, value in body.items() if key != "checksum"}
    text = json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def checksum_of(body: Mapping[str, Any]) -> str:
    """The checksum a file with ``body`` must carry."""
    return "sha256:" + hashlib.sha256(canonical(body)).hexdigest()


def parse_results(body: object, now: datetime) -> OfflineResults:
    """The file in ``body`` (decoded JSON), or ``Invalid`` naming every problem found:
    ``offline_results_altered`` when its checksum does not match its content,
    ``offline_results_invalid`` otherwise. ``now`` is the catalogue's clock (aware)."""
    problems = Problems(code="offline_results_invalid")
    data = problems.json_object(body, "")
    if data is None:
        raise problems.error()
    if data.get("format") != FORMAT:
        # not worth reading further: another JSON file, or another version of the format
        problems.add("format", f"must be {FORMAT!r}: not an offline library's results file")
        raise problems.error()
    _check_sum(data, problems)
    problems.known_fields(data, "", FILE_FIELDS, FILE_FIELDS)
    library = _uuid(data, "library", "library", problems, "must be the library's UUID")
    school = _text(data, "school", "school", MAX_SCHOOL_LENGTH, problems)
    exported_at = _exported_at(data, now, problems)
    latest = exported_at.date() + CLOCK_SLACK if exported_at is not None else None
    entries = _entries(problems.bounded_list(data, "results", MAX_RESULTS), latest, problems)
    if problems.count:
        raise problems.error()
    assert library is not None and exported_at is not None
    return OfflineResults(
        library=library,
        school=school.strip(),
        exported_at=exported_at,
        checksum=str(data["checksum"]).lower(),
        entries=tuple(entries),
    )


def totals(results: OfflineResults) -> list[ResourceTotals]:
    """Per resource (in UUID order), over its entries: learners = distinct pupils, who of
    them completed and passed (in any version), attempts = the entries, and the mean and
    median of the scores the entries have."""
    found: list[ResourceTotals] = []
    by_resource = sorted(results.entries, key=lambda entry: entry.resource)
    for resource, grouped in groupby(by_resource, key=lambda entry: entry.resource):
        entries = list(grouped)
        versions = {entry.version for entry in entries}
        scores = [entry.score for entry in entries if entry.score is not None]
        found.append(
            ResourceTotals(
                resource=resource,
                version=versions.pop() if len(versions) == 1 else None,
                learners=len({entry.pupil for entry in entries}),
                completed=len({entry.pupil for entry in entries if entry.completed}),
                passed=len({entry.pupil for entry in entries if entry.passed}),
                attempts=len(entries),
                score_mean=statistics.fmean(scores) if scores else None,
                score_median=float(statistics.median(scores)) if scores else None,
            )
        )
    return found


# ---- the parts ----------------------------------------------------------------------


def _check_sum(data: Mapping[str, Any], problems: Problems) -> None:
    """Refuse an altered file at once; a missing or malformed checksum is one problem more."""
    if "checksum" not in data:
        return  # reported as required
    given = data["checksum"]
    if not isinstance(given, str) or not CHECKSUM.fullmatch(given.lower()):
        problems.add("checksum", "must be sha256: and 64 hexadecimal digits")
        return
    try:
        expected = checksum_of(data)
    except UnicodeEncodeError:
        problems.add("(body)", "contains text that is not valid Unicode")
        return
    if given.lower() != expected:
        raise Invalid(
            ALTERED_MESSAGE,
            code="offline_results_altered",
            details={"fields": {"checksum": "does not match the file's content"}},
        )


def _exported_at(data: Mapping[str, Any], now: datetime, problems: Problems) -> datetime | None:
    if "exported_at" not in data:
        return None
    value = data["exported_at"]
    if not isinstance(value, str) or not MOMENT.fullmatch(value):
        problems.add("exported_at", "must be a date and time, ISO 8601 (2026-12-08T10:00:00Z)")
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        problems.add("exported_at", "not a real date and time")
        return None
    moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    if moment > now + CLOCK_SLACK:
        problems.add(
            "exported_at", "more than a day in the future (is the computer's clock right?)"
        )
        return None
    return moment


def _entries(listed: list[Any], latest: date | None, problems: Problems) -> list[Entry]:
    found: list[Entry] = []
    first_at: dict[tuple[str, int | None, str], int] = {}
    for index, value in enumerate(listed):
        where = f"results[{index}]"
        entry = _entry(index, value, where, latest, problems)
        if entry is None:
            continue
        key = (entry.resource, entry.version, entry.pupil)
        if key in first_at:
            problems.add(where, f"the same resource, version and pupil as results[{first_at[key]}]")
            continue
        first_at[key] = index
        found.append(entry)
    return found


def _entry(
    index: int, value: object, where: str, latest: date | None, problems: Problems
) -> Entry | None:
    data = problems.json_object(value, where)
    if data is None:
        return None
    before = problems.count
    problems.known_fields(data, where, ENTRY_FIELDS, ENTRY_REQUIRED)
    resource = _uuid(data, "resource", f"{where}.resource", problems, "must be a resource's UUID")
    version = _version(data, where, problems)
    pupil = _pupil(data, where, problems)
    if "name" in data:
        _text(data, "name", f"{where}.name", MAX_PUPIL_NAME_LENGTH, problems)
    completed = _flag(data, "completed", where, problems)
    passed = _flag(data, "passed", where, problems)
    score = _score(data, where, problems)
    last_played = _day(data, where, latest, problems)
    if problems.count > before:
        return None
    assert resource is not None and pupil is not None
    assert completed is not None and passed is not None
    return Entry(index, resource, version, pupil, completed, passed, score, last_played)


# ---- values -------------------------------------------------------------------------


def _uuid(
    data: Mapping[str, Any], name: str, where: str, problems: Problems, must: str
) -> str | None:
    if name not in data:
        return None  # reported as missing
    value = data[name]
    if not isinstance(value, str) or not UUID_TEXT.fullmatch(value):
        problems.add(where, must)
        return None
    return value.lower()


def _text(data: Mapping[str, Any], name: str, where: str, most: int, problems: Problems) -> str:
    if name not in data:
        return ""  # reported as missing
    value = data[name]
    if not isinstance(value, str):
        problems.add(where, "must be text")
        return ""
    if len(value) > most:
        problems.add(where, f"longer than {most} characters")
        return ""
    if any(unicodedata.category(character) in ("Cc", "Cs") for character in value):
        problems.add(where, "contains control characters")
        return ""
    return value


def _version(data: Mapping[str, Any], where: str, problems: Problems) -> int | None:
    value = data.get("version")
    if value is None:
        return None  # absent (or null): the library did not know it
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        problems.add(f"{where}.version", "must be a whole number from 1")
        return None
    if value > 2**31 - 1:
        problems.add(f"{where}.version", "too large")
        return None
    return value


def _pupil(data: Mapping[str, Any], where: str, problems: Problems) -> str | None:
    if "pupil" not in data:
        return None
    value = data["pupil"]
    if not isinstance(value, str) or not PUPIL.fullmatch(value):
        problems.add(f"{where}.pupil", "must be the library's pupil id: p- and hexadecimal digits")
        return None
    if len(value) > MAX_PUPIL_LENGTH:
        problems.add(f"{where}.pupil", f"longer than {MAX_PUPIL_LENGTH} characters")
        return None
    return value.lower()


def _flag(data: Mapping[str, Any], name: str, where: str, problems: Problems) -> bool | None:
    if name not in data:
        return None
    value = data[name]
    if not isinstance(value, bool):
        problems.add(f"{where}.{name}", "must be true or false")
        return None
    return value


def _score(data: Mapping[str, Any], where: str, problems: Problems) -> int | None:
    value = data.get("score")
    if value is None:
        return None  # null (or missing: reported as required)
    if not isinstance(value, int) or isinstance(value, bool):
        problems.add(f"{where}.score", "must be a whole number from 0 to 100, or null")
        return None
    if value > 100:
        problems.add(f"{where}.score", "more than 100")
        return None
    if value < 0:
        problems.add(f"{where}.score", "less than 0")
        return None
    return value


def _day(
    data: Mapping[str, Any], where: str, latest: date | None, problems: Problems
) -> date | None:
    value = data.get("last_played")
    if value is None:
        return None  # null (the library's page writes it when it kept no day), or missing
    if not isinstance(value, str) or not DAY.fullmatch(value):
        problems.add(f"{where}.last_played", "must be a day as YYYY-MM-DD, or null")
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.add(f"{where}.last_played", "not a real date")
        return None
    if latest is not None and day > latest:
        problems.add(f"{where}.last_played", "after the file was exported")
        return None
    return day
