"""The administrator's pages: adding people, their roles, switching accounts off and on,
passwords, and API tokens (shown once, working as Bearer, revoked), on both databases."""

from __future__ import annotations

import logging
import re
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from catalogue.db import db
from catalogue.models import ApiToken, Role, User
from tests.support.catalogue import Person, add_user, csrf_token, sign_in

NEW_PASSWORD = "жаңа-құпия-сөз-2025"


@pytest.fixture(autouse=True)
def in_english(client: FlaskClient) -> None:
    """These tests are about what the pages do, not their language (Kazakh by default):
    every request of ``client`` asks for English."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def admin(app: Flask, client: FlaskClient) -> Person:
    person = add_user(app, "admin@sandyq.kz", Role.ADMIN, name="Бақыт Әкімшіұлы")
    sign_in(client, person)
    return person


def post(client: FlaskClient, url: str, **form: str | list[str]) -> TestResponse:
    return client.post(url, data={"csrf_token": csrf_token(client), **form})


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def stored_user(app: Flask, email: str) -> User | None:
    with app.app_context():
        # the roles come with the user (selectin), so they outlive the session
        found: User | None = db.session.query(User).filter_by(email=email).one_or_none()
        return found


def roles_of(app: Flask, email: str) -> set[str]:
    found = stored_user(app, email)
    assert found is not None
    return {role.value for role in found.roles}


def test_only_administrators_open_the_pages(app: Flask, client: FlaskClient) -> None:
    for url in ("/admin/users", "/admin/tokens", "/admin/users/new"):
        response = client.get(url)
        assert response.status_code == 302 and response.location.startswith("/login?next=")
    teacher = add_user(app, "mugalim@example.kz", Role.TEACHER, Role.CHAIR)
    sign_in(client, teacher)
    for url in ("/admin/users", "/admin/tokens", "/admin/users/new", f"/admin/users/{teacher.id}"):
        assert client.get(url).status_code == 403, url
    assert post(client, "/admin/tokens", email=teacher.email, scope="api").status_code == 403
    with app.app_context():
        assert db.session.query(ApiToken).filter_by(user_id=teacher.id).count() == 1


def test_a_form_without_its_csrf_token_is_refused(
    app: Flask, client: FlaskClient, admin: Person
) -> None:
    response = client.post(
        "/admin/users/new",
        data={"email": "jana@mektep.kz", "password": NEW_PASSWORD, "roles": "teacher"},
    )
    assert response.status_code == 400
    assert stored_user(app, "jana@mektep.kz") is None


def test_create_a_user_with_a_kazakh_name_who_can_then_sign_in(
    app: Flask, client: FlaskClient, admin: Person, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="catalogue.services.accounts")
    response = post(
        client,
        "/admin/users/new",
        email="  Aliya@Mektep.KZ ",
        name="Әлия Нұрланова",
        locale="kk",
        roles=["teacher", "reviewer"],
        password=NEW_PASSWORD,
    )
    assert response.status_code == 302
    created = stored_user(app, "aliya@mektep.kz")
    assert created is not None and created.name == "Әлия Нұрланова"
    assert response.location == f"/admin/users/{created.id}"
    assert roles_of(app, "aliya@mektep.kz") == {"teacher", "reviewer"}
    assert any(
        "admin@sandyq.kz created user aliya@mektep.kz" in record.getMessage()
        for record in caplog.records
    )
    assert NEW_PASSWORD not in caplog.text

    listing = text(client.get("/admin/users"))
    assert "Әлия Нұрланова" in listing and "aliya@mektep.kz" in listing
    found = text(client.get("/admin/users", query_string={"q": "Нұрланова"}))
    assert "aliya@mektep.kz" in found and "admin@sandyq.kz" not in found
    assert "aliya@mektep.kz" in text(client.get("/admin/users?q=ALIYA"))

    fresh = app.test_client()
    signed = fresh.post(
        "/login",
        data={
            "csrf_token": csrf_token(fresh),
            "email": "aliya@mektep.kz",
            "password": NEW_PASSWORD,
        },
    )
    assert signed.status_code == 302


def test_a_short_password_or_a_taken_address_keeps_what_was_typed(
    app: Flask, client: FlaskClient, admin: Person
) -> None:
    short = post(
        client,
        "/admin/users/new",
        email="qysqa@mektep.kz",
        name="Қысқа Құпиясөз",
        roles="teacher",
        password="qysqa",
    )
    assert short.status_code == 422
    page = text(short)
    assert "at least 10 characters" in page
    assert 'value="Қысқа Құпиясөз"' in page and 'value="qysqa@mektep.kz"' in page
    assert re.search(
        r'id="role-teacher" name="roles" type="checkbox" value="teacher" checked', page
    )
    assert stored_user(app, "qysqa@mektep.kz") is None

    taken = post(client, "/admin/users/new", email="ADMIN@sandyq.kz", password=NEW_PASSWORD)
    assert taken.status_code == 422 and "already exists" in text(taken)


def test_edit_roles_and_an_admin_cannot_demote_or_deactivate_themselves(
    app: Flask, client: FlaskClient, admin: Person, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="catalogue.services.accounts")
    teacher = add_user(app, "mugalim@example.kz", Role.TEACHER)
    saved = post(client, f"/admin/users/{teacher.id}/roles", roles=["reviewer", "chair"])
    assert saved.status_code == 302
    assert roles_of(app, teacher.email) == {"reviewer", "chair"}
    assert "from teacher to chair, reviewer" in caplog.text

    demoted = post(client, f"/admin/users/{admin.id}/roles", roles=["teacher"])
    assert demoted.status_code == 422
    assert "cannot remove your own administrator role" in text(demoted)
    assert roles_of(app, admin.email) == {"admin"}

    switched_off = post(client, f"/admin/users/{admin.id}/deactivate")
    assert switched_off.status_code == 422
    assert "cannot deactivate your own account" in text(switched_off)
    assert client.get("/admin/users").status_code == 200  # still signed in, still admin


def test_deactivate_stops_tokens_and_reactivate_restores_them(
    app: Flask, client: FlaskClient, admin: Person
) -> None:
    teacher = add_user(app, "mugalim@example.kz", Role.TEACHER)
    assert client.get("/api/v1/me/resources", headers=teacher.auth).status_code == 200
    assert post(client, f"/admin/users/{teacher.id}/deactivate").status_code == 302
    assert "Deactivated" in text(client.get(f"/admin/users/{teacher.id}"))
    assert app.test_client().get("/api/v1/me/resources", headers=teacher.auth).status_code == 401
    assert post(client, f"/admin/users/{teacher.id}/reactivate").status_code == 302
    assert app.test_client().get("/api/v1/me/resources", headers=teacher.auth).status_code == 200


def test_reset_a_password(app: Flask, client: FlaskClient, admin: Person) -> None:
    teacher = add_user(app, "mugalim@example.kz", Role.TEACHER, password=True)
    assert post(client, f"/admin/users/{teacher.id}/password", password="short").status_code == 422
    assert (
        post(client, f"/admin/users/{teacher.id}/password", password=NEW_PASSWORD).status_code
        == 302
    )
    fresh = app.test_client()
    signed = fresh.post(
        "/login",
        data={"csrf_token": csrf_token(fresh), "email": teacher.email, "password": NEW_PASSWORD},
    )
    assert signed.status_code == 302


def test_a_token_is_shown_once_works_as_bearer_and_stops_when_revoked(
    app: Flask, client: FlaskClient, admin: Person
) -> None:
    teacher = add_user(app, "mugalim@example.kz", Role.TEACHER, name="Мұғалім Сәкенқызы")
    form_page = text(client.get(f"/admin/tokens?user={teacher.id}"))
    assert 'value="mugalim@example.kz"' in form_page  # the owner is filled in from the link

    created = post(client, "/admin/tokens", email=teacher.email, scope="api", name="Мектеп порталы")
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    found = re.search(r'id="token-secret" type="text" value="(sq_[^"]+)"', text(created))
    assert found, "the new token is on the page"
    secret = unescape(found.group(1))

    listing = text(client.get("/admin/tokens"))
    assert secret not in listing
    assert secret[:10] in listing and "Мектеп порталы" in listing
    assert secret not in text(client.get(f"/admin/users/{teacher.id}"))

    bearer = {"Authorization": f"Bearer {secret}"}
    api = app.test_client()
    assert api.get("/api/v1/me/resources", headers=bearer).status_code == 200

    with app.app_context():
        token_id = db.session.query(ApiToken).filter_by(name="Мектеп порталы").one().id
    revoked = post(client, f"/admin/tokens/{token_id}/revoke")
    assert revoked.status_code == 302 and revoked.location == "/admin/tokens"
    assert api.get("/api/v1/me/resources", headers=bearer).status_code == 401
    assert "Revoked" in text(client.get("/admin/tokens"))


def test_a_token_for_nobody_or_without_a_scope_is_refused(
    app: Flask, client: FlaskClient, admin: Person
) -> None:
    nobody = post(client, "/admin/tokens", email="joq@example.kz", scope="sync")
    assert nobody.status_code == 422 and "No user has this e-mail address." in text(nobody)
    no_scope = post(client, "/admin/tokens", email=admin.email, scope="root")
    assert no_scope.status_code == 422 and "Choose what the token may do." in text(no_scope)
    with app.app_context():
        assert db.session.query(ApiToken).count() == 1  # the fixture's own


def test_a_sync_token_for_moodle_reads_the_feed_only(
    app: Flask, client: FlaskClient, admin: Person
) -> None:
    created = post(client, "/admin/tokens", email=admin.email, scope="sync", name="Moodle № 42")
    found = re.search(r'value="(sq_[^"]+)"', text(created))
    assert found
    bearer = {"Authorization": f"Bearer {found.group(1)}"}
    api = app.test_client()
    assert api.get("/api/v1/published", headers=bearer).status_code == 200
    assert api.post("/api/v1/resources", headers=bearer).status_code == 403


def test_a_results_token_for_moodle_reads_the_feed_and_reports_use(
    app: Flask, client: FlaskClient, admin: Person
) -> None:
    assert 'value="results"' in text(client.get("/admin/tokens"))
    created = post(client, "/admin/tokens", email=admin.email, scope="results", name="Moodle № 42")
    found = re.search(r'value="(sq_[^"]+)"', text(created))
    assert found
    assert "Sync with results" in text(created)
    bearer = {"Authorization": f"Bearer {found.group(1)}"}
    api = app.test_client()
    assert api.get("/api/v1/published", headers=bearer).status_code == 200
    assert api.post("/api/v1/resources", headers=bearer).status_code == 403
    report = {"site": {"url": "https://moodle.kz", "name": "42"}, "period": "2026-01-05"}
    answer = api.put("/api/v1/usage", json={**report, "activities": []}, headers=bearer)
    assert answer.status_code == 200
