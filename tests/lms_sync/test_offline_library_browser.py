"""The offline library's page (``lms_sync/offline/assets``) in Debian's Chromium, opened from
``file://`` with the network refused, on a small library of two real packages
(``tests/support/offline.py``): search as a Russian or Latin keyboard types, the three
languages, pupils who resume where they stopped (across a browser restart) and whose
progress stays their own, the teacher's table and the results file with its checksum,
axe, and the keyboard alone.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    FrameLocator,
    Page,
    Route,
    expect,
)

from catalogue.db import db
from catalogue.demo import seed_demo
from catalogue.models import UsageReport
from tests.conftest import catalogue_app
from tests.support.axe import AXE, RUN_AXE
from tests.support.catalogue import add_results_token
from tests.support.lms_harness import BROWSER_WAIT_MS, CHROMIUM, CHROMIUM_ARGS
from tests.support.offline import (
    FRACTIONS_UUID,
    LESSON_UUID,
    Library,
    library_catalogue,
    make_library,
    read_data,
    search_keys,
)
from tests.support.sync import serving

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
LESSON_PAGES = 6  # the sample's five pages and the test
QUIZ_PAGE = 5

#: axe as ``tests.support.axe`` runs it, but without fetching the page's stylesheets again
#: (its CSSOM preload): on ``file://`` that XMLHttpRequest is refused and logged as an error.
RUN_AXE_OFFLINE = RUN_AXE.replace("iframes: false,", "iframes: false, preload: false,")
assert RUN_AXE_OFFLINE != RUN_AXE


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return make_library(tmp_path_factory.mktemp("offline-library"))


@dataclass
class Watch:
    """What a context did that it must not: a request off ``file://``, a script error."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def guard(self, context: BrowserContext) -> None:
        context.route("**/*", self._route)

    def _route(self, route: Route) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def listen(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    def check(self) -> None:
        assert self.requests == [], f"requests off file://: {self.requests}"
        assert self.errors == [], f"JavaScript errors: {self.errors}"


@pytest.fixture
def watch(page: Page) -> Iterator[Watch]:
    """The ``page`` fixture's context with the network refused; checked at the end."""
    watching = Watch()
    watching.guard(page.context)
    yield watching
    watching.check()


def open_library(page: Page, library: Library) -> None:
    page.goto(library.index_url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


# ---- driving the page ------------------------------------------------------------------


def open_button(page: Page, uuid: str) -> Any:
    return page.locator(f"button.open[data-uuid='{uuid}']")


def card(page: Page, uuid: str) -> Any:
    return page.locator("#cards li.card").filter(has=open_button(page, uuid))


def shell(page: Page) -> FrameLocator:
    """The package's player inside the library's player view."""
    return page.frame_locator("#player-frame")


def expect_on_page(player: FrameLocator, index: int) -> None:
    """The package shows page ``index`` (0-based) and has heard from it."""
    link = player.locator(f"#sandyq-toc a[data-index='{index}']")
    expect(link).to_have_attribute("aria-current", "page")
    expect(player.locator("#sandyq-toc li").nth(index)).to_have_class(re.compile(r"\bvisited\b"))


def play(page: Page, uuid: str, pupil: str) -> FrameLocator:
    """Signs ``pupil`` in (a name, or "Қонақ") and opens the resource in the player."""
    page.get_by_label("Кім оқиды?").select_option(label=pupil)
    open_button(page, uuid).click()
    expect(page.locator("#player-title")).to_be_focused()
    expect(page.locator("#player-pupil")).to_have_text(f"Оқушы: {pupil}")
    return shell(page)


def close_player(page: Page, uuid: str) -> None:
    page.get_by_role("button", name="Кітапханаға оралу").click()
    expect(page.locator("#view-library")).to_be_visible()
    expect(open_button(page, uuid)).to_be_focused()


def turn_to(player: FrameLocator, start: int, index: int) -> None:
    """From page ``start`` to page ``index`` with the package's own Next button."""
    for at in range(start + 1, index + 1):
        player.locator("#sandyq-next").click()
        expect_on_page(player, at)


def add_pupils(page: Page, *names: str) -> dict[str, str]:
    """Adds pupils on the teacher's page; their ids by name."""
    page.get_by_role("link", name="Мұғалімге").click()
    expect(page.locator("#teacher-title")).to_be_focused()
    for name in names:
        page.get_by_label("Оқушының аты").fill(name)
        page.get_by_role("button", name="Қосу", exact=True).click()
        expect(page.locator("#pupil-status")).to_have_text(f"Қосылды: {name}")
    items = page.locator("#pupil-list li")
    expect(items).to_have_count(len(names))
    ids = {items.nth(i).locator(".name").inner_text(): items.nth(i).get_attribute("data-pupil")
           for i in range(len(names))}  # fmt: skip
    page.get_by_role("link", name="Кітапхана").click()
    expect(page.locator("#library-title")).to_be_focused()
    return {name: str(pupil) for name, pupil in ids.items()}


def storage(page: Page) -> dict[str, str]:
    result: dict[str, str] = page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage).map(k => [k, localStorage[k]]))"
    )
    return result


def canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def verified(text: str) -> dict[str, Any]:
    """The results file's JSON, its checksum checked the way the catalogue does."""
    document: dict[str, Any] = json.loads(text)
    body = {key: value for key, value in document.items() if key != "checksum"}
    assert document["checksum"] == "sha256:" + hashlib.sha256(canonical(body)).hexdigest()
    return document


def export(page: Page) -> tuple[str, dict[str, Any]]:
    with page.expect_download() as info:
        page.get_by_role("button", name="Нәтижелерді жүктеп алу").click()
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8")
    return download.suggested_filename, verified(text)


# ---- search, browse, languages ---------------------------------------------------------


def test_search_finds_what_any_keyboard_types(page: Page, library: Library, watch: Watch) -> None:
    open_library(page, library)
    expect(page.locator("#count")).to_have_text("Табылған ресурстар: 2")
    screenshot(page, "offline-library")
    lesson = card(page, LESSON_UUID)
    expect(lesson.locator("h3")).to_have_text("Ньютон заңдары")
    expect(lesson).to_contain_text("Физика")
    expect(lesson).to_contain_text("7-сынып")
    expect(lesson).to_contain_text("Ньютонның үш заңы: күш, масса және қозғалыс.")
    expect(lesson).to_contain_text("Эксперттік кеңес мақұлдады")
    expect(lesson.locator("time")).to_have_attribute("datetime", "2026-03-02")
    expect(lesson).to_contain_text("Creative Commons Атрибуция 4.0")
    # a resource without a Kazakh title shows its Russian one, marked as Russian
    fractions = card(page, FRACTIONS_UUID)
    expect(fractions.locator("h3")).to_have_text("Обыкновенные дроби")
    expect(fractions.locator("h3")).to_have_attribute("lang", "ru")

    search = page.get_by_label("Іздеу")
    for typed in ("козгалыс", "kozgalys", "қозғалыс", "ҚОЗҒ", "Ньютон күш"):
        search.fill(typed)
        expect(page.locator("#count")).to_have_text("Табылған ресурстар: 1")
        expect(page.locator("#cards li.card")).to_have_count(1)
        expect(open_button(page, LESSON_UUID)).to_be_visible()
    search.fill("дроб")
    expect(page.locator("#cards li.card")).to_have_count(1)
    expect(open_button(page, FRACTIONS_UUID)).to_be_visible()
    search.fill("козгалыс дроб")  # every word must be found
    expect(page.locator("#count")).to_have_text("Табылған ресурстар: 0")
    expect(page.locator("#nothing")).to_be_visible()
    expect(page.locator("#nothing")).to_contain_text("Ештеңе табылмады")
    screenshot(page, "offline-library-nothing-found")

    search.fill("")
    expect(page.locator("#nothing")).to_be_hidden()
    page.get_by_label("Пән", exact=True).select_option(label="Математика")
    expect(page.locator("#cards li.card")).to_have_count(1)
    expect(open_button(page, FRACTIONS_UUID)).to_be_visible()
    page.get_by_label("Пән", exact=True).select_option(label="Барлық пәндер")
    page.get_by_label("Сынып", exact=True).select_option(label="7-сынып")
    expect(page.locator("#cards li.card")).to_have_count(1)
    expect(open_button(page, LESSON_UUID)).to_be_visible()


