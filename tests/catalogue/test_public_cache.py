"""Public answers kept for anyone (catalogue.public_cache): what is kept, for whom, and how
a change to the catalogue is seen at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from catalogue import create_app, search
from catalogue.db import db
from catalogue.models import Resource, State
from tests.conftest import catalogue_app
from tests.support.catalogue import Person, add_resource, add_user, sample_package, sign_in

ANYONE_READS = (
    "/",
    "/search?q=Ньютон",
    "/api/v1/resources?q=күш",
    "/oai?verb=ListRecords&metadataPrefix=oai_dc",
)


@pytest.fixture
def owner(app: Flask) -> Person:
    return add_user(app, "avtor@mektep.kz")


def anonymous(app: Flask) -> FlaskClient:
    """A visitor who never had a session (a harvester, a pupil's first visit)."""
    return app.test_client(use_cookies=False)


def retitle(app: Flask, uuid: str, title: str) -> None:
    with app.app_context():
        resource = db.session.scalar(select(Resource).where(Resource.uuid == uuid))
        assert resource is not None
        resource.latest.title_kk = title
        db.session.commit()


@pytest.mark.parametrize("path", ANYONE_READS)
def test_a_public_read_is_answered_from_the_store_the_second_time(
    app: Flask, owner: Person, path: str
) -> None:
    add_resource(app, owner)
    client = anonymous(app)
    first, second = client.get(path), client.get(path)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert second.data == first.data
    assert second.content_type == first.content_type
    assert {"Cookie", "Accept-Language"} <= set(second.vary)
    # what every page gets on its way out is there on a kept answer too
    assert second.headers.get("X-Content-Type-Options") == first.headers.get(
        "X-Content-Type-Options"
    )


def test_a_resource_page_is_kept_and_a_change_is_seen_at_once(
    app: Flask, owner: Person, tmp_path: Path
) -> None:
    uuid = add_resource(app, owner, package=sample_package(tmp_path), title_kk="Ньютон заңдары")
    client = anonymous(app)
    assert client.get(f"/resources/{uuid}").headers["X-Cache"] == "miss"
    assert client.get(f"/resources/{uuid}").headers["X-Cache"] == "hit"
    retitle(app, uuid, "Ньютонның үш заңы")
    changed = client.get(f"/resources/{uuid}")
    assert changed.headers["X-Cache"] == "miss"
    assert "Ньютонның үш заңы" in changed.get_data(as_text=True)
    found = client.get("/api/v1/resources", query_string={"q": "Ньютонның"}).get_json()
    assert [hit["title"] for hit in found["items"]] == ["Ньютонның үш заңы"]


def test_a_taken_down_resource_leaves_the_store_with_its_index_entry(
    app: Flask, owner: Person
) -> None:
    uuid = add_resource(app, owner)
    client = anonymous(app)
    assert client.get(f"/resources/{uuid}").status_code == 200
    assert client.get(f"/resources/{uuid}").headers["X-Cache"] == "hit"
    with app.app_context():
        resource = db.session.scalar(select(Resource).where(Resource.uuid == uuid))
        assert resource is not None
        resource.state = State.UNPUBLISHED
        db.session.commit()
    assert client.get(f"/resources/{uuid}").status_code == 404


def test_each_language_is_kept_apart(app: Flask, owner: Person) -> None:
    add_resource(app, owner)
    client = anonymous(app)
    kazakh = client.get("/", headers={"Accept-Language": "kk"})
    russian = client.get("/", headers={"Accept-Language": "ru"})
    assert (kazakh.headers["X-Cache"], russian.headers["X-Cache"]) == ("miss", "miss")
    again = client.get("/", headers={"Accept-Language": "ru"})
    assert again.headers["X-Cache"] == "hit" and again.data == russian.data
    assert kazakh.data != russian.data
    assert 'lang="ru"' in again.get_data(as_text=True)


def test_a_signed_in_visitor_is_never_answered_from_the_store(app: Flask, owner: Person) -> None:
    uuid = add_resource(app, owner)
    anonymous(app).get(f"/resources/{uuid}")
    client = app.test_client()
    sign_in(client, owner)
    answer = client.get(f"/resources/{uuid}")
    assert "X-Cache" not in answer.headers
    assert 'action="/logout"' in answer.get_data(as_text=True)  # the signed-in menu


def test_a_bearer_token_is_never_answered_from_the_store(app: Flask, owner: Person) -> None:
    add_resource(app, owner)
    client = anonymous(app)
    client.get("/api/v1/resources")
    answer = client.get("/api/v1/resources", headers={"Authorization": f"Bearer {owner.token}"})
    assert answer.status_code == 200 and "X-Cache" not in answer.headers


def test_only_a_get_is_kept(app: Flask, owner: Person) -> None:
    add_resource(app, owner)
    client = anonymous(app)
    arguments = {"verb": "Identify"}
    assert "X-Cache" not in client.post("/oai", data=arguments).headers
    assert client.get("/oai", query_string=arguments).headers["X-Cache"] == "miss"


def test_an_error_is_not_kept(app: Flask) -> None:
    client = anonymous(app)
    for _ in range(2):
        answer = client.get("/api/v1/resources", query_string={"grade": "99"})
        assert answer.status_code == 422 and answer.headers.get("X-Cache") != "hit"


def test_the_resource_page_holds_no_preview_token_and_its_frame_mints_one(
    app: Flask, owner: Person, tmp_path: Path
) -> None:
    uuid = add_resource(app, owner, package=sample_package(tmp_path))
    client = app.test_client()
    page = client.get(f"/resources/{uuid}").get_data(as_text=True)
    frame = f"/resources/{uuid}/versions/1/preview"
    assert f'src="{frame}"' in page and "/preview/" not in page.replace(frame, "")
    started = client.get(frame)
    assert started.status_code == 302 and started.headers["Cache-Control"] == "no-store"
    assert started.headers["Location"].startswith("/preview/")
    assert "session=" in started.headers.get("Set-Cookie", "")  # the key it is bound to
    launched = client.get(started.headers["Location"], headers={"Sec-Fetch-Dest": "iframe"})
    assert launched.status_code == 303  # to the frame token, so the launch token was taken
    assert launched.headers["Location"].startswith("/preview/")
    assert client.get(f"/resources/{uuid}/versions/2/preview").status_code == 404


def test_the_store_can_be_switched_off(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    with catalogue_app(request, tmp_path, "sqlite") as app:
        app.config["PUBLIC_CACHE"] = "none"
        from catalogue import public_cache

        public_cache.init_app(app)
        client = anonymous(app)
        assert "X-Cache" not in client.get("/").headers


def test_an_unknown_store_is_refused_with_what_to_write(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="SANDYQ_PUBLIC_CACHE is 'disk': use one of memory"):
        create_app({"DATA_DIR": str(tmp_path), "SECRET_KEY": "t", "PUBLIC_CACHE": "disk"})


@pytest.fixture
def two_workers(
    request: pytest.FixtureRequest, tmp_path: Path, redis_url: str
) -> Iterator[tuple[Flask, Flask]]:
    """Two apps on one database and one Redis, as two gunicorn workers (or machines) are."""
    with catalogue_app(request, tmp_path, "sqlite") as first:
        settings = {**first.config, "PUBLIC_CACHE": "redis", "REDIS_URL": redis_url}
        second = create_app(
            {name: settings[name] for name in ("DATABASE_URL", "DATA_DIR", "SECRET_KEY")}
            | {"TESTING": True, "PUBLIC_CACHE": "redis", "REDIS_URL": redis_url}
        )
        first.config.update(PUBLIC_CACHE="redis", REDIS_URL=redis_url)
        from catalogue import public_cache

        public_cache.init_app(first)
        yield first, second
        with second.app_context():
            db.engine.dispose()


def test_with_redis_every_worker_answers_from_one_store(two_workers: tuple[Flask, Flask]) -> None:
    first, second = two_workers
    owner = add_user(first, "avtor@mektep.kz")
    uuid = add_resource(first, owner)
    assert anonymous(first).get(f"/resources/{uuid}").headers["X-Cache"] == "miss"
    kept = anonymous(second).get(f"/resources/{uuid}")
    assert kept.headers["X-Cache"] == "hit" and "Ньютон заңдары" in kept.get_data(as_text=True)
    retitle(first, uuid, "Ньютонның үш заңы")
    with second.app_context():
        assert search.generation(db.session()) >= 2
    fresh = anonymous(second).get(f"/resources/{uuid}")
    assert fresh.headers["X-Cache"] == "miss"
    assert "Ньютонның үш заңы" in fresh.get_data(as_text=True)
