"""Quiz part: course.toml settings, decoding and format detection."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from scorm_builder.errors import CourseConfigError, SourceFileError
from scorm_builder.readers import PART_READERS, PartContext
from scorm_builder.readers.assets import AssetCollector
from scorm_builder.readers.quiz import read_quiz_part, read_quiz_text
from scorm_builder.readers.quiz.text import decode, detect_format

REPO = Path(__file__).resolve().parents[2]
NEWTON_TEST = REPO / "samples" / "physics-7-course" / "newton-test.gift"
FRACTIONS_TEST = REPO / "samples" / "singles" / "fractions-ru-aiken.txt"


@pytest.fixture
def context(tmp_path: Path) -> PartContext:
    root = tmp_path / "course"
    (root / "tests").mkdir(parents=True)
    shutil.copy(NEWTON_TEST, root / "tests" / "newton-test.gift")
    shutil.copy(FRACTIONS_TEST, root / "tests" / "дроби.txt")
    return PartContext(
        root=root,
        index=1,
        folder="content/02-test",
        collector=AssetCollector(root=root.resolve()),
        language="kk",
        work_dir=tmp_path / "work",
    )


def test_the_registry_knows_quiz_parts() -> None:
    assert PART_READERS["quiz"] is read_quiz_part


def test_defaults(context: PartContext) -> None:
    part = read_quiz_part({"type": "quiz", "source": "tests/newton-test.gift"}, context)
    assert part.title == "Ньютон заңдары"  # the first $CATEGORY's last name
    assert len(part.questions) == 14
    assert (part.passing_score, part.attempts, part.shuffle, part.seed) == (60, 0, False, 1)
    assert part.one_at_a_time is False
    assert part.path == "content/02-test/quiz.html"
    assert part.source == "tests/newton-test.gift"
    assert part.graded
    assert context.warnings == []


def test_every_setting(context: PartContext) -> None:
    table: dict[str, Any] = {
        "type": "quiz",
        "source": "tests/дроби.txt",
        "title": " Обыкновенные дроби ",
        "format": "aiken",
        "passing_score": 80,
        "attempts": 2,
        "shuffle": True,
        "seed": 7,
        "one_at_a_time": True,
    }
    part = read_quiz_part(table, context)
    assert part.title == "Обыкновенные дроби"
    assert (part.passing_score, part.attempts, part.shuffle, part.seed) == (80, 2, True, 7)
    assert part.one_at_a_time is True
    assert part.source == "tests/дроби.txt"
    assert len(part.questions) == 5


def test_title_falls_back_to_the_file_stem(context: PartContext) -> None:
    part = read_quiz_part({"type": "quiz", "source": "tests/дроби.txt"}, context)
    assert part.title == "дроби"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "passing_score",
            101,
            "passing_score = 101 is not allowed; it must be a whole number from 0 to 100",
        ),
        (
            "passing_score",
            "60",
            "passing_score = '60' is not allowed; it must be a whole number from 0 to 100",
        ),
        ("attempts", -1, "attempts = -1 is not allowed; it must be a whole number, 0 or more"),
        ("attempts", True, "attempts = True is not allowed; it must be a whole number, 0 or more"),
        ("seed", 1.5, "seed = 1.5 is not allowed; it must be a whole number"),
        ("shuffle", "yes", "shuffle = 'yes' is not allowed; it must be true or false"),
        ("one_at_a_time", 1, "one_at_a_time = 1 is not allowed; it must be true or false"),
        ("format", "moodle-xml", "format = 'moodle-xml' is not allowed"),
        ("title", 7, "title = 7 is not allowed; it must be text"),
        ("passing", 50, "unknown setting 'passing' in a quiz part"),
    ],
)
def test_bad_settings(context: PartContext, key: str, value: object, message: str) -> None:
    table = {"type": "quiz", "source": "tests/newton-test.gift", key: value}
    with pytest.raises(CourseConfigError) as caught:
        read_quiz_part(table, context)
    assert caught.value.message == message
    assert caught.value.hint


def test_parse_errors_name_the_file_relative_to_the_course(context: PartContext) -> None:
    (context.root / "tests" / "bad.gift").write_text("Сұрақ?{=a ~b\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as caught:
        read_quiz_part({"type": "quiz", "source": "tests/bad.gift"}, context)
    assert (caught.value.file, caught.value.line) == ("tests/bad.gift", 1)


def test_warnings_go_to_the_context(context: PartContext) -> None:
    data = "Вопрос?{=да ~нет}".encode("cp1251")
    (context.root / "tests" / "old.gift").write_bytes(data)
    read_quiz_part({"type": "quiz", "source": "tests/old.gift"}, context)
    assert len(context.warnings) == 1
    assert context.warnings[0].startswith("tests/old.gift:1: the file is not UTF-8")


# --- decoding and detection ------------------------------------------------------------------


def test_decode_utf8_with_and_without_bom_and_utf16() -> None:
    assert decode("Қазақ".encode(), "t") == ("Қазақ", [])
    assert decode(b"\xef\xbb\xbf" + "Қазақ".encode(), "t") == ("Қазақ", [])
    assert decode("Қазақ".encode("utf-16"), "t") == ("Қазақ", [])


def test_decode_cp1251_warns_on_the_first_bad_line() -> None:
    text, warnings = decode("line\nДроби".encode("cp1251"), "t.txt")
    assert text == "line\nДроби"
    assert warnings[0].startswith("t.txt:2: the file is not UTF-8")


def test_word_documents_and_unreadable_bytes_are_refused() -> None:
    with pytest.raises(SourceFileError, match="Word document"):
        decode(b"PK\x03\x04rest", "t.gift")
    with pytest.raises(SourceFileError, match="neither UTF-8 nor Windows-1251"):
        decode(b"abc\n\x98", "t.gift")


def test_detect_format() -> None:
    assert detect_format(FRACTIONS_TEST.read_text(encoding="utf-8")) == "aiken"
    assert detect_format(NEWTON_TEST.read_text(encoding="utf-8")) == "gift"
    assert detect_format("Вопрос?\nА) да\nВ) нет\nОТВЕТ: А") == "aiken"
    assert detect_format("Вопрос?\nA) да\nB) нет\n") == "aiken"  # to report the missing ANSWER
    assert detect_format("Вопрос?\nA) да\nB) нет\n{=да ~нет}") == "gift"
    assert detect_format("Вопрос: {=A ~B}\nОтвет: 5 {#5}") == "gift"
    assert detect_format("::Тек сипаттама::A. Байтұрсынұлы туралы.") == "gift"


def test_an_empty_test_is_an_error() -> None:
    with pytest.raises(SourceFileError, match="has no questions"):
        read_quiz_text(b"// only a comment\n\n", source="t.gift")


def test_the_format_can_be_forced() -> None:
    aiken = FRACTIONS_TEST.read_bytes()
    assert len(read_quiz_text(aiken, source="t", fmt="aiken")[0]) == 5
    # read as GIFT, every Aiken question is a description: nothing to score, refused
    with pytest.raises(SourceFileError, match="no question that earns marks"):
        read_quiz_text(aiken, source="t", fmt="gift")
    with pytest.raises(ValueError):
        read_quiz_text(aiken, source="t", fmt="qti")


# ---- hostile input (issue #15): nothing to score, too many questions ------------------------


def test_a_lone_aiken_answer_line_is_refused_not_built_as_an_unscored_item() -> None:
    with pytest.raises(SourceFileError) as caught:
        read_quiz_text("ЖАУАП: А\n".encode(), source="тест.txt")
    error = caught.value
    assert (error.file, error.line) == ("тест.txt", 1)
    assert "no question that earns marks" in error.message
    assert error.hint and "ЖАУАП: А" in error.hint and "A) ... B)" in error.hint


def test_a_test_of_only_descriptions_and_essays_is_refused() -> None:
    text = "Кіріспе мәтін.\n\nӨз ойыңызды жазыңыз: {}\n"
    with pytest.raises(SourceFileError, match="only descriptions and essays") as caught:
        read_quiz_text(text.encode(), source="эссе.gift")
    assert caught.value.line == 1 and caught.value.hint


def test_one_scored_question_among_descriptions_builds() -> None:
    text = "Кіріспе мәтін.\n\nКүш бірлігі? {=ньютон ~джоуль}\n"
    questions, _ = read_quiz_text(text.encode(), source="t.gift")
    assert [q.kind for q in questions] == ["description", "multichoice"]


def many_gift(count: int) -> bytes:
    return "".join(f"Сұрақ {n}? {{=иә ~жоқ}}\n\n" for n in range(1, count + 1)).encode()


def test_too_many_questions_are_refused_at_the_first_one_too_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SANDYQ_MAX_QUESTIONS", "30")
    with pytest.raises(SourceFileError) as caught:
        read_quiz_text(many_gift(31), source="үлкен.gift")
    error = caught.value
    assert error.file == "үлкен.gift" and error.line == 61  # question 31 starts there
    assert "more than 30 questions" in error.message
    assert error.hint and "SANDYQ_MAX_QUESTIONS" in error.hint
    assert len(read_quiz_text(many_gift(30), source="t.gift")[0]) == 30


def test_the_default_cap_is_two_thousand_and_aiken_has_it_too() -> None:
    aiken = "".join(f"Сұрақ {n}?\nA) иә\nB) жоқ\nANSWER: A\n\n" for n in range(2001))
    with pytest.raises(SourceFileError, match="more than 2,000 questions"):
        read_quiz_text(aiken.encode(), source="t.txt")
    assert len(read_quiz_text(many_gift(2000), source="t.gift")[0]) == 2000


@pytest.mark.parametrize("written", ["many", "0", "-5", "1.5"])
def test_a_bad_cap_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch, written: str) -> None:
    monkeypatch.setenv("SANDYQ_MAX_QUESTIONS", written)
    with pytest.raises(CourseConfigError, match="SANDYQ_MAX_QUESTIONS") as caught:
        read_quiz_text(many_gift(1), source="t.gift")
    assert caught.value.hint


def test_a_long_test_reports_progress_and_a_short_one_stays_quiet() -> None:
    heard: list[tuple[str, float]] = []
    read_quiz_text(many_gift(600), source="t.gift", progress=lambda t, f: heard.append((t, f)))
    assert [task for task, _ in heard] == ["reading t.gift"] * 3
    fractions = [fraction for _, fraction in heard]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and 0 < fractions[0] < 0.5
    heard.clear()
    read_quiz_text(many_gift(10), source="t.gift", progress=lambda t, f: heard.append((t, f)))
    assert heard == []
