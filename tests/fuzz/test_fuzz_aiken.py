"""Fuzzing the Aiken reader: option lines, ANSWER lines in three languages, Cyrillic
look-alike letters, blank lines; every input ends in questions or a clear error."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scorm_builder.errors import ScormError
from scorm_builder.readers.quiz import read_quiz_text
from tests.fuzz import assert_clear, fuzz_settings

#: How many tests share this target's budget of inputs (tests/fuzz/test_budget.py).
TESTS_IN_TARGET = 1
FUZZ = fuzz_settings(TESTS_IN_TARGET)

SOURCE = "fuzz.txt"
LINES = (
    "", "Ньютонның бірінші заңы қалай аталады?", "Question?", "A) Инерция", "B) Масса",
    "C)", "A)x", "A. text", "A.text", "А) кириллица", "В) кириллица", "Б) орысша",
    "ANSWER: A", "ANSWER: B", "ANSWER:", "ANSWER: Z", "ANSWER: A)", "answer : b",
    "ЖАУАП: А", "ОТВЕТ: В", "ANSWER: AB", "  ", "// comment", "{=a ~b}", "Z) last",
)  # fmt: skip

aiken_text = st.lists(st.one_of(st.sampled_from(LINES), st.text(max_size=12)), max_size=40).map(
    "\n".join
)


@FUZZ
@given(aiken_text, st.sampled_from(["aiken", "auto"]))
def test_aiken_text(text: str, fmt: str) -> None:
    try:
        questions, _ = read_quiz_text(text.encode("utf-8"), source=SOURCE, fmt=fmt)
    except ScormError as error:
        assert_clear(error, SOURCE)
        return
    assert any(question.points > 0 for question in questions)
    for question in questions:
        if question.kind == "multichoice" and fmt == "aiken":
            assert sum(answer.fraction for answer in question.answers) == 1.0
