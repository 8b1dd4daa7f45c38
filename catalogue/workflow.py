"""The expert council's review as a state machine: plain data and one function, no I/O.

``decide`` says whether an action may happen to a resource in its state, by whom and with
what facts, and returns the new state; otherwise it raises ``Refused`` with a stable code.
The services (``catalogue.services.review``) gather the facts, call ``decide``, record the
audit event and commit; a refused action changes nothing.

    draft --submit--> submitted --assign (the second reviewer)--> under_review
    submitted --return--> draft
    under_review --request_revision--> revision_requested --resubmit--> submitted (v n+1)
    under_review --approve--> approved --publish--> published --unpublish--> unpublished
    under_review --reject--> rejected
    unpublished --republish--> published
    draft | submitted | under_review | revision_requested --withdraw--> withdrawn

A published resource's authors may send a new version (``resubmit`` from published): it
is reviewed like a revision while the public keeps the published one
(``Resource.published_number``); publishing moves the public to it, and a rejected or
withdrawn new version leaves the resource published as it was (``BACK_TO_PUBLIC``).

The review has no separate start: it starts as soon as a submitted resource has
``MIN_REVIEWERS`` reviewers (``review_starts``), when the chair assigns them or when a
revision comes back to the reviewers of the last round. Reviewers act only once it has
started. ``start_review`` stays for resources that were given reviewers before this rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from catalogue.domain import Role, State


class Actor(StrEnum):
    AUTHOR = "author"
    CHAIR = "chair"
    CHAIR_OR_ADMIN = "chair_or_admin"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[State]
    target: State
    actor: Actor
    needs_reason: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", frozenset({State.DRAFT}), State.SUBMITTED, Actor.AUTHOR),
        Transition("return", frozenset({State.SUBMITTED}), State.DRAFT, Actor.CHAIR, True),
        Transition("start_review", frozenset({State.SUBMITTED}), State.UNDER_REVIEW, Actor.CHAIR),
        Transition(
            "request_revision",
            frozenset({State.UNDER_REVIEW}),
            State.REVISION_REQUESTED,
            Actor.CHAIR,
            True,
        ),
        Transition("approve", frozenset({State.UNDER_REVIEW}), State.APPROVED, Actor.CHAIR, True),
        Transition("reject", frozenset({State.UNDER_REVIEW}), State.REJECTED, Actor.CHAIR, True),
        Transition(
            "resubmit",
            frozenset({State.REVISION_REQUESTED, State.PUBLISHED}),
            State.SUBMITTED,
            Actor.AUTHOR,
            True,
        ),
        Transition("publish", frozenset({State.APPROVED}), State.PUBLISHED, Actor.CHAIR),
        Transition(
            "unpublish", frozenset({State.PUBLISHED}), State.UNPUBLISHED, Actor.CHAIR_OR_ADMIN, True
        ),
        Transition("republish", frozenset({State.UNPUBLISHED}), State.PUBLISHED, Actor.CHAIR, True),
        Transition(
            "withdraw",
            frozenset({State.DRAFT, State.SUBMITTED, State.UNDER_REVIEW, State.REVISION_REQUESTED}),
            State.WITHDRAWN,
            Actor.AUTHOR,
        ),
    )
}

#: Decisions on a review need every assigned review in first.
DECISIONS = frozenset({"request_revision", "approve", "reject"})
#: Actions that end a public resource's new version without publishing it: the resource
#: goes back to published, its public version as it was.
BACK_TO_PUBLIC = frozenset({"reject", "withdraw"})
MIN_REVIEWERS = 2


def review_starts(state: State, reviewers: int) -> bool:
    """Whether a resource with ``reviewers`` counting reviewers goes under review now."""
    return state is State.SUBMITTED and reviewers >= MIN_REVIEWERS


@dataclass(frozen=True)
class Facts:
    """What the services know about the resource when an action is asked for."""

    is_author: bool = False
    roles: frozenset[Role] = frozenset()
    reason: str = ""
    metadata_complete: bool = True
    copyright_attested: bool = True
    package_valid: bool = True
    reviewers: int = 0  # assigned and counting (not declined, removed or conflicted)
    reviews_missing: int = 0
    gate_failed: bool = False
    public: bool = False  # a version of it is public (the action is on the next one)


class Refused(Exception):
    """The action may not happen; ``code`` is stable for API clients and tests."""

    def __init__(self, code: str, message: str, *, forbidden: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.forbidden = forbidden


def _may_act(actor: Actor, facts: Facts) -> bool:
    if actor is Actor.AUTHOR:
        return facts.is_author
    if actor is Actor.CHAIR:
        return Role.CHAIR in facts.roles
    return bool({Role.CHAIR, Role.ADMIN} & facts.roles)


def decide(action: str, state: State, facts: Facts) -> State:
    """The state after ``action``, or ``Refused`` saying why not."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise Refused("unknown_action", f"there is no action '{action}'")
    if not _may_act(transition.actor, facts):
        who = {Actor.AUTHOR: "the author", Actor.CHAIR: "the council chair"}.get(
            transition.actor, "the council chair or an administrator"
        )
        raise Refused("not_allowed", f"only {who} may {action.replace('_', ' ')}", forbidden=True)
    if transition.actor is not Actor.AUTHOR and facts.is_author:
        raise Refused(
            "conflict_of_interest",
            "you (co-)authored this resource: another member of the council must decide",
            forbidden=True,
        )
    if state not in transition.sources:
        raise Refused(
            "wrong_state", f"cannot {action.replace('_', ' ')} a resource that is {state.value}"
        )
    if transition.needs_reason and not facts.reason.strip():
        raise Refused("reason_required", f"say why ({action.replace('_', ' ')} needs a reason)")
    if action in ("submit", "resubmit"):
        if not facts.metadata_complete:
            raise Refused("metadata_incomplete", "fill in a title, subject, language and licence")
        if not facts.copyright_attested:
            raise Refused("copyright_not_attested", "the author must attest the copyright")
        if not facts.package_valid:
            raise Refused("package_invalid", "the package has validation errors")
    if action == "start_review" and facts.reviewers < MIN_REVIEWERS:
        raise Refused("too_few_reviewers", f"assign at least {MIN_REVIEWERS} reviewers first")
    if action in DECISIONS and facts.reviews_missing:
        raise Refused("reviews_missing", f"{facts.reviews_missing} assigned review(s) not in yet")
    if action in DECISIONS and facts.reviewers < MIN_REVIEWERS:
        # Reviewers who declined or were removed leave fewer reviews than a decision needs.
        raise Refused("too_few_reviewers", f"a decision needs {MIN_REVIEWERS} reviews")
    if action == "approve" and facts.gate_failed:
        raise Refused("gate_failed", "a reviewer failed a gate: approval is blocked")
    if facts.public and action in BACK_TO_PUBLIC:
        return State.PUBLISHED
    return transition.target
