"""Reviewers on a resource: the chair assigns and removes them; a reviewer accepts (declaring
no conflict of interest) or declines. An author or co-author never reviews their own
resource: refused when assigning and accepting, and ``check_conflicts`` removes the
assignment of anyone who became a co-author later. Nor does a chair who is an author
assign, remove or list its reviewers: another chair must (``require_not_author``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from catalogue.auth import Principal, writable
from catalogue.db import db
from catalogue.domain import timestamp
from catalogue.errors import Conflict, Forbidden, Invalid
from catalogue.models import (
    AssignmentState,
    Resource,
    ReviewAssignment,
    Role,
    State,
    User,
    utcnow,
)
from catalogue.services.review.base import (
    ACTIVE,
    IN_REVIEW,
    PENDING,
    REVIEWING,
    as_utc,
    chairs,
    counting,
    days_from_now,
    due_text,
    load_assignment,
    load_resource,
    notify_later,
    record,
    require_not_author,
    require_role,
    start_when_staffed,
    user_of,
    version_assignments,
)
from catalogue.workflow import MIN_REVIEWERS

#: Who may be asked to review.
REVIEWER_ROLES = (Role.REVIEWER, Role.CHAIR)


def assign_reviewers(
    who: Principal, uuid: str, reviewer_ids: Sequence[int], due_at: datetime | None = None
) -> list[ReviewAssignment]:
    """Assign reviewers to the latest version (the chair, while submitted or under review).
    The resource must end up with at least ``MIN_REVIEWERS`` reviewers; a submitted one then
    goes under review at once."""
    writable(who)
    require_role(who, Role.CHAIR, to="assign reviewers")
    resource = load_resource(uuid)
    require_not_author(who, resource, to="assign its reviewers")
    _require_in_review(resource, "assign reviewers")
    wanted = list(dict.fromkeys(reviewer_ids))
    if not wanted:
        raise Invalid("name at least one reviewer", code="reviewer_ids_required")
    users = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(wanted)))}
    unknown = [i for i in wanted if i not in users or not users[i].active]
    if unknown:
        raise Invalid("unknown reviewer", code="unknown_reviewer", details={"ids": unknown})
    conflicted = [i for i in wanted if i in resource.author_ids]
    if conflicted:
        raise Forbidden(
            "an author or co-author cannot review their own resource",
            code="conflict_of_interest",
            details={"ids": conflicted},
        )
    not_reviewers = [i for i in wanted if not users[i].has_role(*REVIEWER_ROLES)]
    if not_reviewers:
        raise Invalid(
            "only council members can review", code="not_a_reviewer", details={"ids": not_reviewers}
        )
    version = resource.latest
    current = counting(resource, version_assignments(version))
    already = [i for i in wanted if any(a.reviewer_id == i for a in current)]
    if already:
        raise Conflict(
            "already assigned to this version", code="already_assigned", details={"ids": already}
        )
    if len(current) + len(wanted) < MIN_REVIEWERS:
        raise Invalid(
            f"a resource needs at least {MIN_REVIEWERS} reviewers", code="too_few_reviewers"
        )
    due = _due(due_at)
    chair = user_of(who)
    made = []
    for reviewer_id in wanted:
        assignment = ReviewAssignment(
            resource_id=resource.id,
            version=version,
            reviewer_id=reviewer_id,
            assigned_by_id=chair.id,
            due_at=due,
            assigned_at=utcnow(),
        )
        db.session.add(assignment)
        made.append(assignment)
    db.session.flush()
    for assignment in made:
        record(
            who,
            resource,
            "assign",
            details={
                "assignment_id": assignment.id,
                "reviewer_id": assignment.reviewer_id,
                "due_at": timestamp(due),
            },
        )
        notify_later(
            users[assignment.reviewer_id], "assigned", resource, version, due=due_text(due)
        )
    start_when_staffed(who, resource, on="assign")
    db.session.commit()
    return made


def remove_assignment(who: Principal, assignment_id: int) -> ReviewAssignment:
    """The chair takes a reviewer off, before their review is submitted."""
    writable(who)
    require_role(who, Role.CHAIR, to="remove reviewers")
    assignment = load_assignment(assignment_id)
    resource = assignment.resource
    require_not_author(who, resource, to="remove its reviewers")
    _require_in_review(resource, "remove reviewers")
    if assignment.state is AssignmentState.SUBMITTED:
        raise Conflict("the review is already submitted", code="review_submitted")
    if assignment.state not in PENDING:
        raise Conflict(f"the assignment is {assignment.state.value}", code="wrong_state")
    assignment.state = AssignmentState.REMOVED
    record(
        who,
        resource,
        "unassign",
        version_number=assignment.version.number,
        details={"assignment_id": assignment.id, "reviewer_id": assignment.reviewer_id},
    )
    db.session.commit()
    return assignment


def accept_assignment(who: Principal, assignment_id: int, no_conflict: bool) -> ReviewAssignment:
    """The reviewer accepts, declaring that they have no conflict of interest."""
    writable(who)
    assignment = own_assignment(who, assignment_id)
    if assignment.state is not AssignmentState.INVITED:
        raise Conflict(f"the assignment is {assignment.state.value}", code="wrong_state")
    if no_conflict is not True:
        raise Invalid("declare that you have no conflict of interest", code="no_conflict_required")
    assignment.state = AssignmentState.ACCEPTED
    assignment.no_conflict_declared = True
    assignment.responded_at = utcnow()
    record(
        who,
        assignment.resource,
        "accept",
        version_number=assignment.version.number,
        details={"assignment_id": assignment.id},
    )
    db.session.commit()
    return assignment


def decline_assignment(who: Principal, assignment_id: int, reason: str) -> ReviewAssignment:
    """The reviewer declines (with a reason); the chairs hear of it."""
    writable(who)
    assignment = own_assignment(who, assignment_id, conflict_matters=False)
    if assignment.state not in PENDING:
        raise Conflict(f"the assignment is {assignment.state.value}", code="wrong_state")
    if not reason.strip():
        raise Conflict("say why you decline", code="reason_required")
    assignment.state = AssignmentState.DECLINED
    assignment.decline_reason = reason.strip()
    assignment.responded_at = utcnow()
    resource = assignment.resource
    record(
        who,
        resource,
        "decline",
        version_number=assignment.version.number,
        reason=reason,
        details={"assignment_id": assignment.id},
    )
    for chair in chairs():
        notify_later(
            chair,
            "declined",
            resource,
            assignment.version,
            reviewer=assignment.reviewer.name or assignment.reviewer.email,
            reason=reason,
        )
    db.session.commit()
    return assignment


def check_conflicts(resource: Resource, who: Principal | None = None) -> list[ReviewAssignment]:
    """Remove the assignments of reviewers who are now authors or co-authors of
    ``resource`` (call it after adding a co-author, before committing: it does not commit).
    Their reviews, even submitted ones, no longer count. Returns the removed assignments."""
    authors = resource.author_ids
    removed = [
        a
        for a in version_assignments(resource.latest)
        if a.state in ACTIVE and a.reviewer_id in authors
    ]
    for assignment in removed:
        assignment.state = AssignmentState.REMOVED
        record(
            who,
            resource,
            "conflict_removed",
            version_number=assignment.version.number,
            details={"assignment_id": assignment.id, "reviewer_id": assignment.reviewer_id},
        )
        for chair in chairs():
            notify_later(
                chair,
                "conflict_removed",
                resource,
                assignment.version,
                reviewer=assignment.reviewer.name or assignment.reviewer.email,
            )
    return removed


def list_assignments(who: Principal, uuid: str) -> list[ReviewAssignment]:
    """Every assignment of every version (the chair or an administrator, unless an author:
    the assignments name the reviewers, whom a blind review hides from the authors)."""
    require_role(who, Role.CHAIR, Role.ADMIN, to="see the assignments")
    resource = load_resource(uuid)
    require_not_author(who, resource, to="see who reviews it")
    return list(
        db.session.scalars(
            select(ReviewAssignment)
            .where(ReviewAssignment.resource_id == resource.id)
            .order_by(ReviewAssignment.id)
        )
    )


def my_assignments(who: Principal) -> list[ReviewAssignment]:
    """The caller's queue: invitations and accepted reviews not yet submitted, soonest due
    first."""
    user = user_of(who)
    rows = db.session.scalars(
        select(ReviewAssignment)
        .join(Resource, Resource.id == ReviewAssignment.resource_id)
        .where(
            ReviewAssignment.reviewer_id == user.id,
            ReviewAssignment.state.in_(PENDING),
            Resource.state.in_(REVIEWING),
        )
        .order_by(ReviewAssignment.due_at, ReviewAssignment.id)
    )
    return [a for a in rows if a.reviewer_id not in a.resource.author_ids]


def own_assignment(
    who: Principal, assignment_id: int, *, conflict_matters: bool = True
) -> ReviewAssignment:
    """The caller's own assignment on the version now in review, checked for conflicts.
    Before the review has started (reviewers assigned before the rule that starts it) the
    reviewer can do nothing yet."""
    user = user_of(who)
    assignment = load_assignment(assignment_id)
    if assignment.reviewer_id != user.id:
        raise Forbidden("this is another reviewer's assignment", code="not_your_assignment")
    resource = assignment.resource
    if conflict_matters and user.id in resource.author_ids:
        raise Forbidden(
            "an author or co-author cannot review their own resource", code="conflict_of_interest"
        )
    if resource.state is State.SUBMITTED and assignment.version_id == resource.latest.id:
        raise Conflict("the review has not started yet", code="review_not_started")
    if resource.state not in REVIEWING or assignment.version_id != resource.latest.id:
        raise Conflict(
            f"the resource is {resource.state.value}: this assignment is closed", code="wrong_state"
        )
    return assignment


def _require_in_review(resource: Resource, what: str) -> None:
    if resource.state not in IN_REVIEW:
        raise Conflict(
            f"cannot {what} when the resource is {resource.state.value}", code="wrong_state"
        )


def _due(due_at: datetime | None) -> datetime:
    if due_at is None:
        return days_from_now(int(current_app.config["REVIEW_DAYS"]))
    due = as_utc(due_at)
    if due <= utcnow():
        raise Invalid("the due date must be in the future", code="due_in_past")
    return due
