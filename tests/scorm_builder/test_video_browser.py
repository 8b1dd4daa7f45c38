"""The video page in a real Chromium (Debian's, which plays H.264), under scorm-again.

A course of one video part (a 12 s H.264/AAC clip with Kazakh and Russian captions and
two chapters) is built for SCORM 1.2 and 2004 and played: watched to the end it completes
the SCO, jumping to the end does not; a relaunch resumes the position and the watched
ranges; from ``file://`` the captions show from the page's own data and the CC menu works
with the keyboard; axe-core finds no serious or critical problem. Screenshots go to
``tests/artifacts/``.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Frame, Page, expect

from scorm_builder.build import build_package
from tests.support import lms_harness
from tests.support.lms_harness import resume_data, wait_for_call, wait_for_frame
from tests.support.video import make_clip

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tools" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SECONDS = 12
FINISH = {"1.2": "LMSFinish", "2004": "Terminate"}

COURSE_TOML = """[course]
identifier = "kz-video-test"
title = "Бейнедәріс сынағы"
language = "kk"
subject = "physics"
license = "CC-BY-4.0"
version = "1.0"

[package]
scorm = "{scorm}"

[[parts]]
type = "video"
title = "Күш және үдеу"
source = "lecture.mp4"
chapters = [{{ time = "0:00", title = "Кіріспе" }}, {{ time = "0:06", title = "F = m·a" }}]
completion = 0.9
"""

KK = """1
00:00:00,500 --> 00:00:03,000
Сәлеметсіздер ме! Бүгін Ньютонның екінші заңын өтеміз.

2
00:00:06,000 --> 00:00:09,000
Күш массаға көбейтілген үдеуге тең:
F = m · a
"""

RU = """WEBVTT

00:00.500 --> 00:03.000
Здравствуйте! Сегодня мы изучим второй закон Ньютона.

00:06.000 --> 00:09.000
Сила равна массе, умноженной на ускорение:
F = m · a
"""


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The video course built and unzipped for SCORM 1.2 and 2004, by version."""
    source = tmp_path_factory.mktemp("video-source")
    make_clip(source / "lecture.mp4", size="640x360", seconds=SECONDS, source="testsrc2",
              extra=("-b:v", "300k", "-movflags", "+faststart"))  # fmt: skip
    (source / "lecture.kk.srt").write_text(KK, encoding="utf-8")
    (source / "lecture.ru.vtt").write_text(RU, encoding="utf-8")
    built = {}
    for scorm in ("1.2", "2004"):
        (source / "course.toml").write_text(COURSE_TOML.format(scorm=scorm), encoding="utf-8")
        output = tmp_path_factory.mktemp("video-zip") / f"video-{scorm}.zip"
        build_package(source, output)
        folder = tmp_path_factory.mktemp(f"video-{scorm}")
        with zipfile.ZipFile(output) as archive:
            archive.extractall(folder)
        built[scorm] = folder
    return built


# ---- driving ---------------------------------------------------------------------------


def launch(page: Page, base: str, scorm: str, cmi: dict[str, Any] | None = None) -> Frame:
    """Starts the harness LMS and the SCO; returns the video page's frame once it is ready."""
    page.goto(f"{base}/lms/lms.html")
    page.evaluate("([v, cmi, src]) => startLms(v, cmi, src)", [scorm, cmi, "/pkg/index.html"])
    return video_frame(page, "shell")


def video_frame(page: Page, mode: str) -> Frame:
    """The frame of the video page, after video.js decided where its state lives."""
    frame = wait_for_frame(page, r"video\.html$")
    frame.wait_for_function(
        f"document.documentElement.getAttribute('data-sandyq-video') === '{mode}'"
    )
    frame.wait_for_function("document.getElementById('sandyq-video').readyState >= 1")
    return frame


#: Starts playing and marks ``window.__sandyqPlayed`` once ``__UNTIL__`` holds, checked on the
#: video's own events after video.js's handlers for them (registered at load) have run: the
#: watched share and the saved state are then up to date. A rAF poll could see ``v.ended``
#: before the task that fires timeupdate, pause and ended (where video.js counts the last
#: stretch) has run.
PLAY = """([at, rate]) => {
  const v = document.getElementById('sandyq-video');
  const events = ['timeupdate', 'seeked', 'playing', 'pause', 'ended'];
  window.__sandyqPlayed = false;
  const check = () => {
    if (!(__UNTIL__)) return;
    window.__sandyqPlayed = true;
    for (const name of events) v.removeEventListener(name, check);
  };
  for (const name of events) v.addEventListener(name, check);
  v.muted = true; v.playbackRate = rate; v.currentTime = at;
  return v.play();
}"""


