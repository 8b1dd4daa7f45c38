"""Who sees a resource, its versions and its package, and how downloads are served and
counted. A published resource is public; otherwise only the people working on it see it,
and everyone else gets 404 as if it did not exist."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalogue.db import db
from catalogue.models import (
    AssignmentState,
    Download,
    Resource,
    ResourceAuthor,
    ResourceVersion,
    ReviewAssignment,
    Role,
    State,
    utcnow,
)
from tests.support.catalogue import Person, add_resource, add_sync_token, add_user, sample_package
from tests.support.error_texts import said


@pytest.fixture(scope="module")
def newton(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_package(tmp_path_factory.mktemp("newton"))


class People:
    """Everyone who may ask about one resource, by the part they play."""

    def __init__(self, app: Flask) -> None:
        self.owner = add_user(app, "owner@mektep.kz", Role.TEACHER, name="Әлия")
        self.coauthor = add_user(app, "coauthor@mektep.kz", Role.TEACHER, name="Берік")
        self.other_teacher = add_user(app, "other@mektep.kz", Role.TEACHER)
        self.chair = add_user(app, "chair@kenes.kz", Role.CHAIR)
        self.admin = add_user(app, "admin@sandyq.kz", Role.ADMIN)
        self.reviewer = add_user(app, "reviewer@kenes.kz", Role.REVIEWER)
        self.declined = add_user(app, "declined@kenes.kz", Role.REVIEWER)
        self.unassigned = add_user(app, "unassigned@kenes.kz", Role.REVIEWER)
        self.sync = add_sync_token(app, self.owner)

    def headers(self, who: str) -> dict[str, str]:
        if who == "anonymous":
            return {}
        if who == "owner's sync token":
            return {"Authorization": f"Bearer {self.sync}"}
        person: Person = getattr(self, who.replace(" ", "_"))
        return person.auth


def working_on(app: Flask, people: People, uuid: str) -> None:
    """A co-author, an assigned reviewer and one who declined."""
    with app.app_context():
        resource = db.session.scalar(sa.select(Resource).where(Resource.uuid == uuid))
        assert resource is not None
        resource.coauthor_rows.append(ResourceAuthor(user_id=people.coauthor.id))
        for reviewer, state in (
            (people.reviewer, AssignmentState.ACCEPTED),
            (people.declined, AssignmentState.DECLINED),
        ):
            db.session.add(
                ReviewAssignment(
                    resource_id=resource.id,
                    version_id=resource.latest.id,
                    reviewer_id=reviewer.id,
                    assigned_by_id=people.chair.id,
                    state=state,
                )
            )
        db.session.commit()


INSIDERS = ["owner", "coauthor", "chair", "admin", "reviewer"]
OUTSIDERS = ["anonymous", "other teacher", "declined", "unassigned", "owner's sync token"]


@pytest.mark.parametrize("who", INSIDERS + OUTSIDERS)
def test_a_resource_under_review_is_seen_only_by_those_working_on_it(
    app: Flask, client: FlaskClient, newton: Path, who: str
) -> None:
    people = People(app)
    uuid = add_resource(app, people.owner, State.UNDER_REVIEW, package=newton)
    working_on(app, people, uuid)
    headers = people.headers(who)

    paths = ["", "/versions", "/versions/1", "/package", "/versions/1/package"]
    statuses = {
        path: client.get(f"/api/v1/resources/{uuid}{path}", headers=headers).status_code
        for path in paths
    }

    expected = 200 if who in INSIDERS else 404
    assert statuses == {path: expected for path in paths}
    if who not in INSIDERS:
        error = client.get(f"/api/v1/resources/{uuid}", headers=headers).json
        text = said(app, "kk", "resource_not_found")  # in Kazakh: the caller said no language
        assert error == {"error": {"code": "resource_not_found", "message": text}}


@pytest.mark.parametrize("who", INSIDERS + OUTSIDERS)
def test_a_published_resource_is_public(
    app: Flask, client: FlaskClient, newton: Path, who: str
) -> None:
    people = People(app)
    uuid = add_resource(app, people.owner, State.PUBLISHED, package=newton)
    working_on(app, people, uuid)

    response = client.get(f"/api/v1/resources/{uuid}", headers=people.headers(who))

    assert response.status_code == 200
    body = response.json
    assert body is not None and body["state"] == "published"
    insider = who in INSIDERS
    assert body["owner"] == (
        {"name": "Әлия", "email": people.owner.email} if insider else {"name": "Әлия"}
    )
    assert [c["name"] for c in body["coauthors"]] == ["Берік"]


def test_an_unknown_resource_is_404(client: FlaskClient) -> None:
    response = client.get("/api/v1/resources/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404


def _second_version(app: Flask, uuid: str, owner: Person, title: str) -> None:
    """Version 2, published (as the council publishes a new version)."""
    with app.app_context():
        resource = db.session.scalar(sa.select(Resource).where(Resource.uuid == uuid))
        assert resource is not None
        first = resource.latest
        resource.versions.append(
            ResourceVersion(
                number=2,
                created_by_id=owner.id,
                package_sha256=first.package_sha256,
                package_size=first.package_size,
                title_kk=title,
                frozen_at=utcnow(),
            )
        )
        resource.published_number = 2
        db.session.commit()


def test_the_public_sees_only_the_published_version(
    app: Flask, client: FlaskClient, newton: Path
) -> None:
    owner = add_user(app, "owner@mektep.kz", Role.TEACHER)
    uuid = add_resource(app, owner, State.PUBLISHED, package=newton)
    _second_version(app, uuid, owner, "Ньютон заңдары (2-нұсқа)")

    public = client.get(f"/api/v1/resources/{uuid}/versions").json
    own = client.get(f"/api/v1/resources/{uuid}/versions", headers=owner.auth).json

    assert public is not None and own is not None
    assert [v["number"] for v in public["items"]] == [2]
    assert [v["number"] for v in own["items"]] == [1, 2]
    assert own["items"][1]["metadata"]["title"] == "Ньютон заңдары (2-нұсқа)"
    assert client.get(f"/api/v1/resources/{uuid}/versions/1").status_code == 404
    assert client.get(f"/api/v1/resources/{uuid}/versions/1/package").status_code == 404
    assert client.get(f"/api/v1/resources/{uuid}/versions/1", headers=owner.auth).status_code == 200
    assert client.get(f"/api/v1/resources/{uuid}/versions/3", headers=owner.auth).status_code == 404
    resource = client.get(f"/api/v1/resources/{uuid}").json
    assert resource is not None
    assert resource["versions"] == [2] and resource["latest_version"]["number"] == 2


# ---- downloads --------------------------------------------------------------------


def _downloads(app: Flask, uuid: str) -> tuple[int, list[tuple[int, int | None]]]:
    """The resource's counter and its download rows (version, token id)."""
    with app.app_context():
        resource = db.session.scalar(sa.select(Resource).where(Resource.uuid == uuid))
        assert resource is not None
        rows = db.session.execute(
            sa.select(Download.version_number, Download.via_token_id)
            .where(Download.resource_id == resource.id)
            .order_by(Download.id)
        )
        return resource.downloads, [(n, t) for n, t in rows]


