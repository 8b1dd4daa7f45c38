"""The teacher's own resources in the browser: the list with states and the council's
feedback, a draft's description and submission, withdrawal, and the answer to a revision
request (a new version with a response, back to the council). The council's part is
played through the API, as the review tests do."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalogue.db import db
from catalogue.models import Resource, Role, State
from tests.support.catalogue import add_resource, add_user, csrf_token, sample_package, sign_in
from tests.support.review import (
    API,
    Council,
    council,
    draft,
    full_review,
    ok,
    post,
    review,
)

DECISION_REASON = "Сабақ ұзақтығын нақтылаңыз, тест сұрақтарын көбейтіңіз"
TO_AUTHOR = "Үдеу туралы бөлімге тағы бір мысал қосыңыз."


@pytest.fixture(scope="module")
def newton(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return sample_package(tmp_path_factory.mktemp("newton")).read_bytes()


def _found(app: Flask, uuid: str) -> tuple[State, int, list[str], bool]:
    """(state, number of versions, author responses, latest version frozen)."""
    with app.app_context():
        resource = db.session.scalar(sa.select(Resource).where(Resource.uuid == uuid))
        assert resource is not None
        return (
            resource.state,
            len(resource.versions),
            [v.author_response for v in resource.versions],
            resource.latest.frozen_at is not None,
        )


def _revision_requested(app: Flask, client: FlaskClient, people: Council, newton: bytes) -> str:
    """A resource uploaded by the author, reviewed by two council members and sent back
    for revision by the chair (all through the API)."""
    created = client.post(
        f"{API}/resources",
        data={
            "package": (io.BytesIO(newton), "Ньютон.zip"),
            "subject": "physics",
            "grades": "7",
            "copyright_attested": "true",
        },
        headers=people.author.auth,
        content_type="multipart/form-data",
    )
    uuid: str = ok(created, 201)["uuid"]
    ok(post(client, f"/resources/{uuid}/submit", people.author))
    ids = ok(
        post(
            client,
            f"/resources/{uuid}/assignments",
            people.chair,
            {"reviewer_ids": [people.reviewer1.id, people.reviewer2.id]},
        ),
        201,
    )["assignments"]
    for assignment, reviewer in zip(ids, (people.reviewer1, people.reviewer2), strict=True):
        ok(post(client, f"/assignments/{assignment['id']}/accept", reviewer, {"no_conflict": True}))
    first = full_review("minor_revision", to_author=TO_AUTHOR)
    ok(review(client, ids[0]["id"], people.reviewer1, first))
    ok(review(client, ids[1]["id"], people.reviewer2, full_review("approve")))
    body = {"decision": "request_revision", "reason": DECISION_REASON}
    ok(post(client, f"/resources/{uuid}/decision", people.chair, body))
    return uuid


def _revision_form(
    client: FlaskClient, package: bytes | None, response: str, attested: bool = True
) -> dict[str, object]:
    data: dict[str, object] = {"csrf_token": csrf_token(client), "response": response}
    if package is not None:
        data["package"] = (io.BytesIO(package), "Ньютон-2.zip")
    if attested:
        data["copyright_attested"] = "1"
    return data


# ---- the list ------------------------------------------------------------------------


def test_my_resources_lists_my_resources_with_their_states(app: Flask, client: FlaskClient) -> None:
    me = add_user(app, "aliya@mektep.kz", Role.TEACHER)
    other = add_user(app, "basqa@mektep.kz", Role.TEACHER)
    add_resource(app, me, State.DRAFT, title_kk="Үдеу: жоба")
    add_resource(app, me, State.PUBLISHED, title_kk="Ньютон заңдары")
    add_resource(app, me, State.REVISION_REQUESTED, title_kk="Күш және масса")
    add_resource(app, other, State.PUBLISHED, title_kk="Басқа мұғалімнің сабағы")
    sign_in(client, me)

    page = client.get("/my/resources").get_data(as_text=True)
    for title in ("Үдеу: жоба", "Ньютон заңдары", "Күш және масса"):
        assert title in page
    assert "Басқа мұғалімнің сабағы" not in page
    for state in ("draft", "published", "revision_requested"):
        assert f'class="badge state-{state}"' in page
    assert page.count('href="/my/resources/') == 3 + 1  # each title, and one revision link


def test_an_empty_list_says_where_to_start(app: Flask, client: FlaskClient) -> None:
    sign_in(client, add_user(app, "jana@mektep.kz", Role.TEACHER))
    page = client.get("/my/resources").get_data(as_text=True)
    assert "<table" not in page
    assert 'href="/build"' in page and 'href="/upload"' in page


# ---- a draft -------------------------------------------------------------------------


def test_a_draft_is_described_then_sent_to_the_council(app: Flask, client: FlaskClient) -> None:
    people = council(app)
    uuid = draft(app, people.author, title_kk="Ескі атау", copyright_attested=False)
    sign_in(client, people.author)
    fields = {
        "csrf_token": csrf_token(client),
        "title_kk": "Ньютонның екінші заңы",
        "description_kk": "Күш, масса және үдеу",
        "language": "kk",
        "subject": "physics",
        "grades": "7, 8",
        "resource_type": "lesson",
        "keywords": "күш, үдеу",
        "learning_minutes": "40",
        "license": "CC-BY-SA-4.0",
        "rights_holder": "Әлия Нұрланова",
    }
    bad = client.post(f"/my/resources/{uuid}/metadata", data={**fields, "grades": "жеті"})
    assert bad.status_code == 422
    assert 'id="f-grades-error"' in bad.get_data(as_text=True)
    assert 'value="жеті"' in bad.get_data(as_text=True)

    saved = client.post(f"/my/resources/{uuid}/metadata", data={**fields, "action": "save"})
    assert saved.status_code == 302
    with app.app_context():
        version = db.session.scalar(sa.select(Resource).where(Resource.uuid == uuid)).latest  # type: ignore[union-attr]
        assert (version.title_kk, version.grades, version.license) == (
            "Ньютонның екінші заңы",
            [7, 8],
            "CC-BY-SA-4.0",
        )

    refused = client.post(
        f"/my/resources/{uuid}/metadata",
        data={**fields, "action": "submit"},
        follow_redirects=True,
    )
    assert "flash-error" in refused.get_data(as_text=True)  # the rights are not confirmed
    assert _found(app, uuid)[0] is State.DRAFT

    sent = client.post(
        f"/my/resources/{uuid}/metadata",
        data={**fields, "copyright_attested": "1", "action": "submit"},
    )
    assert sent.status_code == 302
    assert _found(app, uuid)[0] is State.SUBMITTED
    page = client.get(f"/my/resources/{uuid}").get_data(as_text=True)
    assert f'action="/my/resources/{uuid}/metadata"' not in page  # frozen now
    assert f'action="/my/resources/{uuid}/withdraw"' in page


def test_an_author_withdraws_a_submitted_resource(app: Flask, client: FlaskClient) -> None:
    people = council(app)
    uuid = draft(app, people.author)
    ok(post(client, f"/resources/{uuid}/submit", people.author))
    sign_in(client, people.author)
    response = client.post(
        f"/my/resources/{uuid}/withdraw",
        data={"csrf_token": csrf_token(client), "reason": "Басқа нұсқасын жасаймын"},
    )
    assert response.status_code == 302
    assert _found(app, uuid)[0] is State.WITHDRAWN
    page = client.get(f"/my/resources/{uuid}").get_data(as_text=True)
    assert "Басқа нұсқасын жасаймын" in page  # in the history
    assert f'action="/my/resources/{uuid}/withdraw"' not in page


# ---- a revision ----------------------------------------------------------------------


def test_the_council_feedback_is_shown_to_the_author(
    app: Flask, client: FlaskClient, newton: bytes
) -> None:
    people = council(app)
    uuid = _revision_requested(app, client, people, newton)
    sign_in(client, people.author)
    listing = client.get("/my/resources").get_data(as_text=True)
    assert DECISION_REASON in listing
    assert 'class="badge state-revision_requested"' in listing

    page = client.get(f"/my/resources/{uuid}").get_data(as_text=True)
    assert DECISION_REASON in page
    assert TO_AUTHOR in page
    assert "Бекзат Сарапшы" not in page  # reviews are anonymous to the author
    assert f'action="/my/resources/{uuid}/revision"' in page
    assert 'enctype="multipart/form-data"' in page


def test_a_revision_is_answered_with_a_new_version_and_goes_back_to_the_council(
    app: Flask, client: FlaskClient, newton: bytes
) -> None:
    people = council(app)
    uuid = _revision_requested(app, client, people, newton)
    sign_in(client, people.author)

    response = client.post(
        f"/my/resources/{uuid}/revision",
        data=_revision_form(client, newton, "Ұзақтығы 45 минут, екі мысал қостым"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert _found(app, uuid) == (
        State.UNDER_REVIEW,  # back to the same reviewers, whose review starts at once
        2,
        ["", "Ұзақтығы 45 минут, екі мысал қостым"],
        True,
    )
    queue = ok(client.get(f"{API}/me/assignments", headers=people.reviewer1.auth))
    assert [a["version"] for a in queue["assignments"]] == [2]


def test_a_revision_needs_a_package_and_a_response(
    app: Flask, client: FlaskClient, newton: bytes
) -> None:
    people = council(app)
    uuid = _revision_requested(app, client, people, newton)
    sign_in(client, people.author)
    response = client.post(
        f"/my/resources/{uuid}/revision",
        data=_revision_form(client, None, ""),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="f-revision-package-error"' in page
    assert 'id="f-response-error"' in page
    assert _found(app, uuid)[:2] == (State.REVISION_REQUESTED, 1)


def test_an_invalid_revised_package_is_refused_with_findings_in_kazakh(
    app: Flask, client: FlaskClient, newton: bytes
) -> None:
    people = council(app)
    uuid = _revision_requested(app, client, people, newton)
    sign_in(client, people.author)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("сабақ.html", "<p>Сәлем</p>")
    response = client.post(
        f"/my/resources/{uuid}/revision",
        data=_revision_form(client, buffer.getvalue(), "Түзеттім"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Пакетте imsmanifest.xml файлы жоқ" in page
    assert "Түзеттім" in page  # the response is kept
    assert _found(app, uuid)[:2] == (State.REVISION_REQUESTED, 1)


def test_a_new_version_without_the_rights_confirmed_waits_and_is_sent_later(
    app: Flask, client: FlaskClient, newton: bytes
) -> None:
    people = council(app)
    uuid = _revision_requested(app, client, people, newton)
    sign_in(client, people.author)
    response = client.post(
        f"/my/resources/{uuid}/revision",
        data=_revision_form(client, newton, "Жаңа нұсқа", attested=False),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'action="/my/resources/{uuid}/resubmit"' in page
    assert 'id="f-resubmit-copyright-error"' in page
    assert "Жаңа нұсқа" in page
    assert _found(app, uuid) == (State.REVISION_REQUESTED, 2, ["", ""], False)

    sent = client.post(
        f"/my/resources/{uuid}/resubmit",
        data={
            "csrf_token": csrf_token(client),
            "response": "Жаңа нұсқа",
            "copyright_attested": "1",
        },
    )
    assert sent.status_code == 302
    assert _found(app, uuid) == (State.UNDER_REVIEW, 2, ["", "Жаңа нұсқа"], True)


# ---- whose resource ------------------------------------------------------------------


def test_another_teachers_resource_is_not_found(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    people = council(app)
    hidden = draft(app, people.author)
    published = add_resource(app, people.author, State.PUBLISHED)
    sign_in(client, people.teacher)
    for uuid in (hidden, published):
        assert client.get(f"/my/resources/{uuid}").status_code == 404
        token = csrf_token(client)
        for action in ("withdraw", "submit", "metadata"):
            response = client.post(f"/my/resources/{uuid}/{action}", data={"csrf_token": token})
            assert response.status_code == 404, action
    assert _found(app, hidden)[0] is State.DRAFT
    assert _found(app, published)[0] is State.PUBLISHED
    assert client.get("/my/resources/00000000-0000-4000-8000-000000000000").status_code == 404


def test_a_coauthor_sees_the_resource_too(app: Flask, client: FlaskClient) -> None:
    people = council(app)
    uuid = draft(app, people.author, title_kk="Бірлескен сабақ")
    from tests.support.review import add_coauthor

    add_coauthor(app, uuid, people.coauthor)
    sign_in(client, people.coauthor)
    listing = client.get("/my/resources").get_data(as_text=True)
    assert "Бірлескен сабақ" in listing
    assert re.search(r"Бірлескен сабақ</a>\s*<span class=\"meta\">", listing)
    assert client.get(f"/my/resources/{uuid}").status_code == 200


def test_an_action_without_the_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    people = council(app)
    uuid = draft(app, people.author)
    sign_in(client, people.author)
    assert client.post(f"/my/resources/{uuid}/withdraw").status_code == 400
    assert _found(app, uuid)[0] is State.DRAFT
