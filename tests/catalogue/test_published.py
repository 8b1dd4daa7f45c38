"""The published feed for Moodle sync, ``GET /api/v1/published``, on both databases."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from catalogue.db import db
from catalogue.models import Resource, Role, State, utcnow
from tests.support.catalogue import Person, add_resource, add_sync_token, add_user


@pytest.fixture
def teacher(app: Flask) -> Person:
    return add_user(app, "mugalim@example.kz", Role.TEACHER)


@pytest.fixture
def moodle(app: Flask, teacher: Person) -> dict[str, str]:
    """The headers of a sync token, as the Moodle plugin sends them."""
    return {"Authorization": f"Bearer {add_sync_token(app, teacher)}"}


def feed(client: FlaskClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/published", query_string=params, headers=headers)
    assert response.status_code == 200, response.json
    body: dict[str, Any] = response.json
    return body


def follow(client: FlaskClient, headers: dict[str, str], url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "localhost"
    response = client.get(f"{parts.path}?{parts.query}", headers=headers)
    assert response.status_code == 200, response.json
    body: dict[str, Any] = response.json
    return body


def set_state(app: Flask, uuid: str, state: State) -> None:
    with app.app_context():
        resource = db.session.scalars(select(Resource).where(Resource.uuid == uuid)).one()
        resource.state = state
        db.session.commit()


def a_moment() -> str:
    """A time strictly between two commits."""
    time.sleep(0.01)
    moment = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    return moment


def test_who_may_read_the_feed(
    app: Flask, client: FlaskClient, teacher: Person, moodle: dict[str, str]
) -> None:
    add_resource(app, teacher)
    assert client.get("/api/v1/published").status_code == 401
    assert client.get("/api/v1/published").json["error"]["code"] == "unauthenticated"
    assert len(feed(client, moodle)["items"]) == 1
    assert len(feed(client, teacher.auth)["items"]) == 1
    bad = client.get("/api/v1/published", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_an_item_says_what_to_download(
    app: Flask, client: FlaskClient, teacher: Person, moodle: dict[str, str]
) -> None:
    uuid = add_resource(app, teacher, title_kk="Ньютон заңдары", grades=[7, 8])
    add_resource(app, teacher, State.DRAFT, title_kk="Жоба")  # never published: not in it
    body = feed(client, moodle)
    assert body["next"] is None
    (item,) = body["items"]
    assert item["uuid"] == uuid and item["state"] == "published" and item["version"] == 1
    assert item["title"] == "Ньютон заңдары" and item["language"] == "kk"
    assert item["subject"] == "physics" and item["grades"] == [7, 8]
    assert item["sha256"] == "0" * 64 and item["size"] == 0
    assert item["scorm_version"] == "2004 4th Edition"
    assert item["download_url"] == f"http://localhost/api/v1/resources/{uuid}/package"
    assert item["published_at"].endswith("Z") and item["changed_at"].endswith("Z")


def test_since_and_unpublished_resources(
    app: Flask, client: FlaskClient, teacher: Person, moodle: dict[str, str]
) -> None:
    first = add_resource(app, teacher, title_kk="Бірінші")
    start = a_moment()
    second = add_resource(app, teacher, title_kk="Екінші")
    assert [item["uuid"] for item in feed(client, moodle, since=start)["items"]] == [second]
    assert len(feed(client, moodle, since="2000-01-01")["items"]) == 2
    later = a_moment()
    assert feed(client, moodle, since=later)["items"] == []

    set_state(app, first, State.UNPUBLISHED)  # taken down: Moodle must hear of it
    (item,) = feed(client, moodle, since=later)["items"]
    assert item["uuid"] == first and item["state"] == "unpublished"
    everything = feed(client, moodle)["items"]
    assert [(i["uuid"], i["state"]) for i in everything] == [
        (second, "published"),
        (first, "unpublished"),
    ]

    again = a_moment()
    set_state(app, first, State.PUBLISHED)
    (item,) = feed(client, moodle, since=again)["items"]
    assert item["uuid"] == first and item["state"] == "published"


def test_downloads_do_not_move_an_entry(
    app: Flask, client: FlaskClient, teacher: Person, moodle: dict[str, str]
) -> None:
    uuid = add_resource(app, teacher, title_kk="Жарық")
    later = a_moment()
    with app.app_context():
        db.session.execute(
            update(Resource)
            .where(Resource.uuid == uuid)
            .values(downloads=Resource.downloads + 1)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    assert feed(client, moodle, since=later)["items"] == []
    with app.app_context():  # a metadata change does move it
        resource = db.session.scalars(select(Resource).where(Resource.uuid == uuid)).one()
        resource.latest.title_kk = "Жарық пен көлеңке"
        db.session.commit()
    (item,) = feed(client, moodle, since=later)["items"]
    assert item["title"] == "Жарық пен көлеңке"


def test_pages_follow_a_stable_key(
    app: Flask, client: FlaskClient, teacher: Person, moodle: dict[str, str]
) -> None:
    made = [add_resource(app, teacher, title_kk=f"Сабақ {number}") for number in range(23)]
    body = feed(client, moodle, limit=10)
    pages = [body]
    while body["next"] is not None:
        if len(pages) == 1:  # a change while paging: the resource moves to the end
            set_state(app, made[3], State.UNPUBLISHED)
        body = follow(client, moodle, body["next"])
        pages.append(body)
    seen = [item["uuid"] for page in pages for item in page["items"]]
    assert [len(page["items"]) for page in pages] == [10, 10, 4]
    assert seen[:23] == made and seen[23] == made[3]
    assert pages[-1]["items"][-1]["state"] == "unpublished"
    assert "limit=10" in pages[0]["next"] and "since" not in pages[0]["next"]
    exact = feed(client, moodle, limit=23)
    assert len(exact["items"]) == 23 and exact["next"] is None


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"since": "yesterday"}, "invalid_query"),
        ({"since": "2026-13-01"}, "invalid_query"),
        ({"limit": "0"}, "invalid_query"),
        ({"limit": "501"}, "invalid_query"),
        ({"limit": "ten"}, "invalid_query"),
        ({"cursor": "not-a-cursor"}, "invalid_cursor"),
    ],
)
def test_bad_parameters_are_422(
    client: FlaskClient, moodle: dict[str, str], params: dict[str, str], code: str
) -> None:
    response = client.get("/api/v1/published", query_string=params, headers=moodle)
    assert response.status_code == 422
    assert response.json["error"]["code"] == code


def test_a_naive_since_is_utc(
    app: Flask, client: FlaskClient, teacher: Person, moodle: dict[str, str]
) -> None:
    add_resource(app, teacher)
    future = utcnow().replace(tzinfo=None, year=utcnow().year + 1).isoformat()
    assert feed(client, moodle, since=future)["items"] == []
    assert len(feed(client, moodle, since="2000-01-01T00:00:00+05:00")["items"]) == 1
