"""Every kind of generated page passes axe-core with no serious or critical violation,
and the quiz can be answered and submitted with the keyboard alone.

axe-core comes from ``tools/npm/node_modules/axe-core/axe.min.js`` and is injected into
each page as it is: the player shell (wide, and narrow with the contents menu open), a
lesson page, and a quiz page before and after it is submitted.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from scorm_builder.build import BuildResult
from tests.scorm_builder.test_quiz_player import (
    QUIZ_PATH,
    answer_correctly,
    build_quiz,
    screenshot,
)
from tests.support.axe import serious_violations
from tests.support.lms_harness import serve


@pytest.fixture(scope="module")
def sample(
    built_package: Callable[[str], BuildResult], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The physics sample (lesson pages) built for SCORM 2004 4th, served over http (axe
    reads stylesheets, which Chromium refuses from file://); yields its base URL."""
    folder = tmp_path_factory.mktemp("a11y-sample")
    with zipfile.ZipFile(built_package("scorm2004-4th").output) as archive:
        archive.extractall(folder)
    with serve(folder) as base:
        yield f"{base}/pkg"


@pytest.fixture(scope="module")
def quiz_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = build_quiz(tmp_path_factory.mktemp("a11y-quiz") / "quiz", attempts=0).folder
    with serve(folder) as base:
        yield f"{base}/pkg/{QUIZ_PATH}"


def lesson_page_href(page: Page, base: str) -> str:
    html = page.request.get(f"{base}/index.html").text()
    start = html.index('<a href="') + len('<a href="')
    return html[start : html.index('"', start)]


@pytest.mark.browser
def test_player_shell(page: Page, sample: str) -> None:
    page.goto(f"{sample}/index.html")
    expect(page.locator("#sandyq-toc a[aria-current=page]")).to_have_count(1)
    assert serious_violations(page) == []


@pytest.mark.browser
def test_narrow_screen_menu(page: Page, sample: str) -> None:
    page.set_viewport_size({"width": 390, "height": 760})
    page.goto(f"{sample}/index.html")
    page.locator("#sandyq-menu").click()
    expect(page.locator("#sandyq-toc")).to_be_visible()
    assert serious_violations(page) == []


@pytest.mark.browser
def test_lesson_page(page: Page, sample: str) -> None:
    page.goto(f"{sample}/{lesson_page_href(page, sample)}")
    assert serious_violations(page) == []


@pytest.mark.browser
def test_quiz_page_before_and_after_submitting(page: Page, quiz_url: str) -> None:
    page.goto(quiz_url)
    assert serious_violations(page) == []
    answer_correctly(page)
    page.locator("#quiz-submit").click()
    expect(page.locator("#quiz-result")).to_be_visible()
    assert serious_violations(page) == []


@pytest.mark.browser
def test_quiz_page_narrow(page: Page, quiz_url: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(quiz_url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the quiz scrolls sideways on a phone"
    screenshot(page, "quiz-kk-narrow", full_page=True)
    assert serious_violations(page) == []


@pytest.mark.browser
def test_the_quiz_with_the_keyboard_alone(page: Page, quiz_url: str) -> None:
    """Tab from the top through every control, answer with keys, submit with Enter."""
    page.goto(quiz_url)
    keys = page.keyboard

    def tab_to(selector: str) -> None:
        for _ in range(40):
            keys.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        pytest.fail(f"Tab never reached {selector}")

    tab_to("#q-q01 input")  # the radio group: the first radio
    keys.press("ArrowDown")  # moves to and picks "ньютон"
    expect(page.locator("#q-q01-b")).to_be_checked()
    tab_to("#q-q02-a")
    keys.press("Space")
    tab_to("#q-q02-b")
    keys.press("Space")
    tab_to("#q-q03 input")
    keys.press("Space")
    expect(page.locator("#q-q03-true")).to_be_checked()
    tab_to("#q-q04-input")
    keys.type("ньютонмен")
    tab_to("#q-q05-input")
    keys.type("5")
    for source in ("1", "2", "3"):
        tab_to(f"#q-q06-{source}")
        keys.press("ArrowDown")  # a closed select takes arrows
    tab_to("#q-q08-input")
    keys.type("Инерция.")
    tab_to("#quiz-submit")
    keys.press("Enter")
    result = page.locator("#quiz-result")
    expect(result).to_be_visible()
    expect(result).to_be_focused()
    expect(page.locator("#quiz-live")).not_to_be_empty()
    expect(page.locator("#q-q01")).to_have_attribute("data-result", "correct")
    expect(page.locator("#q-q04")).to_have_attribute("data-result", "correct")
    keys.press("Tab")
    expect(page.locator("#quiz-retry")).to_be_focused()
    keys.press("Enter")
    expect(result).to_be_hidden()
