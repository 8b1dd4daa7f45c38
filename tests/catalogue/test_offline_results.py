"""An offline library's results file, checked and summed up without a database
(``catalogue.services.offline_results``): a good file, each field's problem named by where
it is, a file changed after its export refused as such, and the canonical JSON its checksum
is taken of, Kazakh letters and all."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from catalogue.errors import Invalid
from catalogue.services.offline_results import (
    ALTERED_MESSAGE,
    MAX_RESULTS,
    canonical,
    checksum_of,
    parse_results,
    totals,
)

NOW = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)
LIBRARY = "0b6e2f3a-8c1d-4e5f-9a7b-1c2d3e4f5a6b"
NEWTON = "6f1d2c3b-1111-4000-8000-000000000001"
OHM = "6f1d2c3b-2222-4000-8000-000000000002"


def entry(resource: str = NEWTON, **changes: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "resource": resource,
        "version": 2,
        "pupil": "p-3f2a9c",
        "name": "Әлия",
        "completed": True,
        "passed": True,
        "score": 80,
        "last_played": "2026-12-07",
    }
    found.update(changes)
    return {key: value for key, value in found.items() if value is not ...}


def sealed(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with the checksum the library would give it."""
    rest = {key: value for key, value in body.items() if key != "checksum"}
    return {**rest, "checksum": checksum_of(rest)}


def results_file(*entries: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "format": "sandyq-offline-results/1",
        "library": LIBRARY,
        "school": "Ақжар ШЖМ",
        "exported_at": "2026-12-08T10:00:00Z",
        "results": list(entries) if entries else [entry()],
    }
    body.update(changes)
    return sealed({key: value for key, value in body.items() if value is not ...})


def refusal(body: object) -> Invalid:
    with pytest.raises(Invalid) as caught:
        parse_results(body, NOW)
    return caught.value


# ---- a good file ---------------------------------------------------------------------------


def test_a_good_file_is_read_and_the_names_are_left_behind() -> None:
    body = results_file(
        entry(),
        entry(OHM, version=..., pupil="p-3F2A9C", name=..., score=None, passed=False),
        entry(pupil="p-77aa01", name="Нұрсұлтан", completed=False, passed=False, score=40),
    )
    found = parse_results(body, NOW)
    assert found.library == LIBRARY and found.school == "Ақжар ШЖМ"
    assert found.exported_at == datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
    assert found.period == date(2026, 12, 8)
    assert found.checksum == body["checksum"]
    assert [(e.resource, e.version, e.pupil, e.score) for e in found.entries] == [
        (NEWTON, 2, "p-3f2a9c", 80),
        (OHM, None, "p-3f2a9c", None),  # the same pupil, written in capitals
        (NEWTON, 2, "p-77aa01", 40),
    ]
    assert found.learners == 2
    assert found.entries[1].last_played == date(2026, 12, 7)
    unknown_day = parse_results(results_file(entry(last_played=None)), NOW)
    assert unknown_day.entries[0].last_played is None  # a library that kept no day
    kept = repr(found)
    assert "Әлия" not in kept and "Нұрсұлтан" not in kept  # checked, never kept


def test_the_export_day_is_its_utc_day() -> None:
    """Almaty's evening of the 8th is still the 8th in UTC; its early morning of the 9th too."""
    found = parse_results(results_file(exported_at="2026-12-09T03:30:00+05:00"), NOW)
    assert found.exported_at == datetime(2026, 12, 8, 22, 30, tzinfo=UTC)
    assert found.period == date(2026, 12, 8)
    naive = parse_results(results_file(exported_at="2026-12-08T10:00:00.123"), NOW)
    assert naive.exported_at == datetime(2026, 12, 8, 10, 0, 0, 123000, tzinfo=UTC)


def test_an_empty_library_exports_a_file_that_counts_nothing() -> None:
    found = parse_results(results_file(results=[]), NOW)
    assert found.entries == () and found.learners == 0 and totals(found) == []


def test_totals_per_resource_are_what_a_moodle_site_would_report() -> None:
    body = results_file(
        entry(pupil="p-01", score=80),
        entry(pupil="p-02", score=60, passed=False),
        entry(pupil="p-03", score=None, completed=False, passed=False),
        entry(pupil="p-01", version=3, score=100),  # the same pupil on the next version
        entry(OHM, pupil="p-02", version=1, score=55, completed=False, passed=False),
    )
    newton, ohm = totals(parse_results(body, NOW))
    assert newton.resource == NEWTON
    assert newton.version is None  # versions 2 and 3: no one version stands for them
    assert (newton.learners, newton.completed, newton.passed, newton.attempts) == (3, 2, 1, 4)
    assert newton.score_mean == pytest.approx(80.0)  # (80 + 60 + 100) / 3, nulls left out
    assert newton.score_median == 80.0
    assert (ohm.resource, ohm.version, ohm.learners, ohm.completed, ohm.attempts) == (
        OHM,
        1,
        1,
        0,
        1,
    )
    assert ohm.score_mean == 55.0 and ohm.score_median == 55.0


