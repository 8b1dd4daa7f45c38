"""One time type and one format: every timestamp column reads back as aware UTC on SQLite
and PostgreSQL alike, and every moment the API writes, in its OpenAPI examples and in its
answers, is ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (UTC, with the microseconds the database keeps).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalogue.api.openapi import document
from catalogue.db import db
from catalogue.domain import timestamp
from catalogue.models import Download, Job, ReviewAssignment, User, UTCDateTime
from tests.support.catalogue import add_results_token, add_sync_token
from tests.support.review import API, assigned, council, ok, post, resource, reviewed

#: The API's one format, written out here rather than taken from the code under test.
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
#: Anything that looks like a date with a time (any separator, offset or precision).
LOOKS_LIKE_A_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
ALMATY = timezone(timedelta(hours=5))
LONG_AGO = datetime(2024, 9, 1, 12, 0, tzinfo=UTC)


def moments(node: object, path: str = "$") -> Iterator[tuple[str, str]]:
    """Every (path, text) in a JSON value that is, or is named as, a moment."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}"
            if (key == "at" or str(key).endswith("_at")) and value is not None:
                assert isinstance(value, str), f"{here} is {value!r}, not text"
                yield here, value
            else:
                yield from moments(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from moments(value, f"{path}[{index}]")
    elif isinstance(node, str) and LOOKS_LIKE_A_MOMENT.match(node):
        yield path, node


def misformatted(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(path, text) for path, text in found if not MOMENT.fullmatch(text)]


def test_the_format_is_fixed_width_utc_with_z() -> None:
    assert timestamp(datetime(2099, 3, 1, 9, 0, tzinfo=ALMATY)) == "2099-03-01T04:00:00.000000Z"
    assert timestamp(datetime(2026, 9, 1, 8, 30, 0, 5)) == "2026-09-01T08:30:00.000005Z"  # naive
    assert timestamp(datetime.min) == "0001-01-01T00:00:00.000000Z"
    assert timestamp(None) is None
    later = datetime(2026, 9, 1, 8, 30, 0, 1, tzinfo=UTC)
    assert datetime.fromisoformat(timestamp(later)) == later  # nothing lost on the way back


def test_the_walk_finds_every_kind_of_moment() -> None:
    body = {
        "a_at": "2026-09-01T08:30:00+00:00",
        "items": [{"at": "2026-09-01T08:30:00Z"}, "2026-09-01 08:30:00"],
        "period": "2026-09-01",
        "month": "2026-09",
    }
    assert [path for path, _ in misformatted(list(moments(body)))] == [
        "$.a_at",
        "$.items[0].at",
        "$.items[1]",
    ]


# ---- the column type ---------------------------------------------------------------------


def test_every_timestamp_column_of_the_models_is_utc_datetime() -> None:
    seen = []
    for mapper in db.Model.registry.mappers:
        for column in mapper.columns:
            kind = column.type
            stored = kind.impl_instance if isinstance(kind, sa.types.TypeDecorator) else kind
            if isinstance(stored, sa.DateTime):
                seen.append(f"{mapper.class_.__name__}.{column.key}")
                assert isinstance(column.type, UTCDateTime), seen[-1]
    assert {"Resource.published_at", "AuditEvent.at", "Job.heartbeat_at"} <= set(seen)


def test_moments_come_back_as_aware_utc_on_both_databases(app: Flask) -> None:
    with app.app_context():
        user = User(email="uaqyt@example.kz", created_at=datetime(2026, 1, 1, 15, 0, tzinfo=ALMATY))
        job = Job(kind="build", started_at=datetime(2026, 1, 1, 10, 0, 0, 7))  # naive: UTC
        db.session.add_all([user, job])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # a session in another time zone
            db.session.execute(sa.text("SET TIME ZONE 'Asia/Almaty'"))
        db.session.expire_all()
        assert user.created_at == datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
        assert user.created_at.tzinfo is UTC
        assert job.started_at == datetime(2026, 1, 1, 10, 0, 0, 7, tzinfo=UTC)
        assert job.started_at is not None and job.started_at.tzinfo is UTC
        assert job.created_at.tzinfo is UTC  # the default, utcnow
        latest = db.session.scalar(sa.select(sa.func.max(User.created_at)))
        assert latest is not None and latest.tzinfo is UTC
        # A comparison in SQL binds the other side through the same type.
        before = datetime(2026, 1, 1, 14, 59, tzinfo=ALMATY)
        assert db.session.scalar(sa.select(sa.func.count()).where(User.created_at > before)) == 1


def test_a_timestamp_column_takes_only_datetimes(app: Flask) -> None:
    with app.app_context():
        db.session.add(User(email="kun@example.kz", created_at=date(2026, 1, 1)))
        with pytest.raises(sa.exc.StatementError, match="takes a datetime"):
            db.session.commit()
        db.session.rollback()


# ---- the OpenAPI document -------------------------------------------------------------------


def examples(node: object, path: str = "$") -> Iterator[tuple[str, object]]:
    """Every example value in the document (``example`` and each of ``examples``)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "example":
                yield f"{path}.example", value
            elif key == "examples" and isinstance(value, list):
                yield from ((f"{path}.examples[{i}]", v) for i, v in enumerate(value))
            else:
                yield from examples(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from examples(value, f"{path}[{index}]")


def date_time_schemas(node: object, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if node.get("format") == "date-time":
            yield path, node
        for key, value in node.items():
            yield from date_time_schemas(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from date_time_schemas(value, f"{path}[{index}]")


def test_every_moment_in_the_openapi_examples_has_the_one_format(app: Flask) -> None:
    generated = document(app)
    found = [hit for path, value in examples(generated) for hit in moments(value, path)]
    schemas = list(date_time_schemas(generated))
    assert len(schemas) >= 20
    for path, schema in schemas:  # every moment in the document shows one, in the format
        assert schema.get("examples"), f"{path} has no example"
    assert len(found) >= len(schemas)
    assert misformatted(found) == []


# ---- the API's answers ----------------------------------------------------------------------


def test_every_moment_the_api_writes_has_the_one_format(app: Flask, client: FlaskClient) -> None:
    """A published resource, one waiting for an overdue revision and an overdue review; then
    every representative endpoint, as the person who may read it."""
    people = council(app)
    published, ids = reviewed(app, client, people)
    decided = {"decision": "approve", "reason": "Мақұл."}
    answers: dict[str, Any] = {
        "decision": ok(post(client, f"/resources/{published}/decision", people.chair, decided)),
        "publish": ok(post(client, f"/resources/{published}/publish", people.chair)),
    }
    revising, _ = reviewed(app, client, people, "minor_revision", "approve")
    asked = {"decision": "request_revision", "reason": "Түзетіңіз"}
    answers["request_revision"] = ok(
        post(client, f"/resources/{revising}/decision", people.chair, asked)
    )
    _, late_ids = assigned(app, client, people)
    with app.app_context():
        assignment = db.session.get(ReviewAssignment, late_ids[0])
        assert assignment is not None
        assignment.due_at = LONG_AGO
        resource(revising).revision_due_at = LONG_AGO
        found = resource(published)
        db.session.add(Download(resource_id=found.id, version_number=1))
        db.session.commit()
        stored_published_at = found.published_at

    sync = {"Authorization": f"Bearer {add_sync_token(app, people.admin)}"}
    results = {"Authorization": f"Bearer {add_results_token(app, people.admin)}"}
    usage = {
        "site": {"url": "https://moodle.school.kz", "name": "School 12"},
        "period": datetime.now(UTC).date().isoformat(),
        "activities": [
            {
                "resource": published,
                "course": {"id": 7, "name": "Физика"},
                "learners": 2,
                "completed": 1,
                "passed": 1,
                "attempts": 3,
            }
        ],
    }
    reads = {
        "search": ("/resources", people.teacher),
        "item": (f"/resources/{published}", people.author),
        "item_public": (f"/resources/{published}", people.teacher),
        "versions": (f"/resources/{revising}/versions", people.author),
        "my_resources": ("/me/resources", people.author),
        "assignments": (f"/resources/{published}/assignments", people.chair),
        "my_assignments": ("/me/assignments", people.reviewer1),
        "review_work": (f"/assignments/{ids[0]}/review", people.reviewer1),
        "reviews": (f"/resources/{published}/reviews", people.chair),
        "reviews_author": (f"/resources/{published}/reviews", people.author),
        "audit": (f"/resources/{published}/audit", people.chair),
        "overdue": ("/review/overdue", people.chair),
        "stats": ("/stats", people.chair),
        "stats_downloads": (f"/stats/downloads?resource={published}", people.author),
    }
    for name, (path, who) in reads.items():
        answers[name] = ok(client.get(API + path, headers=who.auth))
    answers["published"] = ok(client.get(f"{API}/published", headers=sync))
    answers["usage"] = ok(client.put(f"{API}/usage", json=usage, headers=results))

    found = list(moments(answers))
    assert misformatted(found) == []
    names = {path.rsplit(".", 1)[-1] for path, _ in found}
    assert {
        "created_at",
        "updated_at",
        "frozen_at",
        "submitted_at",
        "published_at",
        "revision_due_at",
        "changed_at",
        "assigned_at",
        "responded_at",
        "due_at",
        "at",
    } <= names
    assert answers["overdue"]["assignments"] and answers["overdue"]["revisions"]
    item = answers["item"]
    assert answers["search"]["items"][0]["published_at"] == item["published_at"]
    assert answers["published"]["items"][0]["published_at"] == item["published_at"]
    assert datetime.fromisoformat(item["published_at"]) == stored_published_at  # to the µs
    assert answers["overdue"]["revisions"][0]["revision_due_at"] == "2024-09-01T12:00:00.000000Z"
