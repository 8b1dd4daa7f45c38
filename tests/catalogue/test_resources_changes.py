"""What authors change: metadata while the version is not frozen, a new version when the
council asks for a revision, co-authors; and the author's own list of resources."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from catalogue.db import db
from catalogue.models import (
    AssignmentState,
    AuditEvent,
    Recommendation,
    Resource,
    ResourceAuthor,
    Review,
    ReviewAssignment,
    Role,
    State,
    utcnow,
)
from tests.support.catalogue import Person, add_resource, add_sync_token, add_user, sample_package


@pytest.fixture(scope="module")
def newton(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_package(tmp_path_factory.mktemp("newton"))


@pytest.fixture
def owner(app: Flask) -> Person:
    return add_user(app, "aliya@mektep.kz", Role.TEACHER, name="Әлия")


def patch(client: FlaskClient, uuid: str, who: Person | None, body: Any) -> TestResponse:
    return client.patch(f"/api/v1/resources/{uuid}", json=body, headers=who.auth if who else {})


def new_version(
    client: FlaskClient, uuid: str, who: Person, package: bytes, **fields: str
) -> TestResponse:
    data: dict[str, object] = {"package": (io.BytesIO(package), "newton-v2.zip"), **fields}
    return client.post(
        f"/api/v1/resources/{uuid}/versions",
        data=data,
        headers=who.auth,
        content_type="multipart/form-data",
    )


def make_coauthor(app: Flask, uuid: str, person: Person) -> None:
    with app.app_context():
        resource = resource_of(app, uuid)
        resource.coauthor_rows.append(ResourceAuthor(user_id=person.id))
        db.session.commit()


def resource_of(app: Flask, uuid: str) -> Resource:
    found: Resource | None = db.session.scalar(sa.select(Resource).where(Resource.uuid == uuid))
    assert found is not None
    return found


# ---- PATCH ------------------------------------------------------------------------


def test_an_author_edits_a_draft(app: Flask, client: FlaskClient, owner: Person) -> None:
    uuid = add_resource(app, owner, State.DRAFT)

    response = patch(
        client,
        uuid,
        owner,
        {
            "title_en": "Newton's laws",
            "grades": [8, 7],
            "keywords": ["force", "mass"],
            "learning_minutes": 40,
            "license": "CC0-1.0",
            "copyright_attested": True,
            "resource_type": "virtual_lab",
        },
    )

    assert response.status_code == 200, response.json
    metadata = response.json["latest_version"]["metadata"]  # type: ignore[index]
    assert metadata["title_en"] == "Newton's laws"
    assert metadata["title_kk"] == "Ньютон заңдары"
    assert metadata["grades"] == [7, 8]
    assert metadata["keywords"] == ["force", "mass"]
    assert (metadata["learning_minutes"], metadata["license"]) == (40, "CC0-1.0")
    assert metadata["copyright_attested"] is True
    assert metadata["resource_type"] == "virtual_lab"
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent))
        assert event is not None and event.action == "edit_metadata"
        assert event.from_state == event.to_state == "draft"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"license": "GPL-3.0"}, {"license"}),
        ({"language": "de", "grades": [13]}, {"language", "grades"}),
        ({"resource_type": "podcast"}, {"resource_type"}),
        ({"learning_minutes": "a while"}, {"learning_minutes"}),
        ({"copyright_attested": "maybe"}, {"copyright_attested"}),
        ({"title": "not a field"}, {"title"}),
        ({"title_kk": ""}, {"title"}),  # no title would be left
    ],
)
def test_bad_metadata_is_refused(
    app: Flask, client: FlaskClient, owner: Person, body: dict[str, Any], fields: set[str]
) -> None:
    uuid = add_resource(app, owner, State.DRAFT)

    response = patch(client, uuid, owner, body)

    assert response.status_code == 422
    error = response.json["error"]  # type: ignore[index]
    assert error["code"] == "metadata_invalid"
    assert set(error["details"]["fields"]) == fields
    with app.app_context():
        assert resource_of(app, uuid).latest.title_kk == "Ньютон заңдары"


def test_the_body_must_be_a_json_object(app: Flask, client: FlaskClient, owner: Person) -> None:
    uuid = add_resource(app, owner, State.DRAFT)
    assert patch(client, uuid, owner, ["title_kk"]).status_code == 400
    response = client.patch(f"/api/v1/resources/{uuid}", data="title_kk=x", headers=owner.auth)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("anonymous", 401, "unauthenticated"),
        ("other teacher", 404, "resource_not_found"),
        ("chair", 403, "not_author"),
        ("owner's sync token", 403, "read_only_token"),
        ("coauthor", 200, None),
    ],
)
def test_only_authors_edit(
    app: Flask, client: FlaskClient, owner: Person, who: str, status: int, code: str | None
) -> None:
    uuid = add_resource(app, owner, State.DRAFT)
    coauthor = add_user(app, "berik@mektep.kz", Role.TEACHER)
    make_coauthor(app, uuid, coauthor)
    headers = {
        "anonymous": {},
        "other teacher": add_user(app, "other@mektep.kz", Role.TEACHER).auth,
        "chair": add_user(app, "chair@kenes.kz", Role.CHAIR).auth,
        "owner's sync token": {"Authorization": f"Bearer {add_sync_token(app, owner)}"},
        "coauthor": coauthor.auth,
    }[who]

    response = client.patch(
        f"/api/v1/resources/{uuid}", json={"title_ru": "Законы Ньютона"}, headers=headers
    )

    assert response.status_code == status
    if code:
        assert response.json["error"]["code"] == code  # type: ignore[index]


@pytest.mark.parametrize(
    "state", [State.SUBMITTED, State.UNDER_REVIEW, State.REVISION_REQUESTED, State.PUBLISHED]
)
def test_a_frozen_version_is_not_edited(
    app: Flask, client: FlaskClient, owner: Person, state: State
) -> None:
    uuid = add_resource(app, owner, state)

    response = patch(client, uuid, owner, {"title_ru": "Законы Ньютона"})

    assert response.status_code == 409
    assert response.json["error"]["code"] == "version_frozen"  # type: ignore[index]


# ---- a new version when a revision is requested ----------------------------------------


def test_a_revision_is_a_new_unfrozen_version_prefilled_from_the_last(
    app: Flask, client: FlaskClient, owner: Person, newton: Path
) -> None:
    uuid = add_resource(
        app,
        owner,
        State.REVISION_REQUESTED,
        package=newton,
        title_kk="Ескі атау",
        title_ru="Законы Ньютона",
        license="CC-BY-NC-4.0",
        rights_holder="№12 мектеп",
        resource_type="virtual_lab",
        learning_minutes=30,
    )

    response = new_version(client, uuid, owner, newton.read_bytes(), learning_minutes="45")

    assert response.status_code == 201, response.json
    assert response.headers["Location"] == f"/api/v1/resources/{uuid}/versions/2"
    version = response.json
    assert version is not None
    assert (version["number"], version["frozen"]) == (2, False)
    metadata = version["metadata"]
    assert metadata["title_kk"] == "Ньютон заңдары"  # the new manifest's title
    assert metadata["title_ru"] == "Законы Ньютона"  # carried over
    assert (metadata["license"], metadata["rights_holder"]) == ("CC-BY-NC-4.0", "№12 мектеп")
    assert metadata["resource_type"] == "virtual_lab"  # the author's choice, not a guess
    assert metadata["learning_minutes"] == 45
    assert metadata["copyright_attested"] is False  # a new package needs a new attestation
    assert metadata["scorm_version"] == "2004 4th Edition"

    # the new version is the one to edit now
    edited = patch(client, uuid, owner, {"copyright_attested": True})
    assert edited.status_code == 200
    latest = edited.json["latest_version"]  # type: ignore[index]
    assert latest["number"] == 2 and latest["metadata"]["copyright_attested"] is True

    again = new_version(client, uuid, owner, newton.read_bytes())
    assert again.status_code == 409
    assert again.json["error"]["code"] == "version_pending"  # type: ignore[index]


@pytest.mark.parametrize("state", [State.DRAFT, State.UNDER_REVIEW, State.UNPUBLISHED])
def test_a_new_version_only_answers_a_revision_request_or_follows_publication(
    app: Flask, client: FlaskClient, owner: Person, newton: Path, state: State
) -> None:
    uuid = add_resource(app, owner, state, package=newton)
    response = new_version(client, uuid, owner, newton.read_bytes())
    assert response.status_code == 409
    assert response.json["error"]["code"] == "wrong_state"  # type: ignore[index]


def test_an_invalid_revision_leaves_the_resource_as_it_was(
    app: Flask, client: FlaskClient, owner: Person, newton: Path
) -> None:
    uuid = add_resource(app, owner, State.REVISION_REQUESTED, package=newton)
    stored_before = sorted((Path(app.config["DATA_DIR"]) / "packages").rglob("*.zip"))
    broken = io.BytesIO()
    with zipfile.ZipFile(newton) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            if info.filename != "index.html":
                target.writestr(info, source.read(info))

    response = new_version(client, uuid, owner, broken.getvalue())

    assert response.status_code == 422
    assert response.json["error"]["code"] == "package_invalid"  # type: ignore[index]
    with app.app_context():
        assert [v.number for v in resource_of(app, uuid).versions] == [1]
    assert sorted((Path(app.config["DATA_DIR"]) / "packages").rglob("*.zip")) == stored_before
    assert list((Path(app.config["DATA_DIR"]) / "uploads").iterdir()) == []


# ---- co-authors -------------------------------------------------------------------


def test_the_owner_adds_and_removes_a_coauthor(
    app: Flask, client: FlaskClient, owner: Person
) -> None:
    uuid = add_resource(app, owner, State.DRAFT)
    berik = add_user(app, "berik@mektep.kz", Role.TEACHER, name="Берік")
    url = f"/api/v1/resources/{uuid}/coauthors"
    assert client.get(f"/api/v1/resources/{uuid}", headers=berik.auth).status_code == 404

    added = client.post(url, json={"email": "Berik@Mektep.kz"}, headers=owner.auth)

    assert added.status_code == 200
    assert added.json == {
        "owner": {"name": "Әлия", "email": owner.email},
        "coauthors": [{"name": "Берік", "email": berik.email}],
    }
    assert client.get(f"/api/v1/resources/{uuid}", headers=berik.auth).status_code == 200
    twice = client.post(url, json={"email": berik.email}, headers=owner.auth)
    assert twice.status_code == 200 and len(twice.json["coauthors"]) == 1  # type: ignore[index]
    by_coauthor = client.post(url, json={"email": "x@mektep.kz"}, headers=berik.auth)
    assert by_coauthor.status_code == 403
    assert by_coauthor.json["error"]["code"] == "not_owner"  # type: ignore[index]

    removed = client.delete(f"{url}?email={berik.email}", headers=owner.auth)

    assert removed.status_code == 200 and removed.json["coauthors"] == []  # type: ignore[index]
    assert client.get(f"/api/v1/resources/{uuid}", headers=berik.auth).status_code == 404
    gone = client.delete(f"{url}?email={berik.email}", headers=owner.auth)
    assert gone.status_code == 404
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id))
        assert list(actions) == ["add_coauthor", "remove_coauthor"]


def test_a_reviewer_who_becomes_a_coauthor_is_no_longer_a_reviewer(
    app: Flask, client: FlaskClient, owner: Person
) -> None:
    uuid = add_resource(app, owner, State.UNDER_REVIEW)
    chair = add_user(app, "chair@kenes.kz", Role.CHAIR)
    reviewer = add_user(app, "reviewer@kenes.kz", Role.REVIEWER, Role.TEACHER)
    with app.app_context():
        resource = resource_of(app, uuid)
        db.session.add(
            ReviewAssignment(
                resource_id=resource.id,
                version_id=resource.latest.id,
                reviewer_id=reviewer.id,
                assigned_by_id=chair.id,
                state=AssignmentState.ACCEPTED,
            )
        )
        db.session.commit()

    response = client.post(
        f"/api/v1/resources/{uuid}/coauthors", json={"email": reviewer.email}, headers=owner.auth
    )

    assert response.status_code == 200
    with app.app_context():
        state = db.session.scalar(sa.select(ReviewAssignment.state))
        actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert state is AssignmentState.REMOVED
    assert actions == ["add_coauthor", "conflict_removed"]


def test_a_coauthor_must_be_a_catalogue_user(
    app: Flask, client: FlaskClient, owner: Person
) -> None:
    uuid = add_resource(app, owner, State.DRAFT)
    url = f"/api/v1/resources/{uuid}/coauthors"

    unknown = client.post(url, json={"email": "nobody@mektep.kz"}, headers=owner.auth)
    missing = client.post(url, json={}, headers=owner.auth)

    assert unknown.status_code == 422
    assert unknown.json["error"]["code"] == "unknown_user"  # type: ignore[index]
    assert missing.status_code == 400
    assert missing.json["error"]["code"] == "email_missing"  # type: ignore[index]


# ---- the author's own list ------------------------------------------------------------


def test_my_resources_lists_owned_and_coauthored_work_with_feedback(
    app: Flask, client: FlaskClient, owner: Person
) -> None:
    other = add_user(app, "berik@mektep.kz", Role.TEACHER)
    chair = add_user(app, "chair@kenes.kz", Role.CHAIR)
    reviewer = add_user(app, "reviewer@kenes.kz", Role.REVIEWER)
    mine = add_resource(app, owner, State.REVISION_REQUESTED, title_kk="Менің ресурсым")
    shared = add_resource(app, other, State.DRAFT, title_kk="Ортақ ресурс")
    add_resource(app, other, State.DRAFT, title_kk="Бөтен ресурс")
    make_coauthor(app, shared, owner)
    with app.app_context():
        resource = resource_of(app, mine)
        assignment = ReviewAssignment(
            resource_id=resource.id,
            version_id=resource.latest.id,
            reviewer_id=reviewer.id,
            assigned_by_id=chair.id,
            state=AssignmentState.SUBMITTED,
        )
        assignment.review = Review(
            recommendation=Recommendation.MINOR_REVISION, submitted_at=utcnow()
        )
        db.session.add(assignment)
        db.session.add(
            AuditEvent(
                resource_id=resource.id,
                version_number=1,
                actor_id=chair.id,
                action="request_revision",
                from_state="under_review",
                to_state="revision_requested",
                reason="Суреттерге сипаттама қосыңыз",
            )
        )
        db.session.add(
            AuditEvent(
                resource_id=resource.id,
                actor_id=chair.id,
                action="comment",
                from_state="revision_requested",
                to_state="revision_requested",
            )
        )
        resource.updated_at = utcnow()
        db.session.commit()

    response = client.get("/api/v1/me/resources", headers=owner.auth)

    assert response.status_code == 200
    items = response.json["items"]  # type: ignore[index]
    assert [(i["title"], i["role"], i["state"]) for i in items] == [
        ("Менің ресурсым", "owner", "revision_requested"),
        ("Ортақ ресурс", "coauthor", "draft"),
    ]
    feedback = items[0]["feedback"]
    assert feedback["reviews_submitted"] == 1
    assert feedback["last_decision"]["action"] == "request_revision"
    assert feedback["last_decision"]["reason"] == "Суреттерге сипаттама қосыңыз"
    assert items[1]["feedback"] == {"reviews_submitted": 0, "last_decision": None}
    assert items[0]["latest_version"]["number"] == 1
    assert client.get("/api/v1/me/resources").status_code == 401
