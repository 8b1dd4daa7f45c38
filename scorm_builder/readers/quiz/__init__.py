"""Quiz reader: a test written in GIFT or Aiken becomes a ``QuizPart``.

``course.toml``::

    [[parts]]
    type = "quiz"
    source = "newton-test.gift"   # GIFT or Aiken, UTF-8 (Windows-1251 is read with a warning)
    title = "Ньютон заңдары: тест" # default: the file's first $CATEGORY name, else its stem
    format = "auto"                # "auto", "gift" or "aiken"
    passing_score = 60             # percent, 0-100
    attempts = 0                   # 0 = unlimited
    shuffle = false                # shuffle questions and choices ...
    seed = 1                       # ... the same way for every pupil
    one_at_a_time = false          # one question per screen

``read_quiz_text`` is the pure core (bytes in, questions and warnings out), used by this
part reader and by single-file builds (``sandyq build test.gift``). Module map: ``text``
(decoding, format detection), ``gift`` and ``gift_answers`` (GIFT), ``aiken`` (Aiken),
``formats`` (GIFT text formats to HTML), ``spans`` (GIFT escapes), ``letters`` (Aiken's
lines and Cyrillic look-alike letters), ``problems`` (messages naming a question),
``budget`` (the cap on questions, ``SANDYQ_MAX_QUESTIONS``, and progress).
"""

from __future__ import annotations

import difflib
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scorm_builder.errors import CourseConfigError, SourceFileError
from scorm_builder.model import Question, QuizPart
from scorm_builder.readers.format import ReaderFormat
from scorm_builder.readers.quiz.aiken import parse_aiken
from scorm_builder.readers.quiz.budget import (
    DEFAULT_MAX_QUESTIONS,
    MAX_QUESTIONS_VARIABLE,
    Progress,
    QuestionBudget,
    max_questions,
)
from scorm_builder.readers.quiz.formats import plain_words
from scorm_builder.readers.quiz.gift import BLANK, category_leaf, parse_gift
from scorm_builder.readers.quiz.letters import ANSWER_PREFIX
from scorm_builder.readers.quiz.text import decode, detect_format

if TYPE_CHECKING:
    from scorm_builder.readers.context import PartContext

__all__ = [
    "BLANK",
    "DEFAULT_MAX_QUESTIONS",
    "MAX_QUESTIONS_VARIABLE",
    "max_questions",
    "parse_aiken",
    "parse_gift",
    "read_quiz_part",
    "read_quiz_text",
]

FORMAT_CHOICES = ("auto", "gift", "aiken")
_KEYS = (
    "type", "source", "title", "format", "passing_score", "attempts", "shuffle", "seed",
    "one_at_a_time",
)  # fmt: skip
_MAX_QUIZ_BYTES = 5 * 1024 * 1024
_WRITE_QUESTIONS = (
    "write GIFT questions (Question? {=right ~wrong}) separated by blank lines, "
    "or Aiken questions (options A) B) ... and ANSWER: A)"
)


def read_quiz_text(
    data: bytes,
    *,
    source: str,
    fmt: str = "auto",
    limit: int | None = None,
    progress: Progress | None = None,
) -> tuple[list[Question], list[str]]:
    """Questions and warnings of a GIFT or Aiken file's bytes; ``source`` names it in messages.

    At most ``limit`` questions (by default ``SANDYQ_MAX_QUESTIONS``, see ``budget``) are
    read; ``progress`` hears how far a long test has got. A test none of whose questions
    earns marks (only descriptions and essays) is refused: it would be a "test" that
    every pupil passes or none can, with nothing to score."""
    if fmt not in FORMAT_CHOICES:
        raise ValueError(f"unknown quiz format {fmt!r}; expected one of {FORMAT_CHOICES}")
    if len(data) > _MAX_QUIZ_BYTES:
        raise SourceFileError(
            f"the test file is larger than {_MAX_QUIZ_BYTES // (1024 * 1024)} MB",
            file=source,
            hint="a GIFT or Aiken test is plain text; check that this is the right file",
        )
    text, warnings = decode(data, source)
    chosen = detect_format(text) if fmt == "auto" else fmt
    parse = parse_aiken if chosen == "aiken" else parse_gift
    cap = max_questions() if limit is None else limit
    budget = QuestionBudget(source, cap, text.count("\n") + 1, progress)
    questions, found = parse(text, source, budget)
    if not questions:
        raise SourceFileError(
            "the test has no questions",
            file=source,
            hint=_WRITE_QUESTIONS,
        )
    if not any(question.graded for question in questions):
        raise _nothing_to_score(questions, source)
    return questions, warnings + found


