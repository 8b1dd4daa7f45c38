"""The quiz page in a real Chromium: scoring, feedback, attempts, shuffling and resume,
reported to scorm-again (``tests/support/lms_harness.py``) as SCORM 1.2 and 2004 4th Edition data.

The course is built from the model directly: one quiz with a question of every kind, in
Kazakh and Russian. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from scorm_builder.build import package_files
from scorm_builder.model import (
    Answer,
    Course,
    MatchPair,
    Metadata,
    PackageOptions,
    Question,
    QuizPart,
    ScormVersion,
)
from scorm_builder.package import write_zip
from tests.support.lms_harness import BROWSER_WAIT_MS, resume_data, serve

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
QUIZ_PATH = "content/quiz/01-test.html"

QUESTIONS = (
    Question(
        "q01",
        "multichoice",
        "<p>Күштің өлшем бірлігі қандай?</p>",
        answers=(
            Answer("джоуль", 0.0, "Жоқ, джоуль — энергияның өлшем бірлігі."),
            Answer("ньютон", 1.0, "Иә, ньютон."),
            Answer("ватт", 0.0),
        ),
    ),
    Question(
        "q02",
        "multichoice",
        "<p>Какие величины векторные?</p>",
        multiple=True,
        answers=(Answer("сила", 0.5), Answer("скорость", 0.5), Answer("масса", -1.0, "Скаляр.")),
    ),
    Question(
        "q03",
        "truefalse",
        "<p>Еркін түсу үдеуі шамамен 9,8 м/с² болады.</p>",
        answers=(Answer("true", 1.0), Answer("false", 0.0, "Жоқ, бұл дұрыс тұжырым.")),
        general_feedback="<p>g ≈ 9,8 м/с².</p>",
    ),
    Question(
        "q04",
        "shortanswer",
        "<p>Күш {blank} өлшенеді.</p>",
        answers=(Answer("ньютонмен", 1.0), Answer("Н", 1.0)),
    ),
    Question(
        "q05",
        "numerical",
        "<p>Сколько будет 2,5 + 2,5?</p>",
        answers=(Answer("5 ± 0.1", 1.0, value=5.0, tolerance=0.1),),
    ),
    Question(
        "q06",
        "matching",
        "<p>Шамалар мен өлшем бірліктерін сәйкестендіріңіз.</p>",
        pairs=(
            MatchPair("Күш", "ньютон"),
            MatchPair("Энергия", "джоуль"),
            MatchPair("Қуат", "ватт"),
        ),
    ),
    Question("q07", "description", "<p>Келесі сұраққа өз сөзіңізбен жауап беріңіз.</p>", points=0),
    Question("q08", "essay", "<p>Объясните первый закон Ньютона.</p>", points=0),
)

#: (scorm, edition) pairs the quiz is played under.
VERSIONS = {"scorm12": ("1.2", 4), "scorm2004-4th": ("2004", 4)}


@dataclass(frozen=True)
class Built:
    scorm: str
    folder: Path


def build_quiz(folder: Path, scorm: ScormVersion = "2004", **quiz: Any) -> Built:
    """Build the quiz course for ``scorm`` into a zip, unzip it into ``folder``."""
    options = {"passing_score": 60, "attempts": 2, "seed": 7, **quiz}
    part = QuizPart("Тест: Ньютон заңдары", QUESTIONS, path=QUIZ_PATH, **options)
    course = Course(
        Metadata("kz-physics-7-test", "Физика 7: Ньютон заңдары", language="kk"),
        (part,),
        PackageOptions(scorm=scorm, edition=4),
    )
    zip_path = folder.with_suffix(".zip")
    write_zip(package_files(course), zip_path)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    return Built(scorm, folder)


def screenshot(page: Page, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


# ---- driving the quiz ----------------------------------------------------------------


def launch(page: Page, base: str, built: Built, cmi: dict[str, Any] | None = None) -> FrameLocator:
    page.goto(f"{base}/lms/lms.html")
    page.evaluate("([v, cmi]) => startLms(v, cmi, '/pkg/index.html')", [built.scorm, cmi])
    player = page.frame_locator("#course").frame_locator("#sco")
    expect(player.locator("#sandyq-toc li").first).to_have_class(re.compile(r"\bvisited\b"))
    return player.frame_locator("#sandyq-frame")


def answer_correctly(quiz: FrameLocator | Page) -> None:
    quiz.get_by_label("ньютон", exact=True).check()
    quiz.get_by_label("сила").check()
    quiz.get_by_label("скорость").check()
    quiz.get_by_label("Ақиқат").check()
    quiz.locator("#q-q04-input").fill("  Ньютонмен ")  # case and spaces do not matter
    quiz.locator("#q-q05-input").fill("5,0")  # a decimal comma
    quiz.locator("#q-q06-1").select_option(label="ньютон")
    quiz.locator("#q-q06-2").select_option(label="джоуль")
    quiz.locator("#q-q06-3").select_option(label="ватт")
    quiz.locator("#q-q08-input").fill("Дене тыныштықта болады.\nЕкінші жол.")


def answer_wrongly(quiz: FrameLocator | Page) -> None:
    quiz.get_by_label("джоуль", exact=True).check()
    quiz.get_by_label("сила").check()
    quiz.get_by_label("масса").check()
    quiz.get_by_label("Жалған").check()
    quiz.locator("#q-q04-input").fill("джоульмен")
    quiz.locator("#q-q05-input").fill("4")
    quiz.locator("#q-q06-1").select_option(label="ньютон")
    quiz.locator("#q-q06-2").select_option(label="ватт")
    quiz.locator("#q-q06-3").select_option(label="джоуль")
    quiz.locator("#q-q08-input").fill("Не знаю")


def submit(quiz: FrameLocator | Page) -> None:
    quiz.locator("#quiz-submit").click()
    expect(quiz.locator("#quiz-result")).to_be_visible()
    expect(quiz.locator("#quiz-result")).to_be_focused()


def trace(page: Page) -> list[dict[str, Any]]:
    return page.evaluate("window.__trace")


def cmi_of(page: Page) -> dict[str, Any]:
    return page.evaluate("window.__api.getFlattenedCMI()")


def wait_for(page: Page, element: str, value: str) -> None:
    page.wait_for_function(
        "([k, v]) => window.__api.getFlattenedCMI()[k] === v",
        arg=[element, value],
        timeout=BROWSER_WAIT_MS,
    )


def assert_no_errors(calls: list[dict[str, Any]]) -> None:
    errors = [c for c in calls if c["err"] != "0"]
    assert errors == [], errors


def interactions(cmi: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Flattened cmi.interactions.n.* grouped by id."""
    rows: dict[str, dict[str, str]] = {}
    for key, value in cmi.items():
        match = re.fullmatch(r"cmi\.interactions\.(\d+)\.(.+)", key)
        if match:
            rows.setdefault(match.group(1), {})[match.group(2)] = value
    return {row["id"]: row for row in rows.values()}


