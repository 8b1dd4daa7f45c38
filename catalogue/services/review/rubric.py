"""The council's rubric as plain data: gates answered yes/no, criteria scored 0-3 or N/A
(``None``), and one recommendation. No I/O: the services apply what this module checks.

A draft may answer any part; ``missing_answers`` says what a submitted review still lacks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from catalogue.errors import Invalid
from catalogue.models import CRITERIA, GATES, Recommendation

SCORES = range(0, 4)
FIELDS = ("gates", "scores", "recommendation", "comment_to_author", "comment_to_chair")


@dataclass(frozen=True)
class ReviewInput:
    """What a reviewer sent; ``given`` names the fields present (``None`` may mean "clear")."""

    gates: dict[str, bool | None] = field(default_factory=dict)
    scores: dict[str, int | None] = field(default_factory=dict)
    recommendation: Recommendation | None = None
    comment_to_author: str = ""
    comment_to_chair: str = ""
    given: frozenset[str] = frozenset()


def parse_review_input(body: Mapping[str, object]) -> ReviewInput:
    """Check a (possibly partial) review; ``Invalid`` lists every problem at once."""
    problems: list[str] = [f"unknown field '{key}'" for key in body if key not in FIELDS]
    gates = _answers(body.get("gates", {}), GATES, "gates", problems, _is_gate)
    scores = _answers(body.get("scores", {}), CRITERIA, "scores", problems, _is_score)
    recommendation = None
    raw = body.get("recommendation")
    if raw is not None:
        try:
            recommendation = Recommendation(str(raw))
        except ValueError:
            choices = ", ".join(r.value for r in Recommendation)
            problems.append(f"recommendation must be one of {choices}")
    comments = {}
    for name in ("comment_to_author", "comment_to_chair"):
        value = body.get(name, "")
        if not isinstance(value, str):
            problems.append(f"{name} must be text")
            value = ""
        comments[name] = value.strip()
    if problems:
        raise Invalid(
            "the review has errors", code="invalid_review", details={"problems": problems}
        )
    return ReviewInput(
        gates={k: v if v is None else bool(v) for k, v in gates.items()},
        scores={k: v if v is None else int(str(v)) for k, v in scores.items()},
        recommendation=recommendation,
        comment_to_author=comments["comment_to_author"],
        comment_to_chair=comments["comment_to_chair"],
        given=frozenset(key for key in body if key in FIELDS),
    )


def missing_answers(
    gates: Mapping[str, bool | None],
    scores: Mapping[str, int | None],
    recommendation: Recommendation | None,
) -> list[str]:
    """What a complete review still lacks: every gate yes/no, every criterion 0-3 or N/A."""
    missing = [f"gates.{name}" for name in GATES if not isinstance(gates.get(name), bool)]
    missing += [f"scores.{name}" for name in CRITERIA if name not in scores]
    if recommendation is None:
        missing.append("recommendation")
    return missing


def failed_gates(gates: Mapping[str, bool | None]) -> list[str]:
    return [name for name in GATES if gates.get(name) is False]


def _is_gate(value: object) -> bool:
    return value is None or isinstance(value, bool)


def _is_score(value: object) -> bool:
    return value is None or (
        isinstance(value, int) and not isinstance(value, bool) and value in SCORES
    )


def _answers(
    raw: object,
    names: tuple[str, ...],
    label: str,
    problems: list[str],
    valid: Callable[[object], bool],
) -> dict[str, object]:
    if not isinstance(raw, Mapping):
        problems.append(f"{label} must be an object")
        return {}
    answers: dict[str, object] = {}
    for key, value in raw.items():
        if key not in names:
            problems.append(f"unknown {label[:-1]} '{key}' (known: {', '.join(names)})")
        elif not valid(value):
            kind = "true, false or null" if label == "gates" else "0, 1, 2, 3 or null (N/A)"
            problems.append(f"{label}.{key} must be {kind}")
        else:
            answers[str(key)] = value
    return answers