def test_the_median_of_an_even_count_and_no_scores_at_all() -> None:
    scored = results_file(entry(pupil="p-01", score=70), entry(pupil="p-02", score=75))
    (newton,) = totals(parse_results(scored, NOW))
    assert newton.score_median == 72.5 and newton.version == 2
    unscored = results_file(entry(score=None))
    (alone,) = totals(parse_results(unscored, NOW))
    assert alone.score_mean is None and alone.score_median is None


# ---- the checksum --------------------------------------------------------------------------


def test_the_canonical_json_keeps_kazakh_letters_as_they_are() -> None:
    body = results_file(entry(name="Әлия Ғабитқызы"), school="Ақжар ШЖМ")
    expected = (
        '{"exported_at":"2026-12-08T10:00:00Z","format":"sandyq-offline-results/1",'
        f'"library":"{LIBRARY}","results":[{{"completed":true,"last_played":"2026-12-07",'
        f'"name":"Әлия Ғабитқызы","passed":true,"pupil":"p-3f2a9c","resource":"{NEWTON}",'
        '"score":80,"version":2}],"school":"Ақжар ШЖМ"}'
    )
    assert canonical(body) == expected.encode("utf-8")
    assert body["checksum"] == "sha256:" + hashlib.sha256(expected.encode("utf-8")).hexdigest()
    assert parse_results(body, NOW).checksum == body["checksum"]


def test_the_file_as_the_library_writes_it_is_read_whatever_its_layout() -> None:
    """Indented, keys in any order, letters escaped or not: the checksum is of the content."""
    body = results_file(entry(name="Әлия"))
    shuffled = dict(reversed(list(body.items())))
    for text in (
        json.dumps(shuffled, indent=2, ensure_ascii=False),
        json.dumps(body, ensure_ascii=True),
    ):
        assert parse_results(json.loads(text), NOW).checksum == body["checksum"]


@pytest.mark.parametrize(
    ("old", "new"),
    [('"score": 80', '"score": 90'), ("Әлия", "Әлиа"), ("2026-12-07", "2026-12-06")],
    ids=["a score", "a Kazakh name", "a day"],
)
def test_a_file_changed_after_its_export_is_refused_as_such(old: str, new: str) -> None:
    text = json.dumps(results_file(), indent=2, ensure_ascii=False)
    assert text.count(old) == 1
    error = refusal(json.loads(text.replace(old, new)))
    assert error.code == "offline_results_altered"
    assert error.message == ALTERED_MESSAGE
    assert "changed after it was exported" in error.message
    assert error.details == {"fields": {"checksum": "does not match the file's content"}}


def test_an_altered_file_is_called_altered_whatever_else_is_wrong() -> None:
    """The edit is the cause: a score made 150 by hand is not the library's mistake."""
    body = results_file()
    body["results"][0]["score"] = 150
    assert refusal(body).code == "offline_results_altered"


@pytest.mark.parametrize(
    ("checksum", "problem"),
    [
        (..., "required"),
        ("md5:" + "0" * 32, "must be sha256: and 64 hexadecimal digits"),
        ("sha256:" + "0" * 63, "must be sha256: and 64 hexadecimal digits"),
        (42, "must be sha256: and 64 hexadecimal digits"),
    ],
    ids=["missing", "another hash", "too short", "a number"],
)
def test_a_checksum_that_is_no_sha256_is_named(checksum: object, problem: str) -> None:
    body = results_file()
    del body["checksum"]
    if checksum is not ...:
        body["checksum"] = checksum
    error = refusal(body)
    assert error.code == "offline_results_invalid"
    assert error.details == {"fields": {"checksum": problem}}


def test_a_checksum_in_capitals_is_the_same_checksum() -> None:
    body = results_file()
    body["checksum"] = "sha256:" + body["checksum"].removeprefix("sha256:").upper()
    assert parse_results(body, NOW).checksum == results_file()["checksum"]