def test_a_published_package_downloads_with_etag_and_a_kazakh_file_name(
    app: Flask, client: FlaskClient, newton: Path
) -> None:
    owner = add_user(app, "owner@mektep.kz", Role.TEACHER)
    uuid = add_resource(app, owner, State.PUBLISHED, package=newton)
    package = newton.read_bytes()
    sha256 = hashlib.sha256(package).hexdigest()

    response = client.get(f"/api/v1/resources/{uuid}/package")

    assert response.status_code == 200
    assert response.data == package
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["ETag"] == f'"{sha256}"'
    assert response.headers["Accept-Ranges"] == "bytes"
    assert int(response.headers["Content-Length"]) == len(package)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="niuton-zandary-v1.zip"; ')
    assert disposition.isascii()
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "Ньютон заңдары v1.zip"

    again = client.get(
        f"/api/v1/resources/{uuid}/package", headers={"If-None-Match": f'"{sha256}"'}
    )
    assert again.status_code == 304 and again.data == b""
    assert _downloads(app, uuid) == (1, [(1, None)])


def test_ranges_resume_a_download_and_only_the_first_one_counts(
    app: Flask, client: FlaskClient, newton: Path
) -> None:
    owner = add_user(app, "owner@mektep.kz", Role.TEACHER)
    uuid = add_resource(app, owner, State.PUBLISHED, package=newton)
    package = newton.read_bytes()
    url = f"/api/v1/resources/{uuid}/package"

    first = client.get(url, headers={"Range": "bytes=0-99"})
    rest = client.get(url, headers={"Range": "bytes=100-"})

    assert first.status_code == 206 and rest.status_code == 206
    assert first.headers["Content-Range"] == f"bytes 0-99/{len(package)}"
    assert rest.headers["Content-Range"] == f"bytes 100-{len(package) - 1}/{len(package)}"
    assert first.data + rest.data == package
    assert client.head(url).status_code == 200
    assert _downloads(app, uuid) == (1, [(1, None)])


