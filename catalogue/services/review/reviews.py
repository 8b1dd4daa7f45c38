"""A reviewer's review: drafts saved as often as needed, then submitted once, complete.

Who reads which reviews (``visible_reviews``):

- the chair: every submitted review, with comments to the chair and whether it counts;
  unless the chair is an author or co-author, who reads as an author does;
- a reviewer assigned to the resource: the reviews of earlier versions (a revision round),
  and those of their own version once they have submitted theirs; comments to the chair
  only their own;
- an author or co-author: the comments to the author of decided rounds, without the
  reviewer's name when the resource's reviews are anonymous;
- anyone else: 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from catalogue.auth import Principal, writable
from catalogue.db import db
from catalogue.errors import Conflict, Forbidden, Invalid
from catalogue.models import (
    AssignmentState,
    Recommendation,
    Resource,
    ResourceVersion,
    Review,
    ReviewAssignment,
    Role,
    User,
    utcnow,
)
from catalogue.services.review.assignments import own_assignment
from catalogue.services.review.base import (
    ACTIVE,
    IN_REVIEW,
    PENDING,
    chairs,
    counting,
    is_own,
    load_assignment,
    load_resource,
    notify_later,
    record,
    user_of,
    version_assignments,
)
from catalogue.services.review.rubric import (
    ReviewInput,
    failed_gates,
    missing_answers,
)
from catalogue.workflow import MIN_REVIEWERS
from scorm_builder import vocabulary

#: The metadata a reviewer compares between versions: all of it, in the vocabulary's order.
METADATA_FIELDS: tuple[str, ...] = tuple(vocabulary.METADATA_FIELDS)


@dataclass(frozen=True)
class VersionChanges:
    """What changed from one version to the next: metadata (before, after) and the package."""

    from_version: int
    to_version: int
    metadata: dict[str, tuple[Any, Any]]
    package_changed: bool
    author_response: str


@dataclass(frozen=True)
class ReviewWork:
    """A reviewer's own assignment, their review so far, and what changed since the last
    version (``None`` for a first version)."""

    assignment: ReviewAssignment
    review: Review | None
    changes: VersionChanges | None


@dataclass(frozen=True)
class ReviewView:
    """One submitted review as one reader may see it; ``None`` fields are withheld."""

    version: int
    reviewer: User | None
    comment_to_author: str
    submitted_at: datetime
    assignment_id: int | None = None
    gates: dict[str, bool | None] | None = None
    scores: dict[str, int | None] | None = None
    recommendation: Recommendation | None = None
    comment_to_chair: str | None = None
    counts: bool | None = None


def version_changes(before: ResourceVersion, after: ResourceVersion) -> VersionChanges:
    metadata = {
        name: (_plain(getattr(before, name)), _plain(getattr(after, name)))
        for name in METADATA_FIELDS
        if getattr(before, name) != getattr(after, name)
    }
    return VersionChanges(
        from_version=before.number,
        to_version=after.number,
        metadata=metadata,
        package_changed=before.package_sha256 != after.package_sha256,
        author_response=after.author_response,
    )


def review_work(who: Principal, assignment_id: int) -> ReviewWork:
    """The caller's own assignment with their review (draft or submitted)."""
    user = user_of(who)
    assignment = load_assignment(assignment_id)
    if assignment.reviewer_id != user.id:
        raise Forbidden("this is another reviewer's assignment", code="not_your_assignment")
    if user.id in assignment.resource.author_ids:
        raise Forbidden(
            "an author or co-author cannot review their own resource", code="conflict_of_interest"
        )
    return ReviewWork(assignment, assignment.review, _changes_for(assignment))


def save_review_draft(who: Principal, assignment_id: int, answers: ReviewInput) -> Review:
    """Save what the reviewer has so far (any part); nothing is checked for completeness."""
    writable(who)
    assignment = _writable_review(who, assignment_id)
    review = _apply(assignment, answers)
    db.session.commit()
    return review


def submit_review(who: Principal, assignment_id: int, answers: ReviewInput) -> Review:
    """Submit the review: every gate answered, every criterion 0-3 or N/A, a
    recommendation. Once submitted it no longer changes. The chairs hear when all are in."""
    writable(who)
    assignment = _writable_review(who, assignment_id)
    review = _apply(assignment, answers)
    missing = missing_answers(review.gates, review.scores, review.recommendation)
    if missing:
        raise Invalid(
            "the review is not complete", code="review_incomplete", details={"missing": missing}
        )
    failed = failed_gates(review.gates)
    if failed and review.recommendation is Recommendation.APPROVE:
        raise Invalid(
            "a failed gate cannot be recommended for approval",
            code="approve_with_failed_gate",
            details={"failed": failed},
        )
    review.submitted_at = utcnow()
    assignment.state = AssignmentState.SUBMITTED
    resource = assignment.resource
    record(
        who,
        resource,
        "submit_review",
        version_number=assignment.version.number,
        details={"assignment_id": assignment.id},
    )
    counted = counting(resource, version_assignments(assignment.version))
    if len(counted) >= MIN_REVIEWERS and not any(a.state in PENDING for a in counted):
        for chair in chairs():
            notify_later(chair, "all_reviews_in", resource, assignment.version, count=len(counted))
    db.session.commit()
    return review


