"""Helpers for the catalogue's tests: users with roles, sign-in, tokens, packages.

Every catalogue test runs twice, on SQLite and on the real PostgreSQL server that
`make test` starts (``tools/postgres.sh``); the ``app`` fixture in conftest.py gives each
test a fresh database copied from a migrated template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from catalogue.auth import hash_password, new_token
from catalogue.db import db
from catalogue.models import (
    Resource,
    ResourceVersion,
    Role,
    State,
    TokenScope,
    User,
    UserRole,
    utcnow,
)

PASSWORD = "құпия-сөз-123"


@dataclass
class Person:
    """A user of the tests, with a bearer token acting as them."""

    id: int
    email: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def add_user(
    app: Flask, email: str, *roles: Role, name: str = "", password: bool = False
) -> Person:
    """A user with ``roles`` and an API token; with ``password``, one to sign in with
    (``PASSWORD``; scrypt takes a noticeable moment, so only when a test signs in)."""
    with app.app_context():
        user = User(
            email=email,
            name=name or email.split("@")[0],
            password_hash=hash_password(PASSWORD) if password else None,
        )
        user.role_rows = [UserRole(role=role) for role in roles]
        db.session.add(user)
        db.session.flush()
        _, secret = new_token(user, TokenScope.API, "tests")
        db.session.commit()
        return Person(user.id, email, secret)


def add_token(app: Flask, person: Person, scope: TokenScope, name: str = "") -> str:
    """A new token of ``scope`` owned by ``person``: the secret to send."""
    with app.app_context():
        user = db.session.get(User, person.id)
        assert user is not None
        _, secret = new_token(user, scope, name)
        db.session.commit()
        return secret


def add_sync_token(app: Flask, person: Person) -> str:
    return add_token(app, person, TokenScope.SYNC, "moodle sync")


def add_results_token(app: Flask, person: Person) -> str:
    """A token for the Moodle sync that also reports learners' use (``PUT /api/v1/usage``)."""
    return add_token(app, person, TokenScope.RESULTS, "moodle sync with results")


def sign_in(client: FlaskClient, person: Person) -> None:
    with client.session_transaction() as session:
        session["user_id"] = person.id


def sample_package(tmp_path: Path) -> Path:
    """A valid SCORM 2004 package built from the Kazakh sample course."""
    from scorm_builder.build import build_package
    from tests.conftest import SAMPLE_COURSE

    target = tmp_path / "newton.zip"
    if not target.exists():
        build_package(SAMPLE_COURSE, target, scorm="2004", edition=4)
    return target


def add_resource(
    app: Flask,
    owner: Person,
    state: State = State.PUBLISHED,
    *,
    package: Path | None = None,
    published_at: datetime | None = None,
    **metadata: Any,
) -> str:
    """A resource written straight into the database (no workflow), for tests of reading
    features (search, feed, OAI-PMH). Its package is stored when given. Returns the UUID."""
    from catalogue.storage import storage

    with app.app_context():
        sha256, size = "0" * 64, 0
        if package is not None:
            with package.open("rb") as stream:
                sha256, size = storage().put(stream)
        fields: dict[str, Any] = {
            "title_kk": "Ньютон заңдары",
            "description_kk": "7-сынып, физика: күш, масса, үдеу",
            "language": "kk",
            "subject": "physics",
            "grades": [7],
            "keywords": ["күш", "масса"],
            "license": "CC-BY-4.0",
            "copyright_attested": True,
            "scorm_version": "2004 4th Edition",
            "offline_ready": True,
            **metadata,
        }
        resource = Resource(owner_id=owner.id, state=state)
        if state is State.PUBLISHED:
            resource.published_at = published_at or utcnow()
        if state in (State.PUBLISHED, State.UNPUBLISHED):
            resource.published_number = 1
        version = ResourceVersion(
            number=1,
            created_by_id=owner.id,
            package_sha256=sha256,
            package_size=size,
            frozen_at=None if state is State.DRAFT else utcnow(),
            **fields,
        )
        resource.versions.append(version)
        db.session.add(resource)
        db.session.commit()
        return resource.uuid


def csrf_token(client: FlaskClient) -> str:
    """The CSRF token of the client's session, as a page's forms carry it."""
    import re

    page = client.get("/login", follow_redirects=True).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the sign-in page carries no CSRF token"
    return found.group(1)