def play(frame: Frame, *, at: float, rate: float, until: str) -> None:
    """Plays (muted, so no gesture is needed) from ``at`` at ``rate`` until ``until`` (a
    condition on ``v``, the video) holds and video.js has heard so."""
    frame.evaluate(PLAY.replace("__UNTIL__", until), [at, rate])
    frame.wait_for_function("window.__sandyqPlayed === true")


#: Pauses; ``window.__sandyqPaused`` is [position, position as video.js saves it] once the
#: pause event has been handled (video.js's handler, registered first, runs first).
PAUSE = """() => {
  const v = document.getElementById('sandyq-video');
  window.__sandyqPaused = null;
  const paused = () => {
    window.__sandyqPaused = [v.currentTime, Math.round(v.currentTime * 10) / 10];
  };
  if (v.paused) return paused();
  v.addEventListener('pause', paused, {once: true});
  v.pause();
}"""

#: The LMS holds the video page's state at position ``t`` in the player's suspend data.
SAVED_AT = """(t) => {
  let data = {};
  try { data = JSON.parse(window.__api.getFlattenedCMI()['cmi.suspend_data'] || '{}'); }
  catch (e) { return false; }
  return Object.values(data.s || {}).some((state) => state && state.t === t);
}"""


def pause(frame: Frame, *, lms: Page | None = None) -> float:
    """Pauses the video; returns its position once video.js has handled the pause (saved
    the state, updated the watched share) and, with ``lms``, once the LMS holds it."""
    frame.evaluate(PAUSE)
    position, saved = frame.wait_for_function("window.__sandyqPaused").json_value()
    if lms is not None:
        lms.wait_for_function(SAVED_AT, arg=saved)
    return float(position)


#: Seeks ahead while playing, step by step, each time letting the video play on a little
#: past the new position (a timeupdate after the seek) before the next seek; then marks
#: ``window.__sandyqSeeked``.
SEEK_STEPS = """(positions) => {
  const v = document.getElementById('sandyq-video');
  window.__sandyqSeeked = false;
  const seek = (step) => {
    if (step === positions.length) {
      window.__sandyqSeeked = true;
      return;
    }
    const at = positions[step];
    const check = () => {
      if (v.seeking || v.currentTime <= at + 0.05) return;
      v.removeEventListener('timeupdate', check);
      seek(step + 1);
    };
    v.addEventListener('timeupdate', check);
    v.currentTime = at;
  };
  seek(0);
}"""


def seek_while_playing(frame: Frame, positions: list[float]) -> None:
    frame.evaluate(SEEK_STEPS, positions)
    frame.wait_for_function("window.__sandyqSeeked === true")


def watched_percent(frame: Frame) -> int:
    text = frame.locator("#sandyq-video-watched").inner_text()
    match = re.search(r"(\d+)", text)
    assert match, text
    return int(match.group(1))


def completion_status(page: Page, scorm: str) -> str:
    key = "cmi.core.lesson_status" if scorm == "1.2" else "cmi.completion_status"
    return str(page.evaluate(f"window.__api.getFlattenedCMI()['{key}'] || ''"))


def shell(page: Page) -> Any:
    return page.frame_locator("#course").frame_locator("#sco")


def trace(page: Page) -> list[dict[str, Any]]:
    return list(page.evaluate("window.__trace"))


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


