"""The quiz page: a standalone accessible form that scores itself (``quiz.js``).

Every question is a ``<fieldset>`` of native controls, so the page works with a keyboard
and a screen reader without any ARIA widgets. The scoring data, correct answers
included, travels inside the page as JSON: an offline SCORM package has no server to
ask, so a learner who reads the page source can find them (docs/runtime.md says so).

``render_quiz_page`` prepares a view of each question for ``quiz.html.j2`` and the data
for ``quiz.js``: choice and matching identifiers (single ASCII characters, as SCORM 1.2
interactions need), the correct-response patterns of each interaction, and plain-text
descriptions.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from scorm_builder.model import Answer, Question, QuizPart
from scorm_builder.render import script_json

#: The marker a missing-word question's text holds where its control goes.
BLANK = "{blank}"

#: Choice identifiers by the answer's place in the source (stable under shuffling).
CHOICE_IDS = "abcdefghijklmnopqrstuvwxyz0123456789"
#: Matching prompts (sources); the answers (targets) use CHOICE_IDS.
SOURCE_IDS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

#: The quiz page's own words (glossary: тест, сұрақ, жауап, дұрыс / қате, өтті / өтпеді).
QUIZ_LABELS: dict[str, dict[str, str]] = {
    "kk": {
        "submit": "Жауаптарды тексеру",
        "try_again": "Қайта тапсыру",
        "correct": "Дұрыс",
        "incorrect": "Қате",
        "partial": "Ішінара дұрыс",
        "not_graded": "Мұғалім тексереді",
        "score": "Балл",
        "passed": "Өтті",
        "failed": "Өтпеді",
        "question_of": "Сұрақ {current} / {total}",
        "question": "Сұрақ {n}",
        "next_question": "Келесі сұрақ",
        "previous_question": "Алдыңғы сұрақ",
        "attempts_left": "Қалған әрекеттер: {n}",
        "no_attempts_left": "Әрекеттер таусылды",
        "passing_score": "Өту шегі: {n}%",
        "result": "Нәтиже",
        "answer": "Жауап",
        "choose": "Таңдаңыз",
        "true": "Ақиқат",
        "false": "Жалған",
        "points": "{score} / {max} балл",
    },
    "ru": {
        "submit": "Проверить ответы",
        "try_again": "Пройти снова",
        "correct": "Верно",
        "incorrect": "Неверно",
        "partial": "Частично верно",
        "not_graded": "Проверяет учитель",
        "score": "Балл",
        "passed": "Сдано",
        "failed": "Не сдано",
        "question_of": "Вопрос {current} из {total}",
        "question": "Вопрос {n}",
        "next_question": "Следующий вопрос",
        "previous_question": "Предыдущий вопрос",
        "attempts_left": "Осталось попыток: {n}",
        "no_attempts_left": "Попытки закончились",
        "passing_score": "Проходной балл: {n}%",
        "result": "Результат",
        "answer": "Ответ",
        "choose": "Выберите",
        "true": "Истина",
        "false": "Ложь",
        "points": "{score} из {max} б.",
    },
    "en": {
        "submit": "Check answers",
        "try_again": "Try again",
        "correct": "Correct",
        "incorrect": "Incorrect",
        "partial": "Partly correct",
        "not_graded": "Marked by the teacher",
        "score": "Score",
        "passed": "Passed",
        "failed": "Not passed",
        "question_of": "Question {current} of {total}",
        "question": "Question {n}",
        "next_question": "Next question",
        "previous_question": "Previous question",
        "attempts_left": "Attempts left: {n}",
        "no_attempts_left": "No attempts left",
        "passing_score": "Passing score: {n}%",
        "result": "Result",
        "answer": "Answer",
        "choose": "Choose",
        "true": "True",
        "false": "False",
        "points": "{score} of {max} points",
    },
}

_TAG = re.compile(r"<[^>]*>")
_BLOCKS = r"(?:p|div|ul|ol|table|pre|h\d|blockquote|figure)\b"
#: A text that is one paragraph of inline content fits inside a ``<legend>``.
_ONE_PARAGRAPH = re.compile(rf"^\s*<p>((?:(?!</?{_BLOCKS}).)*)</p>\s*$", re.S)
_BLOCK = re.compile(rf"<{_BLOCKS}", re.I)


def plain_text(markup: str) -> str:
    """The words of an HTML fragment, one line, for interaction descriptions."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


@dataclass(frozen=True)
class _Choice:
    id: str
    html: Markup
    feedback: Markup
    label: str = ""


