"""Fuzzing the GIFT reader: GIFT-shaped text (its marks, escapes, formats, Kazakh words)
and raw bytes; every input ends in questions or a clear ``SourceFileError``."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scorm_builder.errors import ScormError
from scorm_builder.readers.quiz import read_quiz_text
from tests.fuzz import assert_clear, fuzz_settings

#: How many tests share this target's budget of inputs (tests/fuzz/test_budget.py).
TESTS_IN_TARGET = 2
FUZZ = fuzz_settings(TESTS_IN_TARGET)

SOURCE = "fuzz.gift"
#: The pieces GIFT gives a meaning to, and text around them.
TOKENS = (
    "{", "}", "~", "=", "#", "####", "%", "%50%", "%-25%", "%200%", "%x%", "->", "::",
    "\\", "\\{", "\\}", "\\~", "\\=", "\\#", "\\:", "\\n", "\\\\", "\n", "\n\n", " ",
    "$CATEGORY: $course$/top/Физика", "//", "// comment\n", "[html]", "[markdown]",
    "[plain]", "[moodle]", "[other]", "T", "F", "TRUE", "false", "..", ":", "1.5", "9,8",
    "−5", "6.67e-11", "1..", "..5", "*", "<b>", "</p>", "&amp;", "Күш", "Ньютон", "?",
    "Q", "\r\n", "\u00a0", "\u200b", "\ufeff", "{blank}",
)  # fmt: skip

gift_text = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)), max_size=60).map(
    "".join
)


@FUZZ
@given(gift_text)
def test_gift_text(text: str) -> None:
    try:
        questions, warnings = read_quiz_text(text.encode("utf-8"), source=SOURCE, fmt="gift")
    except ScormError as error:
        assert_clear(error, SOURCE)
        return
    assert questions and all(isinstance(warning, str) for warning in warnings)
    assert any(question.points > 0 for question in questions)


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_as_a_test_file(data: bytes) -> None:
    try:
        read_quiz_text(data, source=SOURCE)
    except ScormError as error:
        assert_clear(error, SOURCE)
