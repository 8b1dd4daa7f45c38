"""Due dates for reviewers and revisions, the overdue list, and reminders that reach each
person in their own language through the notifier (here the outbox folder).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from catalogue.db import db
from catalogue.models import ReviewAssignment, utcnow
from tests.support.catalogue import sign_in
from tests.support.review import (
    API,
    Council,
    add_coauthor,
    assigned,
    council,
    letters_to,
    ok,
    outbox,
    post,
    resource,
    reviewed,
    snapshot,
)

LONG_AGO = datetime(2024, 9, 1, 12, 0, tzinfo=UTC)


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_due_dates_follow_the_configuration_or_the_chair(app: Flask, client: FlaskClient) -> None:
    app.config.update(REVIEW_DAYS=7, REVISION_DAYS=21)
    people = council(app)
    uuid, _ = assigned(app, client, people)
    listed = ok(client.get(f"{API}/resources/{uuid}/assignments", headers=people.chair.auth))
    for assignment in listed["assignments"]:
        assert abs(when(assignment["due_at"]) - (utcnow() + timedelta(days=7))) < timedelta(
            minutes=1
        )

    other, _ = assigned(app, client, people, people.reviewer1, people.reviewer3)
    ok(
        post(
            client,
            f"/resources/{other}/assignments",
            people.chair,
            {"reviewer_ids": [people.reviewer2.id], "due_at": "2099-03-01T09:00:00+05:00"},
        ),
        201,
    )
    chosen = ok(client.get(f"{API}/resources/{other}/assignments", headers=people.chair.auth))
    assert chosen["assignments"][-1]["due_at"] == "2099-03-01T04:00:00.000000Z"

    third, _ = reviewed(app, client, people, "major_revision", "approve")
    body = {"decision": "request_revision", "reason": "Толықтырыңыз"}
    due = ok(post(client, f"/resources/{third}/decision", people.chair, body))["revision_due_at"]
    assert abs(when(due) - (utcnow() + timedelta(days=21))) < timedelta(minutes=1)
    assert "Пысықтау мерзімі:" in letters_to(app, people.author)[-1].get_content()


def overdue_setup(app: Flask, client: FlaskClient) -> tuple[Council, str, str, list[int]]:
    """One review overdue (reviewer 1, in Kazakh), one on time (reviewer 2), and another
    resource whose revision is overdue."""
    people = council(app)
    late, ids = assigned(app, client, people)
    revising, _ = reviewed(app, client, people, "minor_revision", "approve")
    body = {"decision": "request_revision", "reason": "Түзетіңіз"}
    ok(post(client, f"/resources/{revising}/decision", people.chair, body))
    with app.app_context():
        assignment = db.session.get(ReviewAssignment, ids[0])
        assert assignment is not None
        assignment.due_at = LONG_AGO
        resource(revising).revision_due_at = LONG_AGO
        db.session.commit()
    return people, late, revising, ids


def test_the_overdue_list_names_late_reviews_and_late_revisions(
    app: Flask, client: FlaskClient
) -> None:
    people, late, revising, ids = overdue_setup(app, client)

    for reader in (people.chair, people.admin):
        body = ok(client.get(f"{API}/review/overdue", headers=reader.auth))
        assert [(a["id"], a["resource"], a["reviewer"]["id"]) for a in body["assignments"]] == [
            (ids[0], late, people.reviewer1.id)
        ]
        assert body["assignments"][0]["overdue"] is True
        assert [(r["resource"], r["revision_due_at"]) for r in body["revisions"]] == [
            (revising, "2024-09-01T12:00:00.000000Z")
        ]
        assert body["revisions"][0]["authors"][0]["id"] == people.author.id

    queue = ok(client.get(f"{API}/me/assignments", headers=people.reviewer1.auth))
    assert [(a["id"], a["overdue"]) for a in queue["assignments"]] == [(ids[0], True)]

    # A declined assignment is no longer overdue.
    ok(post(client, f"/assignments/{ids[0]}/decline", people.reviewer1, {"reason": "Кешірім"}))
    assert ok(client.get(f"{API}/review/overdue", headers=people.chair.auth))["assignments"] == []


def test_reminders_reach_everyone_overdue_in_their_language(
    app: Flask, client: FlaskClient
) -> None:
    people, late, revising, ids = overdue_setup(app, client)
    before = snapshot(app, late)
    already = len(outbox(app))

    sent = ok(post(client, "/review/reminders", people.chair))

    assert sent == {"sent": 2}
    new = outbox(app)[already:]
    assert sorted(m["To"] for m in new) == sorted([people.reviewer1.email, people.author.email])
    to_reviewer = letters_to(app, people.reviewer1)[-1]
    assert (
        to_reviewer["Subject"]
        == "Еске салу: «Ньютон заңдары» бойынша сарапшы пікірінің мерзімі өтті"
    )
    body = to_reviewer.get_content()
    assert body.startswith("Сәлеметсіз бе, Бекзат Сарапшы!")
    assert "мерзімі өтті: 2024-09-01" in body and f"/resources/{late}" in body
    to_author = letters_to(app, people.author)[-1]
    assert to_author["Subject"] == "Еске салу: «Ньютон заңдары» ресурсын пысықтау мерзімі өтті"

    # Reminders are logged, but do not take the resource's lock (they never race a decision).
    after = snapshot(app, late)
    assert after.lock_version == before.lock_version
    assert after.audit_events == before.audit_events + 1


def test_a_reminder_in_russian_for_a_russian_reader(app: Flask, client: FlaskClient) -> None:
    people = council(app)
    late, ids = assigned(app, client, people)
    with app.app_context():
        assignment = db.session.get(ReviewAssignment, ids[1])  # reviewer 2 reads Russian
        assert assignment is not None
        assignment.due_at = LONG_AGO
        db.session.commit()

    assert ok(post(client, "/review/reminders", people.admin)) == {"sent": 1}

    letter = letters_to(app, people.reviewer2)[-1]
    assert letter["Subject"] == "Напоминание: истёк срок рецензии на «Ньютон заңдары»"
    assert letter.get_content().startswith("Здравствуйте, Марина Эксперт!")


def test_nothing_overdue_sends_nothing(app: Flask, client: FlaskClient) -> None:
    people = council(app)
    assigned(app, client, people)
    already = len(outbox(app))

    assert ok(post(client, "/review/reminders", people.chair)) == {"sent": 0}
    assert len(outbox(app)) == already
    assert ok(client.get(f"{API}/review/overdue", headers=people.chair.auth)) == {
        "assignments": [],
        "revisions": [],
    }


def test_a_reminder_goes_once_per_interval_and_each_is_in_the_audit_trail(
    app: Flask, client: FlaskClient
) -> None:
    """Pressing the button twice (or a scheduler running hourly) does not flood anyone."""
    app.config.update(REVIEW_REMINDER_INTERVAL_HOURS=72)
    people, late, revising, ids = overdue_setup(app, client)
    assert ok(post(client, "/review/reminders", people.chair)) == {"sent": 2}
    already = len(outbox(app))
    before = snapshot(app, revising)

    assert ok(post(client, "/review/reminders", people.admin)) == {"sent": 0}
    assert len(outbox(app)) == already
    assert snapshot(app, revising) == before  # no event, no lock taken

    listed = ok(client.get(f"{API}/review/overdue", headers=people.chair.auth))
    reminded = [
        listed["assignments"][0]["last_reminded_at"],
        listed["revisions"][0]["last_reminded_at"],
    ]
    assert all(moment is not None for moment in reminded)
    with app.app_context():
        assignment = db.session.get(ReviewAssignment, ids[0])
        assert assignment is not None and assignment.last_reminded_at is not None
        assignment.last_reminded_at -= timedelta(hours=73)
        db.session.commit()
    assert ok(post(client, "/review/reminders", people.chair)) == {"sent": 1}  # the review

    events = ok(client.get(f"{API}/resources/{late}/audit", headers=people.chair.auth))["events"]
    reminders = [e for e in events if e["action"] == "remind"]
    assert [(e["actor"]["id"], e["details"]["assignment_id"]) for e in reminders] == [
        (people.chair.id, ids[0]),
        (people.chair.id, ids[0]),
    ]
    revision = ok(client.get(f"{API}/resources/{revising}/audit", headers=people.author.auth))
    assert [e["details"]["user_ids"] for e in revision["events"] if e["action"] == "remind"] == [
        [people.author.id]
    ]
    client.set_cookie("sandyq_locale", "en")
    sign_in(client, people.chair)
    page = client.get(f"/chair/resources/{late}").get_data(as_text=True)
    assert page.count("Reminder sent") == 2


def test_a_chair_who_is_an_author_neither_sees_nor_reminds_their_own_reviewers(
    app: Flask, client: FlaskClient
) -> None:
    people, late, _revising, ids = overdue_setup(app, client)
    add_coauthor(app, late, people.chair)
    listed = ok(client.get(f"{API}/review/overdue", headers=people.chair.auth))
    assert listed["assignments"] == []
    ok(post(client, "/review/reminders", people.chair))
    assert letters_to(app, people.reviewer1) == [] or all(
        "Еске салу" not in m["Subject"] for m in letters_to(app, people.reviewer1)
    )
    assert [
        a["id"]
        for a in ok(client.get(f"{API}/review/overdue", headers=people.admin.auth))["assignments"]
    ] == [ids[0]]