@dataclass(frozen=True)
class _QuestionView:
    """What the template needs of one question."""

    question: Question
    number: int
    text: Markup
    before: Markup
    after: Markup
    legend: Markup
    legend_holds_text: bool
    choices: tuple[_Choice, ...] = ()
    prompts: tuple[tuple[str, Markup], ...] = ()
    targets: tuple[tuple[str, str], ...] = ()
    answer_feedback: tuple[Markup, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def blank(self) -> bool:
        return self.before != self.text


def render_quiz_page(
    environment: jinja2.Environment, part: QuizPart, common: dict[str, Any]
) -> str:
    """The HTML of the quiz page of ``part``; ``common`` as for every page template."""
    lang = str(common["lang"])
    labels = QUIZ_LABELS.get(lang, QUIZ_LABELS["en"])
    views: list[_QuestionView] = []
    number = 0
    for question in part.questions:
        if question.kind != "description":
            number += 1
        views.append(_view(question, number, labels))
    data = {
        "lang": lang,
        "passingScore": part.passing_score if part.graded else None,
        "attempts": max(0, part.attempts),
        "shuffle": part.shuffle,
        "seed": part.seed,
        "oneAtATime": part.one_at_a_time,
        "questions": [view.data for view in views],
        "labels": labels,
    }
    return environment.get_template("quiz.html.j2").render(
        **common,
        part=part,
        questions=views,
        quiz_labels=labels,
        question_count=number,
        quiz_json=Markup(script_json(data)),
    )


def _view(question: Question, number: int, labels: dict[str, str]) -> _QuestionView:
    text = question.text
    before, _, after = text.partition(BLANK) if BLANK in text else (text, "", "")
    legend_holds_text = BLANK not in text and (
        _ONE_PARAGRAPH.match(text) is not None or not _BLOCK.search(text)
    )
    shown = _ONE_PARAGRAPH.match(text)
    legend_text = shown.group(1) if shown else text
    data: dict[str, Any] = {
        "id": question.id,
        "kind": question.kind,
        "multiple": question.multiple,
        "points": question.points if question.graded else 0,
        "description": plain_text(text.replace(BLANK, "___"))[:240],
    }
    view: dict[str, Any] = {}
    kind = question.kind
    if kind == "multichoice":
        choices = tuple(
            _Choice(CHOICE_IDS[i], Markup(a.text), Markup(a.feedback))
            for i, a in enumerate(question.answers[: len(CHOICE_IDS)])
        )
        fractions = [a.fraction for a in question.answers[: len(choices)]]
        data["type"] = "choice"
        data["choices"] = [[c.id, f] for c, f in zip(choices, fractions, strict=True)]
        data["correct"] = _choice_patterns(choices, fractions, question.multiple)
        view["choices"] = choices
    elif kind == "truefalse":
        truth = next((a.text == "true" for a in question.answers if a.fraction > 0), True)
        feedback = {a.text: Markup(a.feedback) for a in question.answers}
        view["choices"] = (
            _Choice("true", Markup(), feedback.get("true", Markup()), labels["true"]),
            _Choice("false", Markup(), feedback.get("false", Markup()), labels["false"]),
        )
        data["type"] = "true-false"
        data["truth"] = truth
        data["correct"] = [truth]
    elif kind == "shortanswer":
        answers = [html.unescape(a.text) for a in question.answers]
        data["type"] = "fill-in"
        data["answers"] = [[t, a.fraction] for t, a in zip(answers, question.answers, strict=True)]
        best = max((a.fraction for a in question.answers), default=0.0)
        data["correct"] = [
            text
            for text, answer in zip(answers, question.answers, strict=True)
            if answer.fraction == best and best > 0
        ]
        view["answer_feedback"] = tuple(Markup(a.feedback) for a in question.answers)
    elif kind == "numerical":
        data["type"] = "numeric"
        data["numbers"] = [_number(a) for a in question.answers]
        data["correct"] = _numeric_patterns(question.answers)
        view["answer_feedback"] = tuple(Markup(a.feedback) for a in question.answers)
    elif kind == "matching":
        prompts = [p for p in question.pairs if p.prompt.strip()]
        targets = sorted({html.unescape(p.answer) for p in question.pairs}, key=str.casefold)
        target_ids = {t: CHOICE_IDS[i] for i, t in enumerate(targets[: len(CHOICE_IDS)])}
        pairs = [
            [SOURCE_IDS[i], target_ids.get(html.unescape(p.answer), "")]
            for i, p in enumerate(prompts[: len(SOURCE_IDS)])
        ]
        data["type"] = "matching"
        data["pairs"] = pairs
        data["correct"] = [pairs]
        view["prompts"] = tuple(
            (SOURCE_IDS[i], Markup(p.prompt)) for i, p in enumerate(prompts[: len(SOURCE_IDS)])
        )
        view["targets"] = tuple((target_ids[t], t) for t in targets if t in target_ids)
    elif kind == "essay":
        data["type"] = "long-fill-in"
        data["correct"] = []
    return _QuestionView(
        question=question,
        number=number,
        text=Markup(text),
        before=Markup(before),
        after=Markup(after),
        legend=Markup(legend_text),
        legend_holds_text=legend_holds_text,
        data=data,
        **view,
    )


def _choice_patterns(
    choices: tuple[_Choice, ...], fractions: list[float], multiple: bool
) -> list[list[str]]:
    """Correct responses: every full-credit choice alone, or the set of positive ones."""
    if multiple:
        return [[c.id for c, f in zip(choices, fractions, strict=True) if f > 0]]
    best = max(fractions, default=0.0)
    if best <= 0:
        return []
    return [[c.id] for c, f in zip(choices, fractions, strict=True) if f == best]


def _number(answer: Answer) -> dict[str, Any]:
    if answer.value is None and answer.low is None and answer.high is None:
        return {"any": True, "fraction": answer.fraction}
    if answer.value is not None:
        low: float | None = answer.value - abs(answer.tolerance)
        high: float | None = answer.value + abs(answer.tolerance)
    else:
        low, high = answer.low, answer.high  # None: unbounded on that side
    return {"min": low, "max": high, "fraction": answer.fraction}


def _numeric_patterns(answers: tuple[Answer, ...]) -> list[dict[str, float]]:
    """The one correct response numeric interactions allow: the best bounded range."""
    ranges = [_number(a) for a in answers if not _number(a).get("any")]
    best = max((r["fraction"] for r in ranges), default=0.0)
    for r in ranges:
        if r["fraction"] == best and best > 0 and r["min"] is not None and r["max"] is not None:
            return [{"min": r["min"], "max": r["max"]}]
    return []