def test_the_language_switch_changes_every_word(page: Page, library: Library, watch: Watch) -> None:
    open_library(page, library)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "kk")
    expect(page.locator("h1")).to_have_text("Офлайн кітапхана")

    page.get_by_role("button", name="Русский").click()
    expect(html).to_have_attribute("lang", "ru")
    expect(page.get_by_role("button", name="Русский")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("h1")).to_have_text("Офлайн-библиотека")
    expect(page).to_have_title("Офлайн-библиотека")
    expect(page.get_by_label("Поиск")).to_be_visible()
    expect(page.get_by_label("Кто учится?")).to_contain_text("Гость")
    expect(page.locator("#count")).to_have_text("Найдено ресурсов: 2")
    lesson = card(page, LESSON_UUID)
    expect(lesson.locator("h3")).to_have_text("Законы Ньютона")
    expect(lesson).to_contain_text("7 класс")
    expect(lesson).to_contain_text("Одобрено экспертным советом")
    expect(open_button(page, LESSON_UUID)).to_have_accessible_name("Открыть: Законы Ньютона")
    expect(card(page, FRACTIONS_UUID).locator("h3")).not_to_have_attribute("lang", "ru")
    page.get_by_role("link", name="Для учителя").click()
    expect(page.locator("#teacher-title")).to_have_text("Для учителя")
    expect(page.get_by_role("button", name="Скачать результаты")).to_be_visible()

    page.reload()  # the choice is kept
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(html).to_have_attribute("lang", "ru")
    assert storage(page)[f"sandyq-library:{library.id}:lang"] == "ru"

    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Offline library")
    expect(page.locator("#teacher-title")).to_have_text("For the teacher")
    expect(page.get_by_label("School")).to_be_visible()
    expect(page.get_by_role("button", name="Export results")).to_be_visible()
    page.get_by_role("link", name="Library").click()
    expect(page.get_by_label("Who is learning?")).to_contain_text("Guest")
    lesson = card(page, LESSON_UUID)
    expect(lesson.locator("h3")).to_have_text("Newton's laws")
    expect(lesson).to_contain_text("Grade 7")
    expect(lesson).to_contain_text("Approved by the expert council")
    expect(card(page, FRACTIONS_UUID).locator("h3")).to_have_attribute("lang", "ru")

    page.get_by_role("button", name="Қазақша").click()
    expect(html).to_have_attribute("lang", "kk")
    expect(page.locator("h1")).to_have_text("Офлайн кітапхана")


# ---- pupils, progress, results -----------------------------------------------------------


class Profile:
    """A Chromium profile (a user data folder) that can be closed and opened again."""

    def __init__(self, browser: Browser, folder: Path, watch: Watch) -> None:
        self.browser = browser
        self.folder = folder
        self.watch = watch
        self.contexts: list[BrowserContext] = []

    def open(self, library: Library) -> tuple[BrowserContext, Page]:
        context = self.browser.browser_type.launch_persistent_context(
            str(self.folder),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 800},
            locale="kk-KZ",
            accept_downloads=True,
        )
        self.contexts.append(context)
        context.set_default_timeout(BROWSER_WAIT_MS)
        context.set_default_navigation_timeout(BROWSER_WAIT_MS)
        self.watch.guard(context)
        page = context.pages[0] if context.pages else context.new_page()
        self.watch.listen(page)
        open_library(page, library)
        return context, page


