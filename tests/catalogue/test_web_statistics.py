"""The statistics page: the council chair and administrators see each chart with a table
of the same numbers, in Kazakh, Russian or English, and nobody else sees it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree, html
from playwright.sync_api import Page, expect

from catalogue.db import db
from catalogue.models import AuditEvent, Download, Resource, Role, State
from catalogue.web.chair.statistics import STAGE_NAMES
from catalogue.web.common.labels import LANGUAGES, STATES, grade_name, subject_name
from tests.support.axe import serious_violations
from tests.support.catalogue import PASSWORD, Person, add_resource, add_user, sign_in

HOSTILE_SUBJECT = "<i>жаңа пән</i>"
NOW = datetime.now(UTC)
THIS_MONTH = NOW.replace(day=1, hour=12, minute=0, second=0, microsecond=0)
LAST_MONTH = (THIS_MONTH - timedelta(days=1)).replace(day=15)
LONG_AGO = THIS_MONTH - timedelta(days=600)  # outside 12 months, inside 24
REVIEW_STARTED = NOW - timedelta(days=30)


class Catalogue:
    """Five resources in four states and three subjects, nine downloads, one review stage
    that took a day and a half."""

    def __init__(self, app: Flask, *, password: bool = False) -> None:
        self.chair = add_user(
            app, "toraga@kenes.kz", Role.CHAIR, name="Төраға Әлия", password=password
        )
        self.admin = add_user(app, "admin@sandyq.kz", Role.ADMIN)
        self.teacher = add_user(app, "aliya@mektep.kz", Role.TEACHER)
        teacher = self.teacher
        newton = add_resource(app, teacher, State.PUBLISHED)
        fractions = add_resource(
            app,
            teacher,
            State.PUBLISHED,
            title_ru="Дроби",
            language="ru",
            subject="mathematics",
            grades=[5, 6],
        )
        add_resource(app, teacher, State.DRAFT, grades=[7, 8])
        reviewed = add_resource(app, teacher, State.UNDER_REVIEW, subject="mathematics")
        add_resource(app, teacher, State.SUBMITTED, subject=HOSTILE_SUBJECT, grades=[])
        with app.app_context():
            ids = {u: i for u, i in db.session.execute(sa.select(Resource.uuid, Resource.id))}
            for uuid, when in (
                [(newton, THIS_MONTH)] * 3
                + [(fractions, THIS_MONTH)]
                + [(newton, LAST_MONTH)] * 2
                + [(fractions, LONG_AGO)] * 3
            ):
                db.session.add(Download(resource_id=ids[uuid], version_number=1, at=when))
            for action, before, after, when in (
                ("submit", "draft", "submitted", REVIEW_STARTED - timedelta(days=1.5)),
                ("start_review", "submitted", "under_review", REVIEW_STARTED),
            ):
                db.session.add(
                    AuditEvent(
                        resource_id=ids[reviewed],
                        version_number=1,
                        action=action,
                        from_state=before,
                        to_state=after,
                        at=when,
                    )
                )
            db.session.commit()


def open_page(client: FlaskClient, person: Person, language: str, query: str = "") -> str:
    sign_in(client, person)
    response = client.get(f"/statistics{query}", headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def table(page: str, key: str) -> dict[str, list[str]]:
    """The rows of one chart's table: row heading → the other cells."""
    tree = html.fromstring(page)
    rows = tree.xpath(f'//table[@id="table-{key}"]/tbody/tr')
    assert rows, f"no table {key}"
    return {
        row.xpath("string(th)").strip(): [td.text_content().strip() for td in row.xpath("td")]
        for row in rows
    }


def counts(page: str, key: str) -> dict[str, str]:
    return {name: cells[0] for name, cells in table(page, key).items()}


def charts(page: str) -> list[etree._Element]:
    """Every chart on the page, parsed as XML (so each must be well-formed)."""
    return [
        etree.fromstring(found.encode())
        for found in re.findall(r"<svg xmlns=.*?</svg>", page, flags=re.S)
    ]


