"""Every field a form needs carries the required mark, a page with marks says what the mark
means, and a refused form's summary at the top links to fields that exist and say the error
themselves (#18, point 8)."""

from __future__ import annotations

from collections.abc import Callable

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.catalogue import Person, sign_in
from tests.support.review import (
    Council,
    assigned,
    council,
    draft,
    in_review,
    ok,
    post,
    reviewed,
    submitted,
)

#: What needs to be filled in before the resource can go to the council, though a draft
#: may be saved without it: marked, not `required`.
METADATA_MARKED = (
    "f-language",
    "f-subject",
    "f-resource_type",
    "f-license",
    "f-copyright_attested",
)


def marked(element: lxml.html.HtmlElement) -> bool:
    return bool(element.xpath(".//span[@class='required']"))


def unmarked(html: str) -> list[str]:
    """The required controls whose label (or, for a group, legend) has no mark, and a
    missing note when the page has marks."""
    tree = lxml.html.fromstring(html)
    problems = []
    for control in tree.xpath("//input[@required] | //select[@required] | //textarea[@required]"):
        ident = control.get("id", "")
        labels = tree.xpath(f"//label[@for='{ident}']") if ident else []
        legends = control.xpath("ancestor::fieldset[1]/legend")
        if not (labels and marked(labels[0])) and not (legends and marked(legends[0])):
            problems.append(ident or control.get("name", "?"))
    if tree.xpath("//span[@class='required']") and not tree.xpath(
        "//p[contains(@class, 'required-note')]"
    ):
        problems.append("the page does not say what the mark means")
    return problems


def _revision_requested(app: Flask, client: FlaskClient, people: Council) -> str:
    uuid, _ = reviewed(app, client, people, "minor_revision", "approve")
    body = {"decision": "request_revision", "reason": "Мысал қосыңыз"}
    ok(post(client, f"/resources/{uuid}/decision", people.chair, body))
    return uuid


Page = Callable[[Flask, FlaskClient, Council], tuple[Person | None, str]]

PAGES: dict[str, Page] = {
    "sign-in": lambda app, client, people: (None, "/login"),
    "account": lambda app, client, people: (people.author, "/account"),
    "upload": lambda app, client, people: (people.author, "/upload"),
    "build": lambda app, client, people: (people.author, "/build"),
    "a draft's description": lambda app, client, people: (
        people.author,
        f"/my/resources/{draft(app, people.author)}",
    ),
    "a revision asked for": lambda app, client, people: (
        people.author,
        f"/my/resources/{_revision_requested(app, client, people)}",
    ),
    "an invitation to review": lambda app, client, people: (
        people.reviewer1,
        f"/council/reviews/{assigned(app, client, people)[1][0]}",
    ),
    "the rubric": lambda app, client, people: (
        people.reviewer1,
        f"/council/reviews/{in_review(app, client, people)[1][0]}",
    ),
    "the desk": lambda app, client, people: (
        people.chair,
        f"/chair?_={submitted(app, client, people)}",
    ),
    "the chair's triage": lambda app, client, people: (
        people.chair,
        f"/chair/resources/{submitted(app, client, people)}",
    ),
    "the chair's decision": lambda app, client, people: (
        people.chair,
        f"/chair/resources/{reviewed(app, client, people)[0]}",
    ),
    "a new user": lambda app, client, people: (people.admin, "/admin/users/new"),
    "tokens": lambda app, client, people: (people.admin, "/admin/tokens"),
    "a user": lambda app, client, people: (people.admin, f"/admin/users/{people.author.id}"),
}


@pytest.mark.parametrize("name", PAGES)
def test_every_required_field_is_marked(app: Flask, client: FlaskClient, name: str) -> None:
    people = council(app)
    who, url = PAGES[name](app, client, people)
    if who is not None:
        sign_in(client, who)
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    assert unmarked(html) == [], f"{name} ({url})"
    assert 'class="required"' in html, f"{name} ({url}) needs something and marks nothing"


def test_what_a_submission_needs_is_marked_on_the_description(
    app: Flask, client: FlaskClient
) -> None:
    people = council(app)
    sign_in(client, people.author)
    tree = lxml.html.fromstring(
        client.get(f"/my/resources/{draft(app, people.author)}").get_data(as_text=True)
    )
    for ident in METADATA_MARKED:
        assert marked(tree.xpath(f"//label[@for='{ident}']")[0]), ident
    titles = tree.xpath("//input[@id='f-title_kk']/ancestor::fieldset[1]/legend")[0]
    assert marked(titles)  # a title in at least one language


def test_a_refused_review_lists_every_missing_answer_linked_to_its_question(
    app: Flask, client: FlaskClient
) -> None:
    people = council(app)
    number = in_review(app, client, people)[1][0]
    sign_in(client, people.reviewer1)
    client.set_cookie("sandyq_locale", "en")
    page = client.get(f"/council/reviews/{number}").get_data(as_text=True)
    token = lxml.html.fromstring(page).xpath("//input[@name='csrf_token']/@value")[0]
    refused = client.post(
        f"/council/reviews/{number}",
        data={"csrf_token": token, "action": "submit", "score-pedagogy": "3"},
    )
    assert refused.status_code == 422
    tree = lxml.html.fromstring(refused.get_data(as_text=True))
    links = tree.xpath("//div[@class='error-summary']//a")
    assert len(links) > 5  # every gate, every criterion but the one answered, the conclusion
    targets = [link.get("href").removeprefix("#") for link in links]
    assert "q-score-pedagogy" not in targets and "q-recommendation" in targets
    for target in targets:
        (element,) = tree.xpath(f"//*[@id='{target}']")
        assert element.xpath(".//p[@class='field-error']"), target
    assert (
        tree.xpath("//div[@class='error-summary']//a[@href='#q-gate-legal_child_safety']")[0]
        .text_content()
        .startswith("Lawful and safe for children: ")
    )