def finish(page: Page, built: Built) -> list[dict[str, Any]]:
    page.evaluate("closeCourse()")
    calls = trace(page)
    assert_no_errors(calls)
    names = [c["fn"] for c in calls]
    finish_fn = "LMSFinish" if built.scorm == "1.2" else "Terminate"
    assert names.count(finish_fn) == 1 and names[-1] == finish_fn
    return calls


# ---- in an LMS -------------------------------------------------------------------------


@pytest.fixture(params=sorted(VERSIONS))
def built(request: pytest.FixtureRequest, tmp_path: Path) -> Built:
    scorm, _ = VERSIONS[request.param]
    return build_quiz(tmp_path / request.param, scorm)


@pytest.mark.browser
def test_all_correct_passes_with_full_score(page: Page, built: Built) -> None:
    with serve(built.folder) as base:
        quiz = launch(page, base, built)
        answer_correctly(quiz)
        submit(quiz)
        expect(quiz.locator("#quiz-summary")).to_contain_text("100%")
        expect(quiz.locator("#quiz-summary")).to_contain_text("Өтті")
        expect(quiz.locator("#q-q01")).to_have_attribute("data-result", "correct")
        expect(quiz.locator("#q-q08")).to_have_attribute("data-result", "neutral")
        expect(quiz.locator("#q-q01 [data-feedback='b']")).to_be_visible()
        expect(quiz.locator("#q-q03 .quiz-general")).to_be_visible()
        if built.scorm == "1.2":
            wait_for(page, "cmi.core.lesson_status", "passed")
            cmi = cmi_of(page)
            assert cmi["cmi.core.score.raw"] == "100"
        else:
            wait_for(page, "cmi.completion_status", "completed")
            cmi = cmi_of(page)
            assert cmi["cmi.success_status"] == "passed"
            assert cmi["cmi.score.scaled"] == "1"
        finish(page, built)


