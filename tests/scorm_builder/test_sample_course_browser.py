"""The combined sample course (Word lesson, video lecture, GIFT test) in a real Chromium.

Built from ``samples/physics-7-course`` exactly as `make run` builds it, one SCO per part,
and played under scorm-again as SCORM 1.2 and 2004 4th Edition: the test answered right
passes with 100, answered wrong fails with the score and answers recorded, the video
watched to the end completes, the lesson completes, and a relaunch resumes each.
Answers are chosen from the quiz's own data, so the test follows the sample as it grows.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Frame, FrameLocator, Page, expect

from scorm_builder.build import build_package
from tests.conftest import REPO
from tests.scorm_builder.test_accessibility import serious_violations
from tests.scorm_builder.test_video_browser import pause, play, video_frame, watched_percent
from tests.support.lms_harness import resume_data, serve, wait_for_call, wait_for_frame

SAMPLE = REPO / "samples" / "physics-7-course"
STATUS = {"1.2": "cmi.core.lesson_status", "2004": "cmi.completion_status"}
FINISH = {"1.2": "LMSFinish", "2004": "Terminate"}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=["1.2", "2004"])
def course(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(scorm version, base URL of the unzipped package served over http)."""
    scorm = request.param
    output = tmp_path_factory.mktemp("sample-zip") / "course.zip"
    build_package(SAMPLE, output, scorm=scorm)
    folder = tmp_path_factory.mktemp(f"sample-{scorm}")
    with zipfile.ZipFile(output) as archive:
        archive.extractall(folder)
    with serve(folder) as base:
        yield scorm, base


def start(
    page: Page, base: str, scorm: str, launch: str, cmi: dict[str, Any] | None = None
) -> None:
    page.goto(f"{base}/lms/lms.html")
    page.evaluate("([v, cmi, src]) => startLms(v, cmi, src)", [scorm, cmi, f"/pkg/{launch}"])


def cmi(page: Page) -> dict[str, Any]:
    return dict(page.evaluate("window.__api.getFlattenedCMI()"))


def wait_cmi(page: Page, element: str, value: str) -> None:
    page.wait_for_function(
        "([k, v]) => window.__api.getFlattenedCMI()[k] === v", arg=[element, value]
    )


def finish(page: Page, scorm: str) -> None:
    page.evaluate("closeCourse()")
    calls = page.evaluate("window.__trace")
    assert [c for c in calls if c["err"] != "0"] == []
    names = [c["fn"] for c in calls]
    assert names[0] == ("LMSInitialize" if scorm == "1.2" else "Initialize")
    assert names[-1] == ("LMSFinish" if scorm == "1.2" else "Terminate")


def counted(shell: FrameLocator, index: int) -> None:
    """Waits until the player has heard from lesson page ``index`` (shown, so done): a page
    the learner leaves before it has loaded and said so does not count towards completion."""
    expect(shell.locator("#sandyq-toc li").nth(index)).to_have_class(re.compile(r"\bdone\b"))


# ---- the test --------------------------------------------------------------------------


def answer(quiz: Frame, *, right: bool) -> list[dict[str, Any]]:
    """Answer every question from the quiz's data: all right, or all wrong."""
    data = json.loads(quiz.locator("#sandyq-quiz").text_content() or "{}")
    questions: list[dict[str, Any]] = data["questions"]
    for question in questions:
        qid, kind = question["id"], question.get("type")
        if kind == "choice":
            choices = question["choices"]
            chosen = question["correct"][0] if right else [min(choices, key=lambda c: c[1])[0]]
            select = quiz.locator(f"select#q-{qid}-input")
            if select.count():
                select.select_option(chosen[0])
            else:
                for choice in chosen:
                    quiz.locator(f"#q-{qid}-{choice}").check()
        elif kind == "true-false":
            truth = question["truth"] if right else not question["truth"]
            quiz.locator(f"#q-{qid}-{'true' if truth else 'false'}").check()
        elif kind == "fill-in":
            quiz.locator(f"#q-{qid}-input").fill(question["correct"][0] if right else "бұрыс жауап")
        elif kind == "numeric":
            number = next(n for n in question["numbers"] if not n.get("any") and n["fraction"] == 1)
            low = number["min"] if number["min"] is not None else number["max"]
            high = number["max"] if number["max"] is not None else number["min"]
            quiz.locator(f"#q-{qid}-input").fill(str((low + high) / 2) if right else "-12345")
        elif kind == "matching":
            pairs = question["pairs"]
            targets = [target for _, target in pairs]
            shifted = targets[1:] + targets[:1]
            for (source, target), wrong in zip(pairs, shifted, strict=True):
                quiz.locator(f"#q-{qid}-{source}").select_option(target if right else wrong)
        elif kind == "long-fill-in":
            quiz.locator(f"#q-{qid}-input").fill("Үдеу күшке тура, массаға кері пропорционал.")
    return questions