@pytest.fixture
def profile(browser: Browser, tmp_path: Path) -> Iterator[Profile]:
    """A fresh profile; whatever context a failing test left open is closed after it."""
    made = Profile(browser, tmp_path / "profile", Watch())
    yield made
    for context in made.contexts:
        context.close()  # closing twice is harmless


def test_each_pupil_resumes_their_own_progress_and_the_teacher_exports_it(
    profile: Profile, library: Library
) -> None:
    watch = profile.watch
    context, page = profile.open(library)
    ids = add_pupils(page, "Әлия", "Данияр")
    alia, daniyar = ids["Әлия"], ids["Данияр"]
    assert all(re.fullmatch(r"p-[0-9a-f]{6}", pupil) for pupil in ids.values()), ids
    saved = json.loads(storage(page)[f"sandyq-library:{library.id}:pupils"])
    assert saved == [{"id": alia, "name": "Әлия"}, {"id": daniyar, "name": "Данияр"}]

    # a guest turns one page: not the pupils' progress
    player = play(page, LESSON_UUID, "Қонақ")
    expect_on_page(player, 0)
    turn_to(player, 0, 1)
    close_player(page, LESSON_UUID)

    player = play(page, LESSON_UUID, "Әлия")
    expect_on_page(player, 0)
    turn_to(player, 0, 2)  # the third page
    screenshot(page, "offline-library-player")
    close_player(page, LESSON_UUID)
    kept = storage(page)
    copy = json.loads(kept[f"sandyq-library:{library.id}:pupil:{alia}"])
    assert copy and all(key.startswith("sandyq:") for key in copy), copy
    assert [json.loads(value)["location"] for value in copy.values()] == ["2"]
    assert f"sandyq-library:{library.id}:pupil:guest" in kept
    context.close()

    # the browser closed and opened again, on the same profile
    context, page = profile.open(library)
    player = play(page, LESSON_UUID, "Әлия")
    expect_on_page(player, 2)
    close_player(page, LESSON_UUID)

    player = play(page, LESSON_UUID, "Данияр")
    expect_on_page(player, 0)
    close_player(page, LESSON_UUID)

    player = play(page, LESSON_UUID, "Әлия")
    expect_on_page(player, 2)
    turn_to(player, 2, QUIZ_PAGE)
    quiz = player.frame_locator("#sandyq-frame")
    quiz.get_by_label("Инерция заңы").check()  # right
    quiz.get_by_label("Ақиқат").check()  # wrong: the unit of force is not the joule
    quiz.locator("#quiz-submit").click()
    expect(quiz.locator("#quiz-result")).to_be_visible()
    expect(quiz.locator("#quiz-summary")).to_contain_text("50%")
    page.wait_for_function(
        """() => Object.keys(localStorage).some((key) => {
             if (!key.startsWith("sandyq:")) return false;
             const entry = JSON.parse(localStorage.getItem(key));
             return entry.score && entry.status === "completed";
           })"""
    )
    close_player(page, LESSON_UUID)

    page.get_by_role("link", name="Мұғалімге").click()
    table = page.locator("#results")
    expect(table.locator("thead th[scope=col]")).to_have_text(["Оқушы", "Ньютон заңдары"])
    expect(table.locator("tbody th[scope=row]")).to_have_text(["Әлия", "Данияр"])
    alia_cell = table.locator(f"tr[data-pupil='{alia}'] td[data-uuid='{LESSON_UUID}']")
    expect(alia_cell).to_have_text("Аяқталды, балл: 50%, өтті")
    daniyar_cell = table.locator(f"tr[data-pupil='{daniyar}'] td[data-uuid='{LESSON_UUID}']")
    expect(daniyar_cell).to_have_text("Басталды")
    screenshot(page, "offline-library-teacher")

    page.get_by_label("Мектеп").fill("Ақтөбе облысы, №12 шағын жинақты мектеп")
    name, document = export(page)
    today = datetime.date.today().isoformat()
    assert re.fullmatch(rf"sandyq-results-{library.id}-\d{{4}}-\d\d-\d\d\.json", name), name
    assert set(document) == {"format", "library", "school", "exported_at", "results", "checksum"}
    assert document["format"] == "sandyq-offline-results/1"
    assert document["library"] == library.id
    assert document["school"] == "Ақтөбе облысы, №12 шағын жинақты мектеп"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["exported_at"])
    assert document["results"] == [
        {"resource": LESSON_UUID, "version": 2, "pupil": alia, "completed": True,
         "passed": True, "score": 50, "last_played": today},
        {"resource": LESSON_UUID, "version": 2, "pupil": daniyar, "completed": False,
         "passed": False, "score": None, "last_played": today},
    ]  # fmt: skip

    page.get_by_label("Оқушылардың аттарын файлға қосу").check()
    _, named = export(page)
    assert [row["name"] for row in named["results"]] == ["Әлия", "Данияр"]
    context.close()
    watch.check()


