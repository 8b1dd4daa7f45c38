"""Every refused action answers with the right status and code and changes nothing: not the
state, not the lock version, not the audit log, not an assignment or a review, and no
letter leaves. One row per refusal: where the resource stands, who asks what, the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalogue.models import GATES
from tests.support.catalogue import Person, add_sync_token
from tests.support.review import (
    API,
    Council,
    add_coauthor,
    assigned,
    council,
    draft,
    full_review,
    in_review,
    new_version,
    ok,
    outbox,
    post,
    refused,
    review,
    reviewed,
    snapshot,
    submitted,
)

Setup = Callable[[Flask, FlaskClient, Council], tuple[str, list[int]]]
Ask = Callable[[FlaskClient, Council, str, list[int]], Any]
Pick = Callable[[Council], Person]


@dataclass(frozen=True)
class Case:
    name: str
    setup: Setup
    ask: Ask
    status: int
    code: str


def a_draft(**metadata: Any) -> Setup:
    return lambda app, client, people: (draft(app, people.author, **metadata), [])


def a_submission(app: Flask, client: FlaskClient, people: Council) -> tuple[str, list[int]]:
    return submitted(app, client, people), []


def invited(app: Flask, client: FlaskClient, people: Council) -> tuple[str, list[int]]:
    return assigned(app, client, people)


def both_reviewed(app: Flask, client: FlaskClient, people: Council) -> tuple[str, list[int]]:
    return reviewed(app, client, people)


def with_coauthor(app: Flask, client: FlaskClient, people: Council) -> tuple[str, list[int]]:
    uuid = submitted(app, client, people)
    add_coauthor(app, uuid, people.coauthor)
    return uuid, []


def one_review_in(app: Flask, client: FlaskClient, people: Council) -> tuple[str, list[int]]:
    uuid, ids = in_review(app, client, people)
    ok(review(client, ids[0], people.reviewer1, full_review()))
    return uuid, ids


def a_failed_gate(app: Flask, client: FlaskClient, people: Council) -> tuple[str, list[int]]:
    uuid, ids = in_review(app, client, people)
    ok(review(client, ids[0], people.reviewer1, full_review()))
    failed = full_review("reject", failed_gate="copyright_licences")
    ok(review(client, ids[1], people.reviewer2, failed))
    return uuid, ids


def one_declined(app: Flask, client: FlaskClient, people: Council) -> tuple[str, list[int]]:
    uuid, ids = assigned(app, client, people, people.reviewer1, people.reviewer2)
    ok(post(client, f"/assignments/{ids[0]}/accept", people.reviewer1, {"no_conflict": True}))
    ok(post(client, f"/assignments/{ids[1]}/decline", people.reviewer2, {"reason": "Демалыс"}))
    return uuid, ids


def declined_after_start(app: Flask, client: FlaskClient, people: Council) -> tuple[str, list[int]]:
    uuid, ids = in_review(app, client, people)
    ok(review(client, ids[0], people.reviewer1, full_review()))
    ok(
        post(
            client, f"/assignments/{ids[1]}/decline", people.reviewer2, {"reason": "Ауырып қалдым"}
        )
    )
    return uuid, ids


def revision_requested(app: Flask, client: FlaskClient, people: Council) -> tuple[str, list[int]]:
    uuid, ids = reviewed(app, client, people, "minor_revision", "approve")
    body = {"decision": "request_revision", "reason": "Түзетіңіз"}
    ok(post(client, f"/resources/{uuid}/decision", people.chair, body))
    return uuid, ids


def approved(app: Flask, client: FlaskClient, people: Council) -> tuple[str, list[int]]:
    uuid, ids = reviewed(app, client, people)
    body = {"decision": "approve", "reason": "Мақұл"}
    ok(post(client, f"/resources/{uuid}/decision", people.chair, body))
    return uuid, ids


def published(app: Flask, client: FlaskClient, people: Council) -> tuple[str, list[int]]:
    uuid, ids = approved(app, client, people)
    ok(post(client, f"/resources/{uuid}/publish", people.chair))
    return uuid, ids


def unpublished(app: Flask, client: FlaskClient, people: Council) -> tuple[str, list[int]]:
    uuid, ids = published(app, client, people)
    ok(post(client, f"/resources/{uuid}/unpublish", people.admin, {"reason": "Шағым"}))
    return uuid, ids


def asks(method: str, path: str, who: Pick, body: Any = None) -> Ask:
    """``path`` may name {uuid}, {a0} and {a1} (the first two assignments); ``body`` may
    be a function of the council."""

    def ask(client: FlaskClient, people: Council, uuid: str, ids: list[int]) -> Any:
        names = {"uuid": uuid, **{f"a{i}": value for i, value in enumerate(ids)}}
        sent = body(people) if callable(body) else body
        return client.open(
            API + path.format(**names), method=method, json=sent or {}, headers=who(people).auth
        )

    return ask


def reviewers(*picks: Pick, **extra: Any) -> Callable[[Council], dict[str, Any]]:
    return lambda people: {"reviewer_ids": [pick(people).id for pick in picks], **extra}


def author(p: Council) -> Person:
    return p.author


def coauthor(p: Council) -> Person:
    return p.coauthor


def chair(p: Council) -> Person:
    return p.chair


def admin(p: Council) -> Person:
    return p.admin


def reviewer1(p: Council) -> Person:
    return p.reviewer1


def reviewer2(p: Council) -> Person:
    return p.reviewer2


def teacher(p: Council) -> Person:
    return p.teacher


POST = "POST"
DECIDE = "/resources/{uuid}/decision"
APPROVE = {"decision": "approve", "reason": "Мақұл"}

CASES = [
    # submit: the author, from a draft, with complete metadata, copyright and a valid package
    Case(
        "submit by another teacher",
        a_draft(),
        asks(POST, "/resources/{uuid}/submit", teacher),
        403,
        "not_allowed",
    ),
    Case(
        "submit by the chair",
        a_draft(),
        asks(POST, "/resources/{uuid}/submit", chair),
        403,
        "not_allowed",
    ),
    Case(
        "submit twice",
        a_submission,
        asks(POST, "/resources/{uuid}/submit", author),
        409,
        "wrong_state",
    ),
    Case(
        "submit an invalid package",
        a_draft(valid=False),
        asks(POST, "/resources/{uuid}/submit", author),
        409,
        "package_invalid",
    ),
    Case(
        "submit without copyright",
        a_draft(copyright_attested=False),
        asks(POST, "/resources/{uuid}/submit", author),
        409,
        "copyright_not_attested",
    ),
    Case(
        "submit without a subject",
        a_draft(subject=""),
        asks(POST, "/resources/{uuid}/submit", author),
        409,
        "metadata_incomplete",
    ),
    Case(
        "submit without a title",
        a_draft(title_kk=""),
        asks(POST, "/resources/{uuid}/submit", author),
        409,
        "metadata_incomplete",
    ),
    # return: the chair, with a reason
    Case(
        "return without a reason",
        a_submission,
        asks(POST, "/resources/{uuid}/return", chair, {"reason": "  "}),
        409,
        "reason_required",
    ),
    Case(
        "return by a reviewer",
        a_submission,
        asks(POST, "/resources/{uuid}/return", reviewer1, {"reason": "x"}),
        403,
        "not_allowed",
    ),
    # assign: the chair, two reviewers at least, never an author
    Case(
        "assign by a teacher",
        a_submission,
        asks(POST, "/resources/{uuid}/assignments", teacher, reviewers(reviewer1, reviewer2)),
        403,
        "not_allowed",
    ),
    Case(
        "assign one reviewer",
        a_submission,
        asks(POST, "/resources/{uuid}/assignments", chair, reviewers(reviewer1)),
        422,
        "too_few_reviewers",
    ),
    Case(
        "assign the author",
        a_submission,
        asks(POST, "/resources/{uuid}/assignments", chair, reviewers(author, reviewer1)),
        403,
        "conflict_of_interest",
    ),
    Case(
        "assign a co-author",
        with_coauthor,
        asks(POST, "/resources/{uuid}/assignments", chair, reviewers(coauthor, reviewer1)),
        403,
        "conflict_of_interest",
    ),
    Case(
        "assign a non-reviewer",
        a_submission,
        asks(POST, "/resources/{uuid}/assignments", chair, reviewers(teacher, reviewer1)),
        422,
        "not_a_reviewer",
    ),
    Case(
        "assign an unknown user",
        a_submission,
        asks(
            POST,
            "/resources/{uuid}/assignments",
            chair,
            lambda p: {"reviewer_ids": [999_999, p.reviewer1.id]},
        ),
        422,
        "unknown_reviewer",
    ),
    Case(
        "assign to a draft",
        a_draft(),
        asks(POST, "/resources/{uuid}/assignments", chair, reviewers(reviewer1, reviewer2)),
        409,
        "wrong_state",
    ),
    Case(
        "assign twice",
        invited,
        asks(POST, "/resources/{uuid}/assignments", chair, reviewers(reviewer1)),
        409,
        "already_assigned",
    ),
    Case(
        "assign with a past due date",
        a_submission,
        asks(
            POST,
            "/resources/{uuid}/assignments",
            chair,
            reviewers(reviewer1, reviewer2, due_at="2020-01-01"),
        ),
        422,
        "due_in_past",
    ),
    Case(
        "assign with a bad due date",
        a_submission,
        asks(
            POST,
            "/resources/{uuid}/assignments",
            chair,
            reviewers(reviewer1, reviewer2, due_at="ертең"),
        ),
        422,
        "invalid_due_at",
    ),
    # start the review: the chair, with two reviewers
    Case(
        "start without reviewers",
        a_submission,
        asks(POST, "/resources/{uuid}/start-review", chair),
        409,
        "too_few_reviewers",
    ),
    Case(
        "start a review that assigning started",
        one_declined,
        asks(POST, "/resources/{uuid}/start-review", chair),
        409,
        "wrong_state",
    ),
    Case(
        "start by the author",
        a_submission,
        asks(POST, "/resources/{uuid}/start-review", author),
        403,
        "not_allowed",
    ),
    # decisions: the chair, every review in, with a reason; a failed gate blocks approval
    Case(
        "decide with a review missing",
        one_review_in,
        asks(POST, DECIDE, chair, APPROVE),
        409,
        "reviews_missing",
    ),
    Case(
        "decide without a reason",
        both_reviewed,
        asks(POST, DECIDE, chair, {"decision": "reject"}),
        409,
        "reason_required",
    ),
    Case(
        "decide as a reviewer",
        both_reviewed,
        asks(POST, DECIDE, reviewer1, APPROVE),
        403,
        "not_allowed",
    ),
    Case(
        "decide as an administrator",
        both_reviewed,
        asks(POST, DECIDE, admin, APPROVE),
        403,
        "not_allowed",
    ),
    Case(
        "decide something unknown",
        both_reviewed,
        asks(POST, DECIDE, chair, {"decision": "publish", "reason": "x"}),
        422,
        "unknown_decision",
    ),
    Case(
        "approve over a failed gate",
        a_failed_gate,
        asks(POST, DECIDE, chair, APPROVE),
        409,
        "gate_failed",
    ),
    Case(
        "decide before the review starts",
        a_submission,
        asks(POST, DECIDE, chair, APPROVE),
        409,
        "wrong_state",
    ),
    Case(
        "decide on one review after a decline",
        declined_after_start,
        asks(POST, DECIDE, chair, APPROVE),
        409,
        "too_few_reviewers",
    ),
    # reviewers: their own assignment, a no-conflict declaration, a complete review, once
    Case(
        "accept without declaring no conflict",
        invited,
        asks(POST, "/assignments/{a0}/accept", reviewer1, {"no_conflict": False}),
        422,
        "no_conflict_required",
    ),
    Case(
        "accept another's assignment",
        invited,
        asks(POST, "/assignments/{a0}/accept", reviewer2, {"no_conflict": True}),
        403,
        "not_your_assignment",
    ),
    Case(
        "accept twice",
        in_review,
        asks(POST, "/assignments/{a0}/accept", reviewer1, {"no_conflict": True}),
        409,
        "wrong_state",
    ),
    Case(
        "decline without a reason",
        invited,
        asks(POST, "/assignments/{a0}/decline", reviewer1),
        409,
        "reason_required",
    ),
    Case(
        "review before accepting",
        invited,
        asks("PUT", "/assignments/{a0}/review", reviewer1, {"scores": {"pedagogy": 3}}),
        409,
        "not_accepted",
    ),
    Case(
        "review another's assignment",
        in_review,
        asks("PUT", "/assignments/{a0}/review", reviewer2, {"scores": {"pedagogy": 3}}),
        403,
        "not_your_assignment",
    ),
    Case(
        "submit an incomplete review",
        in_review,
        asks(
            POST,
            "/assignments/{a0}/review/submit",
            reviewer1,
            {"gates": {"legal_child_safety": True}},
        ),
        422,
        "review_incomplete",
    ),
    Case(
        "score 4",
        in_review,
        asks("PUT", "/assignments/{a0}/review", reviewer1, {"scores": {"pedagogy": 4}}),
        422,
        "invalid_review",
    ),
    Case(
        "score an unknown criterion",
        in_review,
        asks("PUT", "/assignments/{a0}/review", reviewer1, {"scores": {"beauty": 3}}),
        422,
        "invalid_review",
    ),
    Case(
        "recommend approval over a failed gate",
        in_review,
        asks(
            POST,
            "/assignments/{a0}/review/submit",
            reviewer1,
            full_review("approve", failed_gate=GATES[0]),
        ),
        422,
        "approve_with_failed_gate",
    ),
    Case(
        "submit a review twice",
        one_review_in,
        asks(POST, "/assignments/{a0}/review/submit", reviewer1, full_review()),
        409,
        "review_submitted",
    ),
    Case(
        "change a submitted review",
        one_review_in,
        asks("PUT", "/assignments/{a0}/review", reviewer1, {"comment_to_author": "x"}),
        409,
        "review_submitted",
    ),
    Case(
        "remove a reviewer whose review is in",
        one_review_in,
        asks("DELETE", "/assignments/{a0}", chair),
        409,
        "review_submitted",
    ),
    Case(
        "remove a reviewer as a reviewer",
        in_review,
        asks("DELETE", "/assignments/{a1}", reviewer1),
        403,
        "not_allowed",
    ),
    # resubmission: the author, with a response, after uploading version n+1
    Case(
        "resubmit without a new version",
        revision_requested,
        asks(POST, "/resources/{uuid}/resubmit", author, {"response": "Түзеттім"}),
        409,
        "new_version_required",
    ),
    Case(
        "resubmit without a response",
        revision_requested,
        asks(POST, "/resources/{uuid}/resubmit", author),
        409,
        "reason_required",
    ),
    Case(
        "resubmit as the chair",
        revision_requested,
        asks(POST, "/resources/{uuid}/resubmit", chair, {"response": "x"}),
        403,
        "not_allowed",
    ),
    # publication: the chair publishes an approval; the chair or an admin unpublishes, with a reason
    Case(
        "publish before approval",
        both_reviewed,
        asks(POST, "/resources/{uuid}/publish", chair),
        409,
        "wrong_state",
    ),
    Case(
        "publish as an administrator",
        approved,
        asks(POST, "/resources/{uuid}/publish", admin),
        403,
        "not_allowed",
    ),
    Case(
        "unpublish without a reason",
        published,
        asks(POST, "/resources/{uuid}/unpublish", admin),
        409,
        "reason_required",
    ),
    Case(
        "unpublish as the author",
        published,
        asks(POST, "/resources/{uuid}/unpublish", author, {"reason": "x"}),
        403,
        "not_allowed",
    ),
    Case(
        "republish without a reason",
        unpublished,
        asks(POST, "/resources/{uuid}/republish", chair),
        409,
        "reason_required",
    ),
    # withdrawal: the author, before a decision
    Case(
        "withdraw after approval",
        approved,
        asks(POST, "/resources/{uuid}/withdraw", author),
        409,
        "wrong_state",
    ),
    Case(
        "withdraw a published resource",
        published,
        asks(POST, "/resources/{uuid}/withdraw", author),
        409,
        "wrong_state",
    ),
    Case(
        "withdraw as a reviewer",
        in_review,
        asks(POST, "/resources/{uuid}/withdraw", reviewer1),
        403,
        "not_allowed",
    ),
    # who reads what
    Case(
        "audit log for another teacher",
        in_review,
        asks("GET", "/resources/{uuid}/audit", teacher),
        403,
        "not_allowed",
    ),
    Case(
        "assignments for a reviewer",
        in_review,
        asks("GET", "/resources/{uuid}/assignments", reviewer1),
        403,
        "not_allowed",
    ),
    Case(
        "overdue list for a reviewer",
        in_review,
        asks("GET", "/review/overdue", reviewer1),
        403,
        "not_allowed",
    ),
    Case(
        "reminders from the author",
        in_review,
        asks(POST, "/review/reminders", author),
        403,
        "not_allowed",
    ),
    Case(
        "an unknown resource",
        in_review,
        asks(POST, "/resources/00000000-0000-4000-8000-000000000000/submit", author),
        404,
        "resource_not_found",
    ),
    Case(
        "an unknown assignment",
        in_review,
        asks(POST, "/assignments/999/accept", reviewer1, {"no_conflict": True}),
        404,
        "assignment_not_found",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_refused_action_changes_nothing(app: Flask, client: FlaskClient, case: Case) -> None:
    people = council(app)
    uuid, ids = case.setup(app, client, people)
    before, letters = snapshot(app, uuid), len(outbox(app))

    response = case.ask(client, people, uuid, ids)

    refused(response, case.status, case.code)
    assert snapshot(app, uuid) == before
    assert len(outbox(app)) == letters


SYNC_WRITES = [
    ("submit", a_draft(), author, "/resources/{uuid}/submit", None),
    ("withdraw", a_draft(), author, "/resources/{uuid}/withdraw", None),
    (
        "assign",
        a_submission,
        chair,
        "/resources/{uuid}/assignments",
        reviewers(reviewer1, reviewer2),
    ),
    ("decide", both_reviewed, chair, DECIDE, APPROVE),
    ("accept", invited, reviewer1, "/assignments/{a0}/accept", {"no_conflict": True}),
]


@pytest.mark.parametrize(
    ("setup", "who", "path", "body"),
    [row[1:] for row in SYNC_WRITES],
    ids=[row[0] for row in SYNC_WRITES],
)
def test_a_sync_token_is_read_only_whoever_it_belongs_to(
    app: Flask, client: FlaskClient, setup: Setup, who: Pick, path: str, body: Any
) -> None:
    people = council(app)
    uuid, ids = setup(app, client, people)
    before, letters = snapshot(app, uuid), len(outbox(app))
    token = add_sync_token(app, who(people))
    names = {"uuid": uuid, **{f"a{i}": value for i, value in enumerate(ids)}}

    response = client.post(
        API + path.format(**names),
        json=body(people) if callable(body) else body or {},
        headers={"Authorization": f"Bearer {token}"},
    )

    refused(response, 403, "read_only_token")
    assert snapshot(app, uuid) == before
    assert len(outbox(app)) == letters


def test_without_signing_in_nothing_happens(app: Flask, client: FlaskClient) -> None:
    people = council(app)
    uuid = draft(app, people.author)
    before = snapshot(app, uuid)

    refused(client.post(f"{API}/resources/{uuid}/submit"), 401, "unauthenticated")
    refused(client.get(f"{API}/me/assignments"), 401, "unauthenticated")
    assert snapshot(app, uuid) == before


def test_a_second_version_without_a_valid_package_cannot_be_resubmitted(
    app: Flask, client: FlaskClient
) -> None:
    people = council(app)
    uuid, _ = revision_requested(app, client, people)
    new_version(app, uuid, people.author, validation={"valid": False, "findings": []})
    before = snapshot(app, uuid)

    response = post(client, f"/resources/{uuid}/resubmit", people.author, {"response": "Түзеттім"})

    refused(response, 409, "package_invalid")
    assert snapshot(app, uuid) == before
