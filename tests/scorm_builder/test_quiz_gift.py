"""GIFT reader: every question kind and feature, read from small Kazakh and Russian tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorm_builder.errors import SourceFileError
from scorm_builder.model import Answer, MatchPair, Question
from scorm_builder.readers.quiz import BLANK, parse_gift, read_quiz_text

REPO = Path(__file__).resolve().parents[2]
NEWTON_TEST = REPO / "samples" / "physics-7-course" / "newton-test.gift"


def one(text: str) -> Question:
    questions, warnings = parse_gift(text, "test.gift")
    assert warnings == []
    assert len(questions) == 1
    return questions[0]


def error_of(text: str) -> SourceFileError:
    with pytest.raises(SourceFileError) as caught:
        parse_gift(text, "test.gift")
    assert caught.value.file == "test.gift"
    assert caught.value.hint
    return caught.value


# --- multiple choice ---------------------------------------------------------------------


def test_multichoice_with_one_right_answer_and_feedback() -> None:
    question = one(
        "::Бірінші заң::Ньютонның бірінші заңы қалай аталады?{\n"
        "  =Инерция заңы#Дұрыс!\n"
        "  ~Тартылыс заңы#Жоқ, бұл басқа заң.\n"
        "  ~Сақталу заңы\n"
        "}"
    )
    assert question.kind == "multichoice"
    assert question.name == "Бірінші заң"
    assert question.text == "Ньютонның бірінші заңы қалай аталады?"
    assert question.multiple is False
    assert question.answers == (
        Answer("Инерция заңы", 1.0, "Дұрыс!"),
        Answer("Тартылыс заңы", 0.0, "Жоқ, бұл басқа заң."),
        Answer("Сақталу заңы", 0.0, ""),
    )
    assert question.points == 1.0
    assert question.graded


def test_multichoice_with_weights_is_multiple_and_keeps_negative_weights() -> None:
    question = one(
        "Какие дроби равны 1/2? {\n"
        "~%50%2/4 # верно\n"
        "~%50%3/6 # верно\n"
        "~%-100%1/3 # неверно\n"
        "~%-33.333%[plain]<2/3>\n"
        "}"
    )
    assert question.multiple is True
    assert [answer.fraction for answer in question.answers] == pytest.approx(
        [0.5, 0.5, -1, -0.33333]
    )
    assert question.answers[0].feedback == "верно"
    assert question.answers[3].text == "&lt;2/3&gt;"


def test_weights_with_one_right_answer_stay_single_choice() -> None:
    """Moodle's `=` (or one positive weight) means one choice is picked, partial credit or not."""
    partial = one("Астанада қай өзен ағады? {=Есіл ~%50%Нұра ~Жайық}")
    weighted = one("Астанада қай өзен ағады? {~%100%Есіл ~%-50%Жайық}")
    assert partial.multiple is False
    assert [answer.fraction for answer in partial.answers] == [1.0, 0.5, 0.0]
    assert weighted.multiple is False
    assert [answer.fraction for answer in weighted.answers] == [1.0, -0.5]


def test_weights_that_cannot_reach_full_marks_are_warned_about() -> None:
    questions, warnings = parse_gift("\n\nКүш бірлігі? {~%40%ньютон ~%40%Н ~джоуль}", "t.gift")
    assert questions[0].multiple is True
    assert warnings == [
        't.gift:3: question "Күш бірлігі?" cannot be answered for full marks: '
        "the right choices' weights add up to 80%, not 100%"
    ]


# --- true/false ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mark", "truth"), [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)]
)
def test_truefalse_marks(mark: str, truth: bool) -> None:
    question = one(f"Жер Күнді айнала қозғалады.{{{mark}}}")
    assert question.kind == "truefalse"
    assert question.answers == (
        Answer("true", 1.0 if truth else 0.0),
        Answer("false", 0.0 if truth else 1.0),
    )


