"""Aiken reader: Russian and Kazakh tests, Cyrillic look-alike letters and every error."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorm_builder.errors import SourceFileError
from scorm_builder.model import Answer
from scorm_builder.readers.quiz import parse_aiken, read_quiz_text

REPO = Path(__file__).resolve().parents[2]
FRACTIONS_TEST = REPO / "samples" / "singles" / "fractions-ru-aiken.txt"

TWO_QUESTIONS = """\
Какая дробь больше?
A) 1/2
B) 2/3
ANSWER: B

Ньютонның бірінші заңы қалай аталады?
A. Инерция заңы
B. Тартылыс заңы
C. Сақталу заңы
ANSWER: A
"""


def error_of(text: str) -> SourceFileError:
    with pytest.raises(SourceFileError) as caught:
        parse_aiken(text, "test.txt")
    assert caught.value.file == "test.txt"
    assert caught.value.hint
    return caught.value


def test_questions_options_and_answer() -> None:
    questions, warnings = parse_aiken(TWO_QUESTIONS, "test.txt")
    assert warnings == []
    assert [(q.id, q.kind, q.line, q.multiple) for q in questions] == [
        ("q01", "multichoice", 1, False),
        ("q02", "multichoice", 6, False),
    ]
    assert questions[0].text == "Какая дробь больше?"
    assert questions[0].answers == (Answer("1/2", 0.0), Answer("2/3", 1.0))
    assert [a.fraction for a in questions[1].answers] == [1.0, 0.0, 0.0]
    assert questions[1].answers[0].text == "Инерция заңы"


def test_cyrillic_look_alike_letters_in_options_and_answer() -> None:
    # А, В, С, Е, Н, К, М, О, Р, Т, Х below are all Cyrillic.
    text = "Выберите:\nА) один\nВ) два\nС) три\nЕ) пять\nН) восемь\nК) одиннадцать\nANSWER: С\n"
    (question,), _ = parse_aiken(text, "t.txt")
    assert [a.fraction for a in question.answers] == [0, 0, 1, 0, 0, 0]
    more = "Выберите:\nМ) а\nО) б\nР) в\nТ) г\nХ) д\nОТВЕТ: х\n"
    (question,), _ = parse_aiken(more, "t.txt")
    assert [a.fraction for a in question.answers] == [0, 0, 0, 0, 1]


@pytest.mark.parametrize(
    "line",
    [
        "ANSWER: B",
        "answer: B",
        "ANSWER : B",
        "ЖАУАП: B",
        "жауап :B",
        "ОТВЕТ: В",
        "Ответ: b",
        "ANSWER: B)",
    ],
)
def test_answer_line_spellings(line: str) -> None:
    (question,), _ = parse_aiken(f"Сұрақ?\nA) бір\nB) екі\n{line}", "t.txt")
    assert [a.fraction for a in question.answers] == [0.0, 1.0]


def test_multi_line_question_option_continuation_and_escaping() -> None:
    text = (
        "Массасы 2 кг дене\nүдеуі 3 м/с² болса,\n\nкүш неге тең?\n"
        "A) 6 Н\nB) 1,5 Н, бұл\nтым аз\nC) <5 Н & т.б.\nANSWER: A\n"
    )
    (question,), _ = parse_aiken(text, "t.txt")
    assert question.text == "Массасы 2 кг дене<br>үдеуі 3 м/с² болса,<br>күш неге тең?"
    assert [a.text for a in question.answers] == ["6 Н", "1,5 Н, бұл тым аз", "&lt;5 Н &amp; т.б."]


def test_option_written_without_a_space_after_the_bracket() -> None:
    (question,), _ = parse_aiken("Сұрақ?\nA)бір\nB)екі\nANSWER: A", "t.txt")
    assert [a.text for a in question.answers] == ["бір", "екі"]


def test_crlf_bom_nbsp_and_quotes() -> None:
    text = "Кто написал «Путь Абая»?\r\nA)\u00a0Мухтар Ауэзов\r\nB) “Абай”\r\nОТВЕТ: A\r\n"
    questions, warnings = read_quiz_text(b"\xef\xbb\xbf" + text.encode(), source="t.txt")
    assert warnings == []
    assert questions[0].text == "Кто написал «Путь Абая»?"
    assert [a.text for a in questions[0].answers] == ["Мухтар Ауэзов", "“Абай”"]


def test_windows_1251_aiken_is_read_with_a_warning() -> None:
    data = "Сколько будет 1/2 + 1/2?\nA) 1\nB) 2/4\nОТВЕТ: A\n".encode("cp1251")
    questions, warnings = read_quiz_text(data, source="t.txt")
    assert questions[0].answers[0].fraction == 1.0
    assert len(warnings) == 1 and "Windows-1251" in warnings[0]


# --- errors ------------------------------------------------------------------------------------


def test_missing_answer_line_before_the_next_question() -> None:
    error = error_of(TWO_QUESTIONS.replace("ANSWER: B\n", ""))
    assert (error.line, error.message) == (
        1,
        'question "Какая дробь больше?" has no ANSWER line (its last option is on line 3)',
    )


def test_missing_answer_line_at_the_end() -> None:
    error = error_of(TWO_QUESTIONS.replace("ANSWER: A\n", ""))
    assert (error.line, error.message) == (
        6,
        'question "Ньютонның бірінші заңы қалай ..." has no ANSWER line '
        "(its last option is on line 9)",
    )


def test_answer_letter_that_is_not_an_option() -> None:
    error = error_of(TWO_QUESTIONS.replace("ANSWER: A", "ANSWER: D"))
    assert (error.line, error.message) == (
        10,
        "question \"Ньютонның бірінші заңы қалай ...\" has 'ANSWER: D', "
        "which is not one of its options (A, B, C)",
    )
    assert "'ANSWER: AB'" in error_of("Сұрақ?\nA) a\nB) b\nANSWER: AB").message
    assert "an empty ANSWER line" in error_of("Сұрақ?\nA) a\nB) b\nANSWER:").message


def test_other_mistakes() -> None:
    assert error_of("Сұрақ?\nA) бір\nANSWER: A").message == (
        'question "Сұрақ?" has fewer than two options'
    )
    assert error_of("Сұрақ?\nA) бір\nA) екі\nANSWER: A").message == (
        'question "Сұрақ?" has option A twice'
    )
    assert error_of("Сұрақ?\nA)\nB) екі\nANSWER: B").line == 2
    assert error_of("ANSWER: A").message == "'ANSWER: A' has no question before it"
    assert error_of("Только текст").message == (
        'question "Только текст" has no options and no ANSWER line'
    )


def test_russian_lettering_with_letters_that_have_no_latin_twin() -> None:
    error = error_of("Вопрос?\nА) один\nБ) два\nВ) три\nОТВЕТ: Б")
    assert (error.line, error.message) == (
        3,
        "question \"Вопрос?\" has an option lettered with the Cyrillic 'Б'",
    )


# --- the sample --------------------------------------------------------------------------------


def test_fractions_sample_parses_cleanly() -> None:
    questions, warnings = read_quiz_text(FRACTIONS_TEST.read_bytes(), source="fractions.txt")
    assert warnings == []
    assert len(questions) == 5
    assert all(q.kind == "multichoice" and not q.multiple for q in questions)
    assert all(sum(a.fraction for a in q.answers) == 1.0 for q in questions)
    right = [next(a.text for a in q.answers if a.fraction == 1.0) for q in questions]
    assert right == ["3/4", "3/4", "4/9", "9", "3/8"]
    raw = FRACTIONS_TEST.read_text(encoding="utf-8")
    assert "\nВ) " in raw and "ОТВЕТ: В" in raw  # Cyrillic В, as teachers type it
