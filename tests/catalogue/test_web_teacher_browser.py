"""The teacher's pages in a real Chromium: a package built from the sample .docx and sent
to the council with the keyboard alone, and every teacher page passing axe-core with no
serious or critical violation, wide and narrow."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Page, expect

from catalogue.db import db
from catalogue.models import Resource, Role, State
from tests.catalogue.test_web_council_browser import with_password
from tests.catalogue.test_web_statistics import serious_violations
from tests.catalogue.test_web_teacher import DOCX, DOCX_TITLE, _not_scorm
from tests.catalogue.test_web_teacher_resources import _revision_requested
from tests.support.catalogue import Person, add_user, sample_package
from tests.support.live_server import sign_in
from tests.support.review import council

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("app", ["sqlite"], indirect=True)]


@pytest.fixture
def teacher(app: Flask) -> Person:
    return add_user(app, "aliya@mektep.kz", Role.TEACHER, name="Әлия Нұрланова", password=True)


def check(page: Page, url: str) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        assert serious_violations(page) == [], (url, width)


def _build_by_keyboard(page: Page) -> None:
    """The build form with the keyboard: the file is the one thing a test cannot pick by
    keys (the system's file dialog), so it is set on the focused input."""
    keys = page.keyboard
    page.focus("#f-files")
    page.set_input_files("#f-files", str(DOCX))
    keys.press("Tab")
    expect(page.locator("#f-scorm-2004")).to_be_focused()
    expect(page.locator("#f-scorm-2004")).to_be_checked()
    keys.press("Tab")
    expect(page.locator("#f-title")).to_be_focused()
    keys.press("Tab")
    expect(page.locator("#f-language")).to_be_focused()
    keys.press("Tab")
    expect(page.locator("#f-subject")).to_be_focused()
    for _ in range(30):  # arrows move through the closed list
        if page.locator("#f-subject").input_value() == "physics":
            break
        keys.press("ArrowDown")
    expect(page.locator("#f-subject")).to_have_value("physics")
    keys.press("Tab")
    keys.type("7")
    expect(page.locator("#f-grades")).to_have_value("7")
    keys.press("Tab")
    expect(page.locator("#f-single_sco")).to_be_focused()
    keys.press("Tab")
    expect(page.locator("button.primary")).to_be_focused()
    keys.press("Enter")


def test_a_teacher_builds_the_sample_docx_and_submits_it_by_keyboard(
    app: Flask, served: str, page: Page, teacher: Person
) -> None:
    sign_in(page, served, teacher, "/build")
    _build_by_keyboard(page)
    page.wait_for_url("**/build/*")
    expect(page.locator(".built-summary")).to_be_visible()  # what it holds, first
    expect(page.locator("iframe.preview-frame")).to_be_hidden()  # folded until asked for
    page.locator(".built-preview > summary").click()
    expect(page.locator("iframe.preview-frame")).to_be_visible()
    expect(page.locator("#f-title_kk")).to_have_value(DOCX_TITLE)
    expect(page.locator("#f-subject")).to_have_value("physics")
    expect(page.locator("#f-grades")).to_have_value("7")

    keys = page.keyboard
    page.focus("#f-copyright_attested")
    keys.press("Space")
    expect(page.locator("#f-copyright_attested")).to_be_checked()
    keys.press("Tab")  # the co-authors
    keys.press("Tab")
    submit = page.locator("button[value=submit]")
    expect(submit).to_be_focused()
    keys.press("Enter")
    page.wait_for_url("**/my/resources/*")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("h1")).to_have_text(DOCX_TITLE)
    with app.app_context():
        found = db.session.scalar(sa.select(Resource))
        assert found is not None
        assert (found.state, found.owner_id) == (State.SUBMITTED, teacher.id)


def test_every_teacher_page_passes_axe(
    app: Flask, client: FlaskClient, served: str, page: Page, teacher: Person, tmp_path: Path
) -> None:
    sign_in(page, served, teacher, "/build")
    check(page, f"{served}/build")
    check(page, f"{served}/upload")
    check(page, f"{served}/my/resources")  # empty

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{served}/build")
    _build_by_keyboard(page)
    page.wait_for_url("**/build/*")
    built = page.url
    check(page, built)

    page.goto(built)
    page.click("button[value=draft]")
    page.wait_for_url("**/my/resources/*")
    resource_page = page.url
    check(page, resource_page)
    check(page, f"{served}/my/resources")


def test_findings_and_the_council_feedback_pass_axe(
    app: Flask, client: FlaskClient, served: str, page: Page, tmp_path: Path
) -> None:
    people = council(app)
    with_password(app, people.author)
    uuid = _revision_requested(app, client, people, sample_package(tmp_path).read_bytes())

    sign_in(page, served, people.author, "/upload")
    broken = tmp_path / "сабақ.zip"
    broken.write_bytes(_not_scorm())
    page.set_input_files("#f-package", str(broken))
    page.click("button.primary")
    page.wait_for_url("**/build/*")
    expect(page.locator("table.findings")).to_contain_text("imsmanifest.xml")
    check(page, page.url)

    check(page, f"{served}/my/resources/{uuid}")
    expect(page.locator("#revision")).to_be_visible()
    expect(page.locator(".decision-reason")).to_be_visible()
    check(page, f"{served}/my/resources")
