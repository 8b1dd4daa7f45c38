"""A published resource's next version: the authors upload it (or build it again), it goes
to the council as a revision of the same resource, and until the council publishes it the
public (its page, the package, the search, the Moodle feed, OAI-PMH) keeps the published
version; a rejected or withdrawn new version leaves the resource as it was."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalogue.db import db
from catalogue.models import AuditEvent, ReviewAssignment, Role, State
from catalogue.workflow import Facts, decide
from tests.support.catalogue import (
    Person,
    add_resource,
    add_sync_token,
    csrf_token,
    sample_package,
    sign_in,
)
from tests.support.jobs import LESSON
from tests.support.review import (
    API,
    Council,
    council,
    full_review,
    ok,
    post,
    refused,
    resource,
    review,
    reviewed,
)

NEW_TITLE = "Ньютон заңдары: түзетілген басылым"


@pytest.fixture(scope="module")
def newton_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_package(tmp_path_factory.mktemp("newton"))


@pytest.fixture
def newton(newton_zip: Path) -> bytes:
    """Version 2's package: the sample with one more file, so that it is a package of its own."""
    buffer = io.BytesIO(newton_zip.read_bytes())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("readme-v2.txt", "2-басылым\n")
    return buffer.getvalue()


def published(app: Flask, client: FlaskClient, people: Council, package: Path) -> str:
    uuid, _ = reviewed(app, client, people, title_kk="Ньютон заңдары", package=package)
    body = {"decision": "approve", "reason": "Сапалы сабақ"}
    ok(post(client, f"/resources/{uuid}/decision", people.chair, body))
    ok(post(client, f"/resources/{uuid}/publish", people.chair))
    return uuid


def upload_version(client: FlaskClient, uuid: str, author: Person, package: bytes) -> Any:
    response = client.post(
        f"{API}/resources/{uuid}/versions",
        data={
            "package": (io.BytesIO(package), "Ньютон-2.zip"),
            "title_kk": NEW_TITLE,
            "copyright_attested": "true",
        },
        headers=author.auth,
        content_type="multipart/form-data",
    )
    return ok(response, 201)


def review_round(
    app: Flask, client: FlaskClient, people: Council, uuid: str, recommendation: str
) -> None:
    """Reviewers 1 and 2, assigned again to the new version, accept it and review it."""
    with app.app_context():
        version_id = resource(uuid).latest.id
        query = sa.select(ReviewAssignment.id).where(ReviewAssignment.version_id == version_id)
        ids = list(db.session.scalars(query.order_by(ReviewAssignment.id)))
    for assignment_id, reviewer in zip(ids, (people.reviewer1, people.reviewer2), strict=True):
        ok(post(client, f"/assignments/{assignment_id}/accept", reviewer, {"no_conflict": True}))
        ok(review(client, assignment_id, reviewer, full_review(recommendation)))


def public_view(client: FlaskClient, uuid: str) -> Any:
    return ok(client.get(f"{API}/resources/{uuid}"))


def search_titles(client: FlaskClient, words: str) -> list[str]:
    found = ok(client.get(f"{API}/resources", query_string={"q": words}))
    return [item["title"] for item in found["items"]]


def feed(client: FlaskClient, token: dict[str, str]) -> list[tuple[str, int, str]]:
    items = ok(client.get(f"{API}/published", headers=token))["items"]
    return [(i["uuid"], i["version"], i["state"]) for i in items]


