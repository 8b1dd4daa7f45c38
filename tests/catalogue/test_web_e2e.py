"""The whole journey in a real Chromium, as issue #5 tells it: a teacher builds a package from
the sample .docx in the web form and submits it; two council members review it; the chair
approves and publishes it; anyone finds it by searching a Kazakh word; the downloaded
package passes ``sandyq validate``. The journey runs twice, on a phone (390×844) and on a
laptop (1280×800), in Kazakh (the default language, whose long words break first): at every
step the page's layout must hold (``tests.support.layout``: nothing wider than the screen, no
label apart from its control, no word broken inside), and a full-page screenshot of it is
saved as ``tests/artifacts/e2e/<width>/<NN>-<step>.png`` (ignored by git) for the docs. On
both, the chair's decision is reached from the next-step box within two screens, and the
search results start on the first screen (on the phone, the filters folded above them).

The build runs as a real background job on the in-process thread worker of the server. The
worker is held back until the progress page has been seen (a build of one .docx is quicker
than a page load), then released: the page polls, sees the job done and moves on to the
build result by itself.

Every control is found by its id, its name or its form's address, never by its text, so
that the journey keeps working as the interface's translations change.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, Page, ViewportSize, expect

from catalogue.db import db
from catalogue.jobs.queue import ThreadBackend
from catalogue.models import CRITERIA, GATES, Job, JobState, Resource, Role, State
from tests.conftest import REPO, _console_error
from tests.support.catalogue import Person, add_user
from tests.support.layout import assert_layout_holds
from tests.support.live_server import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("app", ["sqlite"], indirect=True)]

DOCX = REPO / "samples" / "physics-7-course" / "newton-lesson.docx"
#: The title the build takes from the .docx, and a Kazakh word of it to search for.
TITLE = "Ньютонның екінші заңы"
WORD = "екінші"
ARTIFACTS = REPO / "tests" / "artifacts" / "e2e"
SANDYQ = str(Path(sys.executable).with_name("sandyq"))
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
PHONE = ViewportSize(width=390, height=844)
LAPTOP = ViewportSize(width=1280, height=800)


class HeldWorker:
    """The in-process thread backend, whose worker starts only when ``release`` is called;
    until then a submitted job waits in the database as QUEUED, as it does for a busy
    worker."""

    name = "thread"

    def __init__(self, app: Flask) -> None:
        self.worker = ThreadBackend(app)
        self.held = True

    def submit(self, job_id: str, attempts: int = 0) -> None:
        if not self.held:
            self.worker.submit(job_id, attempts)

    def start(self) -> None:
        if not self.held:
            self.worker.start()

    def stop(self, timeout: float = 10.0) -> None:
        self.worker.stop(timeout)

    def release(self) -> None:
        self.held = False
        self.worker.start()


@pytest.fixture
def worker(app: Flask) -> Iterator[HeldWorker]:
    app.config.update(JOBS_BACKEND="thread", JOBS_POLL_SECONDS=0.2)
    held = HeldWorker(app)
    app.extensions["sandyq.jobs"] = held
    yield held
    held.stop()


@pytest.fixture
def served(served: str, worker: HeldWorker) -> str:
    """The served app, its job worker held back until the progress page is seen."""
    return served


@dataclass
class Shots:
    """The journey's steps at one viewport: each one's layout checked and its screenshot
    saved under ``tests/artifacts/e2e/<width>/``, numbered in the journey's order."""

    viewport: ViewportSize
    folder: Path
    taken: list[str] = field(default_factory=list)

    @property
    def phone(self) -> bool:
        """A narrow screen: one column, the search filters folded (below 48em, site.js)."""
        return self.viewport["width"] < 768

    def __len__(self) -> int:
        return len(self.taken)


@pytest.fixture(params=[PHONE, LAPTOP], ids=["390x844", "1280x800"])
def shots(request: pytest.FixtureRequest) -> Shots:
    viewport: ViewportSize = request.param
    folder = ARTIFACTS / str(viewport["width"])
    folder.mkdir(parents=True, exist_ok=True)
    # this viewport's last run, and screenshots of before the viewports had folders
    for old in [*folder.glob("*.png"), *ARTIFACTS.glob("*.png")]:
        old.unlink()
    return Shots(viewport, folder)


def shot(page: Page, shots: Shots, step: str) -> None:
    """The screenshot of this step (taken first, so that a broken layout is seen), then its
    layout checked."""
    name = f"{len(shots) + 1:02d}-{step}.png"
    page.screenshot(path=str(shots.folder / name), full_page=True)
    shots.taken.append(name)
    assert_layout_holds(page, step)


