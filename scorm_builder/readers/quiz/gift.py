"""GIFT reader: Moodle's text format for tests, as https://docs.moodle.org/en/GIFT_format
describes it and Moodle's own importer reads it.

Supported: multiple choice (one right answer, or several with ``%`` weights, negative
ones too), true/false, short answer, numerical (tolerance ``2:0.5``, range ``1..5``,
several answers with partial credit), matching, essay (``{}``), description (no braces),
missing word, per-answer feedback (``#``), general feedback (``####``), question names
(``::name::``), ``$CATEGORY:`` lines, escapes (``\\~ \\= \\# \\{ \\} \\: \\\\ \\n``), text formats
(``[html]``, ``[markdown]``, ``[plain]``, ``[moodle]``), whole-line ``//`` comments. Blank
lines separate questions. ``gift_answers`` documents how answers map onto the model.

Missing word: when text follows the answer block ("Күш {=ньютонмен ~джоульмен} өлшенеді.")
the question text holds the marker ``{blank}`` (``BLANK``) where the block stood. The
player puts its answer control there (a list for multiple choice, a field for short
answer and numerical) and a line elsewhere. A literal ``{blank}`` cannot be written.

Unlike Moodle, mistakes are errors rather than silently skipped questions: every error
names the line and the question's first words, and says what to write instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from scorm_builder.model import Question
from scorm_builder.readers.quiz.budget import QuestionBudget, max_questions
from scorm_builder.readers.quiz.formats import plain_words, split_format, to_html
from scorm_builder.readers.quiz.gift_answers import Block, read_answer_block
from scorm_builder.readers.quiz.problems import QuestionSource
from scorm_builder.readers.quiz.spans import Span, unescape
from scorm_builder.readers.quiz.text import normalise

BLANK = "{blank}"
_CATEGORY = "$CATEGORY:"
_BRACE_HINT = "write a literal brace as \\{ or \\}"


@dataclass(frozen=True)
class _Chunk:
    """The lines of one question (comments blanked), where it starts and its category."""

    line: int
    text: str
    category: str


def parse_gift(
    text: str, source: str, budget: QuestionBudget | None = None
) -> tuple[list[Question], list[str]]:
    """Questions of a GIFT text in file order (ids ``q01``, ``q02`` ...) and warnings.

    Questions are cut out one at a time and counted by ``budget`` (by default the cap of
    ``SANDYQ_MAX_QUESTIONS``) before each is parsed, so a file of too many stops early."""
    text = normalise(text)
    budget = budget or QuestionBudget(source, max_questions(), text.count("\n") + 1)
    warnings: list[str] = []
    questions: list[Question] = []
    for number, chunk in enumerate(_chunks(text), start=1):
        budget.admit(chunk.line)
        questions.append(_question(chunk, f"q{number:02d}", source, warnings))
    budget.done()
    return questions, warnings


def category_path(written: str) -> str:
    """``$course$/top/Физика/Ньютон`` -> ``Физика/Ньютон``: Moodle's context and top dropped
    (``//`` is a slash inside a name)."""
    parts = [part.replace("//", "/").strip() for part in re.split(r"(?<!/)/(?!/)", written)]
    if parts and re.fullmatch(r"\$\w+\$", parts[0]):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "/".join(part for part in parts if part)


def category_leaf(path: str) -> str:
    """The last name of a category path."""
    return re.split(r"(?<!/)/(?!/)", path)[-1].replace("//", "/").strip() if path else ""


def _chunks(text: str) -> Iterator[_Chunk]:
    lines: list[str] = []
    start, category = 0, ""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(_CATEGORY):
            if lines:
                yield _Chunk(start, "\n".join(lines), category)
                lines = []
            if stripped:
                category = category_path(stripped[len(_CATEGORY) :].strip())
        elif stripped.startswith("//"):
            if lines:
                lines.append("")  # keeps the following lines' numbers
        else:
            if not lines:
                start = number
            lines.append(line)
    if lines:
        yield _Chunk(start, "\n".join(lines), category)


def _question(chunk: _Chunk, qid: str, source: str, warnings: list[str]) -> Question:
    where = QuestionSource(source, chunk.line, "", chunk.text, warnings=warnings)
    text = Span.of(chunk.text).strip()
    name = ""
    if text.raw.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            where.words = plain_words(unescape(text.raw[2:]).split("{")[0])
            raise where.error(
                "has a name with no closing '::'",
                hint="write the name between double colons: ::Name:: question text; "
                "write a literal colon as \\:",
            )
        name = text.cut(2, end).text()
        text = text.cut(end + 2).strip()
    opening, closing = text.find("{"), text.find("}")
    before = text if opening < 0 else text.cut(0, opening)
    after = text.cut(closing + 1) if closing >= 0 else Span("", "")
    first_mark = min(mark for mark in (opening, closing, len(text.raw)) if mark >= 0)
    where.words = plain_words(text.cut(0, first_mark).text()) or plain_words(after.text()) or name
    where.opened = text.start + opening if opening >= 0 else None
    if opening < 0 and closing < 0:
        return _description(text, qid, name, chunk.category, where)
    _check_braces(text, opening, closing, after, where)
    block = text.cut(opening + 1, closing)
    missing_word = bool(after.raw.strip())
    written = unescape(before.raw) + (BLANK + unescape(after.raw) if missing_word else "")
    own, body = split_format(written.strip())
    fmt = own or "moodle"
    if not body.strip():
        raise where.error(
            "has no text", hint="write the question before its answer block: Question? {...}"
        )
    general = ""
    separator = block.rfind("####")
    if separator >= 0:
        general_span = block.cut(separator + 4)
        gf_format, gf_text = split_format(general_span.text())
        general = to_html(gf_text, gf_format or fmt)
        block = block.cut(0, separator)
    parsed: Block = read_answer_block(block, fmt, where)
    return Question(
        id=qid,
        kind=parsed.kind,
        text=to_html(body, fmt),
        name=name,
        answers=parsed.answers,
        pairs=parsed.pairs,
        multiple=parsed.multiple,
        general_feedback=general,
        category=chunk.category,
        points=1.0 if parsed.kind != "essay" else 0.0,
        line=chunk.line,
    )


def _check_braces(
    text: Span, opening: int, closing: int, after: Span, where: QuestionSource
) -> None:
    if opening >= 0 and closing < 0:
        opened = where.line_of(text.start + opening)
        raise where.error(
            f"has no closing '}}' (opened on line {opened})",
            hint="end the answer block with '}' before the blank line that ends the "
            f"question; {_BRACE_HINT}",
        )
    if opening < 0 or closing < opening:
        raise where.error(
            "has a '}' with no '{' before it",
            offset=text.start + closing,
            hint=f"open the answer block with '{{'; {_BRACE_HINT}",
        )
    for mark in "{}":
        extra = after.find(mark)
        if extra >= 0:
            raise where.error(
                f"has another '{mark}' after its answer block",
                offset=after.start + extra,
                hint="a question has one {...} block: separate questions with a blank "
                f"line; {_BRACE_HINT}",
            )


def _description(text: Span, qid: str, name: str, category: str, where: QuestionSource) -> Question:
    own, body = split_format(text.text())
    if not body.strip():
        raise where.error("has no text", hint="write the text after the name: ::Name:: text")
    return Question(
        id=qid,
        kind="description",
        text=to_html(body, own or "moodle"),
        name=name,
        category=category,
        points=0.0,
        line=where.line,
    )
