"""The chair's pages, driven as a browser would: the desk's queues, the resource's file
with reviewer loads and conflict warnings, reviews side by side, decisions that need a
reason, publication, and the audit trail.

The interface runs in English here (the ``sandyq_locale`` cookie) so the assertions do not
depend on the translations; names, titles and reviews are Kazakh and must come back intact.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from catalogue.db import db
from catalogue.models import AssignmentState, ReviewAssignment, State
from tests.catalogue.test_web_council import complete_form
from tests.support.catalogue import Person, csrf_token, sign_in
from tests.support.review import (
    Council,
    add_coauthor,
    assigned,
    council,
    full_review,
    in_review,
    ok,
    post,
    resource,
    review,
    reviewed,
    snapshot,
    submitted,
)

TITLE = "Ньютон заңдары"


@pytest.fixture
def people(app: Flask) -> Council:
    return council(app)


def as_user(client: FlaskClient, person: Person) -> None:
    sign_in(client, person)
    client.set_cookie("sandyq_locale", "en")


def send(client: FlaskClient, url: str, fields: dict[str, Any] | list[tuple[str, str]]) -> Any:
    data = list(fields.items()) if isinstance(fields, dict) else list(fields)
    return client.post(url, data=MultiDict([("csrf_token", csrf_token(client)), *data]))


def state_of(app: Flask, uuid: str) -> State:
    with app.app_context():
        return resource(uuid).state


def page_of(client: FlaskClient, uuid: str) -> str:
    response = client.get(f"/chair/resources/{uuid}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def candidate(page: str, person: Person) -> str:
    """The candidate's line in the assignment form."""
    found = re.search(
        rf'<li class="candidate">(?:(?!</li>).)*?reviewer-{person.id}\b.*?</li>', page, re.S
    )
    assert found, f"{person.email} is not offered"
    return found.group(0)


def test_the_desk_shows_each_queue(app: Flask, client: FlaskClient, people: Council) -> None:
    waiting = submitted(app, client, people, title_kk="Жылу мөлшері")
    reviewing, (first, _) = in_review(app, client, people, title_kk="Архимед заңы")
    approved, _ = reviewed(app, client, people, title_kk="Ом заңы")
    ok(
        post(
            client,
            f"/resources/{approved}/decision",
            people.chair,
            {"decision": "approve", "reason": "Жарайды"},
        )
    )
    with app.app_context():
        late = db.session.get(ReviewAssignment, first)
        assert late is not None
        late.due_at = late.assigned_at.replace(year=2020)
        db.session.commit()

    as_user(client, people.chair)
    response = client.get("/chair")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    sections = {
        name: page.index(heading)
        for name, heading in (
            ("submitted", 'id="submitted-heading"'),
            ("review", 'id="review-heading"'),
            ("approved", 'id="approved-heading"'),
            ("revision", 'id="revision-heading"'),
        )
    }
    assert sections["submitted"] < page.index("Жылу мөлшері") < sections["review"]
    assert sections["review"] < page.index("Архимед заңы") < sections["approved"]
    assert sections["approved"] < page.index("Ом заңы") < sections["revision"]
    assert f'href="/chair/resources/{waiting}"' in page
    assert f'action="/chair/resources/{approved}/publish"' in page
    assert f'action="/chair/resources/{waiting}/return"' in page
    assert f'action="/chair/resources/{waiting}/start-review"' not in page  # nobody assigned
    assert "Overdue" in page and "Бекзат Сарапшы" in page
    assert "0 of 2 reviews are in." in page

    reminded = send(client, "/chair/reminders", {})
    assert reminded.status_code == 302
    assert "1 reminder sent." in client.get("/chair").get_data(as_text=True)

    as_user(client, people.reviewer1)
    assert client.get("/chair").status_code == 403
    assert client.get(f"/chair/resources/{reviewing}").status_code == 403