def test_truefalse_feedback_goes_to_the_choice_that_shows_it() -> None:
    """`{F#shown if wrong#shown if right}`: choosing "true" is wrong here."""
    question = one(
        "Денені қозғалту үшін оған үнемі күш керек.{F#Қате: күш жылдамдықты өзгертеді.#Дұрыс!}"
    )
    assert question.answers == (
        Answer("true", 0.0, "Қате: күш жылдамдықты өзгертеді."),
        Answer("false", 1.0, "Дұрыс!"),
    )
    right_is_true = one("Жер шар тәрізді.{TRUE#Жоқ, шар тәрізді.#Иә!}")
    assert right_is_true.answers == (
        Answer("true", 1.0, "Иә!"),
        Answer("false", 0.0, "Жоқ, шар тәрізді."),
    )


def test_lower_case_true_false_is_accepted() -> None:
    assert one("Су 100 °C-та қайнайды.{true}").kind == "truefalse"


# --- short answer ----------------------------------------------------------------------------


def test_shortanswer_accepts_several_answers_with_weights() -> None:
    question = one(
        "::Столица::Столица Казахстана?{\n"
        "=Астана#Верно!\n"
        "=%50%Нур-Султан#Так город назывался в 2019–2022 годах.\n"
        "=%0%*#Нет.\n"
        "}"
    )
    assert question.kind == "shortanswer"
    assert question.answers == (
        Answer("Астана", 1.0, "Верно!"),
        Answer("Нур-Султан", 0.5, "Так город назывался в 2019–2022 годах."),
        Answer("*", 0.0, "Нет."),
    )


def test_shortanswer_without_equals_and_with_markup_is_escaped() -> None:
    assert one("Абай қай облыста туған?{Семей}").answers == (Answer("Семей", 1.0),)
    assert one("Белгі?{=a<b & c}").answers[0].text == "a&lt;b &amp; c"


# --- numerical ---------------------------------------------------------------------------------


def test_numerical_with_tolerance() -> None:
    question = one("Массасы 2 кг денеге 10 Н күш әсер етеді. Үдеуі қанша?{#5:0.5#Дұрыс!}")
    assert question.kind == "numerical"
    assert question.answers == (Answer("5 ± 0.5", 1.0, "Дұрыс!", value=5.0, tolerance=0.5),)


def test_numerical_with_a_range() -> None:
    question = one("1 мен 5 арасындағы сан?{#1..5}")
    assert question.answers == (Answer("1..5", 1.0, low=1.0, high=5.0),)


def test_numerical_with_partial_credit_and_feedback_for_anything_else() -> None:
    question = one(
        "5 кг дененің салмағы (Н)?{#\n=49:0.5#Дұрыс!\n=%50%50#g ≈ 10 деп алдыңыз.\n~#P \\= mg\n}"
    )
    assert question.answers == (
        Answer("49 ± 0.5", 1.0, "Дұрыс!", value=49.0, tolerance=0.5),
        Answer("50", 0.5, "g ≈ 10 деп алдыңыз.", value=50.0),
        Answer("*", 0.0, "P = mg"),
    )


def test_numerical_reads_decimal_commas_negative_numbers_and_exponents() -> None:
    question = one("Сандар?{# =9,8:0,1 =−5..-1 =6.67e-11}")
    assert [(a.value, a.tolerance, a.low, a.high) for a in question.answers] == [
        (9.8, 0.1, None, None),
        (None, 0.0, -5.0, -1.0),
        (6.67e-11, 0.0, None, None),
    ]


# --- matching, essay, description ------------------------------------------------------------