def test_an_update_keeps_each_pupil_s_progress_and_removes_what_was_withdrawn(
    profile: Profile, tmp_path: Path
) -> None:
    with library_catalogue(tmp_path / "catalogue") as catalogue:
        library = catalogue.export(tmp_path / "library")
        context, page = profile.open(library)
        alia = add_pupils(page, "Әлия")["Әлия"]
        player = play(page, LESSON_UUID, "Әлия")
        turn_to(player, 0, 2)
        close_player(page, LESSON_UUID)
        page.get_by_role("link", name="Мұғалімге").click()
        _, document = export(page)
        context.close()

        # the class's file goes into the catalogue it came from, once
        results = {"Authorization": f"Bearer {add_results_token(catalogue.app, catalogue.teacher)}"}
        client = catalogue.app.test_client()
        taken = client.post("/api/v1/usage/offline", json=document, headers=results)
        assert taken.status_code == 201, taken.text
        assert (taken.json or {})["learners"] == 1
        again = client.post("/api/v1/usage/offline", json=document, headers=results)
        assert again.status_code == 409, again.text
        with catalogue.app.app_context():
            counted = db.session.execute(
                sa.select(UsageReport.site_url, UsageReport.learners, UsageReport.source)
            ).all()
        assert counted == [(f"offline:{library.id}", 1, "offline")]

        catalogue.unpublish(FRACTIONS_UUID)
        updated = catalogue.update(library.folder)
    assert updated.id == library.id
    assert [item["uuid"] for item in updated.data["resources"]] == [LESSON_UUID]
    assert not (library.folder / "packages" / FRACTIONS_UUID).exists()

    context, page = profile.open(updated)
    expect(open_button(page, FRACTIONS_UUID)).to_have_count(0)
    pupils = json.loads(storage(page)[f"sandyq-library:{library.id}:pupils"])
    assert pupils == [{"id": alia, "name": "Әлия"}]
    player = play(page, LESSON_UUID, "Әлия")
    expect_on_page(player, 2)  # where she stopped before the update
    close_player(page, LESSON_UUID)
    context.close()
    profile.watch.check()


@pytest.fixture
def demo_library(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Library]:
    """``sandyq serve --demo``'s catalogue, exported by ``sandyq offline export`` with its
    read-only sync token."""
    with catalogue_app(request, tmp_path, "sqlite") as app:
        with app.app_context():
            credentials = seed_demo(Path(app.config["DATA_DIR"]))
        with serving(app) as url:
            from scorm_builder.cli import main

            env = {"SANDYQ_CATALOGUE_TOKEN": credentials["sync_token"],
                   "XDG_CONFIG_HOME": str(tmp_path / "no-config")}  # fmt: skip
            out = tmp_path / "Кітапхана"
            made = CliRunner().invoke(
                main, ["offline", "export", "-o", str(out), "--catalogue-url", url], env=env
            )
            assert made.exit_code == 0, made.output
            assert "1 resources" in made.output
        yield Library(out, read_data(out))