def month(moment: datetime, language: str) -> str:
    return format_date(date(moment.year, moment.month, 1), "LLLL yyyy", locale=language)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_chair_sees_charts_and_their_numbers(
    app: Flask, client: FlaskClient, language: str
) -> None:
    catalogue = Catalogue(app)

    page = open_page(client, catalogue.chair, language, "?count=all")

    assert html.fromstring(page).get("lang") == language
    with app.test_request_context(headers={"Accept-Language": language}):
        state = {code: str(STATES[code]) for code in State}
        physics, maths = subject_name("physics"), subject_name("mathematics")
        grades = {n: grade_name(n) for n in (5, 6, 7, 8)}
        kazakh, russian = str(LANGUAGES["kk"]), str(LANGUAGES["ru"])
        first_stage = str(STAGE_NAMES["submitted_to_under_review"])
    by_state = counts(page, "states")
    assert list(by_state) == [state[code] for code in State]  # workflow order, zeros too
    assert by_state[state[State.PUBLISHED]] == "2"
    assert by_state[state[State.DRAFT]] == "1"
    assert by_state[state[State.UNDER_REVIEW]] == "1"
    assert by_state[state[State.SUBMITTED]] == "1"
    assert by_state[state[State.REJECTED]] == "0"
    assert counts(page, "subjects") == {physics: "2", maths: "2", HOSTILE_SUBJECT: "1"}
    assert counts(page, "grades") == {
        grades[5]: "1",
        grades[6]: "1",
        grades[7]: "3",
        grades[8]: "1",
    }
    assert counts(page, "languages") == {kazakh: "4", russian: "1"}
    decimal = "1.5" if language == "en" else "1,5"
    assert table(page, "turnaround")[first_stage] == [decimal, "1"]
    downloads = counts(page, "downloads")
    assert len(downloads) == 12
    assert list(downloads)[-1] == month(THIS_MONTH, language)
    assert downloads[month(THIS_MONTH, language)] == "4"
    assert downloads[month(LAST_MONTH, language)] == "2"
    assert html.fromstring(page).xpath('string(//*[@id="total-downloads"])') == "6"
    assert html.fromstring(page).xpath('string(//*[@id="total-resources"])') == "5"

    drawn = charts(page)
    assert len(drawn) == 6
    for svg in drawn:
        assert svg.get("role") == "img"
        title_id = svg.get("aria-labelledby")
        titles = svg.xpath("//*[local-name()='title' and @id=$id]", id=title_id)
        assert titles and titles[0].text
    assert HOSTILE_SUBJECT not in page  # the subject code is escaped, in charts and tables
    assert "&lt;i&gt;жаңа пән&lt;/i&gt;" in page

    # Unless asked for all, the counts are over what the public sees: the two published.
    public = open_page(client, catalogue.chair, language)
    assert html.fromstring(public).xpath('string(//*[@id="total-resources"])') == "2"
    assert counts(public, "subjects") == {physics: "1", maths: "1"}
    assert counts(public, "grades") == {grades[5]: "1", grades[6]: "1", grades[7]: "1"}
    assert counts(public, "languages") == {kazakh: "1", russian: "1"}
    assert counts(public, "states") == by_state  # the states chart is of every resource
    # The review chart shows every stage the table lists, with its unit, in the same order.
    turnaround = next(svg for svg in charts(public) if svg.get("id") == "chart-turnaround")
    labels = [t.text for t in turnaround.iter("{*}title")][1:]
    assert len(labels) == len(table(public, "turnaround")) == 4
    values = [t.text for t in turnaround.iter("{*}text") if "chart-value" in t.get("class", "")]
    assert (
        values[0]
        == f"{decimal} {'days' if language == 'en' else ('күн' if language == 'kk' else 'дн.')}"
    )


def test_the_period_chooses_how_many_months(app: Flask, client: FlaskClient) -> None:
    catalogue = Catalogue(app)

    page = open_page(client, catalogue.admin, "kk", "?months=24")

    downloads = counts(page, "downloads")
    assert len(downloads) == 24
    assert downloads[month(LONG_AGO, "kk")] == "3"
    assert html.fromstring(page).xpath('string(//*[@id="total-downloads"])') == "9"
    chosen = html.fromstring(page).xpath('//select[@name="months"]/option[@selected]/@value')
    assert chosen == ["24"]
    other = open_page(client, catalogue.admin, "kk", "?months=7000")
    assert len(counts(other, "downloads")) == 12


def test_an_empty_catalogue_gets_sentences_not_charts(app: Flask, client: FlaskClient) -> None:
    chair = add_user(app, "toraga@kenes.kz", Role.CHAIR)

    page = open_page(client, chair, "en")

    assert "<svg" not in page and "<table" not in page
    assert "There are no resources in the catalogue yet." in page
    assert "No review stage has been completed yet" in page
    assert "Nothing was downloaded in this period." in page


def test_only_the_chair_and_administrators_see_it(app: Flask, client: FlaskClient) -> None:
    catalogue = Catalogue(app)

    anonymous = client.get("/statistics")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/login?next=")
    sign_in(client, catalogue.teacher)
    assert client.get("/statistics").status_code == 403


# ---- in a real browser ----------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
@pytest.mark.parametrize("width", [1280, 320])
def test_the_page_passes_axe_and_works_by_keyboard(
    app: Flask, served: str, page: Page, width: int
) -> None:
    catalogue = Catalogue(app, password=True)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{served}/login?next=/statistics")
    page.fill("#f-email", catalogue.chair.email)
    page.fill("#f-password", PASSWORD)
    page.press("#f-password", "Enter")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("svg[role=img]")).to_have_count(6)

    assert serious_violations(page) == []

    page.focus("#f-months")
    page.select_option("#f-months", "24")
    page.keyboard.press("Tab")
    expect(page.locator("#downloads .stat-period button")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**months=24**")
    expect(page.locator("#table-downloads tbody tr")).to_have_count(24)
