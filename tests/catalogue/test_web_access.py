"""Every page by its access mark: anonymous visitors are sent to sign in, signed-in visitors
without the page's role get 403, and no page is left unmarked."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalogue.models import Role
from tests.support.catalogue import add_user, csrf_token, sign_in

PAGE_PREFIXES = ("/api/", "/oai", "/healthz", "/static")


def _pages(app: Flask) -> list[tuple[str, str, object]]:
    """(method, a URL of the rule with made-up arguments, the view's access mark)."""
    adapter = app.url_map.bind("localhost")
    pages = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PAGE_PREFIXES):
            continue
        values = {
            name: {"UUIDConverter": uuid.uuid4(), "IntegerConverter": 1}.get(
                type(converter).__name__, "x"
            )
            for name, converter in rule._converters.items()
        }
        url = adapter.build(rule.endpoint, values)
        access = getattr(app.view_functions[rule.endpoint], "sandyq_access", None)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            pages.append((method, url, access))
    return pages


def test_every_page_is_marked(app: Flask) -> None:
    unmarked = [(method, url) for method, url, access in _pages(app) if access is None]
    assert not unmarked, f"pages without an access mark (public/signed_in/roles): {unmarked}"


def test_anonymous_visitors_are_sent_to_sign_in(app: Flask, client: FlaskClient) -> None:
    token = csrf_token(client)
    for method, url, access in _pages(app):
        if access == "public" or access is None:
            continue
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 302, (method, url, response.status_code)
        assert response.headers["Location"].startswith("/login?next="), (method, url)


def test_visitors_without_the_role_get_403(app: Flask, client: FlaskClient) -> None:
    everyone_else = {
        role: add_user(app, f"not-{role.value}@example.kz", *(r for r in Role if r is not role))
        for role in Role
    }
    nobody = add_user(app, "nobody@example.kz")
    for method, url, access in _pages(app):
        if not isinstance(access, tuple):
            continue
        needed = {Role(value) for value in access}
        callers = [nobody] + [
            person for role, person in everyone_else.items() if not needed - {role}
        ]
        for person in callers:
            sign_in(client, person)
            token = csrf_token(client)
            response = client.open(url, method=method, data={"csrf_token": token})
            assert response.status_code == 403, (method, url, person.email, response.status_code)


@pytest.mark.parametrize("path", ["/", "/login", "/search"])
def test_public_pages_open_to_anyone(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 200