# ---- in an LMS -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("scorm", ["1.2", "2004"])
def test_watching_completes_and_jumping_to_the_end_does_not(
    page: Page, packages: dict[str, Path], scorm: str
) -> None:
    with lms_harness.serve(packages[scorm]) as base:
        frame = launch(page, base, scorm)
        size = frame.evaluate(
            "(() => { const v = document.getElementById('sandyq-video');"
            " return [v.videoWidth, v.videoHeight, v.error && v.error.code]; })()"
        )
        assert size == [640, 360, None]  # Debian's Chromium decodes the H.264 MP4

        # jump to the last second and let it end: one second watched, not 90 %
        play(frame, at=SECONDS - 1, rate=1, until="v.ended")
        # seek ahead step by step while playing: only the moments in between count
        play(frame, at=0, rate=1, until="!v.paused && v.currentTime > 0.1")
        seek_while_playing(frame, [step * 2.5 for step in range(1, 5)])
        pause(frame)
        assert watched_percent(frame) < 30
        assert frame.evaluate("document.documentElement.dataset.sandyqVideoDone") is None
        assert completion_status(page, scorm) != "completed"

        # watching it all (fast) does count
        play(frame, at=0, rate=8, until="v.ended")
        frame.wait_for_function("document.documentElement.dataset.sandyqVideoDone === 'true'")
        assert watched_percent(frame) >= 90
        expect(frame.locator("#sandyq-video-announce")).to_contain_text("Бейнедәріс қаралды")
        page.wait_for_function(
            f"window.__api.getFlattenedCMI()['{'cmi.core.lesson_status' if scorm == '1.2' else 'cmi.completion_status'}'] === 'completed'"  # noqa: E501
        )
        expect(shell(page).locator("#sandyq-toc li").nth(0)).to_have_class(re.compile(r"\bdone\b"))
        screenshot(page, f"video-completed-{scorm}")
        shell(page).locator("#sandyq-exit").click()
        wait_for_call(page, FINISH[scorm])
        calls = trace(page)
        assert [c for c in calls if c["err"] != "0"] == []
        assert calls[-1]["fn"] == ("LMSFinish" if scorm == "1.2" else "Terminate")


@pytest.mark.browser
@pytest.mark.parametrize("scorm", ["1.2", "2004"])
def test_relaunch_resumes_the_position_and_the_watched_ranges(
    page: Page, packages: dict[str, Path], scorm: str
) -> None:
    with lms_harness.serve(packages[scorm]) as base:
        frame = launch(page, base, scorm)
        play(frame, at=0, rate=4, until="v.currentTime >= 6.5")
        position = pause(frame, lms=page)  # and the LMS has the paused position
        first = watched_percent(frame)
        assert 50 <= first < 90
        shell(page).locator("#sandyq-exit").click()
        wait_for_call(page, FINISH[scorm])
        previous = page.evaluate("window.__api.getFlattenedCMI()")
        saved = json.loads(previous["cmi.suspend_data"])
        state = saved["s"]["0"]
        assert state["t"] == pytest.approx(position, abs=0.15)
        assert state["w"][0][0] == 0 and state["w"][-1][1] == pytest.approx(position, abs=0.6)
        assert completion_status(page, scorm) != "completed"

        frame = launch(page, base, scorm, resume_data(scorm, previous))
        frame.wait_for_function(
            f"Math.abs(document.getElementById('sandyq-video').currentTime - {position}) < 0.3"
        )
        assert first - 1 <= watched_percent(frame) <= first  # saved rounded down, never up
        expect(frame.locator("#sandyq-video-announce")).to_contain_text("сәтінен жалғасады")
        screenshot(page, f"video-resumed-{scorm}")
        # the rest of the video completes it: the first session's ranges were kept
        play(frame, at=position, rate=8, until="v.ended")
        frame.wait_for_function("document.documentElement.dataset.sandyqVideoDone === 'true'")
        assert watched_percent(frame) >= 98


#: Holds the shell's answers to a content page (its "shell" and "restore" messages) until
#: ``window.__sandyqRelease()``: a slow LMS whose answer comes after video.js stopped waiting.
HOLD_THE_SHELL = """(() => {
  const held = [];
  window.addEventListener('message', (event) => {
    const data = event.data;
    if (window.__sandyqReleased || !data || !['shell', 'restore'].includes(data.sandyq)) return;
    event.stopImmediatePropagation();
    held.push({data: data, source: event.source});
  }, true);
  window.__sandyqRelease = () => {
    window.__sandyqReleased = true;
    for (const m of held) window.dispatchEvent(new MessageEvent('message', m));
  };
})();"""


@pytest.mark.browser
def test_a_late_answer_from_the_lms_still_resumes_the_position(
    page: Page, packages: dict[str, Path]
) -> None:
    """On a loaded machine the shell may answer after video.js's wait: its state still wins
    over the local guess, so the learner resumes where they were."""
    with lms_harness.serve(packages["2004"]) as base:
        frame = launch(page, base, "2004")
        play(frame, at=0, rate=4, until="v.currentTime >= 5")
        position = pause(frame, lms=page)
        shell(page).locator("#sandyq-exit").click()
        wait_for_call(page, FINISH["2004"])
        previous = page.evaluate("window.__api.getFlattenedCMI()")

        page.add_init_script(HOLD_THE_SHELL)
        page.goto(f"{base}/lms/lms.html")
        page.evaluate(
            "([v, cmi, src]) => startLms(v, cmi, src)",
            ["2004", resume_data("2004", previous), "/pkg/index.html"],
        )
        frame = video_frame(page, "local")  # it stopped waiting for the shell
        frame.evaluate("window.__sandyqRelease()")
        frame.wait_for_function(
            "document.documentElement.getAttribute('data-sandyq-video') === 'shell'"
        )
        frame.wait_for_function(
            f"Math.abs(document.getElementById('sandyq-video').currentTime - {position}) < 0.3"
        )


