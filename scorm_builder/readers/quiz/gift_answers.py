"""A GIFT answer block (what stands between ``{`` and ``}``) turned into answers or pairs.

The block's shape decides the question kind, in Moodle's order: empty -> essay; starting
with ``#`` -> numerical; holding ``~`` -> multiple choice; holding ``=`` and ``->`` ->
matching; ``T``/``TRUE``/``F``/``FALSE`` (any case) -> true/false; anything else -> short
answer. The general feedback (``####``) is cut off before this module sees the block.

Answers follow the model's conventions:

- multiple choice: ``=`` marks a right choice (fraction 1), ``~`` a wrong one (0), and
  ``~%50%`` / ``~%-25%`` a weight in percent (fraction 0.5 / -0.25). ``multiple`` is set
  when no choice is marked with ``=`` and more than one has a positive weight (pupils tick
  boxes); otherwise one choice is picked, possibly for partial credit.
- true/false: two answers, always ``"true"`` then ``"false"``; the right one has fraction
  1. GIFT writes ``{T#shown if wrong#shown if right}``; each feedback is put on the answer
  whose choice shows it.
- short answer: ``Answer.text`` is the accepted text, HTML-escaped (compare a pupil's
  reply with it unescaped); ``*`` is Moodle's "anything else" answer.
- numerical: ``value`` with ``tolerance`` (``2:0.5``), or ``low``/``high`` for a range
  (``1..5``, ``value`` then None); ``text`` shows the answer to people (``2 ± 0.5``). An
  answer with ``value``, ``low`` and ``high`` all None and ``text == "*"`` catches any
  other number (``~#feedback`` or ``=%0%*#feedback``). A decimal comma is accepted.
- matching: ``MatchPair.prompt`` is HTML (in the question's format or its own),
  ``MatchPair.answer`` plain text HTML-escaped (as Moodle, GIFT gives answers no format);
  a pair with an empty prompt (``= -> extra``) is an extra wrong answer for every list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from scorm_builder.errors import SourceFileError
from scorm_builder.model import Answer, MatchPair, QuestionKind
from scorm_builder.readers.quiz.formats import TextFormat, escape_text, split_format, to_html
from scorm_builder.readers.quiz.problems import QuestionSource
from scorm_builder.readers.quiz.spans import Span

_TRUE, _FALSE = ("T", "TRUE"), ("F", "FALSE")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-"})  # from Word
_WEIGHT_HINT = "write a weight in percent between two '%' signs: ~%50%answer or ~%-25%answer"
_CATCH_ALL = "*"


@dataclass(frozen=True)
class Block:
    """What an answer block holds: the question's kind and its answers or pairs."""

    kind: QuestionKind
    answers: tuple[Answer, ...] = ()
    pairs: tuple[MatchPair, ...] = ()
    multiple: bool = False


def read_answer_block(block: Span, fmt: TextFormat, where: QuestionSource) -> Block:
    """Answers of the block (general feedback already removed); ``fmt`` is the question's."""
    block = block.strip()
    if not block:
        return Block("essay")
    if block.mask.startswith("#"):
        return _numerical(block.cut(1), fmt, where)
    if block.find("~") >= 0:
        return _multichoice(block, fmt, where)
    if block.find("=") >= 0 and block.find("->") >= 0:
        return _matching(block, fmt, where)
    head_end = block.find("#")
    head = block.cut(0, head_end) if head_end > 0 else block
    if head.text().upper() in _TRUE + _FALSE:
        return _truefalse(block, fmt)
    return _shortanswer(block, fmt, where)


def parse_number(text: str) -> float | None:
    """A number as teachers write it (``9.8``, ``9,8``, ``−5``, ``6.67e-11``), else None."""
    text = text.strip().translate(_MINUS_SIGNS)
    return float(text.replace(",", ".")) if _NUMBER.match(text) else None


def _rich(piece: Span | None, fmt: TextFormat, *, inline: bool = True) -> str:
    if piece is None:
        return ""
    own, text = split_format(piece.text())
    return to_html(text, own or fmt, inline=inline)


def _feedback(piece: Span) -> tuple[Span, Span | None]:
    mark = piece.find("#")
    return (piece, None) if mark < 0 else (piece.cut(0, mark), piece.cut(mark + 1))


