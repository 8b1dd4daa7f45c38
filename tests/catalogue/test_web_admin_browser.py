"""The administrator's pages in a real Chromium: each kind passes axe-core with no serious
or critical violation (wide and narrow), and a user is added with the keyboard alone."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Browser, Dialog, Page, expect

from catalogue.models import Role
from tests.support.axe import serious_violations
from tests.support.catalogue import add_sync_token, add_user
from tests.support.live_server import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("app", ["sqlite"], indirect=True)]


def check(page: Page, url: str | None = None) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        if url is not None:
            page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        assert serious_violations(page) == [], (url or page.url, width)


def test_every_admin_page_passes_axe(app: Flask, served: str, browser: Browser) -> None:
    """Its own page: the refused form answers 422, which the ``page`` fixture would count
    as a console error."""
    context = browser.new_context(locale="kk-KZ")
    try:
        every_admin_page(app, served, context.new_page())
    finally:
        context.close()


def every_admin_page(app: Flask, served: str, page: Page) -> None:
    admin = add_user(app, "admin@sandyq.kz", Role.ADMIN, name="Бақыт Әкімші", password=True)
    teacher = add_user(app, "mugalim@example.kz", Role.TEACHER, name="Әлия Нұрланова")
    sign_in(page, served, admin, "/admin/users")
    check(page, f"{served}/admin/users")
    check(page, f"{served}/admin/users?q=Нұрланова")
    check(page, f"{served}/admin/users/new")
    check(page, f"{served}/admin/users/{teacher.id}")
    check(page, f"{served}/admin/tokens")
    page.goto(f"{served}/admin/users/new")
    page.fill("#f-email", "jana@mektep.kz")
    page.fill("#f-password", "qysqa-sóz")  # too short: the page answers with the error
    page.evaluate("document.querySelector('#f-password').removeAttribute('minlength')")
    page.locator("form.stack button[type=submit]").click()
    expect(page.locator(".field-error")).to_have_count(1)
    check(page)
    page.goto(f"{served}/admin/tokens?user={teacher.id}")
    page.check("#scope-sync")
    page.fill("#f-name", "Moodle № 42")
    page.get_by_role("button", name="Токенді жасау").click()  # "Create the token", in Kazakh
    expect(page.locator("#token-secret")).to_have_value(re.compile(r"^sq_"))
    check(page)


def test_add_a_user_with_the_keyboard(app: Flask, served: str, page: Page) -> None:
    admin = add_user(app, "admin@sandyq.kz", Role.ADMIN, password=True)
    sign_in(page, served, admin, "/admin/users/new")
    page.focus("#f-email")
    page.keyboard.type("aliya@mektep.kz")
    page.keyboard.press("Tab")
    page.keyboard.type("Әлия Нұрланова")
    page.keyboard.press("Tab")  # the language: Kazakh already
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first role: teacher
    for _ in range(4):
        page.keyboard.press("Tab")
    expect(page.locator("#f-password")).to_be_focused()
    page.keyboard.type("ұзын-құпия-сөз-2025")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Әлия Нұрланова")
    expect(page.locator("#role-teacher")).to_be_checked()
    expect(page.locator("#role-reviewer")).not_to_be_checked()


def test_revoking_a_token_asks_first(app: Flask, served: str, page: Page) -> None:
    admin = add_user(app, "admin@sandyq.kz", Role.ADMIN, password=True)
    add_sync_token(app, admin)
    sign_in(page, served, admin, "/admin/tokens")
    buttons = page.locator("form[action$='/revoke'] button[type=submit]")
    expect(buttons).to_have_count(2)  # the admin's API token (add_user) and the sync token
    revoke = buttons.first
    questions: list[str] = []
    posts: list[str] = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )

    def answer(dialog: Dialog, accept: bool) -> None:
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    revoke.click()
    expect(buttons).to_have_count(2)  # nothing was sent
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    revoke.click()
    expect(buttons).to_have_count(1)
    assert len(questions) == 2 and questions[0]
    assert len(posts) == 1  # the dismissed question sent nothing