def test_matching_pairs_with_an_extra_wrong_answer() -> None:
    question = one(
        "::Бірліктер::Шаманы бірлігімен сәйкестендіріңіз.{\n"
        "=Күш -> ньютон\n"
        "=[html]<b>Масса</b> -> килограмм\n"
        "=Уақыт -> секунд <s>\n"
        "= -> джоуль\n"
        "####Күш — Н, масса — кг.\n"
        "}"
    )
    assert question.kind == "matching"
    assert question.pairs == (
        MatchPair("Күш", "ньютон"),
        MatchPair("<b>Масса</b>", "килограмм"),
        MatchPair("Уақыт", "секунд &lt;s&gt;"),
        MatchPair("", "джоуль"),
    )
    assert question.answers == ()
    assert question.general_feedback == "Күш — Н, масса — кг."


def test_essay_is_ungraded_and_keeps_its_general_feedback() -> None:
    question = one("::Эссе::Үшінші заңға мысал келтіріңіз.{\n####Мысалы, қайықтан секіру.\n}")
    assert question.kind == "essay"
    assert question.answers == ()
    assert question.general_feedback == "Мысалы, қайықтан секіру."
    assert question.points == 0.0
    assert not question.graded
    assert one("Как дела?{}").kind == "essay"


def test_description_has_no_braces() -> None:
    question = one("::Нұсқаулық::Тест Ньютон заңдары бойынша.\nМұқият оқыңыз.")
    assert question.kind == "description"
    assert question.name == "Нұсқаулық"
    assert question.text == "Тест Ньютон заңдары бойынша.<br>Мұқият оқыңыз."
    assert question.points == 0.0


# --- missing word, feedback, names, categories -------------------------------------------------


def test_missing_word_puts_a_blank_where_the_answer_block_was() -> None:
    question = one("Үдеу күшке {=тура ~кері} пропорционал.")
    assert BLANK == "{blank}"
    assert question.kind == "multichoice"
    assert question.text == "Үдеу күшке {blank} пропорционал."
    short = one("Абай Құнанбайұлы {=1845} жылы туған.")
    assert short.kind == "shortanswer"
    assert short.text == "Абай Құнанбайұлы {blank} жылы туған."


def test_answer_block_at_the_end_leaves_no_blank() -> None:
    assert one("Үдеу күшке пропорционал ма?\n{T}").text == "Үдеу күшке пропорционал ма?"


def test_general_feedback_takes_the_question_format() -> None:
    question = one("[markdown]Есепте **a** табыңыз.{#2####a \\= F / m, *яғни* 2}")
    assert question.general_feedback == "<p>a = F / m, <em>яғни</em> 2</p>"


def test_names_and_categories() -> None:
    questions, _ = parse_gift(
        "$CATEGORY: $course$/top/Физика 7/Ньютон заңдары\n\n"
        "::Q1::Бірінші?{T}\n\n"
        "$CATEGORY: $course$/Химия//Биология\n"
        "Екінші?{F}\n",
        "t.gift",
    )
    assert [(q.id, q.name, q.category) for q in questions] == [
        ("q01", "Q1", "Физика 7/Ньютон заңдары"),
        ("q02", "", "Химия/Биология"),
    ]


def test_ids_and_lines_follow_the_file() -> None:
    text = "// тест\n\nБір?{T}\n\n\n// түсініктеме\nЕкі?\n{F}\n" + "\n".join(
        f"\nСұрақ {n}?{{T}}" for n in range(3, 12)
    )
    questions, _ = parse_gift(text, "t.gift")
    assert [q.id for q in questions][:3] == ["q01", "q02", "q03"]
    assert questions[-1].id == "q11"
    assert [q.line for q in questions[:3]] == [3, 7, 10]


def test_comment_lines_inside_a_question_are_skipped() -> None:
    question = one("Күш бірлігі?{\n// дұрыс жауап:\n=ньютон\n~джоуль\n}")
    assert [answer.text for answer in question.answers] == ["ньютон", "джоуль"]


# --- escapes and text formats ------------------------------------------------------------------


