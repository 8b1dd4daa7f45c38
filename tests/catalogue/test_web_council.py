"""The council member's pages, driven as a browser would: the list of assigned reviews,
accepting (with the no-conflict declaration) or declining, the rubric form with drafts
that come back, a refused submit that keeps what was typed, a submitted review that no
longer changes, and nobody opening another member's review.

The interface runs in English here (the ``sandyq_locale`` cookie) so the assertions do not
depend on the translations; what reviewers write is Kazakh and must come back intact.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalogue.db import db
from catalogue.models import CRITERIA, GATES, AssignmentState, ReviewAssignment
from tests.support.catalogue import Person, csrf_token, sign_in
from tests.support.review import (
    Council,
    assigned,
    council,
    full_review,
    in_review,
    ok,
    review,
    snapshot,
)

TITLE = "Ньютон заңдары"
TO_AUTHOR = (
    "Суреттерге балама мәтін қосыңыз: көру қабілеті нашар оқушыларға қиын. Ғылыми өңі жақсы."
)
TO_CHAIR = "Авторлар үшінші тарауды қайта қарауы керек, әйтпесе іріктеуден өтпейді."


@pytest.fixture
def people(app: Flask) -> Council:
    return council(app)


def as_member(client: FlaskClient, person: Person) -> None:
    sign_in(client, person)
    client.set_cookie("sandyq_locale", "en")


def send(client: FlaskClient, url: str, fields: dict[str, Any]) -> Any:
    return client.post(url, data={"csrf_token": csrf_token(client), **fields})


def complete_form(recommendation: str = "approve", **changes: str) -> dict[str, str]:
    """Every question answered as a reviewer would click it (accessibility not applicable)."""
    fields = {f"gate-{name}": "yes" for name in GATES}
    fields.update({f"score-{name}": "na" if name == "accessibility" else "3" for name in CRITERIA})
    fields.update(
        recommendation=recommendation,
        comment_to_author=TO_AUTHOR,
        comment_to_chair=TO_CHAIR,
        action="submit",
    )
    fields.update(changes)
    return fields


def assignment(app: Flask, assignment_id: int) -> ReviewAssignment:
    with app.app_context():
        found = db.session.get(ReviewAssignment, assignment_id)
        assert found is not None
        db.session.expunge(found)
        return found


def checked(page: str, name: str, value: str) -> bool:
    """Whether the radio button ``name``=``value`` is rendered checked."""
    found = re.search(
        rf'<input type="radio" id="[^"]+" name="{name}" value="{value}"( checked)?>', page
    )
    assert found, f"no radio button {name}={value}"
    return found.group(1) is not None


def test_members_see_their_reviews_with_due_dates(
    app: Flask, client: FlaskClient, people: Council
) -> None:
    uuid, (first, second) = assigned(app, client, people)
    as_member(client, people.reviewer1)
    page = client.get("/council/reviews")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert TITLE in text
    assert f'href="/council/reviews/{first}"' in text
    assert f'href="/council/reviews/{second}"' not in text  # the other member's
    assert "Assigned, no answer yet" in text and "Accept or decline" in text
    due = assignment(app, first).due_at
    assert due is not None
    assert f"{due.year}" in text and "Overdue" not in text

    with app.app_context():
        found = db.session.get(ReviewAssignment, first)
        assert found is not None
        found.due_at = found.assigned_at.replace(year=2020)
        db.session.commit()
    assert "Overdue" in client.get("/council/reviews").get_data(as_text=True)

    as_member(client, people.reviewer3)  # assigned nothing
    text = client.get("/council/reviews").get_data(as_text=True)
    assert "Nothing is waiting for your review." in text and TITLE not in text


def test_accepting_needs_the_no_conflict_declaration(
    app: Flask, client: FlaskClient, people: Council
) -> None:
    _, (first, _) = assigned(app, client, people)
    as_member(client, people.reviewer1)
    page = client.get(f"/council/reviews/{first}").get_data(as_text=True)
    assert f'action="/council/reviews/{first}/accept"' in page
    assert 'name="gate-' not in page  # the rubric waits for the acceptance
    assert TITLE in page and "/preview/" in page

    refused = send(client, f"/council/reviews/{first}/accept", {})
    assert refused.status_code == 422
    assert "Confirm that you have no conflict of interest." in refused.get_data(as_text=True)
    assert assignment(app, first).state is AssignmentState.INVITED

    accepted = send(client, f"/council/reviews/{first}/accept", {"no_conflict": "yes"})
    assert accepted.status_code == 302
    assert accepted.headers["Location"] == f"/council/reviews/{first}"
    found = assignment(app, first)
    assert found.state is AssignmentState.ACCEPTED and found.no_conflict_declared
    page = client.get(f"/council/reviews/{first}").get_data(as_text=True)
    assert 'name="gate-legal_child_safety"' in page and 'value="submit"' in page


def test_declining_needs_a_reason(app: Flask, client: FlaskClient, people: Council) -> None:
    _, (first, _) = assigned(app, client, people)
    as_member(client, people.reviewer1)
    refused = send(client, f"/council/reviews/{first}/decline", {"reason": "  "})
    assert refused.status_code == 422
    assert "Give a reason." in refused.get_data(as_text=True)
    assert assignment(app, first).state is AssignmentState.INVITED

    reason = "Осы аптада іссапардамын."
    done = send(client, f"/council/reviews/{first}/decline", {"reason": reason})
    assert done.status_code == 302 and done.headers["Location"] == "/council/reviews"
    found = assignment(app, first)
    assert found.state is AssignmentState.DECLINED and found.decline_reason == reason


def test_a_draft_comes_back_in_the_form(app: Flask, client: FlaskClient, people: Council) -> None:
    _, (first, _) = in_review(app, client, people)
    as_member(client, people.reviewer1)
    draft = {
        "gate-legal_child_safety": "yes",
        "gate-no_factual_errors": "no",
        "score-pedagogy": "2",
        "score-accessibility": "na",
        "comment_to_author": TO_AUTHOR,
        "action": "draft",
    }
    saved = send(client, f"/council/reviews/{first}", draft)
    assert saved.status_code == 302
    page = client.get(f"/council/reviews/{first}").get_data(as_text=True)
    assert "The draft is saved." in page
    assert checked(page, "gate-legal_child_safety", "yes")
    assert not checked(page, "gate-legal_child_safety", "no")
    assert checked(page, "gate-no_factual_errors", "no")
    assert not checked(page, "gate-copyright_licences", "yes")
    assert not checked(page, "gate-copyright_licences", "no")
    assert checked(page, "score-pedagogy", "2")
    assert checked(page, "score-accessibility", "na")
    assert not any(
        checked(page, "score-curriculum_alignment", v) for v in ("0", "1", "2", "3", "na")
    )
    assert TO_AUTHOR in page
    found = assignment(app, first)
    assert found.state is AssignmentState.ACCEPTED
    with app.app_context():
        stored = db.session.get(ReviewAssignment, first)
        assert stored is not None and stored.review is not None
        assert stored.review.scores == {"pedagogy": 2, "accessibility": None}
        assert stored.review.submitted_at is None


def test_an_incomplete_submit_keeps_what_was_typed(
    app: Flask, client: FlaskClient, people: Council
) -> None:
    uuid, (first, _) = in_review(app, client, people)
    as_member(client, people.reviewer1)
    before = snapshot(app, uuid)
    form = complete_form()
    del form["gate-copyright_licences"], form["score-pedagogy"]
    refused = send(client, f"/council/reviews/{first}", form)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Answer every question of the rubric before submitting." in page
    # beside each of the two questions, and in the summary at the top, linking to it
    assert page.count("Answer this question before submitting.") == 4
    assert (
        '<a href="#q-gate-copyright_licences">' in page and '<a href="#q-score-pedagogy">' in page
    )
    assert 'id="gate-copyright_licences-error"' in page and 'id="score-pedagogy-error"' in page
    assert checked(page, "score-language_quality", "3") and checked(
        page, "recommendation", "approve"
    )
    assert TO_AUTHOR in page and TO_CHAIR in page
    assert snapshot(app, uuid) == before  # nothing was saved, nothing submitted

    approve_failed = complete_form(**{"gate-no_factual_errors": "no"})
    refused = send(client, f"/council/reviews/{first}", approve_failed)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'id="recommendation-error"' in page
    assert "cannot recommend approval" in page
    assert checked(page, "gate-no_factual_errors", "no")


def test_a_submitted_review_is_read_only(app: Flask, client: FlaskClient, people: Council) -> None:
    uuid, (first, second) = in_review(app, client, people)
    as_member(client, people.reviewer1)
    done = send(client, f"/council/reviews/{first}", complete_form("minor_revision"))
    assert done.status_code == 302
    assert assignment(app, first).state is AssignmentState.SUBMITTED
    page = client.get(f"/council/reviews/{first}").get_data(as_text=True)
    assert "Your review has been submitted." in page
    assert "It can no longer change." in page
    assert 'name="action"' not in page and 'type="radio"' not in page
    assert TO_AUTHOR in page and TO_CHAIR in page and "Minor revision" in page

    again = send(client, f"/council/reviews/{first}", complete_form("reject"))
    assert again.status_code == 422
    assert "This review has already been submitted." in again.get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(ReviewAssignment, first)
        assert stored is not None and stored.review is not None
        assert stored.review.recommendation is not None
        assert stored.review.recommendation.value == "minor_revision"

    listed = client.get("/council/reviews").get_data(as_text=True)
    assert "Reviews you submitted" in listed and f'href="/council/reviews/{first}"' in listed
    assert "Nothing is waiting for your review." in listed

    # once both are in, each member reads the other's review (not the comment to the chair)
    ok(review(client, second, people.reviewer2, full_review("approve", to_author="Өте жақсы.")))
    page = client.get(f"/council/reviews/{first}").get_data(as_text=True)
    assert "The other reviews" in page and "Өте жақсы." in page
    assert "Марина Эксперт, version 1" in page


def test_nobody_opens_another_members_review(
    app: Flask, client: FlaskClient, people: Council
) -> None:
    _, (first, second) = in_review(app, client, people)
    as_member(client, people.reviewer1)
    assert client.get(f"/council/reviews/{second}").status_code == 403
    assert send(client, f"/council/reviews/{second}", complete_form()).status_code == 403
    refused = send(client, f"/council/reviews/{second}/accept", {"no_conflict": "yes"})
    assert refused.status_code == 403
    assert client.get("/council/reviews/999999").status_code == 404
    as_member(client, people.reviewer3)
    assert client.get(f"/council/reviews/{first}").status_code == 403
    as_member(client, people.teacher)  # not on the council at all
    assert client.get("/council/reviews").status_code == 403
    assert client.get(f"/council/reviews/{first}").status_code == 403
    with app.app_context():
        untouched = db.session.get(ReviewAssignment, second)
        assert untouched is not None and untouched.review is None


def test_kazakh_interface_and_kazakh_reviews(
    app: Flask, client: FlaskClient, people: Council
) -> None:
    """With the default (Kazakh) interface the review still carries the reviewer's words."""
    _, (first, _) = in_review(app, client, people)
    sign_in(client, people.reviewer1)
    saved = send(client, f"/council/reviews/{first}", complete_form(action="draft"))
    assert saved.status_code == 302
    page = client.get(f"/council/reviews/{first}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="kk">' in text
    assert TO_AUTHOR in text and TO_CHAIR in text and TITLE in text