@pytest.mark.browser
def test_wrong_answers_fail_and_record_every_interaction(page: Page, built: Built) -> None:
    with serve(built.folder) as base:
        quiz = launch(page, base, built)
        answer_wrongly(quiz)
        submit(quiz)
        expect(quiz.locator("#quiz-summary")).to_contain_text("5,56%")
        expect(quiz.locator("#quiz-summary")).to_contain_text("Өтпеді")
        expect(quiz.locator("#q-q06")).to_have_attribute("data-result", "partial")
        expect(quiz.locator("#q-q01 [data-feedback='a']")).to_be_visible()  # джоуль's feedback
        expect(quiz.locator("#q-q01 [data-feedback='b']")).to_be_hidden()
        screenshot(page, f"quiz-{built.scorm}-failed", full_page=True)
        is12 = built.scorm == "1.2"
        wait_for(page, "cmi.core.lesson_status" if is12 else "cmi.success_status", "failed")
        cmi = cmi_of(page)
        rows = interactions(cmi)
        if is12:
            assert cmi["cmi.core.score.raw"] == "5.56"
            expected = {
                "p1-q01": ("choice", "a", "wrong", ["b"]),
                "p1-q02": ("choice", "a,c", "wrong", ["a,b"]),
                "p1-q03": ("true-false", "f", "wrong", ["t"]),
                "p1-q04": ("fill-in", "джоульмен", "wrong", ["ньютонмен", "Н"]),
                "p1-q05": ("numeric", "4", "wrong", []),  # a range has no 1.2 pattern
                "p1-q06": ("matching", "1.c,2.a,3.b", "wrong", ["1.c,2.b,3.a"]),
                "p1-q08": ("fill-in", "Не знаю", "neutral", []),
            }
            response = "student_response"
        else:
            assert (cmi["cmi.score.raw"], cmi["cmi.score.scaled"]) == ("5.56", "0.0556")
            assert cmi["cmi.completion_status"] == "completed"  # submitted: done
            expected = {
                "urn:sandyq:p1-q01": ("choice", "a", "incorrect", ["b"]),
                "urn:sandyq:p1-q02": ("choice", "a[,]c", "incorrect", ["a[,]b"]),
                "urn:sandyq:p1-q03": ("true-false", "false", "incorrect", ["true"]),
                "urn:sandyq:p1-q04": (
                    "fill-in",
                    "{lang=kk}джоульмен",
                    "incorrect",
                    ["{case_matters=false}ньютонмен", "{case_matters=false}Н"],
                ),
                "urn:sandyq:p1-q05": ("numeric", "4", "incorrect", ["4.9[:]5.1"]),
                "urn:sandyq:p1-q06": (
                    "matching",
                    "1[.]c[,]2[.]a[,]3[.]b",
                    "incorrect",
                    ["1[.]c[,]2[.]b[,]3[.]a"],
                ),
                "urn:sandyq:p1-q08": ("long-fill-in", "{lang=kk}Не знаю", "neutral", []),
            }
            response = "learner_response"
            assert (
                rows["urn:sandyq:p1-q01"]["description"] == "{lang=kk}Күштің өлшем бірлігі қандай?"
            )
        assert sorted(rows) == sorted(expected)
        for key, (kind, given, result, patterns) in expected.items():
            row = rows[key]
            found = [row[f"correct_responses.{n}.pattern"] for n in range(len(patterns))]
            assert (row["type"], row[response], row["result"], found) == (
                kind,
                given,
                result,
                patterns,
            ), key
            assert f"correct_responses.{len(patterns)}.pattern" not in row, key
        assert rows[next(k for k in rows if k.endswith("q01"))]["weighting"] == "1"
        finish(page, built)


@pytest.mark.browser
def test_attempts_are_limited_and_a_relaunch_shows_the_last_result(
    page: Page, built: Built
) -> None:
    with serve(built.folder) as base:
        quiz = launch(page, base, built)
        expect(quiz.locator("#quiz-attempts")).to_have_text("Қалған әрекеттер: 2")
        answer_wrongly(quiz)
        submit(quiz)
        expect(quiz.locator("#quiz-attempts-left")).to_have_text("Қалған әрекеттер: 1")
        expect(quiz.locator("#q-q04-input")).to_be_disabled()
        finish(page, built)
        previous = cmi_of(page)

        # relaunch: the last result is back, with one attempt left
        quiz = launch(page, base, built, resume_data(built.scorm, previous))
        expect(quiz.locator("#quiz-result")).to_be_visible()
        expect(quiz.locator("#quiz-summary")).to_contain_text("5,56%")
        expect(quiz.locator("#quiz-attempts-left")).to_have_text("Қалған әрекеттер: 1")
        expect(quiz.locator("#q-q04-input")).to_have_value("джоульмен")
        expect(quiz.locator("#q-q01")).to_have_attribute("data-result", "incorrect")
        screenshot(page, f"quiz-{built.scorm}-resumed", full_page=True)

        quiz.locator("#quiz-retry").click()
        expect(quiz.locator("#quiz-result")).to_be_hidden()
        expect(quiz.locator("#q-q04-input")).to_have_value("")
        answer_correctly(quiz)
        submit(quiz)
        expect(quiz.locator("#quiz-summary")).to_contain_text("100%")
        expect(quiz.locator("#quiz-attempts-left")).to_have_text("Әрекеттер таусылды")
        expect(quiz.locator("#quiz-retry")).to_be_hidden()
        wait_for(
            page,
            "cmi.core.lesson_status" if built.scorm == "1.2" else "cmi.success_status",
            "passed",
        )
        cmi = cmi_of(page)
        assert len(interactions(cmi)) == 7  # this session's; the harness keeps the first 7 too
        count = len([k for k in cmi if re.fullmatch(r"cmi\.interactions\.\d+\.id", k)])
        assert count == 14
        finish(page, built)
        previous = cmi_of(page)

        # no attempts left: the result stays, there is nothing to submit
        quiz = launch(page, base, built, resume_data(built.scorm, previous))
        expect(quiz.locator("#quiz-summary")).to_contain_text("100%")
        expect(quiz.locator("#quiz-retry")).to_be_hidden()
        expect(quiz.locator("#quiz-submit")).to_be_hidden()
        finish(page, built)