# ---- from a USB stick --------------------------------------------------------------------


@pytest.mark.browser
def test_captions_from_file_url_with_the_cc_menu_and_chapters(
    page: Page, packages: dict[str, Path]
) -> None:
    folder = packages["2004"]
    page.goto((folder / "index.html").as_uri())
    frame = video_frame(page, "shell")
    modes = frame.evaluate(
        "Array.from(document.getElementById('sandyq-video').textTracks, t => t.mode)"
    )
    assert modes == ["disabled", "disabled"]  # no <track> fetch, which file:// refuses
    box = frame.locator("#sandyq-video-captions")
    frame.evaluate("document.getElementById('sandyq-video').currentTime = 1.5")
    expect(box).to_have_text("Сәлеметсіздер ме! Бүгін Ньютонның екінші заңын өтеміз.")
    expect(box).to_have_attribute("lang", "kk")
    expect(box).to_have_attribute("aria-live", "polite")

    button = frame.locator("#sandyq-cc-button")
    button.focus()
    page.keyboard.press("ArrowDown")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(frame.locator("[role=menuitemradio][data-language=kk]")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_text("Здравствуйте! Сегодня мы изучим второй закон Ньютона.")
    expect(box).to_have_attribute("lang", "ru")
    expect(frame.locator("#sandyq-cc-current")).to_have_text("Русский")

    chapter = frame.locator(".sv-chapter").nth(1)
    chapter.focus()
    page.keyboard.press("Enter")
    frame.wait_for_function("document.getElementById('sandyq-video').currentTime >= 6")
    frame.evaluate("document.getElementById('sandyq-video').pause()")
    expect(chapter).to_have_attribute("aria-current", "true")
    expect(box).to_contain_text("Сила равна массе")
    screenshot(page, "video-file-captions")

    button.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Home")
    page.keyboard.press("Enter")
    expect(box).to_be_hidden()
    button.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()


@pytest.mark.browser
def test_the_page_alone_keeps_its_state_in_local_storage(
    page: Page, packages: dict[str, Path]
) -> None:
    video_page = next((packages["2004"] / "content").glob("*/video.html"))
    page.goto(video_page.as_uri())
    frame = page.main_frame
    frame.wait_for_function(
        "document.documentElement.getAttribute('data-sandyq-video') === 'local'"
    )
    play(frame, at=0, rate=4, until="v.currentTime >= 4")
    position = pause(frame)  # saved in localStorage by video.js's pause handler
    page.reload()
    frame.wait_for_function(
        f"Math.abs(document.getElementById('sandyq-video').currentTime - {position}) < 0.3"
    )
    assert watched_percent(frame) >= 30
    expect(page.locator(".sandyq-pager")).to_be_visible()


@pytest.mark.browser
def test_axe_finds_no_serious_or_critical_problems(page: Page, packages: dict[str, Path]) -> None:
    folder = packages["2004"]
    video_page = next((folder / "content").glob("*/video.html")).relative_to(folder).as_posix()
    with lms_harness.serve(
        folder
    ) as base:  # http: axe reads the stylesheets, which file:// refuses
        page.goto(f"{base}/pkg/{video_page}")
        check_accessibility(page)


def check_accessibility(page: Page) -> None:
    page.main_frame.wait_for_function(
        "document.documentElement.getAttribute('data-sandyq-video') === 'local'"
    )
    page.evaluate("document.getElementById('sandyq-video').currentTime = 1.5")
    expect(page.locator("#sandyq-video-captions")).not_to_be_empty()
    page.add_script_tag(path=str(AXE))
    for state in ("closed", "menu open"):
        if state == "menu open":
            page.locator("#sandyq-cc-button").click()
            expect(page.locator("#sandyq-cc-menu")).to_be_visible()
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        problems = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
            for v in results["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert problems == [], (state, problems)
    screenshot(page, "video-page-alone")