def oai_datestamp(client: FlaskClient, uuid: str) -> str:
    identifier = f"oai:{client.application.config.get('OAI_REPOSITORY_ID', '')}"
    page = client.get("/oai", query_string={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    text = page.get_data(as_text=True)
    found = re.search(rf"<identifier>[^<]*{uuid}</identifier>\s*<datestamp>([^<]+)<", text)
    assert found, (identifier, text[:2000])
    return found.group(1)


def test_a_new_version_is_reviewed_while_the_public_keeps_the_published_one(
    app: Flask, client: FlaskClient, newton: bytes, newton_zip: Path
) -> None:
    people = council(app)
    uuid = published(app, client, people, newton_zip)
    moodle = add_sync_token(app, people.author)
    sync = {"Authorization": f"Bearer {moodle}"}
    first_package = client.get(f"{API}/resources/{uuid}/package")
    assert first_package.status_code == 200
    before = hashlib.sha256(first_package.data).hexdigest()
    stamped = oai_datestamp(client, uuid)
    assert feed(client, sync) == [(uuid, 1, "published")]

    assert upload_version(client, uuid, people.author, newton)["number"] == 2
    response = {"response": "Екінші заңның мысалдары түзетілді"}
    after = ok(post(client, f"/resources/{uuid}/resubmit", people.author, response))
    assert after["state"] == "under_review"  # the reviewers of version 1 again, at once

    shown = public_view(client, uuid)
    assert shown["state"] == "published" and shown["versions"] == [1]
    assert shown["published_version"] == 1 and shown["latest_version"]["number"] == 1
    assert shown["revision_due_at"] is None
    assert client.get(f"{API}/resources/{uuid}/versions/2/package").status_code == 404
    again = client.get(f"{API}/resources/{uuid}/package")
    assert hashlib.sha256(again.data).hexdigest() == before
    assert search_titles(client, "Ньютон") == ["Ньютон заңдары"]
    assert search_titles(client, "басылым") == []
    assert feed(client, sync) == [(uuid, 1, "published")]  # Moodle is not told of v2 yet
    assert oai_datestamp(client, uuid) == stamped
    insider = ok(client.get(f"{API}/resources/{uuid}", headers=people.chair.auth))
    assert insider["state"] == "under_review" and insider["latest_version"]["number"] == 2

    with app.app_context():
        found = resource(uuid)
        assert (found.published_number, found.is_public, found.in_revision) == (1, True, True)
    review_round(app, client, people, uuid, "approve")
    body = {"decision": "approve", "reason": "Түзетулер дұрыс"}
    ok(post(client, f"/resources/{uuid}/decision", people.chair, body))
    assert public_view(client, uuid)["published_version"] == 1  # approved, not yet published
    ok(post(client, f"/resources/{uuid}/publish", people.chair))

    shown = public_view(client, uuid)
    assert shown["published_version"] == 2 and shown["latest_version"]["number"] == 2
    assert search_titles(client, "басылым") == [NEW_TITLE]
    assert feed(client, sync) == [(uuid, 2, "published")]
    with app.app_context():
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "publish").order_by(AuditEvent.id)
        ).all()[-1]
        assert event.details["replaces_version"] == 1


@pytest.mark.parametrize("ending", ["reject", "withdraw"])
def test_a_rejected_or_withdrawn_new_version_leaves_the_resource_published(
    app: Flask, client: FlaskClient, newton: bytes, newton_zip: Path, ending: str
) -> None:
    people = council(app)
    uuid = published(app, client, people, newton_zip)
    upload_version(client, uuid, people.author, newton)
    ok(post(client, f"/resources/{uuid}/resubmit", people.author, {"response": "Жаңа мысал"}))
    if ending == "reject":
        review_round(app, client, people, uuid, "reject")
        body = {"decision": "reject", "reason": "Мысал қате"}
        after = ok(post(client, f"/resources/{uuid}/decision", people.chair, body))
    else:
        after = ok(post(client, f"/resources/{uuid}/withdraw", people.author, {"reason": ""}))
    assert after["state"] == "published"
    shown = public_view(client, uuid)
    assert (shown["published_version"], shown["latest_version"]["number"]) == (1, 1)
    assert search_titles(client, "Ньютон") == ["Ньютон заңдары"]
    # the authors may try again with another version
    assert upload_version(client, uuid, people.author, newton)["number"] == 3


def test_a_new_version_only_where_the_workflow_takes_one(
    app: Flask, client: FlaskClient, newton: bytes, newton_zip: Path
) -> None:
    people = council(app)
    uuid, _ = reviewed(app, client, people)
    response = client.post(
        f"{API}/resources/{uuid}/versions",
        data={"package": (io.BytesIO(newton), "v2.zip"), "copyright_attested": "true"},
        headers=people.author.auth,
        content_type="multipart/form-data",
    )
    refused(response, 409, "wrong_state")  # under review: the council has version 1
    public = Facts(is_author=True, public=True, reason="why")
    assert decide("resubmit", State.PUBLISHED, public) is State.SUBMITTED
    chair = Facts(roles=frozenset({Role.CHAIR}), public=True, reason="why", reviewers=2)
    assert decide("reject", State.UNDER_REVIEW, chair) is State.PUBLISHED
    first_time = Facts(roles=chair.roles, reason="why", reviewers=2)
    assert decide("reject", State.UNDER_REVIEW, first_time) is State.REJECTED
    assert decide("withdraw", State.SUBMITTED, public) is State.PUBLISHED