# ---- alone (file://) -------------------------------------------------------------------


def question_order(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "#quiz-questions > [data-qid]", "els => els.map(e => e.dataset.qid)"
    )


def choice_order(page: Page, qid: str) -> list[str]:
    return page.eval_on_selector_all(
        f"#q-{qid} .quiz-choice", "els => els.map(e => e.dataset.choice)"
    )


@pytest.mark.browser
def test_shuffling_with_a_seed_gives_every_learner_the_same_order(
    page: Page, tmp_path: Path
) -> None:
    built = build_quiz(tmp_path / "shuffled", shuffle=True)
    url = (built.folder / QUIZ_PATH).as_uri()
    page.goto(url)
    first = (question_order(page), choice_order(page, "q01"), choice_order(page, "q02"))
    page.reload()
    second = (question_order(page), choice_order(page, "q01"), choice_order(page, "q02"))
    assert first == second
    source = [q.id for q in QUESTIONS]
    assert first[0] != source and sorted(first[0]) == sorted(source)
    assert first[0].index("q07") == source.index("q07")  # a description keeps its place
    numbers = page.eval_on_selector_all(".quiz-num", "els => els.map(e => e.textContent)")
    assert numbers == [f"{n}." for n in range(1, 8)]
    other = build_quiz(tmp_path / "other-seed", shuffle=True, seed=8)
    page.goto((other.folder / QUIZ_PATH).as_uri())
    assert (question_order(page), choice_order(page, "q01")) != first[:2]


@pytest.mark.browser
def test_alone_it_scores_and_shows_feedback(page: Page, tmp_path: Path) -> None:
    built = build_quiz(tmp_path / "alone", attempts=0)
    page.goto((built.folder / QUIZ_PATH).as_uri())
    expect(page.locator(".sandyq-pager")).to_be_visible()
    expect(page.locator("h1")).to_have_count(1)
    assert page.locator("html").get_attribute("lang") == "kk"
    screenshot(page, "quiz-kk-before", full_page=True)
    answer_correctly(page)
    submit(page)
    expect(page.locator("#quiz-summary")).to_contain_text("100%")
    expect(page.locator("#quiz-retry")).to_be_visible()  # unlimited attempts
    screenshot(page, "quiz-kk-passed", full_page=True)
    page.locator("#quiz-retry").click()
    answer_wrongly(page)
    submit(page)
    expect(page.locator("#quiz-summary")).to_contain_text("Өтпеді")


@pytest.mark.browser
def test_one_question_at_a_time_with_the_keyboard(page: Page, tmp_path: Path) -> None:
    built = build_quiz(tmp_path / "steps", one_at_a_time=True)
    page.goto((built.folder / QUIZ_PATH).as_uri())
    step = page.locator("#quiz-step")
    expect(step).to_have_text("Сұрақ 1 / 8")
    expect(page.locator("#q-q02")).to_be_hidden()
    expect(page.locator("#quiz-submit")).to_be_hidden()
    expect(page.locator("#quiz-prev")).to_be_disabled()
    page.locator("#quiz-next").focus()
    page.keyboard.press("Enter")
    expect(step).to_have_text("Сұрақ 2 / 8")
    expect(page.locator("#q-q02")).to_be_visible()
    expect(page.locator("#q-q02")).to_be_focused()
    expect(page.locator("#q-q01")).to_be_hidden()
    for n in range(3, 9):
        page.locator("#quiz-next").click()
        expect(step).to_have_text(f"Сұрақ {n} / 8")
    expect(page.locator("#quiz-submit")).to_be_visible()
    page.locator("#quiz-prev").click()
    expect(step).to_have_text("Сұрақ 7 / 8")
    page.locator("#quiz-next").click()
    page.locator("#quiz-submit").click()
    expect(page.locator("#quiz-result")).to_be_focused()
    expect(page.locator("#q-q01")).to_be_visible()  # the review shows every question
