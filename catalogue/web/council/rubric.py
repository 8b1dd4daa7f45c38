"""The rubric as an HTML form: field names, what the reviewer picked, and which questions a
refused submit still needs answered.

A browser sends strings (``gate-<name>=yes|no``, ``score-<name>=0..3|na``,
``recommendation``, the two comments); ``answers_from_form`` turns them into the mapping
``parse_review_input`` checks for the JSON API, so the page and the API share one set of
rules. Unanswered questions are left out rather than sent as ``None``: for a criterion
``None`` means "not applicable", and a draft must not turn a skipped question into N/A.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString

from catalogue.errors import CatalogueError
from catalogue.models import CRITERIA, GATES, Review
from catalogue.web.common.labels import CRITERION_NAMES, GATE_NAMES

#: What each score means, shown beside its radio button.
SCORE_MEANINGS: tuple[tuple[str, LazyString], ...] = (
    ("3", lazy_gettext("3: fully met")),
    ("2", lazy_gettext("2: mostly met")),
    ("1", lazy_gettext("1: partly met")),
    ("0", lazy_gettext("0: not met")),
    ("na", lazy_gettext("Not applicable")),
)
GATE_ANSWERS: tuple[tuple[str, LazyString], ...] = (
    ("yes", lazy_gettext("Yes, met")),
    ("no", lazy_gettext("No, not met")),
)
NOT_APPLICABLE = "na"
ANSWER_REQUIRED = lazy_gettext("Answer this question before submitting.")
FAILED_GATE_APPROVAL = lazy_gettext(
    "A review that fails a required criterion cannot recommend approval."
)


@dataclass(frozen=True)
class RubricValues:
    """What the form shows as chosen: ``gates``/``scores`` map names to form values
    (``yes``/``no``, ``0``..``3``/``na``); absent names are unanswered."""

    gates: dict[str, str] = field(default_factory=dict)
    scores: dict[str, str] = field(default_factory=dict)
    recommendation: str = ""
    comment_to_author: str = ""
    comment_to_chair: str = ""


def answers_from_form(form: Mapping[str, str]) -> dict[str, object]:
    """The request body ``parse_review_input`` expects, from the posted form fields.
    Values the form never offers are passed on as they are, so the parser refuses them."""
    gates: dict[str, object] = {}
    for name in GATES:
        raw = form.get(f"gate-{name}", "")
        if raw:
            gates[name] = {"yes": True, "no": False}.get(raw, raw)
    scores: dict[str, object] = {}
    for name in CRITERIA:
        raw = form.get(f"score-{name}", "")
        if raw == NOT_APPLICABLE:
            scores[name] = None
        elif raw:
            scores[name] = int(raw) if raw.isdigit() else raw
    body: dict[str, object] = {
        "gates": gates,
        "scores": scores,
        "comment_to_author": form.get("comment_to_author", ""),
        "comment_to_chair": form.get("comment_to_chair", ""),
    }
    recommendation = form.get("recommendation", "")
    if recommendation:
        body["recommendation"] = recommendation
    return body


def values_from_form(form: Mapping[str, str]) -> RubricValues:
    """What the reviewer typed, to show again when a save or submit is refused."""
    return RubricValues(
        gates={n: form[f"gate-{n}"] for n in GATES if form.get(f"gate-{n}")},
        scores={n: form[f"score-{n}"] for n in CRITERIA if form.get(f"score-{n}")},
        recommendation=form.get("recommendation", ""),
        comment_to_author=form.get("comment_to_author", ""),
        comment_to_chair=form.get("comment_to_chair", ""),
    )


def values_from_review(review: Review | None) -> RubricValues:
    """A saved review (draft or submitted) as the form shows it."""
    if review is None:
        return RubricValues()
    gates = {n: "yes" if v else "no" for n, v in review.gates.items() if isinstance(v, bool)}
    scores = {
        n: NOT_APPLICABLE if v is None else str(v)
        for n, v in review.scores.items()
        if n in CRITERIA
    }
    return RubricValues(
        gates=gates,
        scores=scores,
        recommendation=review.recommendation.value if review.recommendation else "",
        comment_to_author=review.comment_to_author,
        comment_to_chair=review.comment_to_chair,
    )


def summary_of(errors: Mapping[str, str]) -> dict[str, str]:
    """The refusal's messages for the summary atop the page, keyed by the element each
    links to: a question's fieldset (named, as there may be many), or the field."""
    names = {f"gates.{k}": v for k, v in GATE_NAMES.items()} | {
        f"scores.{k}": v for k, v in CRITERION_NAMES.items()
    }
    found: dict[str, str] = {}
    for key, message in errors.items():
        kind, _, name = key.partition(".")
        if kind in ("gates", "scores"):
            question = "gate" if kind == "gates" else "score"
            found[f"q-{question}-{name}"] = f"{names.get(key, name)}: {message}"
        else:
            found[ELEMENT_OF_FIELD.get(key, f"f-{key}")] = message
    return found


#: The element a field's error summary entry links to, where its id is not ``f-<field>``.
ELEMENT_OF_FIELD = {"recommendation": "q-recommendation", "decline_reason": "f-decline-reason"}


def field_errors(error: CatalogueError) -> dict[str, str]:
    """Per-question messages for a refused submit, keyed like the form's ids
    (``gates.<name>``, ``scores.<name>``, ``recommendation``)."""
    details = error.details if isinstance(error.details, Mapping) else {}
    if error.code == "review_incomplete":
        return {str(key): str(ANSWER_REQUIRED) for key in details.get("missing", [])}
    if error.code == "approve_with_failed_gate":
        return {"recommendation": str(FAILED_GATE_APPROVAL)}
    return {}