def test_downloads_through_a_sync_token_are_counted_with_the_token(
    app: Flask, client: FlaskClient, newton: Path
) -> None:
    owner = add_user(app, "owner@mektep.kz", Role.TEACHER)
    moodle = add_user(app, "moodle@mektep.kz", Role.ADMIN)
    token = add_sync_token(app, moodle)
    uuid = add_resource(app, owner, State.PUBLISHED, package=newton)
    headers = {"Authorization": f"Bearer {token}"}

    assert client.get(f"/api/v1/resources/{uuid}/package", headers=headers).status_code == 200
    assert (
        client.get(f"/api/v1/resources/{uuid}/versions/1/package", headers=headers).status_code
        == 200
    )

    with app.app_context():
        token_id = db.session.scalar(sa.select(Download.via_token_id))
    assert token_id is not None
    assert _downloads(app, uuid) == (2, [(1, token_id), (1, token_id)])


def test_downloads_of_unpublished_work_are_not_counted(
    app: Flask, client: FlaskClient, newton: Path
) -> None:
    owner = add_user(app, "owner@mektep.kz", Role.TEACHER)
    draft = add_resource(app, owner, State.DRAFT, package=newton)
    published = add_resource(app, owner, State.PUBLISHED, package=newton)
    _second_version(app, published, owner, "Екінші нұсқа")

    assert client.get(f"/api/v1/resources/{draft}/package", headers=owner.auth).status_code == 200
    old = client.get(f"/api/v1/resources/{published}/versions/1/package", headers=owner.auth)
    assert old.status_code == 200
    assert "private" in old.headers["Cache-Control"]

    assert _downloads(app, draft) == (0, [])
    assert _downloads(app, published) == (0, [])


def test_a_download_does_not_make_the_resource_look_changed(
    app: Flask, client: FlaskClient, newton: Path
) -> None:
    """Moodle sync and the published feed read ``updated_at``: a download must not move it."""
    owner = add_user(app, "owner@mektep.kz", Role.TEACHER)
    uuid = add_resource(app, owner, State.PUBLISHED, package=newton)

    def stamp() -> tuple[object, int]:
        with app.app_context():
            row = db.session.execute(
                sa.select(Resource.updated_at, Resource.lock_version).where(Resource.uuid == uuid)
            ).one()
            return row[0], row[1]

    before = stamp()
    assert client.get(f"/api/v1/resources/{uuid}/package").status_code == 200
    assert stamp() == before
    assert _downloads(app, uuid)[0] == 1


def test_a_download_is_copied_into_search_without_a_reindex(
    app: Flask, client: FlaskClient, newton: Path
) -> None:
    """A download changes one number: search sorts by it at once, and the index's generation
    (which every kept public answer is keyed by) stays where it was."""
    from catalogue import search
    from catalogue.search.schema import search_documents

    owner = add_user(app, "owner@mektep.kz", Role.TEACHER)
    uuid = add_resource(app, owner, State.PUBLISHED, package=newton)

    def indexed() -> tuple[int, int]:
        with app.app_context():
            count = db.session.scalar(
                sa.select(search_documents.c.downloads)
                .join(Resource, Resource.id == search_documents.c.resource_id)
                .where(Resource.uuid == uuid)
            )
            return int(count or 0), search.generation(db.session())

    _, generation = indexed()
    for _ in range(2):
        assert client.get(f"/api/v1/resources/{uuid}/package").status_code == 200
    assert indexed() == (2, generation)
    found = client.get("/api/v1/resources", query_string={"sort": "downloads", "q": "Ньютон"})
    assert [item["downloads"] for item in found.get_json()["items"]] == [2]
