"""A Moodle site's usage report, checked before anything is stored: worked examples of what
is accepted and of how each problem is named (no database needed)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from catalogue.errors import Invalid
from catalogue.services.usage_report import MAX_ACTIVITIES, normal_site_url, parse_report

TODAY = date(2026, 12, 6)
RESOURCE = "0b7f3c1e-52a4-4f0e-9d1e-6a2f1c9b8e01"


def activity(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "resource": RESOURCE,
        "version": 2,
        "course": {"id": 7, "name": "Физика, 7-сынып"},
        "learners": 2,
        "completed": 1,
        "passed": 1,
        "attempts": 3,
        "score_mean": 70.0,
        "score_median": 70.0,
        "time_seconds": 420,
    }
    entry.update(changes)
    return entry


def report(*activities: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "site": {"url": "https://moodle.school.kz", "name": "School 12"},
        "period": "2026-12-06",
        "activities": list(activities) if activities else [activity()],
    }
    body.update(changes)
    return body


def problems(body: object) -> dict[str, str]:
    with pytest.raises(Invalid) as raised:
        parse_report(body, TODAY)
    assert raised.value.code == "usage_invalid"
    fields: dict[str, str] = raised.value.details["fields"]
    return fields


def test_the_example_of_the_contract_is_accepted() -> None:
    parsed = parse_report(report(), TODAY)
    assert parsed.site.url == "https://moodle.school.kz" and parsed.site.name == "School 12"
    assert parsed.period == TODAY
    (only,) = parsed.activities
    assert (only.resource, only.version, only.course_id, only.course_name) == (
        RESOURCE,
        2,
        7,
        "Физика, 7-сынып",
    )
    assert (only.learners, only.completed, only.passed, only.attempts) == (2, 1, 1, 3)
    assert (only.score_mean, only.score_median, only.time_seconds) == (70.0, 70.0, 420)


def test_optional_values_may_be_null_or_left_out() -> None:
    entry = activity(version=None, score_mean=None, score_median=None)
    del entry["time_seconds"]
    (only,) = parse_report(report(entry), TODAY).activities
    assert (only.version, only.score_mean, only.score_median, only.time_seconds) == (
        None,
        None,
        None,
        None,
    )


def test_an_empty_report_is_a_report_of_nothing() -> None:
    assert parse_report(report(activities=[]), TODAY).activities == ()


def test_a_uuid_in_capitals_is_the_same_resource() -> None:
    (only,) = parse_report(report(activity(resource=RESOURCE.upper())), TODAY).activities
    assert only.resource == RESOURCE


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://moodle.school.kz", "https://moodle.school.kz"),
        ("https://Moodle.School.KZ/", "https://moodle.school.kz"),
        ("HTTP://moodle.school.kz:8080/moodle/", "http://moodle.school.kz:8080/moodle"),
        ("https://[2001:db8::1]/moodle", "https://[2001:db8::1]/moodle"),
    ],
)
def test_the_site_url_is_its_identity(given: str, expected: str) -> None:
    assert normal_site_url(given) == expected


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        ({"url": "ftp://moodle.school.kz"}, "site.url", "not an http(s) URL"),
        ({"url": "moodle.school.kz"}, "site.url", "not an http(s) URL"),
        ({"url": "https://admin:secret@moodle.school.kz"}, "site.url", "user name or password"),
        ({"url": "https://moodle.school.kz/?token=1"}, "site.url", "query or a fragment"),
        ({"url": "https://moodle school.kz"}, "site.url", "spaces"),
        ({"url": "https://moodle.school.kz:99999"}, "site.url", "not a URL"),
        ({"url": "https://moodle.school.kz/" + "a" * 500}, "site.url", "longer than 500"),
        ({"url": 42}, "site.url", "http(s) URL"),
        ({"name": ["School 12"]}, "site.name", "must be text"),
        ({"name": "School\x0012"}, "site.name", "control characters"),
    ],
)
def test_a_bad_site_is_named(change: dict[str, Any], where: str, problem: str) -> None:
    body = report()
    body["site"].update(change)
    assert problem in problems(body)[where]


@pytest.mark.parametrize(
    ("period", "problem"),
    [
        ("2026-02-30", "not a real date"),
        ("06.12.2026", "YYYY-MM-DD"),
        ("20261206", "YYYY-MM-DD"),
        ("2026-12-06T00:00:00", "YYYY-MM-DD"),
        (20261206, "YYYY-MM-DD"),
        ("2026-12-08", "more than a day in the future"),
    ],
)
def test_a_bad_period_is_named(period: object, problem: str) -> None:
    assert problem in problems(report(period=period))["period"]


def test_a_period_one_day_ahead_is_accepted() -> None:
    """A school in Almaty (UTC+5) is in tomorrow for five hours of the UTC day."""
    assert parse_report(report(period="2026-12-07"), TODAY).period == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        ({"completed": 3}, "activities[0].completed", "more than learners"),
        ({"passed": 5}, "activities[0].passed", "more than learners"),
        ({"learners": -1}, "activities[0].learners", "from 0 to"),
        ({"attempts": 2.0}, "activities[0].attempts", "whole number"),
        ({"attempts": "3"}, "activities[0].attempts", "whole number"),
        ({"learners": True}, "activities[0].learners", "whole number"),
        ({"learners": 2**31}, "activities[0].learners", "from 0 to"),
        ({"score_mean": 100.5}, "activities[0].score_mean", "from 0 to 100"),
        ({"score_median": -0.1}, "activities[0].score_median", "from 0 to 100"),
        ({"score_mean": float("nan")}, "activities[0].score_mean", "from 0 to 100"),
        ({"score_mean": "70"}, "activities[0].score_mean", "a number"),
        ({"time_seconds": -5}, "activities[0].time_seconds", "from 0 to"),
        ({"version": 0}, "activities[0].version", "from 1 to"),
        ({"resource": "newton-7"}, "activities[0].resource", "UUID"),
        ({"course": {"id": 0, "name": "Физика"}}, "activities[0].course.id", "from 1 to"),
        ({"course": {"id": 7}}, "activities[0].course.name", "required"),
        ({"course": 7}, "activities[0].course", "JSON object"),
        ({"score_avg": 70}, "activities[0].score_avg", "unknown field"),
    ],
)
def test_a_bad_activity_is_named(change: dict[str, Any], where: str, problem: str) -> None:
    assert problem in problems(report(activity(**change)))[where]


def test_a_missing_value_is_named() -> None:
    entry = activity()
    del entry["learners"]
    assert problems(report(entry)) == {"activities[0].learners": "required"}


def test_the_message_names_the_entry() -> None:
    body = report(activity(), activity(course={"id": 8, "name": "7Б"}), activity(completed=9))
    with pytest.raises(Invalid) as raised:
        parse_report(body, TODAY)
    assert raised.value.message == "activities[2].completed: more than learners"


def test_every_problem_is_named_not_only_the_first() -> None:
    body = report(
        activity(completed=3), activity(course={"id": 8, "name": "7Б"}, attempts=-1), period="x"
    )
    assert set(problems(body)) == {
        "period",
        "activities[0].completed",
        "activities[1].attempts",
    }


def test_the_same_course_and_resource_twice_is_refused() -> None:
    body = report(activity(), activity(learners=5, completed=0, passed=0))
    assert problems(body) == {"activities[1]": "the same course and resource as activities[0]"}


def test_the_body_must_be_an_object_with_known_fields() -> None:
    assert problems([report()]) == {"(body)": "must be a JSON object"}
    assert problems({"site": {"url": "https://m.kz", "name": ""}}) == {
        "period": "required",
        "activities": "required",
    }
    assert problems(report(learners=[]))["learners"] == "unknown field"
    assert problems(report(activities={"0": activity()}))["activities"] == "must be a list"


def test_at_most_ten_thousand_activities() -> None:
    many = [
        copy.deepcopy(activity(course={"id": number, "name": ""}))
        for number in range(1, MAX_ACTIVITIES + 2)
    ]
    assert "more than 10000" in problems(report(*many))["activities"]
    assert len(parse_report(report(*many[:MAX_ACTIVITIES]), TODAY).activities) == MAX_ACTIVITIES


def test_a_broken_sync_gets_a_bounded_answer() -> None:
    broken = [activity(completed=3, course={"id": n, "name": ""}) for n in range(1, 1001)]
    with pytest.raises(Invalid) as raised:
        parse_report(report(*broken), TODAY)
    assert len(raised.value.details["fields"]) == 50
    assert raised.value.message.endswith("; and 995 more")
