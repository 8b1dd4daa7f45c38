"""The chair manages the reviewers: removes one who has not reviewed, adds one when the
reviewers disagree, or starts a revision round with other reviewers. Assigning the second
reviewer starts the review; reviewers act only once it has started."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from catalogue.db import db
from catalogue.models import State
from tests.support.review import (
    API,
    assigned,
    council,
    full_review,
    letters_to,
    new_version,
    ok,
    post,
    refused,
    resource,
    review,
    reviewed,
    snapshot,
    submitted,
)


def test_the_chair_replaces_a_reviewer_who_has_not_reviewed(
    app: Flask, client: FlaskClient
) -> None:
    people = council(app)
    uuid, (first, second) = assigned(app, client, people)

    removed = ok(client.delete(f"{API}/assignments/{second}", headers=people.chair.auth))

    assert removed["state"] == "removed"
    assert ok(client.get(f"{API}/me/assignments", headers=people.reviewer2.auth)) == {
        "assignments": []
    }
    body = {"reviewer_ids": [people.reviewer3.id]}
    assert (
        ok(post(client, f"/resources/{uuid}/assignments", people.chair, body), 201)[
            "resource_state"
        ]
        == "under_review"
    )
    events = ok(client.get(f"{API}/resources/{uuid}/audit", headers=people.chair.auth))["events"]
    assert [e["action"] for e in events] == [
        "submit",
        "assign",
        "assign",
        "start_review",
        "unassign",
        "assign",
    ]
    assert events[3]["details"] == {"automatic": True, "on": "assign"}
    assert events[4]["details"] == {"assignment_id": second, "reviewer_id": people.reviewer2.id}
    refused(
        post(client, f"/assignments/{second}/accept", people.reviewer2, {"no_conflict": True}),
        409,
        "wrong_state",
    )


def test_when_the_reviewers_disagree_the_chair_adds_a_third(
    app: Flask, client: FlaskClient
) -> None:
    people = council(app)
    uuid, _ = reviewed(app, client, people, "approve", "reject")
    chair_letters = len(letters_to(app, people.chair))

    body = {"reviewer_ids": [people.reviewer3.id]}
    third = ok(post(client, f"/resources/{uuid}/assignments", people.chair, body), 201)
    third_id = third["assignments"][0]["id"]
    before = snapshot(app, uuid)
    decision = {"decision": "approve", "reason": "Үшінші сарапшы мақұлдады"}
    refused(
        post(client, f"/resources/{uuid}/decision", people.chair, decision), 409, "reviews_missing"
    )
    assert snapshot(app, uuid) == before

    ok(post(client, f"/assignments/{third_id}/accept", people.reviewer3, {"no_conflict": True}))
    ok(review(client, third_id, people.reviewer3, full_review("approve")))
    assert len(letters_to(app, people.chair)) == chair_letters + 1  # all three are in
    assert (
        ok(post(client, f"/resources/{uuid}/decision", people.chair, decision))["state"]
        == "approved"
    )


def test_a_revision_round_may_go_to_other_reviewers(app: Flask, client: FlaskClient) -> None:
    people = council(app)
    uuid, _ = reviewed(app, client, people, "major_revision", "approve")
    body = {"decision": "request_revision", "reason": "Қайта жасаңыз"}
    ok(post(client, f"/resources/{uuid}/decision", people.chair, body))
    new_version(app, uuid, people.author, title_kk="Ньютонның үш заңы")

    resubmitted = {"response": "Толық қайта жасалды", "same_reviewers": False}
    ok(post(client, f"/resources/{uuid}/resubmit", people.author, resubmitted))

    listed = ok(client.get(f"{API}/resources/{uuid}/assignments", headers=people.chair.auth))
    assert [a["version"] for a in listed["assignments"]] == [1, 1]
    others = {"reviewer_ids": [people.reviewer3.id, people.coauthor.id]}
    made = ok(post(client, f"/resources/{uuid}/assignments", people.chair, others), 201)
    assert [a["version"] for a in made["assignments"]] == [2, 2]
    # The new reviewer reads the earlier round's reviews before writing their own.
    ok(
        post(
            client,
            f"/assignments/{made['assignments'][0]['id']}/accept",
            people.reviewer3,
            {"no_conflict": True},
        )
    )
    earlier = ok(client.get(f"{API}/resources/{uuid}/reviews", headers=people.reviewer3.auth))
    assert [r["version"] for r in earlier["reviews"]] == [1, 1]


def test_assigning_the_second_reviewer_starts_the_review_and_one_alone_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    people = council(app)
    uuid = submitted(app, client, people)
    before = snapshot(app, uuid)

    one = {"reviewer_ids": [people.reviewer1.id]}
    refused(
        post(client, f"/resources/{uuid}/assignments", people.chair, one), 422, "too_few_reviewers"
    )
    assert snapshot(app, uuid) == before  # nobody assigned, nothing recorded

    two = {"reviewer_ids": [people.reviewer1.id, people.reviewer2.id]}
    made = ok(post(client, f"/resources/{uuid}/assignments", people.chair, two), 201)
    assert made["resource_state"] == "under_review"
    queue = ok(client.get(f"{API}/me/assignments", headers=people.reviewer1.auth))["assignments"]
    assert [a["id"] for a in queue] == [made["assignments"][0]["id"]]


def test_reviewers_assigned_before_the_rule_wait_for_the_chair_to_start(
    app: Flask, client: FlaskClient
) -> None:
    """A resource given its reviewers while assigning did not start the review still sits in
    ``submitted``: its reviewers can do nothing and see nothing until the chair starts it."""
    people = council(app)
    uuid, (first, _) = assigned(app, client, people)
    with app.app_context():
        resource(uuid).state = State.SUBMITTED
        db.session.commit()

    assert ok(client.get(f"{API}/me/assignments", headers=people.reviewer1.auth)) == {
        "assignments": []
    }
    accept = {"no_conflict": True}
    refused(
        post(client, f"/assignments/{first}/accept", people.reviewer1, accept),
        409,
        "review_not_started",
    )
    refused(
        post(client, f"/assignments/{first}/decline", people.reviewer1, {"reason": "Уақыт жоқ"}),
        409,
        "review_not_started",
    )
    assert (
        ok(post(client, f"/resources/{uuid}/start-review", people.chair))["state"] == "under_review"
    )
    ok(post(client, f"/assignments/{first}/accept", people.reviewer1, accept))


def test_a_revision_for_new_reviewers_waits_in_submitted_until_two_are_assigned(
    app: Flask, client: FlaskClient
) -> None:
    people = council(app)
    uuid, _ = reviewed(app, client, people, "major_revision", "approve")
    body = {"decision": "request_revision", "reason": "Қайта жасаңыз"}
    ok(post(client, f"/resources/{uuid}/decision", people.chair, body))
    new_version(app, uuid, people.author, title_kk="Ньютонның үш заңы")

    resubmitted = {"response": "Толық қайта жасалды", "same_reviewers": False}
    assert (
        ok(post(client, f"/resources/{uuid}/resubmit", people.author, resubmitted))["state"]
        == "submitted"
    )
    others = {"reviewer_ids": [people.reviewer3.id, people.reviewer1.id]}
    made = ok(post(client, f"/resources/{uuid}/assignments", people.chair, others), 201)
    assert made["resource_state"] == "under_review"