def test_the_author_s_page_offers_a_new_version_and_says_the_public_keeps_the_old(
    app: Flask, client: FlaskClient, newton: bytes, newton_zip: Path
) -> None:
    people = council(app)
    uuid = published(app, client, people, newton_zip)
    sign_in(client, people.author)
    page = client.get(f"/my/resources/{uuid}").get_data(as_text=True)
    assert 'id="revision"' in page and f'/my/resources/{uuid}/revision"' in page
    assert f'href="/build?version_of={uuid}"' in page
    assert 'id="public-link"' in page

    sent = client.post(
        f"/my/resources/{uuid}/revision",
        data={
            "csrf_token": csrf_token(client),
            "package": (io.BytesIO(newton), "Ньютон-2.zip"),
            "response": "Суреттер жаңартылды",
            "copyright_attested": "on",
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    page = client.get(f"/my/resources/{uuid}").get_data(as_text=True)
    assert 'id="public-version-note"' in page and "state-under_review" in page
    assert 'id="public-link"' in page  # still public
    with app.app_context():
        found = resource(uuid)
        assert (found.state, found.published_number, found.latest.number) == (
            State.UNDER_REVIEW,
            1,
            2,
        )
        assert found.latest.author_response == "Суреттер жаңартылды"
    sign_in(client, people.chair)
    desk = client.get("/chair").get_data(as_text=True)
    chair_page = client.get(f"/chair/resources/{uuid}").get_data(as_text=True)
    assert 'id="public-version-note"' in chair_page, chair_page[:3000]
    assert desk.count("state-published") >= 1


def test_the_author_builds_the_new_version_from_the_lesson_files(
    app: Flask, client: FlaskClient, newton_zip: Path
) -> None:
    app.config["JOBS_BACKEND"] = "inline"
    people = council(app)
    uuid = published(app, client, people, newton_zip)
    sign_in(client, people.author)
    form = client.get(f"/build?version_of={uuid}").get_data(as_text=True)
    assert 'id="version-target"' in form and "Ньютон заңдары" in form
    assert f'name="version_of" value="{uuid}"' in form
    assert 'value="Ньютон заңдары"' in form  # the title comes from the published version
    assert client.get(f"/build?version_of={uuid[:-1]}0").status_code == 404

    started = client.post(
        "/build",
        data={
            "csrf_token": csrf_token(client),
            "files": [(io.BytesIO(LESSON.read_bytes()), "newton-lesson.docx")],
            "scorm": "2004",
            "language": "kk",
            "title": "Ньютон заңдары",  # as the form offers it
            "version_of": uuid,
        },
        content_type="multipart/form-data",
    )
    assert started.status_code == 302, started.get_data(as_text=True)
    built = client.get(started.headers["Location"]).headers["Location"]
    page = client.get(built).get_data(as_text=True)
    assert 'id="new-version-form"' in page and 'name="title_kk"' not in page

    unsaid = client.post(built, data={"csrf_token": csrf_token(client), "response": ""})
    assert unsaid.status_code == 422
    assert 'id="f-response-error"' in unsaid.get_data(as_text=True)
    with app.app_context():
        assert len(resource(uuid).versions) == 1  # nothing added while the form is refused

    note = {"csrf_token": csrf_token(client), "response": "Сабақ қайта жасалды"}
    sent = client.post(built, data={**note, "copyright_attested": "on"})
    assert sent.headers["Location"] == f"/my/resources/{uuid}"
    with app.app_context():
        found = resource(uuid)
        assert (found.state, found.published_number, found.latest.number) == (
            State.UNDER_REVIEW,
            1,
            2,
        )
        assert found.latest.title_kk == "Ньютон заңдары"
    back = client.get(built)  # the back button: nothing to make a second resource from
    assert back.status_code == 302 and back.headers["Location"] == f"/my/resources/{uuid}"
    twice = client.post(built, data={**note, "copyright_attested": "on"})
    assert twice.headers["Location"] == f"/my/resources/{uuid}"
    with app.app_context():
        assert len(resource(uuid).versions) == 2


@pytest.mark.parametrize("gone", [State.UNPUBLISHED, State.WITHDRAWN, State.REJECTED])
def test_a_published_resource_taken_down_is_no_longer_public(
    app: Flask, client: FlaskClient, gone: State
) -> None:
    people = council(app)
    uuid = add_resource(app, people.author, State.PUBLISHED, title_kk="Жарық")
    moodle = {"Authorization": f"Bearer {add_sync_token(app, people.author)}"}
    assert feed(client, moodle) == [(uuid, 1, "published")]
    with app.app_context():
        resource(uuid).state = gone  # withdrawn or rejected: data older than the rules
        db.session.commit()
        assert not resource(uuid).is_public
    assert client.get(f"{API}/resources/{uuid}").status_code == 404
    assert search_titles(client, "Жарық") == []
    assert feed(client, moodle) == [(uuid, 1, "unpublished")]  # Moodle hides it