def test_escapes() -> None:
    question = one(
        "::Белгілер\\: GIFT::Формула F \\= ma, жиын \\{1\\}, \\~ тильда, \\# тор, "
        "C:\\\\Windows\\nжаңа жол{=a \\= b#ескерту \\# бар ~c\\~d}"
    )
    assert question.name == "Белгілер: GIFT"
    assert question.text == ("Формула F = ma, жиын {1}, ~ тильда, # тор, C:\\Windows<br>жаңа жол")
    assert question.answers == (Answer("a = b", 1.0, "ескерту # бар"), Answer("c~d", 0.0))


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("", "a &lt; b<br>c"),
        ("[moodle]", "a &lt; b<br>c"),
        ("[plain]", "a &lt; b<br>c"),
        ("[html]", "a < b\nc"),
        ("[markdown]", "<p>a &lt; b\nc</p>"),
        ("[latex]", "[latex]a &lt; b<br>c"),
    ],
)
def test_text_formats(prefix: str, expected: str) -> None:
    assert one(f"{prefix}a < b\nc{{}}").text == expected


def test_choices_and_feedback_have_their_own_format_defaulting_to_the_question_one() -> None:
    question = one("[markdown]**Таңдаңыз**{=*иә*#[html]<i>дұрыс</i> ~[plain]*жоқ*#**қате**}")
    assert question.text == "<p><strong>Таңдаңыз</strong></p>"
    assert question.answers == (
        Answer("<em>иә</em>", 1.0, "<i>дұрыс</i>"),
        Answer("*жоқ*", 0.0, "<strong>қате</strong>"),
    )


# --- encodings and Word's characters ------------------------------------------------------------


def test_bom_crlf_nbsp_and_typographic_quotes() -> None:
    text = "::Ақын::«Абай\u00a0жолы» романын кім жазды?\r\n{=“Мұхтар Әуезов” ~‘Абай’}\r\n"
    questions, warnings = read_quiz_text(b"\xef\xbb\xbf" + text.encode(), source="t.gift")
    assert warnings == []
    question = questions[0]
    assert question.text == "«Абай жолы» романын кім жазды?"
    assert [answer.text for answer in question.answers] == ["“Мұхтар Әуезов”", "‘Абай’"]


def test_windows_1251_is_read_with_a_warning() -> None:
    data = "Столица России?\n{=Москва ~Казань}".encode("cp1251")
    questions, warnings = read_quiz_text(data, source="t.gift")
    assert questions[0].answers[0].text == "Москва"
    assert len(warnings) == 1
    assert warnings[0].startswith("t.gift:1: the file is not UTF-8; it was read as Windows-1251")


# --- errors ------------------------------------------------------------------------------------


def test_missing_closing_brace() -> None:
    error = error_of("Бір?{T}\n\n::Q::Ньютонның бірінші заңы қалай\nаталады? {\n=Инерция\n~Жоқ\n")
    assert error.line == 3
    assert error.message == (
        "question \"Ньютонның бірінші заңы қалай ...\" has no closing '}' (opened on line 4)"
    )


def test_blank_line_inside_an_answer_block_is_a_missing_brace() -> None:
    error = error_of("Күш бірлігі?{\n=ньютон\n\n~джоуль\n}")
    assert (error.line, error.message) == (
        1,
        "question \"Күш бірлігі?\" has no closing '}' (opened on line 1)",
    )


def test_closing_brace_without_opening_one() -> None:
    error = error_of("Бір?{T}\n\nЕкінші сұрақ\n=a ~b}")
    assert (error.line, error.message) == (
        4,
        "question \"Екінші сұрақ =a ~b\" has a '}' with no '{' before it",
    )


def test_two_answer_blocks_in_one_question() -> None:
    error = error_of("Бірінші?{T}\nЕкінші?{F}")
    assert (error.line, error.message) == (
        2,
        "question \"Бірінші?\" has another '{' after its answer block",
    )


def test_answer_block_with_no_answers() -> None:
    for block in ("{=}", "{~ ~}", "{#}", "{# ~#тек кері байланыс}"):
        error = error_of(f"Күш бірлігі қалай аталады?\n{block}")
        assert error.line == 2
        assert (
            error.message
            == 'question "Күш бірлігі қалай аталады?" has an answer block with no answers'
        )


