"""The public pages in a real Chromium: home, search and a resource page pass axe-core with
no serious or critical violation (wide and narrow), and a visitor finds a resource by a
Kazakh word and downloads it with the keyboard alone, with JavaScript off too."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from catalogue.models import Role, State
from tests.support.axe import serious_violations
from tests.support.catalogue import add_resource, add_user, sample_package

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("app", ["sqlite"], indirect=True)]


@pytest.fixture
def newton(app: Flask, tmp_path: Path) -> str:
    teacher = add_user(app, "mugalim@example.kz", Role.TEACHER, name="Әлия Нұрланова")
    uuid = add_resource(app, teacher, package=sample_package(tmp_path), learning_minutes=45)
    add_resource(app, teacher, title_kk="Жасуша құрылысы", subject="biology", grades=[8])
    add_resource(app, teacher, language="ru", title_kk="", title_ru="Дроби", subject="mathematics")
    add_resource(app, teacher, State.DRAFT, title_kk="Жоба")
    return uuid


def check(page: Page, url: str) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        assert serious_violations(page) == [], (url, width)


def test_every_public_page_passes_axe(served: str, newton: str, page: Page) -> None:
    check(page, f"{served}/")
    check(page, f"{served}/search")
    check(page, f"{served}/search?q=ньютон&subject=physics&grade=7")
    check(page, f"{served}/search?q=жоқ-сөз")
    check(page, f"{served}/resources/{newton}")


def test_find_by_a_kazakh_word_and_download_with_the_keyboard(
    served: str, newton: str, page: Page
) -> None:
    page.goto(f"{served}/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    search_box = page.locator("#home-q")
    for _ in range(50):  # a bounded walk: a page that never gets there fails, not hangs
        if search_box.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(search_box).to_be_focused()
    page.keyboard.type("заңдары")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    expect(page.locator(".summary")).to_contain_text("1")
    result = page.locator(".hit-title a")
    expect(result).to_have_text("Ньютон заңдары")
    result.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/resources/{newton}")
    download_button = page.locator(".download a.button")
    download_button.focus()
    with page.expect_download() as started:
        page.keyboard.press("Enter")
    saved = started.value.path()
    assert saved is not None and Path(saved).read_bytes()[:2] == b"PK"


def test_filters_work_with_javascript_off(browser: Browser, served: str, newton: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="kk-KZ")
    page = context.new_page()
    try:
        page.goto(f"{served}/search")
        expect(page.locator(".hit-title")).to_have_count(3)
        page.locator(".filters input[name=subject][value=biology]").check()
        page.get_by_role("button", name="Сүзгілерді қолдану").click()  # "Apply filters"
        expect(page.locator(".hit-title a")).to_have_text(["Жасуша құрылысы"])
        page.locator(".active-filters a").first.click()
        expect(page.locator(".hit-title")).to_have_count(3)
    finally:
        context.close()
