"""An offline library's results file, taken by ``POST /api/v1/usage/offline`` and by the
teacher's upload page (``/my/offline-results``), counted into the resources' use beside the
Moodle sites' reports: once, whole or not at all (on SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalogue.db import db
from catalogue.models import OfflineResultsFile, Resource, Role, State, UsageReport
from catalogue.services import usage
from tests.catalogue.test_offline_results import LIBRARY, entry, results_file
from tests.support.catalogue import (
    Person,
    add_resource,
    add_results_token,
    add_sync_token,
    add_user,
    csrf_token,
    sign_in,
)
from tests.support.error_texts import said

URL = "/api/v1/usage/offline"
TODAY = datetime.now(UTC).date()
EXPORTED = f"{TODAY.isoformat()}T08:00:00Z"  # the catalogue takes up to a day ahead
PLAYED = (TODAY - timedelta(days=1)).isoformat()
UNKNOWN = "6f1d2c3b-0000-4000-8000-000000000000"
OTHER_LIBRARY = "9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"


@dataclass
class Scene:
    author: Person
    teacher: Person
    admin: Person
    reviewer: Person
    resource: str
    other: str
    results: dict[str, str]


@pytest.fixture
def scene(app: Flask) -> Scene:
    author = add_user(app, "avtor@mektep.kz", Role.TEACHER, name="Әлия Нұрланова")
    teacher = add_user(app, "mugalim@aqzhar.kz", Role.TEACHER)
    admin = add_user(app, "akimshi@sandyq.kz", Role.ADMIN)
    reviewer = add_user(app, "sarapshy@kenes.kz", Role.REVIEWER)
    resource = add_resource(app, author, State.PUBLISHED)
    other = add_resource(app, author, State.PUBLISHED, title_kk="Ом заңы")
    token = add_results_token(app, admin)
    return Scene(
        author, teacher, admin, reviewer, resource, other, {"Authorization": f"Bearer {token}"}
    )


def pupil(resource: str, number: int, **changes: Any) -> dict[str, Any]:
    """An entry of pupil ``number`` on version 1 of ``resource``, played yesterday."""
    return entry(
        resource, **{"pupil": f"p-{number:04x}", "version": 1, "last_played": PLAYED, **changes}
    )


def library_file(*entries: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The library's file, exported today."""
    return results_file(*entries, **{"exported_at": EXPORTED, **changes})


def three_pupils(scene: Scene, **changes: Any) -> dict[str, Any]:
    """Three pupils on the resource (two completed, one passed, scores 80 and 60), one of
    them on the other resource too."""
    return library_file(
        pupil(scene.resource, 1, score=80),
        pupil(scene.resource, 2, score=60, passed=False),
        pupil(scene.resource, 3, completed=False, passed=False, score=None, name=...),
        pupil(scene.other, 1, score=100),
        **changes,
    )


def usage_rows(app: Flask) -> list[tuple[Any, ...]]:
    with app.app_context():
        found = db.session.execute(
            sa.select(
                UsageReport.site_url,
                UsageReport.site_name,
                UsageReport.course_id,
                Resource.uuid,
                UsageReport.version_number,
                UsageReport.period,
                UsageReport.learners,
                UsageReport.completed,
                UsageReport.passed,
                UsageReport.attempts,
                UsageReport.score_mean,
                UsageReport.score_median,
                UsageReport.source,
            )
            .join(Resource, Resource.id == UsageReport.resource_id)
            .order_by(UsageReport.site_url, UsageReport.period, Resource.id)
        ).all()
        return [tuple(row) for row in found]


def files_taken(app: Flask) -> list[tuple[Any, ...]]:
    with app.app_context():
        found = db.session.execute(
            sa.select(
                OfflineResultsFile.checksum,
                OfflineResultsFile.library,
                OfflineResultsFile.school,
                OfflineResultsFile.entries,
                OfflineResultsFile.taken_by_id,
            ).order_by(OfflineResultsFile.id)
        ).all()
        return [tuple(row) for row in found]


def latest(app: Flask, uuid: str) -> usage.Totals:
    with app.app_context():
        resource = db.session.scalar(sa.select(Resource).where(Resource.uuid == uuid))
        assert resource is not None
        found = usage.summary(resource).latest
        assert found is not None
        return found


def nothing_counted(app: Flask) -> bool:
    return usage_rows(app) == [] and files_taken(app) == []


# ---- counting -------------------------------------------------------------------------------