def _nothing_to_score(questions: list[Question], source: str) -> SourceFileError:
    """The error for a test of descriptions and essays only, at its first question."""
    first = questions[0]
    kinds = sorted({"descriptions" if q.kind == "description" else "essays" for q in questions})
    words = plain_words(first.text)
    hint = "give at least one question answers that earn marks: " + _WRITE_QUESTIONS
    if first.kind == "description" and ANSWER_PREFIX.match(html.unescape(words)):
        hint = (
            f"'{words}' looks like the ANSWER line of an Aiken question, but no question "
            "and options A) ... B) ... come before it; write them above it"
        )
    return SourceFileError(
        f"the test has no question that earns marks: its {len(questions):,} "
        f"question{'s are' if len(questions) > 1 else ' is'} only {' and '.join(kinds)}, "
        "so there is nothing to score",
        file=source,
        line=first.line,
        hint=hint,
    )


def read_quiz_part(table: dict[str, Any], context: PartContext) -> QuizPart:
    """Read one ``type = "quiz"`` part of ``course.toml``."""
    _check_keys(table)
    options = _Options(table)
    fmt = options.choice("format", FORMAT_CHOICES, "auto")
    passing_score = options.integer("passing_score", 60, 0, 100)
    attempts = options.integer("attempts", 0, 0, None)
    shuffle = options.flag("shuffle", False)
    seed = options.integer("seed", 1, None, None)
    one_at_a_time = options.flag("one_at_a_time", False)
    title = options.text("title")
    path = context.source_path(table)
    label = _relative(path, context.root)
    if path.stat().st_size > _MAX_QUIZ_BYTES:
        raise SourceFileError(
            f"the test file is larger than {_MAX_QUIZ_BYTES // (1024 * 1024)} MB",
            file=label,
            hint="a GIFT or Aiken test is plain text; check that this is the right file",
        )
    questions, warnings = read_quiz_text(
        path.read_bytes(), source=label, fmt=fmt, progress=context.progress
    )
    context.warnings.extend(warnings)
    if not title:
        leaves = (category_leaf(question.category) for question in questions)
        title = next((leaf for leaf in leaves if leaf), path.stem)
    return QuizPart(
        title=title,
        questions=tuple(questions),
        passing_score=passing_score,
        attempts=attempts,
        shuffle=shuffle,
        seed=seed,
        one_at_a_time=one_at_a_time,
        path=f"{context.folder}/quiz.html",
        source=label,
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _check_keys(table: dict[str, Any]) -> None:
    for key in table:
        if key not in _KEYS:
            close = difflib.get_close_matches(key, _KEYS, n=1)
            raise CourseConfigError(
                f"unknown setting '{key}' in a quiz part",
                hint=f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(_KEYS),
            )


class _Options:
    """Typed access to a quiz part's settings; a wrong value is a ``CourseConfigError``."""

    def __init__(self, table: dict[str, Any]) -> None:
        self.table = table

    def integer(self, key: str, default: int, low: int | None, high: int | None) -> int:
        value: object = self.table.get(key, default)
        if isinstance(value, int) and not isinstance(value, bool):
            if (low is None or value >= low) and (high is None or value <= high):
                return value
        if low is not None and high is not None:
            allowed = f"a whole number from {low} to {high}"
        elif low is not None:
            allowed = f"a whole number, {low} or more"
        else:
            allowed = "a whole number"
        raise CourseConfigError(
            f"{key} = {value!r} is not allowed; it must be {allowed}",
            hint=f"write it without quotes, e.g. {key} = {default}",
        )

    def flag(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            raise CourseConfigError(
                f"{key} = {value!r} is not allowed; it must be true or false",
                hint=f"write {key} = true or {key} = false, without quotes",
            )
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.table.get(key, default)
        if value not in choices:
            raise CourseConfigError(
                f"{key} = {value!r} is not allowed",
                hint="use one of: " + ", ".join(f'"{choice}"' for choice in choices),
            )
        return str(value)

    def text(self, key: str) -> str:
        value = self.table.get(key, "")
        if not isinstance(value, str):
            raise CourseConfigError(
                f"{key} = {value!r} is not allowed; it must be text",
                hint=f'write {key} = "..." with double quotes',
            )
        return value.strip()


#: ``[[parts]] type = "quiz"``: GIFT (.gift) or Aiken (.aiken, or .txt as Moodle saves it).
FORMAT = ReaderFormat(
    type="quiz",
    read=read_quiz_part,
    what="a test",
    keys=tuple(key for key in _KEYS if key not in ("type", "source", "title")),
    suffixes=(".gift", ".aiken", ".txt"),
    offered=(".gift", ".txt"),
    order=3,
)