def visible_reviews(who: Principal, uuid: str) -> list[ReviewView]:
    """The submitted reviews of a resource that the caller may read (see the module)."""
    user = user_of(who)
    resource = load_resource(uuid)
    rows = list(
        db.session.execute(
            select(Review, ReviewAssignment, ResourceVersion.number)
            .join(ReviewAssignment, Review.assignment_id == ReviewAssignment.id)
            .join(ResourceVersion, ResourceVersion.id == ReviewAssignment.version_id)
            .where(ReviewAssignment.resource_id == resource.id, Review.submitted_at.is_not(None))
            .order_by(ResourceVersion.number, ReviewAssignment.id)
        ).all()
    )
    authors = resource.author_ids
    counted = [
        (r, a, n)
        for r, a, n in rows
        if a.state is AssignmentState.SUBMITTED and a.reviewer_id not in authors
    ]
    if is_own(who, resource):  # first: an author who chairs the council reads as an author
        return [_for_author(resource, r, a, n) for r, a, n in counted if _decided(resource, n)]
    if who.has_role(Role.CHAIR):
        return [_for_chair(r, a, n, authors) for r, a, n in rows]
    mine = [
        a
        for a in db.session.scalars(
            select(ReviewAssignment).where(
                ReviewAssignment.resource_id == resource.id,
                ReviewAssignment.reviewer_id == user.id,
                ReviewAssignment.state.in_(ACTIVE),
            )
        )
    ]
    if who.read_only or not who.has_role(Role.REVIEWER, Role.CHAIR) or not mine:
        raise Forbidden(
            "only the chair, the assigned reviewers and the authors read the reviews",
            code="not_allowed",
        )
    upto = max(
        a.version.number if a.state is AssignmentState.SUBMITTED else a.version.number - 1
        for a in mine
    )
    return [_for_reviewer(r, a, n, user) for r, a, n in counted if n <= upto]


def _changes_for(assignment: ReviewAssignment) -> VersionChanges | None:
    version = assignment.version
    earlier = [v for v in assignment.resource.versions if v.number < version.number]
    return version_changes(earlier[-1], version) if earlier else None


def _writable_review(who: Principal, assignment_id: int) -> ReviewAssignment:
    assignment = own_assignment(who, assignment_id)
    if assignment.state is AssignmentState.INVITED:
        raise Conflict("accept the assignment first", code="not_accepted")
    if assignment.state is AssignmentState.SUBMITTED:
        raise Conflict("the review is already submitted", code="review_submitted")
    if assignment.state is not AssignmentState.ACCEPTED:
        raise Conflict(f"the assignment is {assignment.state.value}", code="wrong_state")
    return assignment


def _apply(assignment: ReviewAssignment, answers: ReviewInput) -> Review:
    review = assignment.review
    if review is None:
        review = Review(assignment=assignment, gates={}, scores={})
        db.session.add(review)
    if "gates" in answers.given:
        review.gates = {**review.gates, **answers.gates}
    if "scores" in answers.given:
        review.scores = {**review.scores, **answers.scores}
    if "recommendation" in answers.given:
        review.recommendation = answers.recommendation
    if "comment_to_author" in answers.given:
        review.comment_to_author = answers.comment_to_author
    if "comment_to_chair" in answers.given:
        review.comment_to_chair = answers.comment_to_chair
    review.updated_at = utcnow()
    return review


def _decided(resource: Resource, version_number: int) -> bool:
    """An author reads a round's reviews once the chair has decided on it."""
    return not (version_number == resource.latest.number and resource.state in IN_REVIEW)


def _for_chair(
    review: Review, assignment: ReviewAssignment, number: int, authors: frozenset[int]
) -> ReviewView:
    assert review.submitted_at is not None
    return ReviewView(
        version=number,
        reviewer=assignment.reviewer,
        comment_to_author=review.comment_to_author,
        submitted_at=review.submitted_at,
        assignment_id=assignment.id,
        gates=dict(review.gates),
        scores=dict(review.scores),
        recommendation=review.recommendation,
        comment_to_chair=review.comment_to_chair,
        counts=assignment.state is AssignmentState.SUBMITTED
        and assignment.reviewer_id not in authors,
    )


def _for_reviewer(
    review: Review, assignment: ReviewAssignment, number: int, reader: User
) -> ReviewView:
    assert review.submitted_at is not None
    own = assignment.reviewer_id == reader.id
    return ReviewView(
        version=number,
        reviewer=assignment.reviewer,
        comment_to_author=review.comment_to_author,
        submitted_at=review.submitted_at,
        assignment_id=assignment.id,
        gates=dict(review.gates),
        scores=dict(review.scores),
        recommendation=review.recommendation,
        comment_to_chair=review.comment_to_chair if own else None,
    )


def _for_author(
    resource: Resource, review: Review, assignment: ReviewAssignment, number: int
) -> ReviewView:
    assert review.submitted_at is not None
    return ReviewView(
        version=number,
        reviewer=None if resource.reviews_anonymous else assignment.reviewer,
        comment_to_author=review.comment_to_author,
        submitted_at=review.submitted_at,
    )


def _plain(value: object) -> object:
    """A JSON-friendly value (enums by their value)."""
    return getattr(value, "value", value)