@contextmanager
def browsing(browser: Browser, viewport: ViewportSize) -> Iterator[Page]:
    """A browser of one's own, as each person of the journey has (signing out in a shared
    one races the requests still under way, which may set the session cookie again), with
    a screen of ``viewport``; it fails the test on any JavaScript or console error, as the
    shared ``page`` fixture does."""
    context = browser.new_context(viewport=viewport, locale="kk-KZ")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: _console_error(message, errors))
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def state_of(app: Flask, uuid: str) -> State:
    with app.app_context():
        found = db.session.scalar(sa.select(Resource).where(Resource.uuid == uuid))
        assert found is not None
        state: State = found.state
        return state


def teacher_builds_and_submits(
    page: Page, app: Flask, base: str, worker: HeldWorker, shots: Shots, teacher: Person
) -> str:
    """The build form, the job's progress page, the build result; the new resource's UUID."""
    sign_in(page, base, teacher, "/build")
    page.set_input_files("#f-files", str(DOCX))
    expect(page.locator("#f-scorm-2004")).to_be_checked()
    page.select_option("#f-language", "kk")
    page.select_option("#f-subject", "physics")
    page.fill("#f-grades", "7")
    shot(page, shots, "build-form")
    page.click("form[action='/build'] button[type=submit]")

    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]{36}$"))
    expect(page.locator("#job-progress")).to_be_visible()
    expect(page.locator("#job-status")).not_to_be_empty()
    job_id = page.url.rsplit("/", 1)[1]
    shot(page, shots, "build-progress")
    worker.release()  # the worker takes the job; the page follows it by itself

    page.wait_for_url(re.compile(rf"/build/{job_id}$"), timeout=60_000)
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job is not None and job.state is JobState.SUCCEEDED, job and job.error
    expect(page.locator(".built-summary")).to_be_visible()  # what it holds, first
    expect(page.locator("iframe.preview-frame")).to_be_hidden()  # folded until asked for
    page.locator(".built-preview > summary").click()
    expect(page.locator("iframe.preview-frame")).to_be_visible()
    expect(page.locator("#f-title_kk")).to_have_value(TITLE)
    expect(page.locator("#f-subject")).to_have_value("physics")
    expect(page.locator("#f-grades")).to_have_value("7")
    page.check("#f-copyright_attested")
    shot(page, shots, "build-result")
    page.click("button[value=submit]")
    page.wait_for_url(re.compile(rf"/my/resources/{UUID}$"))
    uuid = page.url.rsplit("/", 1)[1]
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("h1")).to_have_text(TITLE)
    assert state_of(app, uuid) is State.SUBMITTED
    shot(page, shots, "submitted")
    return uuid


def chair_assigns_the_reviewers(
    page: Page, base: str, shots: Shots, chair: Person, uuid: str, *members: Person
) -> None:
    """From the desk to the resource's page, where assigning ``members`` starts the review;
    back on the desk, the resource is under review, waiting for them."""
    sign_in(page, base, chair, "/chair")
    page.click(f"a[href='/chair/resources/{uuid}#members-heading']")
    page.wait_for_url(f"**/chair/resources/{uuid}*")
    for member in members:
        page.check(f"#reviewer-{member.id}")
    shot(page, shots, "chair-invites")
    page.click(f"form[action='/chair/resources/{uuid}/assignments'] button[type=submit]")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#next-step li")).to_have_count(len(members))  # whom it waits for
    shot(page, shots, "chair-waits")
    page.goto(f"{base}/chair")
    under_review = page.locator("section[aria-labelledby=review-heading]")
    expect(under_review.locator(f"a[href='/chair/resources/{uuid}']")).to_be_visible()
    expect(page.locator(f"form[action='/chair/resources/{uuid}/start-review']")).to_have_count(0)
    shot(page, shots, "chair-desk")


def member_reviews(page: Page, base: str, shots: Shots, member: Person, number: int) -> None:
    """Accept (declaring no conflict of interest), answer the rubric, submit."""
    sign_in(page, base, member, "/council/reviews")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(r"/council/reviews/\d+$"))
    shot(page, shots, f"review-{number}-invitation")
    page.check("#f-no_conflict")
    page.click("form[action$='/accept'] button[type=submit]")
    expect(page.locator(".flash-success")).to_be_visible()
    for gate in GATES:
        page.check(f"#gate-{gate}-yes")
    for criterion in CRITERIA:
        page.check(f"#score-{criterion}-3")
    page.check("#recommendation-approve")
    page.fill("#f-comment_to_author", "Тақырып түсінікті ашылған, есептер сабаққа сай.")
    shot(page, shots, f"review-{number}")
    page.click("button[value=submit]")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("button[value=submit]")).to_have_count(0)