# ---- each field's problem, named -------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "where", "problem"),
    [
        ({"library": "library-1"}, "library", "must be the library's UUID"),
        ({"library": ...}, "library", "required"),
        ({"school": "Ш" * 501}, "school", "longer than 500 characters"),
        ({"school": 12}, "school", "must be text"),
        ({"school": "Мектеп\x00"}, "school", "contains control characters"),
        (
            {"exported_at": "8 December 2026"},
            "exported_at",
            "must be a date and time, ISO 8601 (2026-12-08T10:00:00Z)",
        ),
        ({"exported_at": "2026-12-32T10:00:00Z"}, "exported_at", "not a real date and time"),
        (
            {"exported_at": "2026-12-10T00:00:00Z"},
            "exported_at",
            "more than a day in the future (is the computer's clock right?)",
        ),
        ({"results": {"0": {}}}, "results", "must be a list"),
        ({"results": ...}, "results", "required"),
        ({"teacher": "Әлия апай"}, "teacher", "unknown field"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_a_problem_of_the_file_is_named(changes: dict[str, Any], where: str, problem: str) -> None:
    error = refusal(results_file(**changes))
    assert error.code == "offline_results_invalid"
    assert error.details == {"fields": {where: problem}}
    assert f"{where}: {problem}" in error.message


@pytest.mark.parametrize(
    ("changes", "where", "problem"),
    [
        ({"resource": "Ньютон"}, "resource", "must be a resource's UUID"),
        ({"resource": ...}, "resource", "required"),
        ({"version": 0}, "version", "must be a whole number from 1"),
        ({"version": "2"}, "version", "must be a whole number from 1"),
        ({"version": True}, "version", "must be a whole number from 1"),
        (
            {"pupil": "Әлия"},
            "pupil",
            "must be the library's pupil id: p- and hexadecimal digits",
        ),
        ({"pupil": "p-" + "a" * 39}, "pupil", "longer than 40 characters"),
        ({"pupil": ...}, "pupil", "required"),
        ({"name": "Ә" * 201}, "name", "longer than 200 characters"),
        ({"name": ["Әлия"]}, "name", "must be text"),
        ({"completed": "yes"}, "completed", "must be true or false"),
        ({"passed": 1}, "passed", "must be true or false"),
        ({"passed": ...}, "passed", "required"),
        ({"score": 101}, "score", "more than 100"),
        ({"score": -1}, "score", "less than 0"),
        ({"score": 80.5}, "score", "must be a whole number from 0 to 100, or null"),
        ({"score": ...}, "score", "required"),
        ({"last_played": "07.12.2026"}, "last_played", "must be a day as YYYY-MM-DD, or null"),
        ({"last_played": ...}, "last_played", "required"),
        ({"last_played": "2026-02-30"}, "last_played", "not a real date"),
        ({"last_played": "2026-12-10"}, "last_played", "after the file was exported"),
        ({"scroe": 80}, "scroe", "unknown field"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_a_problem_of_an_entry_is_named_by_its_place(
    changes: dict[str, Any], where: str, problem: str
) -> None:
    body = results_file(
        entry(pupil="p-01"), entry(pupil="p-02"), entry(**{"pupil": "p-03", **changes})
    )
    error = refusal(body)
    assert error.code == "offline_results_invalid"
    assert error.details == {"fields": {f"results[2].{where}": problem}}


def test_every_problem_is_named_at_once() -> None:
    body = results_file(
        entry(pupil="p-01"),
        entry(pupil="p-02", completed=None),
        entry(pupil="p-03"),
        entry(pupil="p-04", score=120),
        "Әлия",
        entry(pupil="p-01"),
        school=None,
    )
    error = refusal(body)
    assert error.details["fields"] == {
        "school": "must be text",
        "results[1].completed": "must be true or false",
        "results[3].score": "more than 100",
        "results[4]": "must be a JSON object",
        "results[5]": "the same resource, version and pupil as results[0]",
    }
    assert error.message.startswith("school: must be text; results[1].completed:")
    assert "results[3].score: more than 100" in error.message


def test_the_same_pupil_on_two_versions_is_two_entries_not_a_repeat() -> None:
    found = parse_results(results_file(entry(version=1), entry(version=2)), NOW)
    assert len(found.entries) == 2


def test_another_kind_of_file_is_told_so_and_nothing_more() -> None:
    """A usage report, a package's manifest as JSON: no point in naming its every field."""
    error = refusal(sealed({"site": {"url": "https://moodle.school.kz"}, "activities": []}))
    assert error.details == {
        "fields": {
            "format": "must be 'sandyq-offline-results/1': not an offline library's results file"
        }
    }
    later = refusal(results_file(format="sandyq-offline-results/2"))
    assert list(later.details["fields"]) == ["format"]


@pytest.mark.parametrize("body", [[], "results", None, 7], ids=["a list", "text", "null", "7"])
def test_the_body_must_be_an_object(body: object) -> None:
    assert refusal(body).details == {"fields": {"(body)": "must be a JSON object"}}


def test_at_most_a_hundred_thousand_results() -> None:
    one = entry()
    body = results_file(results=[one] * (MAX_RESULTS + 1))
    error = refusal(body)
    assert error.details == {"fields": {"results": f"more than {MAX_RESULTS} entries"}}


def test_text_that_is_not_unicode_is_refused_not_crashed_on() -> None:
    body = results_file()
    body["results"][0]["name"] = "\ud800"  # what json.loads makes of "\\ud800"
    error = refusal(body)
    assert error.code == "offline_results_invalid"
    assert error.details["fields"]["(body)"] == "contains text that is not valid Unicode"


def test_the_parsed_file_does_not_change_what_it_was_given() -> None:
    body = results_file()
    before = copy.deepcopy(body)
    parse_results(body, NOW)
    assert body == before