def _weight(piece: Span, where: QuestionSource) -> tuple[float | None, Span]:
    """``(0.5, rest)`` for ``%50%rest``; ``(None, piece)`` when no weight is given."""
    piece = piece.strip()
    if not piece.mask.startswith("%"):
        return None, piece
    end = piece.find("%", 1)
    if end < 0:
        raise where.error(
            f"has a weight with no closing '%': \"{piece.text()}\"",
            offset=piece.start,
            hint=_WEIGHT_HINT,
        )
    written = piece.raw[1:end].strip()
    value = parse_number(written)
    if value is None:
        raise where.error(
            f"has a weight that is not a number: '%{written}%'",
            offset=piece.start,
            hint=_WEIGHT_HINT,
        )
    if not -100 <= value <= 100:
        raise where.error(
            f"has a weight of {written}%; weights go from -100% to 100%",
            offset=piece.start,
            hint=_WEIGHT_HINT,
        )
    return value / 100, piece.cut(end + 1).strip()


def _pieces(block: Span, marks: str) -> list[tuple[str, Span]]:
    """The block split at ``marks``; a first piece before any mark is kept only if not empty."""
    pieces = block.split(marks)
    if not pieces[0][1].raw.strip():
        pieces = pieces[1:]
    return [(mark, piece.strip()) for mark, piece in pieces]


def _no_answers(where: QuestionSource, hint: str) -> SourceFileError:
    return where.error("has an answer block with no answers", offset=where.opened, hint=hint)


def _multichoice(block: Span, fmt: TextFormat, where: QuestionSource) -> Block:
    pieces = _pieces(block, "~=")
    if pieces and pieces[0][0] == "":
        raise where.error(
            f'has text before its first choice: "{pieces[0][1].text()}"',
            offset=pieces[0][1].start,
            hint="begin every choice with '=' (right) or '~' (wrong)",
        )
    hint = "write the choices as {=right ~wrong ~wrong}"
    if not any(piece.text() for _, piece in pieces):
        raise _no_answers(where, hint)
    answers: list[Answer] = []
    for number, (mark, piece) in enumerate(pieces, start=1):
        weight, rest = _weight(piece, where)
        body, feedback = _feedback(rest)
        if not body.text():
            raise where.error(f"has an empty choice {number}", offset=piece.start, hint=hint)
        fraction = weight if weight is not None else (1.0 if mark == "=" else 0.0)
        answers.append(Answer(_rich(body, fmt), fraction, _rich(feedback, fmt)))
    if len(answers) < 2:
        raise where.error(
            "has only one choice", offset=where.opened, hint="add at least one more: " + hint
        )
    positive = [answer.fraction for answer in answers if answer.fraction > 0]
    if not positive:
        raise where.error(
            "has no right choice",
            offset=where.opened,
            hint="mark the right choice with '=' or give right choices a weight: ~%50%",
        )
    multiple = all(mark == "~" for mark, _ in pieces) and len(positive) > 1
    total = round(sum(positive) * 100, 2) if multiple else round(max(positive) * 100, 2)
    if abs(total - 100) > 1:
        what = "the right choices' weights add up to" if multiple else "the best choice gives"
        where.warn(f"cannot be answered for full marks: {what} {total:g}%, not 100%")
    return Block("multichoice", tuple(answers), multiple=multiple)


def _truefalse(block: Span, fmt: TextFormat) -> Block:
    first = block.find("#")
    second = block.find("#", first + 1) if first >= 0 else -1
    head = block if first < 0 else block.cut(0, first)
    wrong = None if first < 0 else block.cut(first + 1, second if second >= 0 else None)
    right = None if second < 0 else block.cut(second + 1)
    truth = head.text().upper() in _TRUE
    right_html, wrong_html = _rich(right, fmt), _rich(wrong, fmt)
    return Block(
        "truefalse",
        (
            Answer("true", 1.0 if truth else 0.0, right_html if truth else wrong_html),
            Answer("false", 0.0 if truth else 1.0, wrong_html if truth else right_html),
        ),
    )