def test_conflicts_and_loads_are_shown_and_the_service_refuses_an_author(
    app: Flask, client: FlaskClient, people: Council
) -> None:
    busy, _ = assigned(app, client, people)  # reviewers 1 and 2 have one open review each
    uuid = submitted(app, client, people, title_kk="Қысым")
    add_coauthor(app, uuid, people.coauthor)  # a teacher who also sits on the council
    as_user(client, people.chair)
    page = page_of(client, uuid)
    assert "Conflict of interest: an author or co-author of this resource" in candidate(
        page, people.coauthor
    )
    assert "Conflict of interest" not in candidate(page, people.reviewer3)
    assert "1 open review" in candidate(page, people.reviewer1)
    assert "0 open reviews" in candidate(page, people.reviewer3)
    assert "Дәурен Сейітов" in page and "Асель Үшінші" in page

    before = snapshot(app, uuid)
    refused = send(
        client,
        f"/chair/resources/{uuid}/assignments",
        [("reviewer_id", str(people.coauthor.id)), ("reviewer_id", str(people.reviewer3.id))],
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert (
        "A conflict of interest: an author cannot review or decide on their own resource." in text
    )
    assert "cannot review their own resource" not in text  # the service's words are not shown
    assert re.search(rf'id="reviewer-{people.reviewer3.id}" checked', text)  # kept
    assert snapshot(app, uuid) == before

    client.delete_cookie("sandyq_locale")  # the Kazakh interface: the message is the page's own
    text = send(
        client, f"/chair/resources/{uuid}/assignments", [("reviewer_id", str(people.coauthor.id))]
    ).get_data(as_text=True)
    assert '<html lang="kk">' in text and "cannot review their own resource" not in text
    assert busy != uuid


def test_two_members_review_and_the_chair_approves_and_publishes(
    app: Flask, client: FlaskClient, people: Council
) -> None:
    uuid = submitted(app, client, people)
    as_user(client, people.chair)
    too_few = send(
        client, f"/chair/resources/{uuid}/assignments", {"reviewer_id": str(people.reviewer1.id)}
    )
    assert too_few.status_code == 422
    refusal = too_few.get_data(as_text=True)
    message = "Choose 1 more council member: a resource needs at least 2 reviewers."
    # beside the choice, and in the summary at the top linking to it; the choice is kept
    assert f'<p class="field-error" id="assign-reviewer_id-error">{message}</p>' in refusal
    assert f'<li><a href="#assign-reviewers">{message}</a></li>' in refusal
    assert refusal.index("error-summary") < refusal.index('id="assign-reviewers"')
    assert f'value="{people.reviewer1.id}" id="reviewer-{people.reviewer1.id}" checked' in refusal
    assert state_of(app, uuid) is State.SUBMITTED
    bad_date = send(
        client,
        f"/chair/resources/{uuid}/assignments",
        [("reviewer_id", str(people.reviewer1.id)), ("due_at", "келесі апта")],
    )
    assert bad_date.status_code == 422 and 'id="f-due_at-error"' in bad_date.get_data(as_text=True)

    invited = send(
        client,
        f"/chair/resources/{uuid}/assignments",
        [
            ("reviewer_id", str(people.reviewer1.id)),
            ("reviewer_id", str(people.reviewer2.id)),
            ("due_at", "2099-06-30"),
        ],
    )
    assert invited.status_code == 302
    assert "2 council members assigned. The review has started." in page_of(client, uuid)
    assert state_of(app, uuid) is State.UNDER_REVIEW  # no separate step to start it

    with app.app_context():
        ids = {
            a.reviewer_id: a.id
            for a in db.session.query(ReviewAssignment).filter_by(resource_id=resource(uuid).id)
        }
        assert all(
            a.due_at is not None and a.due_at.year == 2099 for a in resource_assignments(uuid)
        )
    words = [
        (people.reviewer1, "Тамаша сабақ, бірақ қорытынды тест қысқа."),
        (people.reviewer2, "Үшінші бөлімдегі мысалдар өте сәтті."),
    ]
    for reviewer, words_to_author in words:
        as_user(client, reviewer)
        number = ids[reviewer.id]
        accepted = send(client, f"/council/reviews/{number}/accept", {"no_conflict": "yes"})
        assert accepted.status_code == 302
        form = complete_form("approve", comment_to_author=words_to_author)
        assert send(client, f"/council/reviews/{number}", form).status_code == 302

    as_user(client, people.chair)
    page = page_of(client, uuid)
    columns = re.findall(r'<th scope="col">([^<]*)</th>', page.split('id="reviews-heading"')[1])
    assert "Бекзат Сарапшы" in columns and "Марина Эксперт" in columns
    for _, text in words:
        assert text in page
    assert "2 of 2 reviews are in." in page

    no_reason = send(client, f"/chair/resources/{uuid}/decision", {"decision": "approve"})
    assert no_reason.status_code == 422
    text = no_reason.get_data(as_text=True)
    assert 'id="decision-reason-error"' in text and "Give a reason." in text
    assert re.search(r'name="decision" value="approve" checked', text)
    assert state_of(app, uuid) is State.UNDER_REVIEW
    no_choice = send(client, f"/chair/resources/{uuid}/decision", {"reason": "Жақсы"})
    assert no_choice.status_code == 422 and "Choose a decision." in no_choice.get_data(as_text=True)

    reason = "Екі сарапшы да мақұлдады."
    decided = send(
        client, f"/chair/resources/{uuid}/decision", {"decision": "approve", "reason": reason}
    )
    assert decided.status_code == 302 and state_of(app, uuid) is State.APPROVED
    page = page_of(client, uuid)
    assert "Decision recorded: the resource is now Approved." in page
    assert reason in page  # in the history
    published = send(client, f"/chair/resources/{uuid}/publish", {"next": "/chair"})
    assert published.status_code == 302 and published.headers["Location"] == "/chair"
    assert state_of(app, uuid) is State.PUBLISHED
    history = page_of(client, uuid).split('id="audit-heading"')[1]
    for action in (
        "Council member assigned",
        "Review started",
        "Review submitted",
        "Approved",
        "Published",
    ):
        assert action in history

    no_reason = send(client, f"/chair/resources/{uuid}/unpublish", {})
    assert no_reason.status_code == 422 and 'id="publication-reason-error"' in no_reason.get_data(
        as_text=True
    )
    assert state_of(app, uuid) is State.PUBLISHED
    assert (
        send(client, f"/chair/resources/{uuid}/unpublish", {"reason": "Қате табылды"}).status_code
        == 302
    )
    assert state_of(app, uuid) is State.UNPUBLISHED
    assert (
        send(client, f"/chair/resources/{uuid}/republish", {"reason": "Түзетілді"}).status_code
        == 302
    )
    assert state_of(app, uuid) is State.PUBLISHED


def resource_assignments(uuid: str) -> list[ReviewAssignment]:
    return list(db.session.query(ReviewAssignment).filter_by(resource_id=resource(uuid).id))


def test_returning_to_the_authors_needs_a_reason(
    app: Flask, client: FlaskClient, people: Council
) -> None:
    uuid = submitted(app, client, people)
    as_user(client, people.chair)
    refused = send(client, f"/chair/resources/{uuid}/return", {"reason": " ", "next": "/chair"})
    assert refused.status_code == 422
    assert 'id="return-reason-error"' in refused.get_data(as_text=True)
    assert state_of(app, uuid) is State.SUBMITTED
    done = send(
        client, f"/chair/resources/{uuid}/return", {"reason": "Файл бүлінген", "next": "/chair"}
    )
    assert done.status_code == 302 and done.headers["Location"] == "/chair"
    assert state_of(app, uuid) is State.DRAFT


def test_a_decision_waits_for_every_review(
    app: Flask, client: FlaskClient, people: Council
) -> None:
    uuid, (first, second) = in_review(app, client, people)
    ok(
        review(
            client,
            first,
            people.reviewer1,
            full_review("approve", failed_gate="no_factual_errors") | {"recommendation": "reject"},
        )
    )
    as_user(client, people.chair)
    page = page_of(client, uuid)
    assert "1 of 2 reviews are in." in page
    assert "the resource cannot be approved" in page  # a failed gate
    # the page opens with whom the council waits for, and offers no decision yet
    step = page[page.index('id="next-step"') : page.index('id="about-heading"')]
    assert "Waiting for 1 review:" in step and "Марина Эксперт" in step
    assert "Бекзат Сарапшы" not in step
    assert f'action="/chair/resources/{uuid}/decision"' not in page
    refused = send(
        client, f"/chair/resources/{uuid}/decision", {"decision": "reject", "reason": "Қате"}
    )
    assert refused.status_code == 422
    assert "Not every assigned reviewer has submitted a review yet." in refused.get_data(
        as_text=True
    )

    removed = send(client, f"/chair/assignments/{second}/remove", {})
    assert removed.status_code == 302
    with app.app_context():
        gone = db.session.get(ReviewAssignment, second)
        assert gone is not None and gone.state is AssignmentState.REMOVED
    # one review left: too few for a decision
    refused = send(
        client, f"/chair/resources/{uuid}/decision", {"decision": "reject", "reason": "Қате"}
    )
    assert refused.status_code == 422
    assert "At least two council members must review this resource." in refused.get_data(
        as_text=True
    )


def test_a_chair_who_is_an_author_sees_the_resource_as_its_authors_do(
    app: Flask, client: FlaskClient, people: Council
) -> None:
    uuid, _ = reviewed(app, client, people)
    add_coauthor(app, uuid, people.chair)
    as_user(client, people.chair)

    desk = client.get("/chair").get_data(as_text=True)
    own = desk[desk.index('id="own-heading"') : desk.index('id="submitted-heading"')]
    assert f'href="/chair/resources/{uuid}"' in own
    assert "Бекзат Сарапшы" not in desk  # the reviewers of their own resource stay hidden

    page = page_of(client, uuid)
    assert "You are the only chair: ask an administrator" in page
    assert "Бекзат Сарапшы" not in page and "Марина Эксперт" not in page
    assert f'action="/chair/resources/{uuid}/decision"' not in page
    assert 'id="members-heading"' not in page and 'id="audit-heading"' in page

    refused_page = send(
        client, f"/chair/resources/{uuid}/decision", {"decision": "approve", "reason": "Иә"}
    )
    assert refused_page.status_code == 422
    text = refused_page.get_data(as_text=True)
    assert f"Refused: you are an author of “{TITLE}” (a conflict of interest)." in text
    assert state_of(app, uuid) is State.UNDER_REVIEW

    client.set_cookie("sandyq_locale", "ru")
    assert "Вы — единственный председатель" in page_of(client, uuid)
