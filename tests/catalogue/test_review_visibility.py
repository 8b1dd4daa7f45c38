"""Who reads which reviews: the chair everything; a reviewer the others' once their own is
in; the authors only the comments meant for them, after the decision, and without names
when the reviews are anonymous (the default); nobody else.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalogue.db import db
from tests.support.review import (
    API,
    Council,
    add_coauthor,
    council,
    full_review,
    in_review,
    letters_to,
    ok,
    post,
    refused,
    resource,
    review,
)


def reviews_for(client: FlaskClient, uuid: str, who: Any) -> list[dict[str, Any]]:
    body = ok(client.get(f"{API}/resources/{uuid}/reviews", headers=who.auth))
    reviews: list[dict[str, Any]] = body["reviews"]
    return reviews


def both_in(app: Flask, client: FlaskClient, people: Council) -> str:
    uuid, (first, second) = in_review(app, client, people)
    body = full_review("approve", to_author="Жақсы сабақ.", to_chair="Бірінші: ұсынамын.")
    ok(review(client, first, people.reviewer1, body))
    body = full_review("minor_revision", to_author="Суреттерге балама мәтін.", to_chair="Екінші.")
    ok(review(client, second, people.reviewer2, body))
    return uuid


def decided(client: FlaskClient, people: Council, uuid: str) -> None:
    body = {"decision": "request_revision", "reason": "Ескертулерді ескеріңіз"}
    ok(post(client, f"/resources/{uuid}/decision", people.chair, body))


def test_the_chair_reads_every_review_in_full(app: Flask, client: FlaskClient) -> None:
    people = council(app)
    uuid = both_in(app, client, people)

    seen = reviews_for(client, uuid, people.chair)

    assert [(r["reviewer"]["name"], r["comment_to_chair"], r["counts"]) for r in seen] == [
        ("Бекзат Сарапшы", "Бірінші: ұсынамын.", True),
        ("Марина Эксперт", "Екінші.", True),
    ]
    assert seen[1]["recommendation"] == "minor_revision"
    assert seen[0]["scores"]["accessibility"] is None and seen[0]["gates"]["copyright_licences"]


def test_a_reviewer_reads_the_others_only_after_submitting_their_own(
    app: Flask, client: FlaskClient
) -> None:
    people = council(app)
    uuid, (first, second) = in_review(app, client, people)
    ok(review(client, first, people.reviewer1, full_review(to_chair="Менің ескертуім")))

    assert reviews_for(client, uuid, people.reviewer2) == []
    assert [r["reviewer"]["id"] for r in reviews_for(client, uuid, people.reviewer1)] == [
        people.reviewer1.id
    ]

    ok(review(client, second, people.reviewer2, full_review(to_chair="Екінші")))
    seen = reviews_for(client, uuid, people.reviewer2)
    assert [(r["reviewer"]["id"], r.get("comment_to_chair")) for r in seen] == [
        (people.reviewer1.id, None),  # another's comment to the chair stays with the chair
        (people.reviewer2.id, "Екінші"),
    ]
    assert all("counts" not in r for r in seen)


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous", "named"])
def test_the_authors_read_the_comments_to_them_after_the_decision(
    app: Flask, client: FlaskClient, anonymous: bool
) -> None:
    people = council(app)
    uuid = both_in(app, client, people)
    add_coauthor(app, uuid, people.teacher)
    with app.app_context():
        resource(uuid).reviews_anonymous = anonymous
        db.session.commit()
    assert reviews_for(client, uuid, people.author) == []  # not before the decision

    decided(client, people, uuid)

    named = [
        {"id": people.reviewer1.id, "name": "Бекзат Сарапшы"},
        {"id": people.reviewer2.id, "name": "Марина Эксперт"},
    ]
    names = [None, None] if anonymous else named
    for reader in (people.author, people.teacher):
        seen = reviews_for(client, uuid, reader)
        assert [set(r) for r in seen] == [
            {"version", "reviewer", "comment_to_author", "submitted_at"}
        ] * 2
        assert [(r["reviewer"], r["comment_to_author"]) for r in seen] == list(
            zip(names, ["Жақсы сабақ.", "Суреттерге балама мәтін."], strict=True)
        )
    events = ok(client.get(f"{API}/resources/{uuid}/audit", headers=people.author.auth))["events"]
    actors = {
        e["actor"]["id"] if e["actor"] else None for e in events if e["action"] == "submit_review"
    }
    assert actors == ({None} if anonymous else {people.reviewer1.id, people.reviewer2.id})


@pytest.mark.parametrize("outsider", ["reviewer3", "teacher", "admin"])
def test_nobody_else_reads_the_reviews(app: Flask, client: FlaskClient, outsider: str) -> None:
    people = council(app)
    uuid = both_in(app, client, people)

    response = client.get(f"{API}/resources/{uuid}/reviews", headers=getattr(people, outsider).auth)

    refused(response, 403, "not_allowed")


def test_a_reviewer_who_declined_reads_nothing(app: Flask, client: FlaskClient) -> None:
    people = council(app)
    uuid, (first, second) = in_review(app, client, people)
    ok(post(client, f"/assignments/{first}/decline", people.reviewer1, {"reason": "Уақыт жоқ"}))

    refused(
        client.get(f"{API}/resources/{uuid}/reviews", headers=people.reviewer1.auth),
        403,
        "not_allowed",
    )
    refused(
        client.get(f"{API}/resources/{uuid}/audit", headers=people.reviewer1.auth),
        403,
        "not_allowed",
    )
    listed = ok(client.get(f"{API}/resources/{uuid}/assignments", headers=people.chair.auth))
    assert [(a["state"], a["decline_reason"]) for a in listed["assignments"]] == [
        ("declined", "Уақыт жоқ"),
        ("accepted", ""),
    ]
    letter = letters_to(app, people.chair)[-1]
    assert letter["Subject"] == "«Ньютон заңдары»: сарапшы тағайындаудан бас тартты"
    assert "Себебі: Уақыт жоқ" in letter.get_content()