def test_the_test_answered_right_passes_with_100(page: Page, course: tuple[str, str]) -> None:
    scorm, base = course
    start(page, base, scorm, "part-03.html")
    quiz = wait_for_frame(page, r"quiz\.html$")
    answer(quiz, right=True)
    quiz.locator("#quiz-submit").click()
    expect(quiz.locator("#quiz-result")).to_be_visible()
    if scorm == "1.2":
        wait_cmi(page, "cmi.core.lesson_status", "passed")
        assert float(cmi(page)["cmi.core.score.raw"]) == 100
    else:
        wait_cmi(page, "cmi.success_status", "passed")
        assert float(cmi(page)["cmi.score.scaled"]) == 1
        assert cmi(page)["cmi.completion_status"] == "completed"
    finish(page, scorm)


def test_the_test_answered_wrong_fails_with_its_score_and_answers(
    page: Page, course: tuple[str, str]
) -> None:
    scorm, base = course
    start(page, base, scorm, "part-03.html")
    quiz = wait_for_frame(page, r"quiz\.html$")
    questions = answer(quiz, right=False)
    quiz.locator("#quiz-submit").click()
    expect(quiz.locator("#quiz-result")).to_be_visible()
    shown = re.search(r"(\d+(?:[.,]\d+)?)\s*%", quiz.locator("#quiz-result").inner_text())
    assert shown, quiz.locator("#quiz-result").inner_text()
    if scorm == "1.2":
        wait_cmi(page, "cmi.core.lesson_status", "failed")
        raw = float(cmi(page)["cmi.core.score.raw"])
    else:
        wait_cmi(page, "cmi.success_status", "failed")
        raw = float(cmi(page)["cmi.score.raw"])
    assert raw == pytest.approx(float(shown.group(1).replace(",", ".")), abs=0.01)
    assert raw < 70
    data = cmi(page)
    recorded = {
        data[key]: key.rsplit(".", 1)[0]
        for key in data
        if re.fullmatch(r"cmi\.interactions\.\d+\.id", key)
    }
    answered = [q for q in questions if q.get("type")]
    assert len(recorded) == len(answered)
    wrong = "wrong" if scorm == "1.2" else "incorrect"
    for question in answered:
        row = next(prefix for ident, prefix in recorded.items() if ident.endswith(question["id"]))
        expected = "neutral" if question["type"] == "long-fill-in" else wrong
        assert data[f"{row}.result"] == expected, question
        assert data[f"{row}.type"] in (question["type"], "fill-in")
    finish(page, scorm)


# ---- the video lecture -----------------------------------------------------------------


def test_the_lecture_watched_to_the_end_completes_and_resumes(
    page: Page, course: tuple[str, str]
) -> None:
    scorm, base = course
    start(page, base, scorm, "part-02.html")
    video = video_frame(page, "shell")
    play(video, at=0, rate=8, until="v.currentTime >= 12")
    position = pause(video, lms=page)  # and the LMS has the paused position
    finish(page, scorm)
    previous = cmi(page)
    assert previous[STATUS[scorm]] != "completed"

    start(page, base, scorm, "part-02.html", resume_data(scorm, previous))
    video = video_frame(page, "shell")
    video.wait_for_function(
        f"Math.abs(document.getElementById('sandyq-video').currentTime - {position}) < 0.5"
    )
    play(video, at=position, rate=8, until="v.ended")
    wait_cmi(page, STATUS[scorm], "completed")
    assert watched_percent(video) >= 90
    finish(page, scorm)


# ---- the Word lesson ------------------------------------------------------------------


def test_the_word_lesson_completes_and_resumes_at_its_page(
    page: Page, course: tuple[str, str]
) -> None:
    scorm, base = course
    start(page, base, scorm, "part-01.html")
    shell = page.frame_locator("#course").frame_locator("#sco")
    pages = shell.locator("#sandyq-toc a[data-index]")
    expect(pages).to_have_count(3)
    counted(shell, 0)
    for index in (1, 2):
        shell.locator("#sandyq-next").click()
        counted(shell, index)
    wait_cmi(page, STATUS[scorm], "completed")
    shell.locator("#sandyq-prev").click()
    location = "cmi.core.lesson_location" if scorm == "1.2" else "cmi.location"
    wait_cmi(page, location, "1")
    shell.locator("#sandyq-exit").click()
    wait_for_call(page, FINISH[scorm])
    previous = cmi(page)
    finish(page, scorm)

    start(page, base, scorm, "part-01.html", resume_data(scorm, previous))
    shell = page.frame_locator("#course").frame_locator("#sco")
    expect(shell.locator("#sandyq-toc a[aria-current='page']")).to_have_attribute("data-index", "1")
    finish(page, scorm)


def test_word_lesson_pages_and_the_course_menu_pass_axe(
    page: Page, course: tuple[str, str]
) -> None:
    _, base = course
    equations = tables = 0
    for path in ("index.html", *(f"content/01-newton-lesson/page-0{n}.html" for n in (1, 2, 3))):
        page.goto(f"{base}/pkg/{path}")
        assert serious_violations(page) == [], path
        equations += page.locator("math").count()
        tables += page.locator("table").count()
    assert equations >= 2 and tables >= 1  # the Word lesson's equations and table are there