def chair_approves_and_publishes(
    page: Page, app: Flask, base: str, shots: Shots, chair: Person, uuid: str
) -> None:
    """The decision, reached from the next-step box atop the page (within two screens, on
    a phone too), then publishing."""
    sign_in(page, base, chair, f"/chair/resources/{uuid}")
    go = page.locator("#next-step a[href^='#']")
    expect(go).to_have_count(1)
    bottom = go.evaluate("link => link.getBoundingClientRect().bottom + window.scrollY")
    screens = bottom / shots.viewport["height"]
    assert screens <= 2, f"the next step's link ends {screens:.1f} screens down the page"
    go.click()
    expect(page.locator("#decision-form")).to_be_in_viewport()
    expect(page.locator("#decision-approve")).to_be_in_viewport()
    page.check("#decision-approve")
    page.fill("#decision-reason", "Екі сарапшы да мақұлдады.")
    shot(page, shots, "chair-decides")
    page.click(f"form[action='/chair/resources/{uuid}/decision'] button[type=submit]")
    publish = page.locator(f"form[action='/chair/resources/{uuid}/publish'] button")
    expect(publish).to_be_visible()
    assert state_of(app, uuid) is State.APPROVED
    publish.click()
    expect(page.locator(".flash-success")).to_be_visible()
    shot(page, shots, "published")


def anyone_finds_and_downloads(
    page: Page, base: str, shots: Shots, uuid: str, folder: Path
) -> Path:
    """Search from the header by a Kazakh word, open the hit, download: the saved file. The
    results page has one search box (its own); on a phone its filters are folded, so the
    first result is on the first screen."""
    page.goto(f"{base}/")
    shot(page, shots, "home")
    page.fill("#header-q", WORD)
    page.press("#header-q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    found = page.locator(".hits .hit-title a")
    expect(found).to_have_count(1)
    expect(found).to_have_text(TITLE)
    expect(page.locator("input[type=search]:visible")).to_have_count(1)
    filters = page.locator("details.filters-fold")
    expect(filters).to_have_js_property("open", not shots.phone)
    expect(page.locator(".filters input[type=checkbox]").first).to_be_visible(
        visible=not shots.phone
    )
    top = page.locator(".hits > li").first.evaluate(
        "hit => hit.getBoundingClientRect().top + window.scrollY"
    )
    assert top < shots.viewport["height"], f"the first result starts at {top} px"
    shot(page, shots, "search")
    found.click()
    page.wait_for_url(re.compile(rf"/resources/{uuid}$"))
    expect(page.locator("h1")).to_have_text(TITLE)
    shot(page, shots, "resource-page")
    with page.expect_download() as started:
        page.click(".download a[download]")
    download = started.value
    assert download.suggested_filename == f"{TITLE} v1.zip", "the Kazakh file name is lost"
    saved = folder / download.suggested_filename
    download.save_as(saved)
    return saved


def test_from_a_word_lesson_to_a_validated_download(
    app: Flask, served: str, worker: HeldWorker, browser: Browser, shots: Shots, tmp_path: Path
) -> None:
    teacher = add_user(app, "aliya@mektep.kz", Role.TEACHER, name="Әлия Нұрланова", password=True)
    first = add_user(app, "bekzat@kenes.kz", Role.REVIEWER, name="Бекзат Омаров", password=True)
    second = add_user(app, "aigul@kenes.kz", Role.REVIEWER, name="Айгүл Жұмабаева", password=True)
    chair = add_user(app, "gulnar@kenes.kz", Role.CHAIR, name="Гүлнар Сейітова", password=True)

    with browsing(browser, shots.viewport) as page:
        uuid = teacher_builds_and_submits(page, app, served, worker, shots, teacher)
    with browsing(browser, shots.viewport) as page:
        chair_assigns_the_reviewers(page, served, shots, chair, uuid, first, second)
    assert state_of(app, uuid) is State.UNDER_REVIEW
    for number, member in enumerate((first, second), start=1):
        with browsing(browser, shots.viewport) as page:
            member_reviews(page, served, shots, member, number)
    with browsing(browser, shots.viewport) as page:
        chair_approves_and_publishes(page, app, served, shots, chair, uuid)
    assert state_of(app, uuid) is State.PUBLISHED
    with browsing(browser, shots.viewport) as page:
        saved = anyone_finds_and_downloads(page, served, shots, uuid, tmp_path)

    checked = subprocess.run(
        [SANDYQ, "validate", "--lang", "en", str(saved)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert len(shots) == 16
    assert all((shots.folder / name).stat().st_size > 0 for name in shots.taken)
