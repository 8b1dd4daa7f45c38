"""An author or co-author never reviews their own resource: refused when the chair assigns
them, and — for a co-author added later — their assignment is removed when they are added
(``check_conflicts``), and refused at review time if it somehow survived; either way their
review does not count.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from catalogue.auth import Principal
from catalogue.db import db
from catalogue.models import Role, User
from catalogue.services.review import check_conflicts
from tests.support.error_texts import said
from tests.support.review import (
    API,
    add_coauthor,
    assigned,
    council,
    full_review,
    letters_to,
    ok,
    person,
    post,
    refused,
    resource,
    review,
    snapshot,
    submitted,
)


def test_a_co_author_added_later_cannot_review_and_does_not_count(
    app: Flask, client: FlaskClient
) -> None:
    people = council(app)
    uuid, (mine, theirs) = assigned(app, client, people, people.reviewer1, people.coauthor)
    ok(post(client, f"/assignments/{mine}/accept", people.reviewer1, {"no_conflict": True}))
    ok(post(client, f"/assignments/{theirs}/accept", people.coauthor, {"no_conflict": True}))
    add_coauthor(app, uuid, people.coauthor)  # straight into the database: no check ran
    before = snapshot(app, uuid)

    draft = client.put(
        f"{API}/assignments/{theirs}/review",
        json={"scores": {"pedagogy": 3}},
        headers=people.coauthor.auth,
    )
    refused(draft, 403, "conflict_of_interest")
    refused(review(client, theirs, people.coauthor, full_review()), 403, "conflict_of_interest")
    refused(
        client.get(f"{API}/assignments/{theirs}/review", headers=people.coauthor.auth),
        403,
        "conflict_of_interest",
    )
    assert snapshot(app, uuid) == before
    assert ok(client.get(f"{API}/me/assignments", headers=people.coauthor.auth)) == {
        "assignments": []
    }

    # With the other review in, only one review counts: no decision yet.
    ok(review(client, mine, people.reviewer1, full_review()))
    decision = {"decision": "approve", "reason": "Мақұл"}
    before = snapshot(app, uuid)
    refused(
        post(client, f"/resources/{uuid}/decision", people.chair, decision),
        409,
        "too_few_reviewers",
    )
    assert snapshot(app, uuid) == before

    # The chair adds a third reviewer, who completes the count.
    body = ok(
        post(
            client,
            f"/resources/{uuid}/assignments",
            people.chair,
            {"reviewer_ids": [people.reviewer3.id]},
        ),
        201,
    )
    third = body["assignments"][0]["id"]
    ok(post(client, f"/assignments/{third}/accept", people.reviewer3, {"no_conflict": True}))
    ok(review(client, third, people.reviewer3, full_review()))
    assert (
        ok(post(client, f"/resources/{uuid}/decision", people.chair, decision))["state"]
        == "approved"
    )


def test_a_review_submitted_before_becoming_a_co_author_does_not_count(
    app: Flask, client: FlaskClient
) -> None:
    """Not even its failed gate: the approval goes through on the reviews that count."""
    people = council(app)
    uuid, (mine, theirs) = assigned(app, client, people, people.reviewer1, people.coauthor)
    for assignment_id, reviewer in ((mine, people.reviewer1), (theirs, people.coauthor)):
        ok(post(client, f"/assignments/{assignment_id}/accept", reviewer, {"no_conflict": True}))
    ok(review(client, mine, people.reviewer1, full_review()))
    ok(
        review(
            client, theirs, people.coauthor, full_review("reject", failed_gate="no_factual_errors")
        )
    )
    add_coauthor(app, uuid, people.coauthor)

    chair_view = ok(client.get(f"{API}/resources/{uuid}/reviews", headers=people.chair.auth))
    assert [(r["reviewer"]["id"], r["counts"]) for r in chair_view["reviews"]] == [
        (people.reviewer1.id, True),
        (people.coauthor.id, False),
    ]
    author_view = ok(client.get(f"{API}/resources/{uuid}/reviews", headers=people.author.auth))
    assert author_view == {"reviews": []}  # no decision yet

    body = ok(
        post(
            client,
            f"/resources/{uuid}/assignments",
            people.chair,
            {"reviewer_ids": [people.reviewer3.id]},
        ),
        201,
    )
    third = body["assignments"][0]["id"]
    ok(post(client, f"/assignments/{third}/accept", people.reviewer3, {"no_conflict": True}))
    ok(review(client, third, people.reviewer3, full_review()))
    decision = {"decision": "approve", "reason": "Мақұл"}
    assert (
        ok(post(client, f"/resources/{uuid}/decision", people.chair, decision))["state"]
        == "approved"
    )


def test_check_conflicts_removes_the_assignment_of_a_new_co_author(
    app: Flask, client: FlaskClient
) -> None:
    """What the resources service calls when an author adds a co-author (before it commits)."""
    people = council(app)
    uuid, (mine, theirs) = assigned(app, client, people, people.reviewer1, people.coauthor)
    add_coauthor(app, uuid, people.coauthor)

    with app.app_context():
        found = resource(uuid)
        owner = db.session.get(User, people.author.id)
        removed = check_conflicts(found, Principal(owner))
        assert [a.id for a in removed] == [theirs]
        assert check_conflicts(found) == []  # once is enough
        db.session.commit()

    after = snapshot(app, uuid)
    assert after.assignments == ((mine, "invited"), (theirs, "removed"))
    events = ok(client.get(f"{API}/resources/{uuid}/audit", headers=people.chair.auth))["events"]
    assert (events[-1]["action"], events[-1]["actor"]["id"], events[-1]["details"]) == (
        "conflict_removed",
        people.author.id,
        {"assignment_id": theirs, "reviewer_id": people.coauthor.id},
    )
    assert "мүдделер қақтығысы" in letters_to(app, people.chair)[-1]["Subject"]
    refused(
        post(client, f"/assignments/{theirs}/accept", people.coauthor, {"no_conflict": True}),
        403,
        "conflict_of_interest",
    )


def test_adding_a_co_author_through_the_resources_api_removes_their_assignment(
    app: Flask, client: FlaskClient
) -> None:
    people = council(app)
    uuid, (mine, theirs) = assigned(app, client, people, people.reviewer1, people.coauthor)

    response = client.post(
        f"{API}/resources/{uuid}/coauthors",
        json={"email": people.coauthor.email},
        headers=people.author.auth,
    )

    assert response.status_code == 200, response.json
    assert snapshot(app, uuid).assignments == ((mine, "invited"), (theirs, "removed"))
    refused(
        post(client, f"/assignments/{theirs}/accept", people.coauthor, {"no_conflict": True}),
        403,
        "conflict_of_interest",
    )


def test_a_chair_who_is_an_author_handles_nothing_of_the_resource_and_reads_as_an_author(
    app: Flask, client: FlaskClient
) -> None:
    """Conflict of interest holds for the chair too: assigning, removing, listing reviewers
    and deciding are refused with who may act instead; reviews and the audit log read as a
    plain author reads them (blind: no reviewer, no comments to the chair, no scores)."""
    people = council(app)
    uuid = submitted(app, client, people)
    add_coauthor(app, uuid, people.chair)
    pick = {"reviewer_ids": [people.reviewer1.id, people.reviewer2.id]}
    before = snapshot(app, uuid)

    alone = post(client, f"/resources/{uuid}/assignments", people.chair, pick)
    refused(alone, 403, "conflict_of_interest")
    error = alone.json["error"]
    assert error["details"] == {"resource": uuid, "title": "Ньютон заңдары", "other_chairs": []}
    # the message is the code's, in the caller's language; who may act instead is in details
    assert error["message"] == said(app, "kk", "conflict_of_interest")
    assert snapshot(app, uuid) == before

    other = person(app, "tor2@kenes.kz", "Екінші Төраға", Role.CHAIR)
    again = post(client, f"/resources/{uuid}/assignments", people.chair, pick)
    refused(again, 403, "conflict_of_interest")
    assert again.json["error"]["details"]["other_chairs"] == [other.id]
    assert again.json["error"]["message"] == error["message"]
    made = ok(post(client, f"/resources/{uuid}/assignments", other, pick), 201)
    assert made["resource_state"] == "under_review"  # the other chair's assigning started it
    ids = [a["id"] for a in made["assignments"]]
    for assignment_id, reviewer in zip(ids, (people.reviewer1, people.reviewer2), strict=True):
        ok(post(client, f"/assignments/{assignment_id}/accept", reviewer, {"no_conflict": True}))
    refused(
        client.get(f"{API}/resources/{uuid}/assignments", headers=people.chair.auth),
        403,
        "conflict_of_interest",
    )
    refused(
        client.delete(f"{API}/assignments/{ids[0]}", headers=people.chair.auth),
        403,
        "conflict_of_interest",
    )
    for assignment_id, reviewer in zip(ids, (people.reviewer1, people.reviewer2), strict=True):
        ok(review(client, assignment_id, reviewer, full_review(to_chair="Тек төрағаға")))
    assert ok(client.get(f"{API}/resources/{uuid}/reviews", headers=people.chair.auth)) == {
        "reviews": []
    }  # an author reads a round once it is decided
    decision = {"decision": "approve", "reason": "Мақұл"}
    refused(
        post(client, f"/resources/{uuid}/decision", people.chair, decision),
        403,
        "conflict_of_interest",
    )
    ok(post(client, f"/resources/{uuid}/decision", other, decision))

    as_chair = ok(client.get(f"{API}/resources/{uuid}/reviews", headers=people.chair.auth))
    as_author = ok(client.get(f"{API}/resources/{uuid}/reviews", headers=people.author.auth))
    assert as_chair == as_author
    assert [set(r) for r in as_chair["reviews"]] == [
        {"version", "reviewer", "comment_to_author", "submitted_at"}
    ] * 2
    assert all(r["reviewer"] is None for r in as_chair["reviews"])
    log = ok(client.get(f"{API}/resources/{uuid}/audit", headers=people.chair.auth))["events"]
    assert (
        log == ok(client.get(f"{API}/resources/{uuid}/audit", headers=people.author.auth))["events"]
    )
    assert not any("reviewer_id" in e["details"] for e in log)
    assert all(e["actor"] is None for e in log if e["action"] in ("accept", "submit_review"))
    # The other chair, no author, sees everything.
    full = ok(client.get(f"{API}/resources/{uuid}/reviews", headers=other.auth))["reviews"]
    assert {r["reviewer"]["id"] for r in full} == {people.reviewer1.id, people.reviewer2.id}
    assert all(r["comment_to_chair"] == "Тек төрағаға" and r["scores"] for r in full)