def test_the_demo_catalogue_s_library_opens_with_no_network(
    page: Page, demo_library: Library, watch: Watch
) -> None:
    open_library(page, demo_library)
    page.get_by_label("Іздеу").fill("козгалыс")  # "қозғалыс" on a Russian keyboard
    (uuid,) = [item["uuid"] for item in demo_library.data["resources"]]
    expect(card(page, uuid).locator("h3")).to_have_text("Ньютон заңдары")
    open_button(page, uuid).click()
    expect(page.locator("#player-title")).to_be_focused()
    expect_on_page(shell(page), 0)
    watch.check()


# ---- accessibility -----------------------------------------------------------------------


def serious_violations(page: Page) -> list[dict[str, Any]]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE_OFFLINE)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_axe_finds_nothing_serious_wide_or_narrow(
    page: Page, library: Library, watch: Watch
) -> None:
    open_library(page, library)
    add_pupils(page, "Әлия")
    play(page, LESSON_UUID, "Әлия")
    close_player(page, LESSON_UUID)
    found: list[str] = []

    def audit(name: str, width: int) -> None:
        for violation in serious_violations(page):
            nodes = ", ".join(violation["nodes"])
            found.append(f"{name} ({width}px): {violation['impact']} {violation['id']}: "
                         f"{violation['help']} [{nodes}]")  # fmt: skip
        overflow = page.evaluate("document.documentElement.scrollWidth")
        if overflow > width:
            found.append(f"{name} ({width}px): the page is {overflow}px wide")

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.get_by_role("link", name="Кітапхана").click()
        expect(page.locator("#view-library")).to_be_visible()
        audit("library", width)
        page.get_by_label("Іздеу").fill("жоқсөз")
        expect(page.locator("#nothing")).to_be_visible()
        audit("nothing found", width)
        page.get_by_label("Іздеу").fill("")
        page.get_by_role("link", name="Мұғалімге").click()
        expect(page.locator("#results tbody tr")).to_have_count(1)
        audit("teacher", width)
        page.get_by_role("link", name="Кітапхана").click()
        play(page, LESSON_UUID, "Әлия")
        expect_on_page(shell(page), 0)
        audit("player", width)
        screenshot(page, f"offline-library-player-{width}")
        close_player(page, LESSON_UUID)
    assert found == []


def focused(page: Page) -> str:
    result: str = page.evaluate(
        """() => {
             const el = document.activeElement;
             return el ? (el.id || el.getAttribute("data-uuid") || el.textContent.trim()) : "";
           }"""
    )
    return result


