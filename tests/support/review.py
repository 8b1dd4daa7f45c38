"""Helpers for the review tests (this module has no tests of its own): the council as a
cast of people, resources ready for each step, and a snapshot to prove that a refused
action changed nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalogue.auth import new_token
from catalogue.db import db
from catalogue.models import (
    CRITERIA,
    GATES,
    AuditEvent,
    Resource,
    ResourceAuthor,
    ResourceVersion,
    ReviewAssignment,
    Role,
    State,
    TokenScope,
    User,
    UserRole,
)
from catalogue.notify import OutboxNotifier
from tests.support.catalogue import Person, add_resource

API = "/api/v1"


@dataclass
class Council:
    author: Person
    coauthor: Person
    chair: Person
    admin: Person
    reviewer1: Person
    reviewer2: Person
    reviewer3: Person
    teacher: Person  # a teacher with nothing to do with the resource


def council(app: Flask) -> Council:
    """The cast. The co-author is a teacher who also sits on the council; the second
    reviewer reads Russian, everyone else Kazakh."""
    people = Council(
        author=person(app, "aliya@mektep.kz", "Әлия Нұрланова", Role.TEACHER),
        coauthor=person(app, "dauren@mektep.kz", "Дәурен Сейітов", Role.TEACHER, Role.REVIEWER),
        chair=person(app, "tor@kenes.kz", "Гүлнар Төрағасы", Role.CHAIR),
        admin=person(app, "admin@sandyq.kz", "Әкімші", Role.ADMIN),
        reviewer1=person(app, "sarapshy1@kenes.kz", "Бекзат Сарапшы", Role.REVIEWER),
        reviewer2=person(app, "sarapshy2@kenes.kz", "Марина Эксперт", Role.REVIEWER, locale="ru"),
        reviewer3=person(app, "sarapshy3@kenes.kz", "Асель Үшінші", Role.REVIEWER),
        teacher=person(app, "basqa@mektep.kz", "Басқа Мұғалім", Role.TEACHER),
    )
    return people


def person(app: Flask, email: str, name: str, *roles: Role, locale: str = "kk") -> Person:
    """Like ``add_user`` but without a password (API tokens only), which keeps the many
    review tests quick: hashing a password takes a sixth of a second."""
    with app.app_context():
        user = User(email=email, name=name, locale=locale)
        user.role_rows = [UserRole(role=role) for role in roles]
        db.session.add(user)
        db.session.flush()
        _, secret = new_token(user, TokenScope.API, "tests")
        db.session.commit()
        return Person(user.id, email, secret)


def set_locale(app: Flask, person: Person, locale: str) -> None:
    with app.app_context():
        user = db.session.get(User, person.id)
        assert user is not None
        user.locale = locale
        db.session.commit()


def draft(app: Flask, author: Person, *, valid: bool = True, **metadata: Any) -> str:
    """A draft whose package passed validation, ready to submit."""
    uuid = add_resource(app, author, State.DRAFT, **metadata)
    with app.app_context():
        version = resource(uuid).latest
        version.validation = {"valid": valid, "findings": []}
        db.session.commit()
    return uuid


def resource(uuid: str) -> Resource:
    found: Resource | None = db.session.scalar(sa.select(Resource).where(Resource.uuid == uuid))
    assert found is not None
    return found


def add_coauthor(app: Flask, uuid: str, person: Person) -> None:
    """What the resources service does when an author adds a co-author (without the
    conflict check, which tests call themselves)."""
    with app.app_context():
        db.session.add(ResourceAuthor(resource_id=resource(uuid).id, user_id=person.id))
        db.session.commit()


def new_version(app: Flask, uuid: str, author: Person, **changes: Any) -> int:
    """Version n+1 as the author uploads it during a revision: unfrozen, validated, with the
    earlier metadata and ``changes`` (the resources service's job, done directly here)."""
    with app.app_context():
        found = resource(uuid)
        earlier = found.latest
        copied = {
            column.key: getattr(earlier, column.key)
            for column in sa.inspect(ResourceVersion).column_attrs
            if column.key
            not in ("id", "resource_id", "number", "created_at", "created_by_id", "frozen_at")
        }
        copied.update({"validation": {"valid": True, "findings": []}, "author_response": ""})
        copied.update(changes)
        found.versions.append(
            ResourceVersion(number=earlier.number + 1, created_by_id=author.id, **copied)
        )
        db.session.commit()
        return earlier.number + 1


def post(client: FlaskClient, path: str, who: Person, body: dict[str, Any] | None = None) -> Any:
    return client.post(API + path, json=body or {}, headers=who.auth)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.json
    return response.json


def refused(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code, response.json


def submitted(app: Flask, client: FlaskClient, people: Council, **metadata: Any) -> str:
    uuid = draft(app, people.author, **metadata)
    ok(post(client, f"/resources/{uuid}/submit", people.author))
    return uuid


def assigned(
    app: Flask, client: FlaskClient, people: Council, *reviewers: Person, **metadata: Any
) -> tuple[str, list[int]]:
    """A resource with ``reviewers`` (default: reviewers 1 and 2) assigned: two of them
    start its review."""
    uuid = submitted(app, client, people, **metadata)
    chosen = reviewers or (people.reviewer1, people.reviewer2)
    body = ok(
        post(
            client,
            f"/resources/{uuid}/assignments",
            people.chair,
            {"reviewer_ids": [p.id for p in chosen]},
        ),
        201,
    )
    return uuid, [a["id"] for a in body["assignments"]]


def in_review(
    app: Flask, client: FlaskClient, people: Council, **metadata: Any
) -> tuple[str, list[int]]:
    """Under review: reviewers 1 and 2 have accepted."""
    uuid, ids = assigned(app, client, people, **metadata)
    for assignment_id, reviewer in zip(ids, (people.reviewer1, people.reviewer2), strict=True):
        ok(post(client, f"/assignments/{assignment_id}/accept", reviewer, {"no_conflict": True}))
    return uuid, ids


def full_review(
    recommendation: str = "approve",
    *,
    failed_gate: str | None = None,
    to_author: str = "Жақсы сабақ.",
    to_chair: str = "",
) -> dict[str, Any]:
    """A complete review: every gate answered, every criterion scored (accessibility N/A)."""
    return {
        "gates": {gate: gate != failed_gate for gate in GATES},
        "scores": {name: None if name == "accessibility" else 3 for name in CRITERIA},
        "recommendation": recommendation,
        "comment_to_author": to_author,
        "comment_to_chair": to_chair,
    }


def review(client: FlaskClient, assignment_id: int, reviewer: Person, body: dict[str, Any]) -> Any:
    return post(client, f"/assignments/{assignment_id}/review/submit", reviewer, body)


def reviewed(
    app: Flask, client: FlaskClient, people: Council, *recommendations: str, **metadata: Any
) -> tuple[str, list[int]]:
    """Under review with both reviews in (default: both recommend approval)."""
    uuid, ids = in_review(app, client, people, **metadata)
    chosen = recommendations or ("approve", "approve")
    for assignment_id, reviewer, recommendation in zip(
        ids, (people.reviewer1, people.reviewer2), chosen, strict=True
    ):
        ok(review(client, assignment_id, reviewer, full_review(recommendation)))
    return uuid, ids


@dataclass(frozen=True)
class Snapshot:
    """Everything a refused action must leave as it was."""

    state: str
    lock_version: int
    audit_events: int
    assignments: tuple[tuple[int, str], ...]
    reviews_submitted: int
    frozen: tuple[bool, ...]


def snapshot(app: Flask, uuid: str) -> Snapshot:
    with app.app_context():
        found = resource(uuid)
        assignments = db.session.scalars(
            sa.select(ReviewAssignment)
            .where(ReviewAssignment.resource_id == found.id)
            .order_by(ReviewAssignment.id)
        ).all()
        return Snapshot(
            state=found.state.value,
            lock_version=found.lock_version,
            audit_events=db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.resource_id == found.id)
            )
            or 0,
            assignments=tuple((a.id, a.state.value) for a in assignments),
            reviews_submitted=sum(
                1 for a in assignments if a.review is not None and a.review.submitted_at
            ),
            frozen=tuple(v.frozen_at is not None for v in found.versions),
        )


def outbox(app: Flask) -> list[EmailMessage]:
    notifier = app.extensions["sandyq.notifier"]
    assert isinstance(notifier, OutboxNotifier)
    return notifier.sent()


def letters_to(app: Flask, person: Person) -> list[EmailMessage]:
    return [m for m in outbox(app) if m["To"] == person.email]
