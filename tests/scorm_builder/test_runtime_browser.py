"""The runtime adapter and player in a real Chromium, against scorm-again as the LMS.

The physics sample is built for SCORM 1.2, 2004 3rd and 2004 4th (once, by conftest), unzipped and
played: inside the harness LMS (``tests/support/lms_harness.py``, two frames deep), and alone
from ``file://`` as if opened from a USB stick. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from scorm_builder.build import BuildResult
from tests.conftest import VERSIONS
from tests.support.lms_harness import resume_data, serve, wait_for_frame

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "scorm_builder" / "render" / "assets"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

SESSION_TIME = {
    "1.2": re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$"),
    "2004": re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$"),
}


@dataclass(frozen=True)
class Package:
    """A built and unzipped package."""

    name: str
    scorm: str
    folder: Path
    page_count: int

    @property
    def api(self) -> dict[str, str]:
        """The names this version uses for the calls and elements the tests look at."""
        if self.scorm == "1.2":
            return {
                "init": "LMSInitialize",
                "finish": "LMSFinish",
                "commit": "LMSCommit",
                "set": "LMSSetValue",
                "status": "cmi.core.lesson_status",
                "location": "cmi.core.lesson_location",
                "exit": "cmi.core.exit",
                "session_time": "cmi.core.session_time",
            }
        return {
            "init": "Initialize",
            "finish": "Terminate",
            "commit": "Commit",
            "set": "SetValue",
            "status": "cmi.completion_status",
            "location": "cmi.location",
            "exit": "cmi.exit",
            "session_time": "cmi.session_time",
        }


@pytest.fixture(scope="module", params=[label for label, _, _ in VERSIONS])
def package(
    request: pytest.FixtureRequest,
    built_package: Callable[[str], BuildResult],
    tmp_path_factory: pytest.TempPathFactory,
) -> Package:
    """The sample course built for one SCORM version and unzipped."""
    label = request.param
    result = built_package(label)
    folder = tmp_path_factory.mktemp(f"{label}-unzipped")
    with zipfile.ZipFile(result.output) as archive:
        archive.extractall(folder)
    return Package(
        name=label,
        scorm=result.course.options.scorm,
        folder=folder,
        page_count=len(result.course.parts),
    )


@pytest.fixture
def lms_url(package: Package) -> Iterator[str]:
    with serve(package.folder) as base:
        yield base


def _screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


# ---- driving the player ------------------------------------------------------------


def launch(
    page: Page, base: str, package: Package, cmi: dict[str, Any] | None = None
) -> FrameLocator:
    """Opens the LMS page, creates the API (with ``cmi`` loaded) and launches the SCO."""
    page.goto(f"{base}/lms/lms.html")
    page.evaluate(
        "([v, cmi, src]) => startLms(v, cmi, src)", [package.scorm, cmi, "/pkg/index.html"]
    )
    return page.frame_locator("#course").frame_locator("#sco")


def current_index(player: FrameLocator | Page) -> int:
    link = player.locator("#sandyq-toc a[aria-current=page]")
    return int(link.get_attribute("data-index") or "-1")


def expect_on_page(player: FrameLocator | Page, index: int) -> None:
    """Waits until the player shows page ``index`` and has heard from it (visited)."""
    link = player.locator(f"#sandyq-toc a[data-index='{index}']")
    expect(link).to_have_attribute("aria-current", "page")
    expect(player.locator("#sandyq-toc li").nth(index)).to_have_class(re.compile(r"\bvisited\b"))


def visited(player: FrameLocator | Page) -> list[bool]:
    items = player.locator("#sandyq-toc li")
    return ["visited" in (items.nth(i).get_attribute("class") or "") for i in range(items.count())]


def trace(page: Page) -> list[dict[str, Any]]:
    return page.evaluate("window.__trace")


def flattened_cmi(page: Page) -> dict[str, Any]:
    return page.evaluate("window.__api.getFlattenedCMI()")


def sets(calls: list[dict[str, Any]], setter: str, element: str) -> list[str]:
    return [c["args"][1] for c in calls if c["fn"] == setter and c["args"][0] == element]


def assert_clean_session(calls: list[dict[str, Any]], package: Package) -> None:
    """Initialize first, Terminate last, exactly once each, and no error codes anywhere."""
    api = package.api
    names = [c["fn"] for c in calls]
    assert names[0] == api["init"], names
    assert names[-1] == api["finish"], names
    assert names.count(api["init"]) == 1
    assert names.count(api["finish"]) == 1
    assert calls[-1]["ret"] == "true"
    errors = [c for c in calls if c["err"] != "0"]
    assert errors == [], errors
    times = sets(calls, api["set"], api["session_time"])
    assert len(times) == 1 and SESSION_TIME[package.scorm].match(times[0]), times


# ---- in an LMS -----------------------------------------------------------------------


@pytest.mark.browser
def test_visiting_every_page_completes_the_sco(page: Page, lms_url: str, package: Package) -> None:
    api = package.api
    player = launch(page, lms_url, package)
    expect_on_page(player, 0)
    assert flattened_cmi(page)[api["status"]] == "incomplete"

    for index in range(1, package.page_count):
        player.locator("#sandyq-next").click()
        expect_on_page(player, index)
        if index < package.page_count - 1:
            assert flattened_cmi(page)[api["status"]] == "incomplete"

    expect(player.locator("#sandyq-completed")).to_be_visible()
    assert flattened_cmi(page)[api["status"]] == "completed"
    expect(player.locator("#sandyq-next")).to_be_disabled()
    _screenshot(page, f"player-{package.name}-completed")

    player.locator("#sandyq-exit").click()
    expect(player.locator("#sandyq-ended")).to_be_visible()
    calls = trace(page)
    assert_clean_session(calls, package)
    names = [c["fn"] for c in calls]
    # first-launch setup, completion, and finish: never on a page turn
    assert names.count(api["commit"]) == 3, names
    assert sets(calls, api["set"], api["status"]) == ["incomplete", "completed"]
    assert sets(calls, api["set"], api["exit"]) == ["" if package.scorm == "1.2" else "normal"]
    assert sets(calls, api["set"], api["location"])[-1] == str(package.page_count - 1)

    # pagehide after Exit must not call anything more
    page.evaluate("closeCourse()")
    assert len(trace(page)) == len(calls)


@pytest.mark.browser
def test_relaunch_resumes_at_the_bookmark(page: Page, lms_url: str, package: Package) -> None:
    api = package.api
    player = launch(page, lms_url, package)
    expect_on_page(player, 0)
    player.locator("#sandyq-next").click()
    expect_on_page(player, 1)
    player.locator("#sandyq-exit").click()
    expect(player.locator("#sandyq-ended")).to_be_visible()
    first = trace(page)
    assert_clean_session(first, package)
    assert sets(first, api["set"], api["exit"]) == ["suspend"]
    previous = flattened_cmi(page)
    assert previous[api["location"]] == "1"

    player = launch(page, lms_url, package, resume_data(package.scorm, previous))
    expect_on_page(player, 1)
    assert visited(player)[:3] == [True, True, False]
    expect(player.locator("#sandyq-frame")).to_have_attribute(
        "title", re.compile(".+")
    )  # the frame is named after the page
    _screenshot(page, f"player-{package.name}-resumed")
    second = trace(page)
    assert second[0]["fn"] == api["init"]
    errors = [c for c in second if c["err"] != "0"]
    assert errors == []
    # resumed, so no first-launch setup: the status is already incomplete
    assert sets(second, api["set"], api["status"]) == []

    page.evaluate("closeCourse()")  # the LMS closes the frame: pagehide terminates
    calls = trace(page)
    assert_clean_session(calls, package)
    assert sets(calls, api["set"], api["exit"]) == ["suspend"]


@pytest.mark.browser
def test_keyboard_and_contents_navigate(page: Page, lms_url: str, package: Package) -> None:
    player = launch(page, lms_url, package)
    expect_on_page(player, 0)
    player.locator("#sandyq-next").focus()
    page.keyboard.press("]")
    expect_on_page(player, 1)
    page.keyboard.press("Alt+PageDown")
    expect_on_page(player, 2)
    page.keyboard.press("[")
    expect_on_page(player, 1)
    # keys pressed inside the page are forwarded by page.js
    player.frame_locator("#sandyq-frame").locator("h1").click()
    page.keyboard.press("ArrowRight")
    expect_on_page(player, 2)
    last = package.page_count - 1
    player.locator(f"#sandyq-toc a[data-index='{last}']").click()
    expect_on_page(player, last)
    # the static pager is hidden inside the player
    expect(player.frame_locator("#sandyq-frame").locator(".sandyq-pager")).to_be_hidden()


@pytest.mark.browser
def test_a_score_reports_success_and_is_not_undone_by_completion(
    page: Page, lms_url: str, package: Package
) -> None:
    player = launch(page, lms_url, package)
    expect_on_page(player, 0)
    sco = page.frame(url=re.compile(r"/pkg/index\.html$"))
    assert sco is not None
    assert sco.evaluate("SandyqRuntime.session.mode") == f"lms-{package.scorm}"
    assert sco.evaluate("SandyqRuntime.session.setScore(7, 0, 10, 6)") is True
    cmi = flattened_cmi(page)
    if package.scorm == "1.2":
        assert (cmi["cmi.core.score.raw"], cmi["cmi.core.score.max"]) == ("7", "10")
        assert cmi["cmi.core.lesson_status"] == "passed"
    else:
        assert (cmi["cmi.score.raw"], cmi["cmi.score.scaled"]) == ("7", "0.7")
        assert cmi["cmi.success_status"] == "passed"

    for index in range(1, package.page_count):
        player.locator("#sandyq-next").click()
        expect_on_page(player, index)
    cmi = flattened_cmi(page)
    if package.scorm == "1.2":
        assert cmi["cmi.core.lesson_status"] == "passed"  # completion never downgrades it
    else:
        assert (cmi["cmi.completion_status"], cmi["cmi.success_status"]) == ("completed", "passed")
    page.evaluate("closeCourse()")
    calls = trace(page)
    assert_clean_session(calls, package)
    # a 1.2 score out of 0..100 is rescaled to a percentage rather than refused
    assert [c for c in calls if c["fn"].endswith("Commit")][1]["err"] == "0"


# ---- no LMS: file:// ---------------------------------------------------------------


@pytest.mark.browser
def test_offline_keeps_progress_in_local_storage(page: Page, package: Package) -> None:
    index_url = (package.folder / "index.html").as_uri()
    page.goto(index_url)
    expect_on_page(page, 0)
    assert page.evaluate("SandyqRuntime.session.mode") == "offline"
    page.locator("#sandyq-next").click()
    expect_on_page(page, 1)
    page.frame_locator("#sandyq-frame").locator("h1").click()
    page.keyboard.press("ArrowRight")  # forwarded across file:// origins
    expect_on_page(page, 2)
    _screenshot(page, f"player-{package.name}-offline")

    page.reload()
    expect_on_page(page, 2)
    assert visited(page)[:4] == [True, True, True, False]

    for index in range(3, package.page_count):
        page.locator("#sandyq-next").click()
        expect_on_page(page, index)
    expect(page.locator("#sandyq-completed")).to_be_visible()
    page.reload()
    expect(page.locator("#sandyq-completed")).to_be_visible()


@pytest.mark.browser
def test_offline_without_local_storage_still_plays(page: Page, package: Package) -> None:
    page.add_init_script(
        """Object.defineProperty(window, "localStorage", {
             get() { throw new DOMException("denied", "SecurityError"); }
           });"""
    )
    page.goto((package.folder / "index.html").as_uri())
    expect_on_page(page, 0)
    page.locator("#sandyq-next").click()
    expect_on_page(page, 1)
    page.reload()
    expect_on_page(page, 0)  # nothing kept, nothing broken


@pytest.mark.browser
def test_a_page_opened_alone_shows_its_own_links(page: Page, package: Package) -> None:
    href = page_hrefs(package)[1]
    page.goto((package.folder / href).as_uri())
    pager = page.locator(".sandyq-pager")
    expect(pager).to_be_visible()
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main")).to_have_count(1)
    assert page.locator("html").get_attribute("lang") == "kk"
    pager.locator("a[rel=next]").click()
    expect(page).to_have_url(re.compile(re.escape(Path(page_hrefs(package)[2]).name) + "$"))


@pytest.mark.browser
def test_narrow_screen_contents_menu(page: Page, package: Package) -> None:
    page.set_viewport_size({"width": 390, "height": 760})
    page.goto((package.folder / "index.html").as_uri())
    expect_on_page(page, 0)
    page.keyboard.press("Tab")  # the skip link comes first and shows when focused
    expect(page.locator(".skip-link")).to_be_focused()
    _screenshot(page, f"player-{package.name}-narrow-skip-link")
    page.keyboard.press("Enter")
    expect(page.locator("#sandyq-main")).to_be_focused()
    toc = page.locator("#sandyq-toc")
    menu = page.locator("#sandyq-menu")
    expect(toc).to_be_hidden()
    menu.click()
    expect(toc).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")
    _screenshot(page, f"player-{package.name}-narrow-menu")
    toc.locator("a[data-index='2']").click()
    expect_on_page(page, 2)
    expect(toc).to_be_hidden()


CONTRAST_JS = """(selectors) => {
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] === 1) return c;
    }
    return [255, 255, 255];
  };
  return selectors.map((selector) => {
    const el = document.querySelector(selector);
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
    return [selector, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


@pytest.mark.browser
def test_text_contrast_is_at_least_4_5(page: Page, package: Package) -> None:
    page.goto((package.folder / "index.html").as_uri())
    expect_on_page(page, 0)
    page.locator("#sandyq-next").click()
    expect_on_page(page, 1)
    selectors = [
        ".course-title",
        "#sandyq-status",
        "#sandyq-prev",
        "#sandyq-next",
        "#sandyq-exit",
        "#sandyq-toc h2",
        "#sandyq-toc a[aria-current=page]",
        "#sandyq-toc a:not([aria-current])",
    ]
    ratios = page.evaluate(CONTRAST_JS, selectors)
    low = [(selector, round(ratio, 2)) for selector, ratio in ratios if ratio < 4.5]
    assert low == []
    page.locator("#sandyq-prev").click()
    expect_on_page(page, 0)
    [(_, disabled)] = page.evaluate(CONTRAST_JS, ["#sandyq-prev"])
    assert disabled >= 4.5


def page_hrefs(package: Package) -> list[str]:
    html = (package.folder / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<a href="([^"]+)" target="sandyq-page"', html)


# ---- static checks -----------------------------------------------------------------


def test_assets_are_light() -> None:
    """Even a package with a quiz and a video adds under 100 KB of player and runtime."""
    from scorm_builder.render import runtime_assets

    everything = sum(len(data) for data in runtime_assets(frozenset({"quiz", "video"})).values())
    lesson_only = sum(len(data) for data in runtime_assets(frozenset({"page"})).values())
    assert everything < 100_000, f"the player and runtime are {everything} bytes"
    assert lesson_only < everything


def test_no_unload_handlers() -> None:
    for script in ASSETS.glob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert not re.search(r"""["'](before)?unload["']""", text), script.name


# ---- page <-> shell messages (activity pages) --------------------------------------------

CONFIG_RE = re.compile(
    r'(<script type="application/json" id="sandyq-config">)(.*?)(</script>)', re.S
)


def with_config(package: Package, folder: Path, **changes: Any) -> Package:
    """A copy of ``package`` whose shell configuration is changed (kinds, navigation...)."""
    shutil.copytree(package.folder, folder)
    index = folder / "index.html"
    html = index.read_text(encoding="utf-8")
    match = CONFIG_RE.search(html)
    assert match is not None
    config = json.loads(match.group(2))
    kinds = changes.pop("kinds", {})
    for at, kind in kinds.items():
        config["pages"][at]["kind"] = kind
    config.update(changes)
    text = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
    index.write_text(html[: match.start(2)] + text + html[match.end(2) :], encoding="utf-8")
    return Package(package.name, package.scorm, folder, package.page_count)


def page_frame(page: Page, package: Package, index: int) -> Any:
    """The frame of page ``index`` once it has loaded and set up ``SandyqPage``."""
    href = page_hrefs(package)[index]
    frame = wait_for_frame(page, re.escape(href) + "$")
    frame.wait_for_function("!!window.SandyqPage")
    return frame


INTERACTIONS = [
    {"id": "q01", "type": "choice", "response": ["b"], "correct": [["b"]], "result": "correct",
     "weighting": 1, "latency": 8200, "description": "Күштің өлшем бірлігі?"},
    {"id": "q02", "type": "true-false", "response": False, "correct": [True],
     "result": "incorrect", "weighting": 1},
    {"id": "q03", "type": "fill-in", "response": "Ньютон\n[,]", "correct": ["Ньютон", "Newton"],
     "result": "correct", "weighting": 1},
    {"id": "q04", "type": "numeric", "response": "9.8", "correct": [{"min": 9.7, "max": 9.9}],
     "result": "correct", "weighting": 2},
    {"id": "q05", "type": "matching", "response": [["1", "a"], ["2", "c"]],
     "correct": [[["1", "a"], ["2", "b"]]], "result": "incorrect", "weighting": 1},
    {"id": "q06", "type": "long-fill-in", "response": "Бірінші жол\nекінші жол",
     "result": "neutral"},
]  # fmt: skip


@pytest.mark.browser
def test_activity_pages_report_state_results_and_done(
    page: Page, lms_url: str, package: Package, tmp_path: Path
) -> None:
    """A video and a quiz page: done only when they say so; state resumes; results score."""
    pkg = with_config(
        package, tmp_path / "pkg", kinds={1: "video", 2: "quiz"}, graded=True, passingScore=60
    )
    api = pkg.api
    with serve(pkg.folder) as base:
        player = launch(page, base, pkg)
        expect_on_page(player, 0)
        player.locator("#sandyq-next").click()
        expect_on_page(player, 1)
        item = player.locator("#sandyq-toc li").nth(1)
        assert "done" not in (item.get_attribute("class") or "")
        video = page_frame(page, pkg, 1)
        assert video.evaluate("new Promise(r => SandyqPage.onRestore(r))") is None
        video.evaluate("SandyqPage.saveState({t: 42.5})")
        video.evaluate("SandyqPage.done()")
        expect(item).to_have_class(re.compile(r"\bdone\b"))

        player.locator("#sandyq-next").click()
        expect_on_page(player, 2)
        quiz = page_frame(page, pkg, 2)
        quiz.evaluate(
            "(list) => SandyqPage.result({score: {raw: 3, min: 0, max: 6}, passed: false, "
            "interactions: list})",
            INTERACTIONS,
        )
        cmi_key = "cmi.core.lesson_status" if pkg.scorm == "1.2" else "cmi.success_status"
        page.wait_for_function(f"window.__api.getFlattenedCMI()['{cmi_key}'] === 'failed'")
        cmi = flattened_cmi(page)
        if pkg.scorm == "1.2":
            assert cmi["cmi.core.score.raw"] == "50"
            assert cmi["cmi.interactions.0.id"] == "p3-q01"
            assert cmi["cmi.interactions.0.student_response"] == "b"
            assert cmi["cmi.interactions.1.student_response"] == "f"
            assert cmi["cmi.interactions.1.result"] == "wrong"
            assert cmi["cmi.interactions.1.correct_responses.0.pattern"] == "t"
            assert cmi["cmi.interactions.2.student_response"] == "Ньютон"
            assert cmi["cmi.interactions.4.student_response"] == "1.a,2.c"
            assert cmi["cmi.interactions.4.correct_responses.0.pattern"] == "1.a,2.b"
            assert cmi["cmi.interactions.5.type"] == "fill-in"
            assert cmi["cmi.interactions.0.latency"] == "00:00:08.20"
        else:
            assert (cmi["cmi.score.raw"], cmi["cmi.score.scaled"]) == ("50", "0.5")
            assert cmi["cmi.interactions.0.id"] == "urn:sandyq:p3-q01"
            assert cmi["cmi.interactions.0.learner_response"] == "b"
            assert cmi["cmi.interactions.0.description"] == "{lang=kk}Күштің өлшем бірлігі?"
            assert cmi["cmi.interactions.1.learner_response"] == "false"
            assert cmi["cmi.interactions.1.result"] == "incorrect"
            assert cmi["cmi.interactions.2.learner_response"] == "{lang=kk}Ньютон"
            assert (
                cmi["cmi.interactions.2.correct_responses.1.pattern"]
                == "{case_matters=false}Newton"
            )
            assert cmi["cmi.interactions.3.correct_responses.0.pattern"] == "9.7[:]9.9"
            assert cmi["cmi.interactions.4.learner_response"] == "1[.]a[,]2[.]c"
            assert cmi["cmi.interactions.5.learner_response"] == ("{lang=kk}Бірінші жол екінші жол")
            assert cmi["cmi.interactions.0.latency"] == "PT0H0M8.20S"
        # a quiz is not done until it says so
        assert "done" not in (player.locator("#sandyq-toc li").nth(2).get_attribute("class") or "")
        quiz.evaluate("SandyqPage.saveState({a: 1})")
        quiz.evaluate("SandyqPage.done()")
        for index in range(3, pkg.page_count):
            player.locator("#sandyq-next").click()
            expect_on_page(player, index)
        expect(player.locator("#sandyq-completed")).to_be_visible()
        player.locator("#sandyq-exit").click()
        expect(player.locator("#sandyq-ended")).to_be_visible()
        first = trace(page)
        assert_clean_session(first, pkg)
        previous = flattened_cmi(page)

        # relaunch (a finished SCO is relaunched as resume here, to see the states come back)
        player = launch(page, base, pkg, resume_data(pkg.scorm, previous))
        expect_on_page(player, pkg.page_count - 1)
        player.locator("#sandyq-toc a[data-index='1']").click()
        expect_on_page(player, 1)
        video = page_frame(page, pkg, 1)
        assert video.evaluate("new Promise(r => SandyqPage.onRestore(r))") == {"t": 42.5}
        player.locator("#sandyq-toc a[data-index='2']").click()
        expect_on_page(player, 2)
        quiz = page_frame(page, pkg, 2)
        assert quiz.evaluate("new Promise(r => SandyqPage.onRestore(r))") == {"a": 1}
        # a second attempt appends its interactions and passes
        quiz.evaluate(
            "(list) => SandyqPage.result({score: {raw: 6, min: 0, max: 6}, passed: true, "
            "interactions: list})",
            INTERACTIONS[:1],
        )
        page.wait_for_function(f"window.__api.getFlattenedCMI()['{cmi_key}'] === 'passed'")
        cmi = flattened_cmi(page)
        count = cmi.get("cmi.interactions._count")
        ids = [v for k, v in cmi.items() if re.fullmatch(r"cmi\.interactions\.\d+\.id", k)]
        assert len(ids) == 7, (count, ids)  # appended after the first session's six
        assert ids[-1] == ("p3-q01" if pkg.scorm == "1.2" else "urn:sandyq:p3-q01")
        page.evaluate("closeCourse()")
        calls = trace(page)
        errors = [c for c in calls if c["err"] != "0"]
        assert errors == []
        assert calls[-1]["fn"] == api["finish"]


@pytest.mark.browser
def test_next_at_the_end_continues_to_the_next_sco(
    page: Page, lms_url: str, package: Package, tmp_path: Path
) -> None:
    pkg = with_config(package, tmp_path / "pkg", navigation={"continue": True, "previous": True})
    with serve(pkg.folder) as base:
        player = launch(page, base, pkg)
        expect_on_page(player, 0)
        next_part = player.locator("#sandyq-next-part")
        if pkg.scorm == "1.2":
            expect(next_part).to_be_hidden()
            expect(player.locator("#sandyq-prev")).to_be_disabled()
            return
        expect(next_part).to_be_visible()
        expect(player.locator("#sandyq-prev-part")).to_be_visible()
        expect(player.locator("#sandyq-prev")).to_be_enabled()  # previous SCO
        last = pkg.page_count - 1
        player.locator(f"#sandyq-toc a[data-index='{last}']").click()
        expect_on_page(player, last)
        player.locator("#sandyq-next").click()
        expect(player.locator("#sandyq-ended")).to_be_visible()
        calls = trace(page)
        assert_clean_session(calls, pkg)
        assert sets(calls, "SetValue", "adl.nav.request") == ["continue"]
