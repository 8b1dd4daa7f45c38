"""``PUT /api/v1/usage``: a Moodle site reports learners' use with a results token, and the
catalogue sums it up per resource (on SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalogue.db import db
from catalogue.models import Resource, ResourceVersion, Role, State, UsageReport
from catalogue.services import usage
from tests.support.catalogue import (
    Person,
    add_resource,
    add_results_token,
    add_sync_token,
    add_user,
    sample_package,
)
from tests.support.error_texts import said

URL = "/api/v1/usage"
TODAY = datetime.now(UTC).date()
UNKNOWN = "6f1d2c3b-0000-4000-8000-000000000000"


@dataclass
class Catalogue:
    teacher: Person
    admin: Person
    resource: str
    results: dict[str, str]
    sync: dict[str, str]


@pytest.fixture
def catalogue(app: Flask, tmp_path: Path) -> Catalogue:
    teacher = add_user(app, "mugalim@school.kz", Role.TEACHER)
    admin = add_user(app, "admin@sandyq.kz", Role.ADMIN)
    resource = add_resource(app, teacher, State.PUBLISHED, package=sample_package(tmp_path))
    return Catalogue(
        teacher,
        admin,
        resource,
        {"Authorization": f"Bearer {add_results_token(app, admin)}"},
        {"Authorization": f"Bearer {add_sync_token(app, admin)}"},
    )


def activity(resource: str, **changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "resource": resource,
        "version": 1,
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


def body(
    *activities: dict[str, Any],
    site: str = "https://moodle.school.kz",
    name: str = "School 12",
    period: date = TODAY,
) -> dict[str, Any]:
    return {
        "site": {"url": site, "name": name},
        "period": period.isoformat(),
        "activities": list(activities),
    }


def rows(app: Flask) -> list[tuple[Any, ...]]:
    with app.app_context():
        found = db.session.execute(
            sa.select(
                UsageReport.site_url,
                UsageReport.course_id,
                UsageReport.period,
                UsageReport.learners,
                UsageReport.completed,
                UsageReport.score_mean,
            ).order_by(UsageReport.site_url, UsageReport.course_id, UsageReport.period)
        ).all()
        return [tuple(row) for row in found]


def summary(app: Flask, uuid: str) -> usage.UsageSummary:
    with app.app_context():
        resource = db.session.scalar(sa.select(Resource).where(Resource.uuid == uuid))
        assert resource is not None
        return usage.summary(resource)


# ---- who may report ------------------------------------------------------------------------


def test_without_a_token_the_answer_is_401(client: FlaskClient, catalogue: Catalogue) -> None:
    response = client.put(URL, json=body(activity(catalogue.resource)))
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("scope", ["sync", "api (an administrator's)", "api (a teacher's)"])
def test_any_other_token_is_told_a_results_token_is_needed(
    app: Flask, client: FlaskClient, catalogue: Catalogue, scope: str
) -> None:
    headers = {
        "sync": catalogue.sync,
        "api (an administrator's)": catalogue.admin.auth,
        "api (a teacher's)": catalogue.teacher.auth,
    }[scope]
    response = client.put(URL, json=body(activity(catalogue.resource)), headers=headers)
    assert response.status_code == 403
    error = response.json["error"]
    assert error["code"] == "results_token_required"
    assert error["message"] == said(app, "kk", "results_token_required")
    assert rows(app) == []


def test_a_results_token_reports(app: Flask, client: FlaskClient, catalogue: Catalogue) -> None:
    response = client.put(URL, json=body(activity(catalogue.resource)), headers=catalogue.results)
    assert response.status_code == 200, response.text
    assert response.json == {
        "site": {"url": "https://moodle.school.kz", "name": "School 12"},
        "period": TODAY.isoformat(),
        "stored": 1,
        "unknown_resources": [],
    }
    assert rows(app) == [("https://moodle.school.kz", 7, TODAY, 2, 1, 70.0)]


def test_a_results_token_also_does_what_a_sync_token_does(
    client: FlaskClient, catalogue: Catalogue
) -> None:
    """One token for the whole sync: the feed, the packages, then the results."""
    feed = client.get("/api/v1/published", headers=catalogue.results)
    assert feed.status_code == 200
    assert [item["uuid"] for item in feed.json["items"]] == [catalogue.resource]
    package = client.get(feed.json["items"][0]["download_url"], headers=catalogue.results)
    assert package.status_code == 200 and package.data[:2] == b"PK"


def test_a_results_token_changes_nothing_else(
    app: Flask, client: FlaskClient, catalogue: Catalogue
) -> None:
    """It belongs to an administrator, yet holds none of their roles."""
    unpublish = client.post(
        f"/api/v1/resources/{catalogue.resource}/unpublish",
        json={"reason": "Қате"},
        headers=catalogue.results,
    )
    assert unpublish.status_code == 403
    assert unpublish.json["error"]["code"] in ("read_only_token", "role_required")
    assert client.get("/api/v1/stats", headers=catalogue.results).status_code == 403
    with app.app_context():
        resource = db.session.scalar(sa.select(Resource).where(Resource.uuid == catalogue.resource))
        assert resource is not None and resource.state is State.PUBLISHED


# ---- what is refused -----------------------------------------------------------------------


def test_a_problem_is_named_in_the_error(
    app: Flask, client: FlaskClient, catalogue: Catalogue
) -> None:
    uuid = catalogue.resource
    sent = body(
        activity(uuid),
        activity(uuid, course={"id": 8, "name": "7Б"}),
        activity(uuid, course={"id": 9, "name": "7В"}, learners=1, completed=2),
    )
    response = client.put(URL, json=sent, headers={**catalogue.results, "Accept-Language": "en"})
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "usage_invalid"
    assert error["message"] == said(app, "en", "usage_invalid")  # the details name the entry
    assert error["details"] == {"fields": {"activities[2].completed": "more than learners"}}
    assert rows(app) == []  # nothing of a refused report is stored


def test_a_period_in_the_future_is_refused(client: FlaskClient, catalogue: Catalogue) -> None:
    later = datetime.now(UTC).date() + timedelta(days=2)  # not TODAY: a run may pass midnight
    response = client.put(
        URL, json=body(activity(catalogue.resource), period=later), headers=catalogue.results
    )
    assert response.status_code == 422
    assert response.json["error"]["details"]["fields"] == {
        "period": "more than a day in the future"
    }


@pytest.mark.parametrize(
    "sent",
    [b"{not json", b"[" * 100_000 + b"]" * 100_000, b'{"site": "\xc3"}'],
    ids=["broken", "nested too deep", "not utf-8"],
)
def test_a_body_that_is_not_json_is_refused(
    client: FlaskClient, catalogue: Catalogue, sent: bytes
) -> None:
    response = client.put(
        URL, data=sent, content_type="application/json", headers=catalogue.results
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_json"


def test_json_must_say_it_is_json(client: FlaskClient, catalogue: Catalogue) -> None:
    response = client.put(URL, data="site=x", headers=catalogue.results)
    assert response.status_code == 400 and response.json["error"]["code"] == "bad_json"


def test_a_body_too_large_is_refused_before_it_is_read(
    client: FlaskClient, catalogue: Catalogue
) -> None:
    response = client.put(
        URL,
        data=b" " * (16 * 1024 * 1024 + 1),
        content_type="application/json",
        headers=catalogue.results,
    )
    assert response.status_code == 413


# ---- storing ---------------------------------------------------------------------------------


def test_sending_the_same_day_again_replaces_it(
    app: Flask, client: FlaskClient, catalogue: Catalogue
) -> None:
    uuid = catalogue.resource
    first = body(activity(uuid), activity(uuid, course={"id": 8, "name": "7Б"}, learners=4))
    assert client.put(URL, json=first, headers=catalogue.results).status_code == 200
    assert client.put(URL, json=first, headers=catalogue.results).status_code == 200
    assert rows(app) == [
        ("https://moodle.school.kz", 7, TODAY, 2, 1, 70.0),
        ("https://moodle.school.kz", 8, TODAY, 4, 1, 70.0),
    ]

    later = body(activity(uuid, learners=3, completed=2, score_mean=80.0), name="Мектеп № 12")
    later["site"]["url"] = "https://Moodle.School.kz/"  # the same site, written otherwise
    answer = client.put(URL, json=later, headers=catalogue.results)
    assert answer.status_code == 200 and answer.json["stored"] == 1
    assert answer.json["site"] == {"url": "https://moodle.school.kz", "name": "Мектеп № 12"}
    assert rows(app) == [("https://moodle.school.kz", 7, TODAY, 3, 2, 80.0)]


def test_other_days_and_other_sites_are_kept(
    app: Flask, client: FlaskClient, catalogue: Catalogue
) -> None:
    uuid = catalogue.resource
    yesterday = TODAY - timedelta(days=1)
    for sent in (
        body(activity(uuid), period=yesterday),
        body(activity(uuid, learners=5), site="https://moodle.aqtobe.kz"),
        body(activity(uuid, learners=3)),
    ):
        assert client.put(URL, json=sent, headers=catalogue.results).status_code == 200
    assert rows(app) == [
        ("https://moodle.aqtobe.kz", 7, TODAY, 5, 1, 70.0),
        ("https://moodle.school.kz", 7, yesterday, 2, 1, 70.0),
        ("https://moodle.school.kz", 7, TODAY, 3, 1, 70.0),
    ]


def test_an_empty_report_clears_the_sites_day(
    app: Flask, client: FlaskClient, catalogue: Catalogue
) -> None:
    client.put(URL, json=body(activity(catalogue.resource)), headers=catalogue.results)
    answer = client.put(URL, json=body(), headers=catalogue.results)
    assert answer.status_code == 200 and answer.json["stored"] == 0
    assert rows(app) == []


def test_unknown_resources_are_listed_and_the_rest_is_stored(
    app: Flask, client: FlaskClient, catalogue: Catalogue
) -> None:
    sent = body(
        activity(UNKNOWN.upper()),
        activity(catalogue.resource),
        activity(UNKNOWN, course={"id": 8, "name": "7Б"}),
    )
    answer = client.put(URL, json=sent, headers=catalogue.results)
    assert answer.status_code == 200
    assert answer.json["stored"] == 1
    assert answer.json["unknown_resources"] == [UNKNOWN]
    assert rows(app) == [("https://moodle.school.kz", 7, TODAY, 2, 1, 70.0)]


def test_no_column_could_hold_a_learner(app: Flask) -> None:
    """Counts and aggregates only: nothing in the table names or identifies a learner."""
    with app.app_context():
        columns = {column["name"] for column in sa.inspect(db.engine).get_columns("usage_reports")}
    assert columns == {
        "id",
        "site_url",
        "site_name",
        "course_id",
        "course_name",
        "resource_id",
        "version_number",
        "period",
        "learners",
        "completed",
        "passed",
        "attempts",
        "score_mean",
        "score_median",
        "time_seconds",
        "received_at",
        "source",  # moodle or offline: where the counts came from
    }


# ---- summing up --------------------------------------------------------------------------------


def test_one_school_two_learners_one_completed(
    app: Flask, client: FlaskClient, catalogue: Catalogue
) -> None:
    client.put(URL, json=body(activity(catalogue.resource)), headers=catalogue.results)
    latest = summary(app, catalogue.resource).latest
    assert latest is not None
    assert (latest.schools, latest.learners, latest.completed, latest.attempts) == (1, 2, 1, 3)
    assert latest.completion_rate == 0.5
    assert latest.score_mean == 70.0


def test_two_sites_are_two_schools_and_the_mean_is_weighted_by_learners(
    app: Flask, client: FlaskClient, catalogue: Catalogue
) -> None:
    uuid = catalogue.resource
    yesterday = TODAY - timedelta(days=1)
    unscored = {"course": {"id": 9, "name": "8А"}, "completed": 0, "passed": 0, "score_mean": None}
    sent = [
        body(activity(uuid), period=yesterday),  # 2 learners, 70
        body(
            activity(uuid, learners=3, completed=3, passed=2, score_mean=80.0),
            activity(uuid, learners=1, **unscored),
            site="https://moodle.aqtobe.kz",
            period=TODAY,
        ),
    ]
    for report in sent:
        assert client.put(URL, json=report, headers=catalogue.results).status_code == 200

    found = summary(app, uuid)
    assert [(day.day, day.schools, day.learners, day.completed) for day in found.days] == [
        (yesterday, 1, 2, 1),
        (TODAY, 2, 6, 4),
    ]
    latest = found.latest
    assert latest is not None
    # (2 x 70 + 3 x 80) / 5: the course without a mean score does not pull it down
    assert latest.score_mean == pytest.approx(76.0)
    assert latest.completion_rate == pytest.approx(4 / 6)
    assert latest.passed == 3 and latest.attempts == 9


def test_a_site_counts_once_with_its_latest_snapshot(
    app: Flask, client: FlaskClient, catalogue: Catalogue
) -> None:
    """Totals so far: a site's second day replaces its first in the sum, never adds to it."""
    uuid = catalogue.resource
    days = [TODAY - timedelta(days=2), TODAY - timedelta(days=1), TODAY]
    aqtobe = "https://moodle.aqtobe.kz"
    sent = [
        body(activity(uuid, learners=2, completed=1), period=days[0]),
        body(activity(uuid, learners=5, completed=1), site=aqtobe, period=days[1]),
        body(activity(uuid, learners=4, completed=3, score_mean=55.0), period=days[2]),
    ]
    for report in sent:
        assert client.put(URL, json=report, headers=catalogue.results).status_code == 200

    found = summary(app, uuid)
    assert [(t.day, t.schools, t.learners, t.completed) for t in found.days] == [
        (days[0], 1, 2, 1),
        (days[1], 2, 7, 2),
        (days[2], 2, 9, 4),
    ]
    latest = found.latest
    assert latest is not None
    assert latest.score_mean == pytest.approx((4 * 55 + 5 * 70) / 9)


