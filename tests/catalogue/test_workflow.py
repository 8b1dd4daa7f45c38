# ruff: noqa: E501  (the refusal table: one case a line)
"""The council's state machine on its own: pure data in, a state or a refusal out."""

from __future__ import annotations

import pytest

from catalogue.models import Role, State
from catalogue.workflow import TRANSITIONS, Facts, Refused, decide

CHAIR = Facts(roles=frozenset({Role.CHAIR}), reason="Екі сарапшы мақұлдады", reviewers=2)


def test_the_happy_path() -> None:
    author = Facts(is_author=True)
    state = decide("submit", State.DRAFT, author)
    state = decide("start_review", state, CHAIR)
    state = decide("approve", state, CHAIR)
    assert decide("publish", state, CHAIR) is State.PUBLISHED


@pytest.mark.parametrize("action", sorted(a for a, t in TRANSITIONS.items() if t.actor != "author"))
def test_a_chair_who_authored_the_resource_may_not_act_on_it(action: str) -> None:
    facts = Facts(
        is_author=True, roles=frozenset({Role.CHAIR, Role.ADMIN}), reason="x", reviewers=2
    )
    source = next(iter(TRANSITIONS[action].sources))
    with pytest.raises(Refused) as refused:
        decide(action, source, facts)
    assert refused.value.code == "conflict_of_interest" and refused.value.forbidden


@pytest.mark.parametrize(
    ("action", "state", "facts", "code"),
    [
        ("approve", State.UNDER_REVIEW, Facts(roles=frozenset({Role.REVIEWER}), reason="x"), "not_allowed"),
        ("approve", State.SUBMITTED, CHAIR, "wrong_state"),
        ("approve", State.UNDER_REVIEW, Facts(roles=frozenset({Role.CHAIR}), reviewers=2), "reason_required"),
        ("start_review", State.SUBMITTED, Facts(roles=frozenset({Role.CHAIR}), reviewers=1), "too_few_reviewers"),
        ("approve", State.UNDER_REVIEW, Facts(roles=frozenset({Role.CHAIR}), reason="x", reviewers=2, reviews_missing=1), "reviews_missing"),
        ("approve", State.UNDER_REVIEW, Facts(roles=frozenset({Role.CHAIR}), reason="x", reviewers=2, gate_failed=True), "gate_failed"),
        ("submit", State.DRAFT, Facts(is_author=True, copyright_attested=False), "copyright_not_attested"),
        ("submit", State.DRAFT, Facts(is_author=True, package_valid=False), "package_invalid"),
        ("withdraw", State.APPROVED, Facts(is_author=True), "wrong_state"),
        ("unpublish", State.PUBLISHED, Facts(roles=frozenset({Role.ADMIN})), "reason_required"),
    ],
)  # fmt: skip
def test_refusals(action: str, state: State, facts: Facts, code: str) -> None:
    with pytest.raises(Refused) as refused:
        decide(action, state, facts)
    assert refused.value.code == code