def test_a_results_token_brings_a_file_and_its_use_is_counted(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    sent = three_pupils(scene)
    answer = client.post(URL, json=sent, headers=scene.results)
    assert answer.status_code == 201, answer.text
    taken = answer.json
    assert taken == {
        "library": LIBRARY,
        "school": "Ақжар ШЖМ",
        "exported_at": f"{TODAY.isoformat()}T08:00:00.000000Z",
        "period": TODAY.isoformat(),
        "taken_at": taken["taken_at"],
        "entries": 4,
        "learners": 3,
        "resources": 2,
    }
    site = f"offline:{LIBRARY}"
    assert usage_rows(app) == [
        (site, "Ақжар ШЖМ", 0, scene.resource, 1, TODAY, 3, 2, 1, 3, 70.0, 70.0, "offline"),
        (site, "Ақжар ШЖМ", 0, scene.other, 1, TODAY, 1, 1, 1, 1, 100.0, 100.0, "offline"),
    ]
    assert files_taken(app) == [(sent["checksum"], LIBRARY, "Ақжар ШЖМ", 4, scene.admin.id)]
    counted = latest(app, scene.resource)
    assert (counted.schools, counted.learners, counted.completed, counted.passed) == (1, 3, 2, 1)
    assert (counted.offline_libraries, counted.offline_learners) == (1, 3)
    assert counted.score_mean == pytest.approx(70.0)


def test_offline_use_counts_beside_a_moodle_site_s(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    moodle = {
        "site": {"url": "https://moodle.school.kz", "name": "Мектеп № 12"},
        "period": TODAY.isoformat(),
        "activities": [
            {
                "resource": scene.resource,
                "version": 1,
                "course": {"id": 7, "name": "Физика, 7-сынып"},
                "learners": 5,
                "completed": 4,
                "passed": 3,
                "attempts": 6,
                "score_mean": 90.0,
            }
        ],
    }
    assert client.put("/api/v1/usage", json=moodle, headers=scene.results).status_code == 200
    assert client.post(URL, json=three_pupils(scene), headers=scene.results).status_code == 201
    counted = latest(app, scene.resource)
    assert (counted.schools, counted.learners, counted.completed) == (2, 8, 6)
    assert (counted.offline_libraries, counted.offline_learners) == (1, 3)
    # weighted by learners over the rows that have a mean: (5 x 90 + 3 x 70) / 8
    assert counted.score_mean == pytest.approx((5 * 90 + 3 * 70) / 8)
    sources = {row[0]: row[-1] for row in usage_rows(app)}
    assert sources == {"https://moodle.school.kz": "moodle", f"offline:{LIBRARY}": "offline"}


def test_the_resource_page_shows_the_offline_learners(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    assert client.post(URL, json=three_pupils(scene), headers=scene.results).status_code == 201
    sign_in(client, scene.author)
    client.get("/language/en")
    html = client.get(f"/resources/{scene.resource}").get_data(as_text=True)
    assert fact(html, "schools") == "1" and fact(html, "learners") == "3"
    assert fact(html, "offline-learners") == "3"
    assert "Schools (Moodle sites and offline libraries)" in html
    assert "Of them, in offline libraries" in html
    section = html[html.index('id="usage"') : html.index("</section>", html.index('id="usage"'))]
    assert "p-0001" not in section and "Әлия" not in section and LIBRARY not in section
    client.get("/language/kk")
    kazakh = client.get(f"/resources/{scene.resource}").get_data(as_text=True)
    assert "Оның ішінде офлайн кітапханаларда" in kazakh


def test_without_offline_use_the_panel_has_no_offline_line(
    client: FlaskClient, scene: Scene
) -> None:
    moodle = {
        "site": {"url": "https://moodle.school.kz", "name": "Мектеп"},
        "period": TODAY.isoformat(),
        "activities": [
            {
                "resource": scene.resource,
                "course": {"id": 7, "name": "7А"},
                "learners": 2,
                "completed": 1,
                "passed": 1,
                "attempts": 2,
            }
        ],
    }
    assert client.put("/api/v1/usage", json=moodle, headers=scene.results).status_code == 200
    sign_in(client, scene.author)
    client.get("/language/en")
    html = client.get(f"/resources/{scene.resource}").get_data(as_text=True)
    assert fact(html, "learners") == "2"
    assert 'id="usage-offline-learners"' not in html
    start = html.index('<dl class="facts usage-facts">')
    facts = html[start : html.index("</dl>", start)]
    assert "Schools (Moodle sites)" in facts and "offline" not in facts


def test_a_resource_taken_down_since_still_counts(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    """The library had it while it was published; its pupils did use it."""
    taken_down = add_resource(app, scene.author, State.UNPUBLISHED)
    answer = client.post(URL, json=library_file(pupil(taken_down, 1)), headers=scene.results)
    assert answer.status_code == 201, answer.text
    assert [row[3] for row in usage_rows(app)] == [taken_down]


# ---- who may bring a file ---------------------------------------------------------------------


def test_a_teacher_signed_in_brings_a_file_with_the_csrf_token(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    sign_in(client, scene.teacher)
    refused = client.post(URL, json=three_pupils(scene))
    assert refused.status_code == 400 and refused.json["error"]["code"] == "csrf_failed"
    assert nothing_counted(app)
    answer = client.post(URL, json=three_pupils(scene), headers={"X-CSRFToken": csrf_token(client)})
    assert answer.status_code == 201, answer.text
    assert [row[-1] for row in files_taken(app)] == [scene.teacher.id]


@pytest.mark.parametrize("who", ["teacher", "admin"])
def test_a_teacher_s_or_an_administrator_s_api_token_brings_a_file(
    app: Flask, client: FlaskClient, scene: Scene, who: str
) -> None:
    person = scene.teacher if who == "teacher" else scene.admin
    answer = client.post(URL, json=three_pupils(scene), headers=person.auth)
    assert answer.status_code == 201, answer.text
    assert [row[-1] for row in files_taken(app)] == [person.id]


def test_nobody_else_brings_one(app: Flask, client: FlaskClient, scene: Scene) -> None:
    anonymous = client.post(URL, json=three_pupils(scene))
    assert anonymous.status_code == 401
    assert anonymous.json["error"]["code"] == "unauthenticated"
    sync = {"Authorization": f"Bearer {add_sync_token(app, scene.admin)}"}
    by_sync = client.post(URL, json=three_pupils(scene), headers=sync)
    assert by_sync.status_code == 403
    assert by_sync.json["error"]["code"] == "results_token_required"
    by_reviewer = client.post(URL, json=three_pupils(scene), headers=scene.reviewer.auth)
    assert by_reviewer.status_code == 403
    assert by_reviewer.json["error"]["code"] == "role_required"
    assert nothing_counted(app)


# ---- once, and whole or not at all --------------------------------------------------------------


def test_the_same_file_again_is_refused_and_changes_nothing(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    sent = three_pupils(scene)
    first = client.post(URL, json=sent, headers=scene.results)
    assert first.status_code == 201
    rows, files = usage_rows(app), files_taken(app)
    again = client.post(URL, json=sent, headers={**scene.results, "Accept-Language": "en"})
    assert again.status_code == 409
    error = again.json["error"]
    assert error["code"] == "offline_results_already_taken"
    assert error["message"] == said(app, "en", "offline_results_already_taken")
    assert error["details"] == {
        "taken_at": first.json["taken_at"],
        "exported_at": first.json["exported_at"],
    }
    # the same content, laid out otherwise, is the same file
    relaid = json.dumps(dict(reversed(list(sent.items()))), indent=2, ensure_ascii=False)
    third = client.post(
        URL, data=relaid.encode(), content_type="application/json", headers=scene.results
    )
    assert third.status_code == 409
    assert usage_rows(app) == rows and files_taken(app) == files


def test_one_byte_changed_is_refused_as_altered(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    text = json.dumps(three_pupils(scene), ensure_ascii=False)
    assert text.count('"score": 60') == 1
    changed = text.replace('"score": 60', '"score": 90').encode("utf-8")
    answer = client.post(
        URL,
        data=changed,
        content_type="application/json",
        headers={**scene.results, "Accept-Language": "ru"},
    )
    assert answer.status_code == 422
    error = answer.json["error"]
    assert error["code"] == "offline_results_altered"
    assert error["message"] == said(app, "ru", "offline_results_altered")
    assert "контрольная сумма" in error["message"]
    assert nothing_counted(app)


def test_a_problem_is_named_and_nothing_is_stored(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    sent = library_file(
        pupil(scene.resource, 1), pupil(scene.resource, 2), pupil(scene.resource, 3, score=101)
    )
    answer = client.post(URL, json=sent, headers=scene.results)
    assert answer.status_code == 422
    error = answer.json["error"]
    assert error["code"] == "offline_results_invalid"
    assert error["details"] == {"fields": {"results[2].score": "more than 100"}}
    assert nothing_counted(app)


@pytest.mark.parametrize("kind", ["unknown", "draft"])
def test_a_file_with_a_resource_never_published_is_refused_whole(
    app: Flask, client: FlaskClient, scene: Scene, kind: str
) -> None:
    stranger = UNKNOWN if kind == "unknown" else add_resource(app, scene.author, State.DRAFT)
    sent = library_file(
        pupil(scene.resource, 1), pupil(stranger, 1), pupil(scene.other, 2), pupil(stranger, 2)
    )
    answer = client.post(URL, json=sent, headers=scene.results)
    assert answer.status_code == 422
    error = answer.json["error"]
    assert error["code"] == "offline_results_unknown_resources"
    assert error["details"] == {
        "resources": [stranger],
        "fields": {
            "results[1].resource": "not a resource this catalogue published",
            "results[3].resource": "not a resource this catalogue published",
        },
    }
    assert nothing_counted(app)  # not even the resources the catalogue knows


def test_a_later_export_of_the_day_replaces_it_an_older_one_is_refused(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    morning = library_file(pupil(scene.resource, 1), exported_at=f"{TODAY}T06:00:00Z")
    noon = library_file(
        pupil(scene.resource, 1), pupil(scene.resource, 2), exported_at=f"{TODAY}T08:00:00Z"
    )
    assert client.post(URL, json=morning, headers=scene.results).status_code == 201
    assert client.post(URL, json=noon, headers=scene.results).status_code == 201
    assert [row[6] for row in usage_rows(app)] == [2]  # one row: the later totals
    late = library_file(pupil(scene.resource, 1), exported_at=f"{TODAY}T07:00:00Z")
    refused = client.post(URL, json=late, headers=scene.results)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "offline_results_outdated"
    assert refused.json["error"]["details"] == {"exported_at": f"{TODAY}T08:00:00.000000Z"}
    assert [row[6] for row in usage_rows(app)] == [2] and len(files_taken(app)) == 2


def test_each_library_is_a_school_and_counts_with_its_latest_export(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    yesterday = f"{TODAY - timedelta(days=1)}T09:00:00Z"
    sent = [
        library_file(pupil(scene.resource, 1), exported_at=yesterday),
        library_file(pupil(scene.resource, 1), pupil(scene.resource, 2)),
        library_file(pupil(scene.resource, 9), library=OTHER_LIBRARY, school=""),
    ]
    for body in sent:
        assert client.post(URL, json=body, headers=scene.results).status_code == 201
    counted = latest(app, scene.resource)
    assert (counted.schools, counted.learners, counted.offline_learners) == (2, 3, 3)
    names = {row[0]: row[1] for row in usage_rows(app)}
    assert names[f"offline:{OTHER_LIBRARY}"] == "Offline library"


def test_a_body_that_is_not_json_is_refused(client: FlaskClient, scene: Scene) -> None:
    answer = client.post(
        URL, data=b"{not json", content_type="application/json", headers=scene.results
    )
    assert answer.status_code == 400 and answer.json["error"]["code"] == "bad_json"


# ---- the teacher's upload page ------------------------------------------------------------------

PAGE = "/my/offline-results"


def fact(html: str, key: str) -> str:
    found = re.search(rf'<dd id="usage-{key}">([^<]*)</dd>', html)
    assert found, f"no fact {key}"
    return unescape(found.group(1)).replace("\xa0", " ")


def upload(client: FlaskClient, content: bytes, name: str = "sandyq-results.json") -> Any:
    return client.post(
        PAGE,
        data={"csrf_token": csrf_token(client), "results": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def as_file(body: dict[str, Any]) -> bytes:
    return json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")


def field_error(html: str) -> str:
    found = re.search(r'<p class="field-error" id="f-results-error">([^<]*)</p>', html)
    assert found, "no error at the field"
    return unescape(found.group(1))


def test_my_resources_links_the_upload_page(client: FlaskClient, scene: Scene) -> None:
    sign_in(client, scene.teacher)
    mine = client.get("/my/resources").get_data(as_text=True)
    assert f'href="{PAGE}"' in mine
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="csrf_token"' in html
    assert re.search(r'<input id="f-results" name="results" type="file" required', html)
    assert "Офлайн кітапхана нәтижелері" in html


def test_a_teacher_uploads_a_file_and_is_told_what_was_counted(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    sign_in(client, scene.teacher)
    client.get("/language/en")
    answer = upload(client, as_file(three_pupils(scene)))
    assert answer.status_code == 302 and answer.headers["Location"].endswith(PAGE)
    html = client.get(PAGE).get_data(as_text=True)
    flash = re.search(r'<p class="flash flash-success" role="status">([^<]*)</p>', html)
    assert flash, html
    said_then = unescape(flash.group(1))
    assert said_then.startswith("The results are counted: 3 pupils, 2 resources, as of ")
    assert [row[-1] for row in files_taken(app)] == [scene.teacher.id]
    assert latest(app, scene.resource).offline_learners == 3


def test_the_confirmation_in_kazakh_and_russian(client: FlaskClient, scene: Scene) -> None:
    sign_in(client, scene.teacher)
    assert upload(client, as_file(library_file(pupil(scene.resource, 1)))).status_code == 302
    kazakh = unescape(client.get(PAGE).get_data(as_text=True))
    assert "Нәтижелер есепке алынды: 1 оқушы, 1 ресурс" in kazakh
    client.get("/language/ru")
    sent = library_file(pupil(scene.resource, 1), pupil(scene.resource, 2), library=OTHER_LIBRARY)
    assert upload(client, as_file(sent)).status_code == 302
    russian = unescape(client.get(PAGE).get_data(as_text=True))
    assert "Результаты учтены: 2 ученика, 1 ресурс" in russian


def test_an_altered_file_is_refused_at_the_field_and_in_the_summary(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    sign_in(client, scene.teacher)
    client.get("/language/en")
    changed = as_file(three_pupils(scene)).replace(b'"score": 80', b'"score": 85')
    answer = upload(client, changed)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    expected = said(app, "en", "offline_results_altered")
    assert field_error(html) == expected
    start = html.index('class="error-summary"')
    summary = html[start : html.index("</div>", start)]
    assert 'href="#f-results"' in summary and expected in unescape(summary)
    assert 'aria-invalid="true"' in html
    assert nothing_counted(app)


def test_the_problems_of_a_file_are_listed_under_the_field(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    sign_in(client, scene.teacher)
    sent = library_file(pupil(scene.resource, 1, score=101), pupil(scene.resource, 2, passed="иә"))
    answer = upload(client, as_file(sent))
    assert answer.status_code == 422
    html = unescape(answer.get_data(as_text=True))
    assert field_error(html) == said(app, "kk", "offline_results_invalid")
    start = html.index('id="f-results-problems"')
    listed = html[start : html.index("</ul>", start)]
    assert "results[0].score: more than 100" in listed
    assert "results[1].passed: must be true or false" in listed
    assert nothing_counted(app)


def test_the_same_file_twice_on_the_page_says_when_it_was_counted(
    app: Flask, client: FlaskClient, scene: Scene
) -> None:
    sign_in(client, scene.teacher)
    client.get("/language/en")
    content = as_file(three_pupils(scene))
    assert upload(client, content).status_code == 302
    again = upload(client, content)
    assert again.status_code == 409
    message = field_error(again.get_data(as_text=True))
    assert message.startswith("This results file was counted already, on ")
    assert str(TODAY.year) in message
    assert len(files_taken(app)) == 1


@pytest.mark.parametrize(
    ("content", "name", "start"),
    [
        (b"", "", "Choose the results file"),
        (b"{}", "results.txt", "Choose a .json file"),
        (b"%PDF-1.4", "results.json", "This is not a library's results file"),
        (b" " * (5 * 1024 * 1024 + 1), "results.json", "The file is larger than 5 MB"),
    ],
    ids=["no file", "not .json", "not JSON", "too large"],
)
def test_a_file_that_is_no_results_file_is_refused_at_the_field(
    app: Flask, client: FlaskClient, scene: Scene, content: bytes, name: str, start: str
) -> None:
    sign_in(client, scene.teacher)
    client.get("/language/en")
    answer = upload(client, content, name)
    assert answer.status_code == 422
    assert field_error(answer.get_data(as_text=True)).startswith(start)
    assert nothing_counted(app)


def test_the_upload_page_is_the_teachers(client: FlaskClient, scene: Scene) -> None:
    """A page of the teacher's area; an administrator without the role brings a file
    through the API."""
    assert client.get(PAGE).status_code == 302  # anonymous: sent to sign in
    for other in (scene.reviewer, scene.admin):
        sign_in(client, other)
        assert client.get(PAGE).status_code == 403


def test_the_page_needs_its_csrf_token(app: Flask, client: FlaskClient, scene: Scene) -> None:
    sign_in(client, scene.teacher)
    content = as_file(three_pupils(scene))
    answer = client.post(
        PAGE,
        data={"results": (io.BytesIO(content), "sandyq-results.json")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    assert nothing_counted(app)
