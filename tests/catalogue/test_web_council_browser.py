"""The council's pages in a real Chromium: every kind of page passes axe-core with no
serious or critical violation (wide and narrow), and a review can be filled in, saved and
submitted, and a decision taken, with the keyboard alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, expect

from catalogue.auth import hash_password
from catalogue.db import db
from catalogue.models import GATES, AssignmentState, ReviewAssignment, State, User
from catalogue.storage import storage
from tests.support.axe import serious_violations
from tests.support.catalogue import PASSWORD, Person, sample_package
from tests.support.live_server import sign_in
from tests.support.review import (
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
    submitted,
)

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("app", ["sqlite"], indirect=True)]


def with_password(app: Flask, *people: Person) -> None:
    with app.app_context():
        for person in people:
            user = db.session.get(User, person.id)
            assert user is not None
            user.password_hash = hash_password(PASSWORD)
        db.session.commit()


def with_package(app: Flask, package: Path, *uuids: str) -> None:
    """Store the sample course's package as the resources' latest version, so the preview
    has something to play (the review helpers make resources without a stored package)."""
    with app.app_context():
        with package.open("rb") as stream:
            sha256, size = storage().put(stream)
        for uuid in uuids:
            version = resource(uuid).latest
            version.package_sha256, version.package_size = sha256, size
        db.session.commit()


def check(page: Page, url: str) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        assert serious_violations(page) == [], (url, width)


def test_every_council_page_passes_axe(
    app: Flask, client: FlaskClient, served: str, page: Page, browser: Browser, tmp_path: Path
) -> None:
    people = council(app)
    with_password(app, people.chair, people.reviewer1)
    heat, (invited, _) = assigned(app, client, people, title_kk="Жылу мөлшері")
    archimedes, (accepted, _) = in_review(app, client, people, title_kk="Архимед заңы")
    done, (submitted_id, _) = reviewed(app, client, people, title_kk="Ом заңы")
    triage = submitted(app, client, people, title_kk="Қысым")
    add_coauthor(app, triage, people.coauthor)
    approved, _ = reviewed(app, client, people, title_kk="Жарық")
    ok(
        post(
            client,
            f"/resources/{approved}/decision",
            people.chair,
            {"decision": "approve", "reason": "Иә"},
        )
    )
    with_package(app, sample_package(tmp_path), heat, archimedes, done, triage, approved)

    sign_in(page, served, people.reviewer1, "/council/reviews")
    for url in (
        "/council/reviews",
        f"/council/reviews/{invited}",
        f"/council/reviews/{accepted}",
        f"/council/reviews/{submitted_id}",
    ):
        check(page, served + url)
    # a refused submit (422, which the page fixture counts as a console error: a page of
    # its own), with a message beside every unanswered question
    context = browser.new_context(locale="kk-KZ")
    try:
        refused = context.new_page()
        sign_in(refused, served, people.reviewer1, f"/council/reviews/{accepted}")
        refused.click("button[value=submit]")
        expect(refused.locator("#gate-legal_child_safety-error")).to_be_visible()
        expect(refused.locator(".field-error")).to_have_count(10)
        assert serious_violations(refused) == []
    finally:
        context.close()

    sign_in(page, served, people.chair, "/chair")
    for url in (
        "/chair",
        f"/chair/resources/{triage}",
        f"/chair/resources/{done}",
        f"/chair/resources/{approved}",
    ):
        check(page, served + url)


def test_a_review_and_a_decision_by_keyboard_alone(
    app: Flask, client: FlaskClient, served: str, page: Page, browser: Browser, tmp_path: Path
) -> None:
    people = council(app)
    with_password(app, people.chair, people.reviewer1, people.reviewer2)
    uuid, (first, second) = in_review(app, client, people)
    with_package(app, sample_package(tmp_path), uuid)
    ok(review(client, second, people.reviewer2, full_review("approve")))

    # the keyboard is under test, not the language (Kazakh by default): choose English
    sign_in(page, served, people.reviewer1, f"/council/reviews/{first}", language="en")
    keys = page.keyboard
    # each radio group is one tab stop: Space picks the focused choice, arrows move on
    page.focus("#gate-legal_child_safety-yes")
    keys.press("Space")
    for _ in range(len(GATES) - 1):
        keys.press("Tab")
        keys.press("Space")
    expect(page.locator("#gate-no_factual_errors-yes")).to_be_checked()
    for _ in range(6):  # the six criteria: 3 is the first choice of each
        keys.press("Tab")
        keys.press("Space")
    keys.press("Tab")
    keys.press("Space")  # the recommendation: the first is "approve"
    expect(page.locator("#recommendation-approve")).to_be_checked()
    keys.press("Tab")
    keys.type("Жақсы сабақ, ұсынамын.")
    keys.press("Tab")  # the comment to the chair
    keys.press("Tab")  # Save draft
    expect(page.locator("button[value=draft]")).to_be_focused()
    with page.expect_navigation():  # the draft is saved: POST, redirect, the page again
        keys.press("Enter")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#f-comment_to_author")).to_have_value("Жақсы сабақ, ұсынамын.")
    page.focus("button[value=submit]")
    keys.press("Enter")
    expect(page.locator("text=It can no longer change.")).to_be_visible()
    with app.app_context():
        found = db.session.get(ReviewAssignment, first)
        assert found is not None and found.state is AssignmentState.SUBMITTED

    # the chair at a browser of their own: signing out in the reviewer's would race the
    # requests still under way there, which may set the reviewer's session cookie again
    context = browser.new_context()
    page = context.new_page()
    keys = page.keyboard
    sign_in(page, served, people.chair, f"/chair/resources/{uuid}", language="en")
    page.focus("#decision-approve")
    keys.press("Space")
    keys.press("Tab")
    keys.type("Екеуі де мақұлдады.")
    keys.press("Tab")
    expect(page.locator("text=Record the decision")).to_be_focused()
    keys.press("Enter")
    expect(page.locator("text=Publish in the catalogue")).to_be_visible()
    page.focus("text=Publish in the catalogue")
    # the decision's page has a success message too: wait for the publication's own page
    with page.expect_navigation():
        keys.press("Enter")
    expect(page.locator(".flash-success")).to_be_visible()
    context.close()
    with app.app_context():
        assert resource(uuid).state is State.PUBLISHED