def _shortanswer(block: Span, fmt: TextFormat, where: QuestionSource) -> Block:
    pieces = _pieces(block, "=")
    hint = "write the accepted answers as {=answer =another answer}"
    if not any(piece.text() for _, piece in pieces):
        raise _no_answers(where, hint)
    answers: list[Answer] = []
    for number, (_, piece) in enumerate(pieces, start=1):
        weight, rest = _weight(piece, where)
        body, feedback = _feedback(rest)
        accepted = split_format(body.text())[1].strip()
        if not accepted:
            raise where.error(f"has an empty answer {number}", offset=piece.start, hint=hint)
        fraction = 1.0 if weight is None else weight
        answers.append(Answer(escape_text(accepted), fraction, _rich(feedback, fmt)))
    if not any(answer.fraction > 0 for answer in answers):
        raise where.error(
            "has no answer that earns marks",
            offset=where.opened,
            hint="an answer without a weight earns full marks: {=answer}",
        )
    return Block("shortanswer", tuple(answers))


def _numerical(block: Span, fmt: TextFormat, where: QuestionSource) -> Block:
    tilde = block.find("~")
    otherwise = None if tilde < 0 else block.cut(tilde + 1)
    pieces = _pieces(block if tilde < 0 else block.cut(0, tilde), "=")
    hint = "write the number after '#': {#9.8}, {#9.8:0.1} (with tolerance) or {#9..10}"
    if not any(piece.text() for _, piece in pieces):
        raise _no_answers(where, hint)
    answers = []
    for _, piece in pieces:
        weight, rest = _weight(piece, where)
        body, feedback = _feedback(rest)
        answer = _number_answer(body, where, hint)
        fraction = 1.0 if weight is None else weight
        answers.append(replace(answer, fraction=fraction, feedback=_rich(feedback, fmt)))
    if otherwise is not None:
        answers.append(Answer(_CATCH_ALL, 0.0, _rich(_feedback(otherwise)[1], fmt)))
    return Block("numerical", tuple(answers))


def _number_answer(body: Span, where: QuestionSource, hint: str) -> Answer:
    written = body.text()
    if written == _CATCH_ALL:
        return Answer(_CATCH_ALL)
    dots, colon = body.find(".."), body.find(":")
    if dots > 0:
        low_text, high_text = body.cut(0, dots).text(), body.cut(dots + 2).text()
        low, high = _number(low_text, body, where, hint), _number(high_text, body, where, hint)
        if low > high:
            raise where.error(
                f"has a range {written} whose low end is above its high end",
                offset=body.start,
                hint="write the smaller number first: {#1..5}",
            )
        return Answer(escape_text(f"{low_text}..{high_text}"), low=low, high=high)
    if colon > 0:
        value_text, tolerance_text = body.cut(0, colon).text(), body.cut(colon + 1).text()
        value = _number(value_text, body, where, hint)
        tolerance = _number(tolerance_text, body, where, hint)
        if tolerance < 0:
            raise where.error(
                f"has a negative tolerance in {written}", offset=body.start, hint=hint
            )
        shown = escape_text(f"{value_text} ± {tolerance_text}")
        return Answer(shown, value=value, tolerance=tolerance)
    return Answer(escape_text(written), value=_number(written, body, where, hint))


def _number(text: str, body: Span, where: QuestionSource, hint: str) -> float:
    value = parse_number(text)
    if value is None:
        raise where.error(
            f"has a numerical answer that is not a number: '{text}'", offset=body.start, hint=hint
        )
    return value


def _matching(block: Span, fmt: TextFormat, where: QuestionSource) -> Block:
    pieces = _pieces(block, "=")
    hint = "write each pair as =prompt -> answer, e.g. {=Күш -> Ньютон =Масса -> килограмм}"
    if pieces and pieces[0][0] == "":
        raise where.error(
            f'has text before its first pair: "{pieces[0][1].text()}"',
            offset=pieces[0][1].start,
            hint=hint,
        )
    pairs: list[MatchPair] = []
    for number, (_, piece) in enumerate(pieces, start=1):
        arrow = piece.find("->")
        if arrow < 0:
            raise where.error(f"has no '->' in pair {number}", offset=piece.start, hint=hint)
        answer = piece.cut(arrow + 2).text()
        if not answer:
            raise where.error(
                f"has nothing after '->' in pair {number}", offset=piece.start, hint=hint
            )
        pairs.append(MatchPair(_rich(piece.cut(0, arrow), fmt), escape_text(answer)))
    if sum(1 for pair in pairs if pair.prompt) < 2:
        raise where.error(
            "has fewer than two pairs to match",
            offset=where.opened,
            hint="a matching question needs at least two pairs (as in Moodle); " + hint,
        )
    return Block("matching", pairs=tuple(pairs))