def tab_to(page: Page, target: Any, limit: int = 40) -> None:
    """Presses Tab until ``target`` has the focus (and fails after ``limit`` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("(el) => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}; the focus is on {focused(page)!r}")


def test_the_keyboard_alone_opens_a_resource_and_comes_back(
    page: Page, library: Library, watch: Watch
) -> None:
    open_library(page, library)
    page.keyboard.press("Tab")
    skip = page.locator("#skip-link")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    button = open_button(page, LESSON_UUID)
    tab_to(page, button)
    expect(button).to_have_accessible_name("Ашу: Ньютон заңдары")
    outline = button.evaluate("(el) => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # the focus is visible
    page.keyboard.press("Enter")
    heading = page.locator("#player-title")
    expect(heading).to_be_focused()
    expect(heading).to_have_text("Ньютон заңдары")
    expect(page.locator("#player-frame")).to_have_attribute("title", "Ньютон заңдары")
    expect_on_page(shell(page), 0)
    page.keyboard.press("Tab")
    back = page.get_by_role("button", name="Кітапханаға оралу")
    expect(back).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#view-player")).to_be_hidden()
    expect(button).to_be_focused()

    teacher = page.get_by_role("link", name="Мұғалімге")
    page.keyboard.press("Shift+Tab")
    for _ in range(40):
        if teacher.evaluate("(el) => el === document.activeElement"):
            break
        page.keyboard.press("Shift+Tab")
    expect(teacher).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#teacher-title")).to_be_focused()
    tab_to(page, page.get_by_label("Оқушының аты"))
    page.keyboard.type("Әлия")
    page.keyboard.press("Enter")
    expect(page.locator("#pupil-list li")).to_have_count(1)
    expect(page.get_by_label("Оқушының аты")).to_be_focused()


def test_leaving_the_player_by_the_menu_keeps_the_progress(
    page: Page, library: Library, watch: Watch
) -> None:
    open_library(page, library)
    alia = add_pupils(page, "Әлия")["Әлия"]
    player = play(page, LESSON_UUID, "Әлия")
    expect_on_page(player, 0)
    turn_to(player, 0, 1)
    page.get_by_role("link", name="Кітапхана").click()  # the hash is #library already
    expect(page.locator("#library-title")).to_be_focused()
    expect(page.locator("#player-frame")).to_have_count(0)
    player = play(page, LESSON_UUID, "Әлия")
    expect_on_page(player, 1)
    page.get_by_role("link", name="Мұғалімге").click()
    expect(page.locator("#teacher-title")).to_be_focused()
    expect(page.locator("#player-frame")).to_have_count(0)
    expect(page.locator("#results tbody td")).to_have_text(["Басталды"])

    # a pupil taken off the list takes their progress along
    page.get_by_role("button", name="Өшіру: Әлия").click()
    expect(page.locator("#pupil-status")).to_have_text("Өшірілді: Әлия")
    expect(page.locator("#pupil-list li")).to_have_count(0)
    expect(page.locator("#results-empty")).to_be_visible()
    expect(page.get_by_label("Оқушының аты")).to_be_focused()
    kept = storage(page)
    assert f"sandyq-library:{library.id}:pupil:{alia}" not in kept
    assert not any(key.startswith("sandyq:") for key in kept)
    page.get_by_role("link", name="Кітапхана").click()
    expect(page.get_by_label("Кім оқиды?").locator("option")).to_have_text(["Қонақ"])


# ---- the page's JSON and search keys against Python's -------------------------------------

AWKWARD = {
    "zeta": 'кавычки " и \\ обратная косая',
    "alpha": ["Әлия\nНұрлан", "tab\there", "\u0001\u001f\u007f", "😀 emoji", "\u2028"],
    "Ä": {"b": None, "a": True, "c": [0, -12, 2026]},
    "empty": {},
}


def test_the_checksum_json_and_the_search_keys_match_python(
    page: Page, library: Library, watch: Watch
) -> None:
    open_library(page, library)
    made: str = page.evaluate("(value) => SandyqLibrary.canonical(value)", AWKWARD)
    assert made.encode() == canonical(AWKWARD)
    words = ["қозғалыс", "Үдеуі", "ЁЖИК", "шаңғы", "Ньютон", "qozğalys", "Çiçek", "5-сынып"]
    keys: list[list[str]] = page.evaluate(
        "(words) => words.map((w) => SandyqLibrary.keys(w))", words
    )
    assert keys == [search_keys(word).split() for word in words]


def test_the_network_guard_sees_a_request_off_file(browser: Browser, library: Library) -> None:
    """The control for every test's "no request left file://"."""
    watching = Watch()
    context = browser.new_context()
    try:
        watching.guard(context)
        page = context.new_page()
        open_library(page, library)
        # the fetch settles only once the guard has refused it
        outcome = page.evaluate(
            "fetch('http://127.0.0.1:9/sandyq').then(() => 'answered', () => 'refused')"
        )
        assert outcome == "refused"
        assert watching.requests == ["http://127.0.0.1:9/sandyq"]
    finally:
        context.close()