def test_weight_that_is_not_a_number() -> None:
    error = error_of("Қай дробь?{\n~%50%1/2\n~%жарты%2/4\n~3/4\n}")
    assert (error.line, error.message) == (
        3,
        "question \"Қай дробь?\" has a weight that is not a number: '%жарты%'",
    )


def test_weight_out_of_range_and_unclosed() -> None:
    assert error_of("Сұрақ?{~%150%a ~b}").message == (
        'question "Сұрақ?" has a weight of 150%; weights go from -100% to 100%'
    )
    assert "no closing '%'" in error_of("Сұрақ?{~%50 a ~b}").message


def test_matching_needs_two_pairs_as_in_moodle() -> None:
    error = error_of("::M::Сәйкестендіріңіз:\n{\n=Күш -> ньютон\n= -> джоуль\n}")
    assert (error.line, error.message) == (
        2,
        'question "Сәйкестендіріңіз:" has fewer than two pairs to match',
    )
    assert len(one("Сәйкестендіріңіз:{=Күш -> ньютон =Масса -> кг}").pairs) == 2


def test_matching_pair_without_arrow() -> None:
    error = error_of("Сәйкестендіріңіз:{\n=Күш -> ньютон\n=Масса -> кг\n=Уақыт секунд\n}")
    assert (error.line, error.message) == (
        4,
        "question \"Сәйкестендіріңіз:\" has no '->' in pair 3",
    )


def test_numerical_answer_that_is_not_a_number() -> None:
    error = error_of("::g::Еркін түсу үдеуі?{#\n=9.8:0.1\n=он\n}")
    assert (error.line, error.message) == (
        3,
        "question \"Еркін түсу үдеуі?\" has a numerical answer that is not a number: 'он'",
    )
    assert "that is not a number: 'x'" in error_of("Сан?{#1..x}").message
    assert "low end is above" in error_of("Сан?{#5..1}").message


def test_multichoice_problems() -> None:
    assert error_of("Сұрақ?{~a ~b}").message == 'question "Сұрақ?" has no right choice'
    assert error_of("Сұрақ?{~%100%a}").message == 'question "Сұрақ?" has only one choice'
    assert error_of("Сұрақ?{=a ~}").message == 'question "Сұрақ?" has an empty choice 2'
    assert error_of("Сұрақ?{a ~b =c}").message == (
        'question "Сұрақ?" has text before its first choice: "a"'
    )


def test_name_without_closing_colons() -> None:
    error = error_of("\n::Бірінші заң Ньютонның заңы?{T}")
    assert (error.line, error.message) == (
        2,
        "question \"Бірінші заң Ньютонның заңы?\" has a name with no closing '::'",
    )


def test_question_with_no_text() -> None:
    assert error_of("::Тек атау::").message == 'question "Тек атау" has no text'


# --- the sample --------------------------------------------------------------------------------


def test_newton_sample_uses_every_kind_and_parses_cleanly() -> None:
    questions, warnings = read_quiz_text(NEWTON_TEST.read_bytes(), source="newton-test.gift")
    assert warnings == []
    assert len(questions) == 14
    kinds = [question.kind for question in questions]
    assert kinds.count("multichoice") == 5
    assert kinds.count("truefalse") == 2
    assert kinds.count("numerical") == 3
    assert {"shortanswer", "matching", "essay", "description"} <= set(kinds)
    assert any(question.multiple for question in questions)
    assert sum(BLANK in question.text for question in questions) == 1
    assert all(question.category == "Физика 7/Ньютон заңдары" for question in questions)
    assert all(question.name for question in questions)
    assert [question.id for question in questions] == [f"q{n:02d}" for n in range(1, 15)]
    assert sum(bool(question.general_feedback) for question in questions) >= 4
    assert any("<strong>" in question.text for question in questions)  # the Markdown one
