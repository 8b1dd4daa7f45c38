"""Every page by its access mark: anonymous visitors (and bearer tokens) are sent to sign
in, signed-in visitors without the page's role get 403, no page is left unmarked, and each
page has its row in the pages' authorization matrix (``PAGE_ROWS``)."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalogue.models import Role
from tests.support.catalogue import (
    add_results_token,
    add_sync_token,
    add_user,
    csrf_token,
    sign_in,
)

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


#: The pages' rows of the authorization matrix: each page's endpoint and who may open it
#: (``public``, ``signed_in``, or the roles). A page without a row, or whose access mark
#: differs from its row, fails ``test_every_page_has_a_row``; the API's rows are in
#: tests/catalogue/test_authorization_matrix.py. Who among the holders of a role may act
#: on one resource (its authors, its assigned reviewers, a chair who is not its author) is
#: the services' to decide, the same for pages and the API, and is checked there and in
#: tests/catalogue/test_web_chair.py.
CHAIR, COUNCIL, TEACHER, ADMIN = ("chair",), ("reviewer", "chair"), ("teacher",), ("admin",)
PAGE_ROWS: dict[str, object] = {
    "public.home": "public",
    "public.search": "public",
    "public.resource": "public",
    "public.preview_frame": "public",
    "preview.package_file": "public",
    "account.login": "public",
    "account.language": "public",
    "account.account": "signed_in",
    "account.logout": "signed_in",
    "jobs.show": "signed_in",
    "jobs.job_status": "signed_in",
    "teacher.build": TEACHER,
    "teacher.offline_results": TEACHER,
    "teacher.built": TEACHER,
    "teacher.upload": TEACHER,
    "teacher.mine": TEACHER,
    "teacher.resource": TEACHER,
    "teacher.edit": TEACHER,
    "teacher.resubmit": TEACHER,
    "teacher.revise": TEACHER,
    "teacher.submit": TEACHER,
    "teacher.withdraw": TEACHER,
    "council.assignments": COUNCIL,
    "council.review": COUNCIL,
    "council.save_review": COUNCIL,
    "council.accept": COUNCIL,
    "council.decline": COUNCIL,
    "chair.desk": CHAIR,
    "chair.resource": CHAIR,
    "chair.assign": CHAIR,
    "chair.remove_assignment": CHAIR,
    "chair.start_review": CHAIR,
    "chair.return_to_author": CHAIR,
    "chair.decide": CHAIR,
    "chair.publish": CHAIR,
    "chair.unpublish": CHAIR,
    "chair.republish": CHAIR,
    "chair.reminders": CHAIR,
    "statistics.overview": ("chair", "admin"),
    "admin.users": ADMIN,
    "admin.user": ADMIN,
    "admin.new_user": ADMIN,
    "admin.create_user": ADMIN,
    "admin.set_roles": ADMIN,
    "admin.set_password": ADMIN,
    "admin.deactivate": ADMIN,
    "admin.reactivate": ADMIN,
    "admin.tokens": ADMIN,
    "admin.create_token": ADMIN,
    "admin.revoke_token": ADMIN,
}


def test_every_page_has_a_row(app: Flask) -> None:
    """Built from the URL map: a new page fails until it has a row saying who may open it."""
    marks = {
        rule.endpoint: getattr(app.view_functions[rule.endpoint], "sandyq_access", None)
        for rule in app.url_map.iter_rules()
        if not rule.rule.startswith(PAGE_PREFIXES)
    }
    missing = sorted(set(marks) - set(PAGE_ROWS))
    assert not missing, f"pages without a row in PAGE_ROWS: {missing}"
    stale = sorted(set(PAGE_ROWS) - set(marks))
    assert not stale, f"rows of PAGE_ROWS for pages that are gone: {stale}"
    wrong = {e: (marks[e], PAGE_ROWS[e]) for e in marks if marks[e] != PAGE_ROWS[e]}
    assert not wrong, f"pages whose access mark is not their row (mark, row): {wrong}"


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


def test_bearer_tokens_do_not_open_pages(app: Flask, client: FlaskClient) -> None:
    """Pages are for people in a browser: a token (a sync token, or an API token of a chair
    with every role) is sent to sign in, never let in by its user's roles."""
    everything = add_user(app, "all-roles@example.kz", *Role)
    tokens = [
        add_sync_token(app, everything),
        add_results_token(app, everything),
        everything.token,
    ]
    for method, url, access in _pages(app):
        if access == "public" or access is None:
            continue
        for token in tokens:
            headers = {"Authorization": f"Bearer {token}"}
            response = client.open(url, method=method, headers=headers)
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
