"""Aiken reader: the simplest test format, multiple choice with one right answer.

    Ньютонның бірінші заңы қалай аталады?
    A) Инерция заңы
    B) Бүкіләлемдік тартылыс заңы
    ANSWER: A

The question text is every line before the first option (several lines are kept as line
breaks); options are ``A) text``, ``A)text`` or ``A. text``; ``ANSWER: X`` ends the
question. Beyond Moodle's reader: option and answer letters may be Cyrillic look-alikes
(``letters.LOOKALIKES``), ``ANSWER:`` may be ``ЖАУАП:`` or ``ОТВЕТ:`` in any case, an option
may run on over the next line, and blank lines are allowed anywhere. A text line that
follows a blank line after options starts a new question, so a missing ``ANSWER:`` is
reported on the question that lacks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scorm_builder.errors import SourceFileError
from scorm_builder.model import Answer, Question
from scorm_builder.readers.quiz.budget import QuestionBudget, max_questions
from scorm_builder.readers.quiz.formats import escape_text, plain_words
from scorm_builder.readers.quiz.letters import (
    ANSWER_PREFIX,
    CYRILLIC_OPTION,
    OPTION_LINE,
    latin_letter,
)
from scorm_builder.readers.quiz.text import normalise

_ANSWER_HINT = "end each question with a line such as ANSWER: B (or ЖАУАП: B, ОТВЕТ: B)"


@dataclass
class _Option:
    letter: str
    text: str
    line: int


@dataclass
class _Draft:
    """A question being read: its text lines and options so far."""

    line: int = 0
    lines: list[str] = field(default_factory=list)
    options: list[_Option] = field(default_factory=list)

    @property
    def words(self) -> str:
        return plain_words(" ".join(self.lines))

    def error(self, source: str, message: str, line: int, hint: str) -> SourceFileError:
        return SourceFileError(
            f'question "{self.words}" {message}', file=source, line=line, hint=hint
        )


def parse_aiken(
    text: str, source: str, budget: QuestionBudget | None = None
) -> tuple[list[Question], list[str]]:
    """Questions of an Aiken text in file order (ids ``q01``, ``q02`` ...) and warnings.

    Each question is counted by ``budget`` (by default the cap of ``SANDYQ_MAX_QUESTIONS``)
    as its ANSWER line ends it, so a file of too many stops early."""
    lines = normalise(text).split("\n")
    budget = budget or QuestionBudget(source, max_questions(), len(lines))
    questions: list[Question] = []
    draft, after_blank = _Draft(), False
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            after_blank = True
            continue
        answer = ANSWER_PREFIX.match(line)
        if answer:
            if not draft.lines:
                raise SourceFileError(
                    f"'{line}' has no question before it",
                    file=source,
                    line=number,
                    hint="write the question, then its options A) ... B) ..., then " + line,
                )
            budget.admit(draft.line)
            questions.append(_finish(draft, answer.group(1).strip(), number, source, questions))
            draft, after_blank = _Draft(), False
            continue
        _add_line(draft, line, number, after_blank, source)
        after_blank = False
    if draft.lines:
        raise _missing_answer(draft, source)
    budget.done()
    return questions, []


def _add_line(draft: _Draft, line: str, number: int, after_blank: bool, source: str) -> None:
    option = OPTION_LINE.match(line) if draft.lines else None
    if option:
        letter = latin_letter(option.group(1)) or option.group(1)
        if any(known.letter == letter for known in draft.options):
            raise draft.error(
                source,
                f"has option {letter} twice",
                number,
                "give each option its own letter: A), B), C), D)",
            )
        draft.options.append(_Option(letter, option.group(2).strip(), number))
        return
    if draft.options:
        cyrillic = CYRILLIC_OPTION.match(line)
        if cyrillic:
            raise draft.error(
                source,
                f"has an option lettered with the Cyrillic '{cyrillic.group(1)}'",
                number,
                "letter the options with Latin A, B, C, D (Cyrillic А, В, С look-alikes "
                "are fine; Б, Г, Д are not)",
            )
        if after_blank:
            raise _missing_answer(draft, source)
        last = draft.options[-1]
        last.text = f"{last.text} {line}".strip()
        return
    if not draft.lines:
        draft.line = number
    draft.lines.append(line)


def _missing_answer(draft: _Draft, source: str) -> SourceFileError:
    if not draft.options:
        return draft.error(
            source,
            "has no options and no ANSWER line",
            draft.line,
            "write the options as A) ..., B) ... and end with ANSWER: A",
        )
    return draft.error(
        source,
        f"has no ANSWER line (its last option is on line {draft.options[-1].line})",
        draft.line,
        _ANSWER_HINT + "; leave a blank line between questions",
    )


def _finish(
    draft: _Draft, written: str, number: int, source: str, done: list[Question]
) -> Question:
    letters = ", ".join(option.letter for option in draft.options)
    if len(draft.options) < 2:
        raise draft.error(
            source,
            "has fewer than two options",
            number,
            "write at least two options, one a line: A) ..., B) ...",
        )
    for option in draft.options:
        if not option.text:
            raise draft.error(
                source,
                f"has an empty option {option.letter}",
                option.line,
                "write the option's text after its letter: A) text",
            )
    shape = re.fullmatch(r"(\S)[).]?", written)
    letter = latin_letter(shape.group(1)) if shape else None
    if letter is None or letter not in {option.letter for option in draft.options}:
        what = f"'ANSWER: {written}'" if written else "an empty ANSWER line"
        raise draft.error(
            source,
            f"has {what}, which is not one of its options ({letters})",
            number,
            f"write the letter of the right option, e.g. ANSWER: {draft.options[0].letter}",
        )
    return Question(
        id=f"q{len(done) + 1:02d}",
        kind="multichoice",
        text="<br>".join(escape_text(line) for line in draft.lines),
        answers=tuple(
            Answer(escape_text(option.text), 1.0 if option.letter == letter else 0.0)
            for option in draft.options
        ),
        line=draft.line,
    )
