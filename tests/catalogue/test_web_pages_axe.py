"""axe-core on the page types the area tests do not cover, in one place, wide and narrow:
the sign-in page and its refusals, the error pages (404, 403, an expired form), the job
progress page in each state, a failed build's result page, the forms that answer with
their errors (422), and the chair's and the public pages of resources in the states the
area tests leave out. No serious or critical violation may remain.

Then the forms with the keyboard alone: signing in through the skip link, and a build form
that comes back with an error, whose summary leads to the field to fix.

Covered elsewhere (tests/support/axe.py's ``serious_violations`` everywhere): the public pages
(test_web_public_browser.py), the council's and the chair's (test_web_council_browser.py),
the teacher's build, upload, findings and resources (test_web_teacher_browser.py), the
administrator's (test_web_admin_browser.py), statistics (test_web_statistics.py) and the
preview (test_preview_browser.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, expect

from catalogue.models import Role
from tests.catalogue.test_web_locales import NOT_BUILDABLE, Visit, build_site, open_page, visitor
from tests.conftest import REPO
from tests.support.axe import serious_violations
from tests.support.catalogue import PASSWORD, add_user

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("app", ["sqlite"], indirect=True)]

DOCX = REPO / "samples" / "physics-7-course" / "newton-lesson.docx"
BUILD = "form[action='/build'] button[type=submit]"

#: The page types of ``build_site`` that no area test runs axe on.
UNCOVERED = {
    "sign-in",
    "sign-in refused",
    "expired form",
    "not found",
    "access denied",
    "build form refused",
    "upload form refused",
    "job queued",
    "job running",
    "job failed",
    "job done",
    "build failed",
    "resource, as its author",
    "resource use, as its author",
    "chair: invited",
    "chair: published",
    "my account",
}


def check(page: Page, base: str, visit: Visit) -> list[str]:
    """The page's serious and critical violations, wide and narrow, as readable lines."""
    found: list[str] = []
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        open_page(page, base, visit)
        for violation in serious_violations(page):
            nodes = ", ".join(violation["nodes"])
            found.append(
                f"{visit.name} ({visit.path}, {width}px): {violation['impact']} "
                f"{violation['id']}: {violation['help']} [{nodes}]"
            )
    return found


def test_the_remaining_page_types_pass_axe(
    app: Flask, client: FlaskClient, served: str, browser: Browser, tmp_path: Path
) -> None:
    site = build_site(app, client, tmp_path)
    checked: set[str] = set()
    violations: list[str] = []
    for person, visits in site.visits:
        chosen = [visit for visit in visits if visit.name in UNCOVERED]
        if not chosen:
            continue
        with visitor(browser, served, "kk", person) as (page, errors):
            for visit in chosen:
                violations += check(page, served, visit)
                checked.add(visit.name)
        assert errors == [], f"JavaScript errors: {errors}"
    assert checked == UNCOVERED
    assert violations == [], "\n".join(violations)


def tab_to(page: Page, selector: str, most: int = 20) -> None:
    """Press Tab until ``selector`` has the focus (the way a keyboard user gets there)."""
    target = page.locator(selector)
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            break
    expect(target).to_be_focused()


def test_signing_in_with_the_keyboard_through_the_skip_link(
    app: Flask, served: str, page: Page
) -> None:
    teacher = add_user(app, "aliya@mektep.kz", Role.TEACHER, name="Әлия Нұрланова", password=True)
    page.goto(f"{served}/login?next=/build")
    keys = page.keyboard
    keys.press("Tab")
    expect(page.locator("a.skip-link")).to_be_focused()
    expect(page.locator("a.skip-link")).to_be_in_viewport()
    keys.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    keys.press("Tab")
    expect(page.locator("#f-email")).to_be_focused()
    keys.type(teacher.email)
    keys.press("Tab")
    expect(page.locator("#f-password")).to_be_focused()
    keys.type(PASSWORD)
    keys.press("Tab")
    expect(page.locator("form[action^='/login'] button[type=submit]")).to_be_focused()
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/build$"))
    expect(page.locator("#f-files")).to_be_visible()


def test_a_refused_build_form_is_put_right_with_the_keyboard(
    app: Flask, served: str, browser: Browser
) -> None:
    """The error summary takes the focus; its link leads to the field; the corrected form
    is sent with Enter and the package is built (jobs run inline here)."""
    teacher = add_user(app, "aliya@mektep.kz", Role.TEACHER, name="Әлия Нұрланова", password=True)
    # the form answers 422 the first time, which the shared page fixture counts as an error
    with visitor(browser, served, "kk", teacher) as (page, errors):
        page.goto(f"{served}/build")
        keys = page.keyboard
        page.focus("#f-files")
        page.set_input_files("#f-files", files=[NOT_BUILDABLE])
        tab_to(page, BUILD)
        keys.press("Enter")
        summary = page.locator(".error-summary")
        expect(summary).to_be_focused()
        expect(page.locator("#f-files")).to_have_attribute("aria-invalid", "true")
        keys.press("Tab")
        expect(summary.locator("a[href='#f-files']")).to_be_focused()
        keys.press("Enter")
        expect(page.locator("#f-files")).to_be_focused()
        page.set_input_files("#f-files", str(DOCX))
        tab_to(page, BUILD)
        keys.press("Enter")
        page.wait_for_url(re.compile(r"/build/[0-9a-f-]{36}$"))
        expect(page.locator(".built-summary")).to_be_visible()  # what it holds, first
        expect(page.locator("iframe.preview-frame")).to_be_hidden()  # folded until asked for
        page.locator(".built-preview > summary").click()
        expect(page.locator("iframe.preview-frame")).to_be_visible()
        expect(page.locator("#f-title_kk")).to_have_value("Ньютонның екінші заңы")
        assert errors == []