def test_every_version_of_the_resource_counts(
    app: Flask, client: FlaskClient, catalogue: Catalogue
) -> None:
    with app.app_context():
        resource = db.session.scalar(sa.select(Resource).where(Resource.uuid == catalogue.resource))
        assert resource is not None
        resource.versions.append(
            ResourceVersion(
                number=2,
                created_by_id=catalogue.teacher.id,
                package_sha256="1" * 64,
                package_size=1,
            )
        )
        db.session.commit()
    uuid = catalogue.resource
    sent = body(
        activity(uuid, version=1),
        activity(uuid, version=2, course={"id": 8, "name": "7Б"}, learners=3, completed=3),
    )
    assert client.put(URL, json=sent, headers=catalogue.results).status_code == 200
    latest = summary(app, uuid).latest
    assert latest is not None and (latest.learners, latest.completed) == (5, 4)


def test_a_resource_nobody_reported_has_no_use_yet(app: Flask, catalogue: Catalogue) -> None:
    found = summary(app, catalogue.resource)
    assert found.days == () and found.latest is None


def test_running_totals_need_no_database() -> None:
    day1, day2 = date(2026, 12, 1), date(2026, 12, 2)
    site_days = [
        usage.SiteDay("https://a.kz", day1, 10, 5, 4, 12, 10, 700.0),
        usage.SiteDay("https://a.kz", day2, 12, 6, 5, 15, 0, 0.0),
        usage.SiteDay("https://b.kz", day2, 0, 0, 0, 0, 0, 0.0),
    ]
    first, second = usage.running_totals(site_days)
    assert (first.schools, first.learners, first.score_mean) == (1, 10, 70.0)
    assert (second.schools, second.learners, second.completed, second.score_mean) == (
        2,
        12,
        6,
        None,
    )
