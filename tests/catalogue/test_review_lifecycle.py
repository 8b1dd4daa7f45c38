"""The council's review from start to finish through the API, as a worked example: a
teacher submits, the chair assigns two reviewers, one asks for a minor revision, the author
uploads version 2 and resubmits, the same reviewers review it, the chair approves and
publishes, and an administrator unpublishes. The audit log tells the whole story.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from catalogue.models import CRITERIA
from tests.support.review import (
    API,
    council,
    draft,
    full_review,
    in_review,
    letters_to,
    new_version,
    ok,
    post,
    review,
    reviewed,
    snapshot,
)


def test_a_resource_goes_through_a_revision_round_to_publication(
    app: Flask, client: FlaskClient
) -> None:
    people = council(app)
    author, chair, first, second = people.author, people.chair, people.reviewer1, people.reviewer2
    uuid = draft(app, author)

    # The author submits version 1.
    body = ok(post(client, f"/resources/{uuid}/submit", author))
    assert (body["state"], body["version"]) == ("submitted", 1)

    # The chair invites two reviewers; each hears of it in their own language.
    body = ok(
        post(
            client, f"/resources/{uuid}/assignments", chair, {"reviewer_ids": [first.id, second.id]}
        ),
        201,
    )
    v1_first, v1_second = (a["id"] for a in body["assignments"])
    assert [a["state"] for a in body["assignments"]] == ["invited", "invited"]
    assert body["resource_state"] == "under_review"  # two reviewers: the review has started
    assert all(a["due_at"] for a in body["assignments"])
    assert "Сарапшы ретінде тағайындалдыңыз" in letters_to(app, first)[0]["Subject"]
    assert "Вы назначены экспертом" in letters_to(app, second)[0]["Subject"]

    queue = ok(client.get(f"{API}/me/assignments", headers=first.auth))["assignments"]
    assert [(a["id"], a["version"], a["overdue"]) for a in queue] == [(v1_first, 1, False)]

    for assignment_id, reviewer in ((v1_first, first), (v1_second, second)):
        ok(post(client, f"/assignments/{assignment_id}/accept", reviewer, {"no_conflict": True}))

    # The first reviewer saves a draft, then submits; the second asks for a minor revision.
    draft_body = {"gates": {"legal_child_safety": True}, "scores": {"pedagogy": 2}}
    saved = ok(
        client.put(f"{API}/assignments/{v1_first}/review", json=draft_body, headers=first.auth)
    )
    assert saved["submitted_at"] is None and saved["scores"] == {"pedagogy": 2}
    ok(review(client, v1_first, first, full_review("approve", to_author="Жақсы сабақ.")))
    ok(
        review(
            client,
            v1_second,
            second,
            full_review(
                "minor_revision",
                to_author="Тест сұрақтарын толықтырыңыз.",
                to_chair="Негізінен жақсы.",
            ),
        )
    )
    assert any("барлық сарапшы пікірлері түсті" in m["Subject"] for m in letters_to(app, chair))

    reason = "Екінші сарапшының ескертулерін ескеріңіз."
    body = ok(
        post(
            client,
            f"/resources/{uuid}/decision",
            chair,
            {"decision": "request_revision", "reason": reason},
        )
    )
    assert body["state"] == "revision_requested" and body["revision_due_at"]
    decision_letter = letters_to(app, author)[-1]
    assert decision_letter["Subject"] == "«Ньютон заңдары»: пысықтауға қайтарылды"
    assert reason in decision_letter.get_content()

    # The author reads the comments meant for them, without the reviewers' names.
    seen = ok(client.get(f"{API}/resources/{uuid}/reviews", headers=author.auth))["reviews"]
    assert [(r["version"], r["reviewer"], r["comment_to_author"]) for r in seen] == [
        (1, None, "Жақсы сабақ."),
        (1, None, "Тест сұрақтарын толықтырыңыз."),
    ]

    # Version 2 arrives (the resources service's upload), and the author resubmits it.
    new_version(
        app, uuid, author, title_kk="Ньютон заңдары (толықтырылған)", package_sha256="1" * 64
    )
    response = "Тест сұрақтары толықтырылды."
    body = ok(post(client, f"/resources/{uuid}/resubmit", author, {"response": response}))
    assert (body["state"], body["version"]) == ("under_review", 2)  # its reviewers are back
    assert snapshot(app, uuid).frozen == (True, True)

    # The same reviewers are invited to version 2 ...
    every = ok(client.get(f"{API}/resources/{uuid}/assignments", headers=chair.auth))["assignments"]
    v2 = [a for a in every if a["version"] == 2]
    assert [(a["reviewer"]["id"], a["state"]) for a in v2] == [
        (first.id, "invited"),
        (second.id, "invited"),
    ]
    v2_first, v2_second = (a["id"] for a in v2)
    assert "жаңа нұсқасын жіберді" in letters_to(app, first)[-1].get_content()

    # ... see the earlier reviews (not yet each other's new ones) and what changed.
    earlier = ok(client.get(f"{API}/resources/{uuid}/reviews", headers=first.auth))["reviews"]
    assert [(r["version"], r["recommendation"]) for r in earlier] == [
        (1, "approve"),
        (1, "minor_revision"),
    ]
    assert "comment_to_chair" not in earlier[1]
    work = ok(client.get(f"{API}/assignments/{v2_first}/review", headers=first.auth))
    assert work["review"] is None
    assert work["changes"] == {
        "from_version": 1,
        "to_version": 2,
        "metadata": {
            "title_kk": {"before": "Ньютон заңдары", "after": "Ньютон заңдары (толықтырылған)"}
        },
        "package_changed": True,
        "author_response": response,
    }

    for assignment_id, reviewer in ((v2_first, first), (v2_second, second)):
        ok(post(client, f"/assignments/{assignment_id}/accept", reviewer, {"no_conflict": True}))
    for assignment_id, reviewer in ((v2_first, first), (v2_second, second)):
        ok(review(client, assignment_id, reviewer, full_review("approve")))

    ok(
        post(
            client,
            f"/resources/{uuid}/decision",
            chair,
            {"decision": "approve", "reason": "Мақұл."},
        )
    )
    body = ok(post(client, f"/resources/{uuid}/publish", chair))
    assert body["state"] == "published" and body["published_at"]
    body = ok(
        post(
            client,
            f"/resources/{uuid}/unpublish",
            people.admin,
            {"reason": "Авторлық құқық шағымы"},
        )
    )
    assert body["state"] == "unpublished"

    # The audit log holds every step in order: who, which version, from and to, why.
    events = ok(client.get(f"{API}/resources/{uuid}/audit", headers=chair.auth))["events"]
    steps = [
        (
            e["action"],
            e["actor"] and e["actor"]["id"],
            e["version"],
            e["from_state"],
            e["to_state"],
            e["reason"],
        )
        for e in events
    ]
    S, U, R, A = "submitted", "under_review", "revision_requested", "approved"
    assert steps == [
        ("submit", author.id, 1, "draft", S, ""),
        ("assign", chair.id, 1, S, S, ""),
        ("assign", chair.id, 1, S, S, ""),
        ("start_review", chair.id, 1, S, U, ""),
        ("accept", first.id, 1, U, U, ""),
        ("accept", second.id, 1, U, U, ""),
        ("submit_review", first.id, 1, U, U, ""),
        ("submit_review", second.id, 1, U, U, ""),
        ("request_revision", chair.id, 1, U, R, reason),
        ("resubmit", author.id, 2, R, S, response),
        ("start_review", None, 2, S, U, ""),  # the same reviewers again: it starts by itself
        ("accept", first.id, 2, U, U, ""),
        ("accept", second.id, 2, U, U, ""),
        ("submit_review", first.id, 2, U, U, ""),
        ("submit_review", second.id, 2, U, U, ""),
        ("approve", chair.id, 2, U, A, "Мақұл."),
        ("publish", chair.id, 2, A, "published", ""),
        ("unpublish", people.admin.id, 2, "published", "unpublished", "Авторлық құқық шағымы"),
    ]
    assert events[9]["details"]["reinvited_reviewer_ids"] == [first.id, second.id]
    assert events[9]["details"]["package_changed"] is True
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)

    # The author's copy of the log does not say who reviewed.
    theirs = ok(client.get(f"{API}/resources/{uuid}/audit", headers=author.auth))["events"]
    assert len(theirs) == len(events)
    assert all(e["actor"] is None for e in theirs if e["action"] in ("accept", "submit_review"))
    assert all("reviewer_id" not in e["details"] for e in theirs)
    assert "reinvited_reviewer_ids" not in theirs[9]["details"]

    # Every decision reached the author in Kazakh.
    subjects = [m["Subject"] for m in letters_to(app, author)]
    assert subjects == [
        "«Ньютон заңдары»: пысықтауға қайтарылды",
        "«Ньютон заңдары (толықтырылған)»: мақұлданды",
        "«Ньютон заңдары (толықтырылған)»: жарияланды",
        "«Ньютон заңдары (толықтырылған)»: жариялаудан алынды",
    ]

    body = ok(post(client, f"/resources/{uuid}/republish", chair, {"reason": "Шағым негізсіз"}))
    assert body["state"] == "published"


def test_auto_publish_publishes_an_approval_at_once(app: Flask, client: FlaskClient) -> None:
    app.config["AUTO_PUBLISH"] = True
    people = council(app)
    uuid, _ = reviewed(app, client, people)

    body = ok(
        post(
            client,
            f"/resources/{uuid}/decision",
            people.chair,
            {"decision": "approve", "reason": "Мақұл"},
        )
    )

    assert body["state"] == "published" and body["published_at"]
    events = ok(client.get(f"{API}/resources/{uuid}/audit", headers=people.chair.auth))["events"]
    assert [(e["action"], e["to_state"], e["details"]) for e in events[-2:]] == [
        ("approve", "approved", {}),
        ("publish", "published", {"automatic": True}),
    ]


def test_the_chair_returns_a_submission_to_draft_and_it_can_be_edited_again(
    app: Flask, client: FlaskClient
) -> None:
    people = council(app)
    uuid = draft(app, people.author)
    ok(post(client, f"/resources/{uuid}/submit", people.author))
    assert snapshot(app, uuid).frozen == (True,)

    body = ok(post(client, f"/resources/{uuid}/return", people.chair, {"reason": "Тақырыбы жоқ"}))

    assert body["state"] == "draft"
    assert snapshot(app, uuid).frozen == (False,)
    assert letters_to(app, people.author)[-1]["Subject"] == "«Ньютон заңдары»: жоба"


def test_the_author_may_withdraw_before_a_decision(app: Flask, client: FlaskClient) -> None:
    people = council(app)
    uuid, ids = in_review(app, client, people)

    body = ok(
        post(client, f"/resources/{uuid}/withdraw", people.author, {"reason": "Қайта жасаймын"})
    )

    assert body["state"] == "withdrawn"
    after = snapshot(app, uuid)
    assert [state for _, state in after.assignments] == ["removed", "removed"]
    assert ok(client.get(f"{API}/me/assignments", headers=people.reviewer1.auth)) == {
        "assignments": []
    }
    events = ok(client.get(f"{API}/resources/{uuid}/audit", headers=people.author.auth))["events"]
    assert (events[-1]["action"], events[-1]["from_state"], events[-1]["to_state"]) == (
        "withdraw",
        "under_review",
        "withdrawn",
    )
    assert events[-1]["details"] == {"released": ids}


def test_a_draft_review_keeps_what_was_saved_and_n_a_is_a_score(
    app: Flask, client: FlaskClient
) -> None:
    people = council(app)
    uuid, (first, _) = in_review(app, client, people)
    path = f"{API}/assignments/{first}/review"
    auth = people.reviewer1.auth

    ok(client.put(path, json={"gates": {"legal_child_safety": True}}, headers=auth))
    ok(client.put(path, json={"scores": {"accessibility": None, "pedagogy": 1}}, headers=auth))
    saved = ok(client.put(path, json={"comment_to_author": "  Жақсы  "}, headers=auth))

    assert saved["gates"] == {"legal_child_safety": True}
    assert saved["scores"] == {"accessibility": None, "pedagogy": 1}
    assert saved["comment_to_author"] == "Жақсы" and saved["submitted_at"] is None
    rest = {
        "gates": {"copyright_licences": True, "no_factual_errors": True},
        "scores": {name: 2 for name in CRITERIA if name not in ("accessibility", "pedagogy")},
        "recommendation": "approve",
    }
    done = ok(client.post(f"{path}/submit", json=rest, headers=auth))
    assert done["submitted_at"] and done["scores"]["accessibility"] is None
    assert ok(client.get(path, headers=auth))["review"]["recommendation"] == "approve"
