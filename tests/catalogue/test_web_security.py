"""Sign-in, sign-out and the browser session's defences: CSRF, cookie flags, headers,
throttled sign-in, safe redirects, the interface language."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalogue.models import Role
from tests.support.catalogue import PASSWORD, Person, add_user, csrf_token


def _teacher(app: Flask) -> Person:
    return add_user(app, "әлия@mektep.kz", Role.TEACHER, name="Әлия Нұрланова", password=True)


def _login(client: FlaskClient, email: str, password: str, **extra: str) -> object:
    token = csrf_token(client)
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token, **extra}
    )


def test_signing_in_and_out(app: Flask, client: FlaskClient) -> None:
    person = _teacher(app)
    response = _login(client, person.email, PASSWORD, next="/my/resources")
    assert response.status_code == 302 and response.headers["Location"] == "/my/resources"
    cookie = next(
        value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")
    )
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    home = client.get("/").get_data(as_text=True)
    assert "Әлия Нұрланова" in home
    out = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert out.status_code == 302
    assert "Әлия Нұрланова" not in client.get("/").get_data(as_text=True)


def test_a_wrong_password_is_refused_and_the_form_kept(app: Flask, client: FlaskClient) -> None:
    person = _teacher(app)
    response = _login(client, person.email, "not the password")
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page and person.email in page


def test_sign_in_is_throttled_per_account(app: Flask, client: FlaskClient) -> None:
    person = _teacher(app)
    statuses = [_login(client, person.email, f"guess {n}").status_code for n in range(10)]
    assert statuses == [401] * 10
    # the right password no longer helps until the window passes
    assert _login(client, person.email, PASSWORD).status_code == 429


def test_a_form_without_its_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    person = _teacher(app)
    response = client.post("/login", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "user_id" not in str(client.get_cookie("session"))


def test_a_bearer_request_needs_no_csrf_token(app: Flask, client: FlaskClient) -> None:
    person = add_user(app, "teacher@mektep.kz", Role.TEACHER)
    response = client.post(
        "/api/v1/resources/00000000-0000-0000-0000-000000000000/submit", headers=person.auth
    )
    assert response.status_code == 404  # reached the view: no CSRF refusal


def test_the_session_cookie_cannot_post_to_the_api_without_a_token(
    app: Flask, client: FlaskClient
) -> None:
    person = _teacher(app)
    _login(client, person.email, PASSWORD)
    response = client.post("/api/v1/resources/00000000-0000-0000-0000-000000000000/submit")
    assert response.status_code == 400
    assert response.json is not None and response.json["error"]["code"] == "csrf_failed"


def test_sign_in_never_redirects_to_another_site(app: Flask, client: FlaskClient) -> None:
    person = _teacher(app)
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        client.post("/logout", data={"csrf_token": csrf_token(client)})
        response = _login(client, person.email, PASSWORD, next=target)
        assert response.headers["Location"] == "/my/resources", target  # the teacher's own


@pytest.mark.parametrize(
    ("roles", "landing"),
    [
        ((Role.TEACHER,), "/my/resources"),
        ((Role.TEACHER, Role.REVIEWER), "/council/reviews"),
        ((Role.CHAIR, Role.REVIEWER), "/chair"),
        ((Role.ADMIN,), "/admin/users"),
        ((), "/"),
    ],
)
def test_sign_in_without_a_page_to_go_back_to_starts_where_the_work_is(
    app: Flask, client: FlaskClient, roles: tuple[Role, ...], landing: str
) -> None:
    person = add_user(app, "kim@mektep.kz", *roles, password=True)
    assert client.get("/login").status_code == 200
    response = _login(client, person.email, PASSWORD, next="")
    assert response.status_code == 302 and response.headers["Location"] == landing
    assert client.get("/login").headers["Location"] == landing  # signed in already
    assert _login(client, person.email, PASSWORD, next="/search").headers["Location"] == "/search"


def test_pages_carry_a_strict_policy(client: FlaskClient) -> None:
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_language_follows_the_browser_then_the_visitor(client: FlaskClient) -> None:
    def lang(**headers: str) -> str:
        page = client.get("/login", headers=headers).get_data(as_text=True)
        found = re.search(r'<html lang="(\w+)"', page)
        assert found
        return found.group(1)

    assert lang() == "kk"
    assert lang(**{"Accept-Language": "kk-KZ,kk;q=0.9"}) == "kk"
    assert lang(**{"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}) == "ru"
    assert lang(**{"Accept-Language": "en-GB"}) == "en"
    assert lang(**{"Accept-Language": "de-DE"}) == "kk"
    response = client.get("/language/ru?next=/search")
    assert response.status_code == 302 and response.headers["Location"] == "/search"
    assert lang(**{"Accept-Language": "en-GB"}) == "ru"
    assert client.get("/language/xx?next=https://evil.example/").headers["Location"] == "/"


def test_people_change_their_own_password(app: Flask, client: FlaskClient) -> None:
    person = _teacher(app)
    _login(client, person.email, PASSWORD)
    client.get("/language/en")  # the account's own language (Kazakh) came with the sign-in
    page = client.get("/account").get_data(as_text=True)
    assert "Әлия Нұрланова" in page and person.email in page

    def change(current: str, new: str, repeat: str) -> object:
        form = {
            "csrf_token": csrf_token(client),
            "current_password": current,
            "new_password": new,
            "repeat_password": repeat,
        }
        return client.post("/account", data=form)

    wrong = change("not it", "жаңа-құпия-сөз", "жаңа-құпия-сөз")
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    short = change(PASSWORD, "қысқа", "қысқа")
    assert short.status_code == 422 and "at least 10 characters" in short.get_data(as_text=True)
    differ = change(PASSWORD, "жаңа-құпия-сөз", "басқа-құпия-сөз")
    assert differ.status_code == 422 and "differ" in differ.get_data(as_text=True)
    assert change(PASSWORD, "жаңа-құпия-сөз", "жаңа-құпия-сөз").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert _login(client, person.email, PASSWORD).status_code == 401
    assert _login(client, person.email, "жаңа-құпия-сөз").status_code == 302
