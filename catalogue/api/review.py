"""The council's review over JSON (``/api/v1``): each view parses the request, calls one
service in ``catalogue.services.review`` with the caller, and renders the result.

Who may do what is decided by the services (and ``catalogue.workflow``); errors come back
as ``{"error": {"code", "message", "details"}}`` with 401, 403, 404, 409 or 422.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, request

from catalogue.api import schemas
from catalogue.api.openapi import Reply, documented
from catalogue.auth import login_required, principal
from catalogue.domain import timestamp
from catalogue.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from catalogue.models import Resource, Review, ReviewAssignment, User, utcnow
from catalogue.services import review as service
from catalogue.services.review.base import PENDING, as_utc
from catalogue.services.review.rubric import parse_review_input

bp = Blueprint("review", __name__, url_prefix="/api/v1")

Json = dict[str, Any]


# ---- the resource's transitions ---------------------------------------------------------


@bp.post("/resources/<uuid:uuid>/submit")
@documented(
    "Submit a draft for review (an author)",
    operation_id="submitResourceForReview",
    responses={200: schemas.Transitioned},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def submit(uuid: UUID) -> Json:
    return resource_json(service.submit(principal(), str(uuid)))


@bp.post("/resources/<uuid:uuid>/return")
@documented(
    "Return a submission to its author (the chair)",
    operation_id="returnToAuthor",
    body=schemas.Reason,
    responses={200: schemas.Transitioned},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def return_to_author(uuid: UUID) -> Json:
    reason = schemas.Reason.parse(_body()).reason
    return resource_json(service.return_to_author(principal(), str(uuid), reason))


@bp.post("/resources/<uuid:uuid>/start-review")
@documented(
    "Start the review of a resource given reviewers before assigning started it (the chair)",
    description=(
        "Assigning the second reviewer starts the review by itself; this is for resources "
        "that were assigned reviewers before that rule and still wait in `submitted`."
    ),
    operation_id="startReview",
    responses={200: schemas.Transitioned},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def start_review(uuid: UUID) -> Json:
    return resource_json(service.start_review(principal(), str(uuid)))


@bp.post("/resources/<uuid:uuid>/decision")
@documented(
    "Decide after the reviews (the chair)",
    operation_id="decide",
    body=schemas.Decision,
    responses={200: schemas.Transitioned},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def decision(uuid: UUID) -> Json:
    data = schemas.Decision.parse(_body())
    return resource_json(service.decide_review(principal(), str(uuid), data.decision, data.reason))


@bp.post("/resources/<uuid:uuid>/resubmit")
@documented(
    "Resubmit the uploaded revision with a response (an author)",
    operation_id="resubmit",
    body=schemas.Resubmission,
    responses={200: schemas.Transitioned},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def resubmit(uuid: UUID) -> Json:
    data = schemas.Resubmission.parse(_body())
    resubmitted = service.resubmit(
        principal(), str(uuid), data.response, same_reviewers=data.same_reviewers
    )
    return resource_json(resubmitted)


@bp.post("/resources/<uuid:uuid>/publish")
@documented(
    "Publish an approved resource (the chair)",
    operation_id="publish",
    responses={200: schemas.Transitioned},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def publish(uuid: UUID) -> Json:
    return resource_json(service.publish(principal(), str(uuid)))


@bp.post("/resources/<uuid:uuid>/unpublish")
@documented(
    "Take a resource down (the chair or an administrator)",
    operation_id="unpublish",
    body=schemas.Reason,
    responses={200: schemas.Transitioned},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def unpublish(uuid: UUID) -> Json:
    reason = schemas.Reason.parse(_body()).reason
    return resource_json(service.unpublish(principal(), str(uuid), reason))


@bp.post("/resources/<uuid:uuid>/republish")
@documented(
    "Publish an unpublished resource again (the chair)",
    operation_id="republish",
    body=schemas.Reason,
    responses={200: schemas.Transitioned},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def republish(uuid: UUID) -> Json:
    reason = schemas.Reason.parse(_body()).reason
    return resource_json(service.republish(principal(), str(uuid), reason))


@bp.post("/resources/<uuid:uuid>/withdraw")
@documented(
    "Withdraw a resource before it is decided (an author)",
    operation_id="withdraw",
    body=schemas.Reason,
    responses={200: schemas.Transitioned},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def withdraw(uuid: UUID) -> Json:
    reason = schemas.Reason.parse(_body()).reason
    return resource_json(service.withdraw(principal(), str(uuid), reason))


@bp.get("/resources/<uuid:uuid>/audit")
@documented(
    "The resource's audit log",
    operation_id="auditLog",
    responses={200: schemas.AuditLog},
    errors=(Unauthenticated, Forbidden, NotFound),
)
@login_required
def audit(uuid: UUID) -> Json:
    entries = service.audit_log(principal(), str(uuid))
    return {
        "events": [
            {
                "at": timestamp(e.at),
                "version": e.version,
                "actor": _person(e.actor),
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "reason": e.reason,
                "details": e.details,
            }
            for e in entries
        ]
    }


# ---- assignments ------------------------------------------------------------------------


@bp.post("/resources/<uuid:uuid>/assignments")
@documented(
    "Assign reviewers (the chair); authors and co-authors cannot review",
    description=(
        "The resource must end up with at least 2 reviewers; a submitted resource then goes "
        "under review at once (`resource_state`). A chair who is an author or co-author of "
        "the resource is refused (403 `conflict_of_interest`, with the other chairs who may "
        "assign in `details`)."
    ),
    operation_id="assignReviewers",
    body=schemas.AssignReviewers,
    responses={201: Reply("assigned", schemas.Assigned)},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def assign(uuid: UUID) -> tuple[Json, int]:
    data = schemas.AssignReviewers.parse(_body())
    made = service.assign_reviewers(principal(), str(uuid), data.reviewer_ids, data.due_at)
    state = made[0].resource.state.value
    return {"assignments": [assignment_json(a) for a in made], "resource_state": state}, 201


@bp.get("/resources/<uuid:uuid>/assignments")
@documented(
    "The resource's review assignments (the chair)",
    operation_id="listAssignments",
    responses={200: schemas.Assignments},
    errors=(Unauthenticated, Forbidden, NotFound),
)
@login_required
def assignments(uuid: UUID) -> Json:
    found = service.list_assignments(principal(), str(uuid))
    return {"assignments": [assignment_json(a) for a in found]}


@bp.delete("/assignments/<int:assignment_id>")
@documented(
    "Remove a reviewer's assignment (the chair)",
    operation_id="removeAssignment",
    responses={200: schemas.ReviewAssignment},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict),
)
@login_required
def remove_assignment(assignment_id: int) -> Json:
    return assignment_json(service.remove_assignment(principal(), assignment_id))


@bp.post("/assignments/<int:assignment_id>/accept")
@documented(
    "Accept an invitation, declaring no conflict of interest (the reviewer)",
    operation_id="acceptAssignment",
    body=schemas.Acceptance,
    responses={200: schemas.ReviewAssignment},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def accept(assignment_id: int) -> Json:
    declared = schemas.Acceptance.parse(_body()).no_conflict is True
    return assignment_json(service.accept_assignment(principal(), assignment_id, declared))


@bp.post("/assignments/<int:assignment_id>/decline")
@documented(
    "Decline an invitation, with a reason (the reviewer)",
    operation_id="declineAssignment",
    body=schemas.Reason,
    responses={200: schemas.ReviewAssignment},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def decline(assignment_id: int) -> Json:
    reason = schemas.Reason.parse(_body()).reason
    return assignment_json(service.decline_assignment(principal(), assignment_id, reason))


@bp.get("/me/assignments")
@documented(
    "The caller's review assignments",
    operation_id="myAssignments",
    responses={200: schemas.Assignments},
    errors=(Unauthenticated,),
)
@login_required
def my_assignments() -> Json:
    return {"assignments": [assignment_json(a) for a in service.my_assignments(principal())]}


# ---- reviews ----------------------------------------------------------------------------


@bp.get("/assignments/<int:assignment_id>/review")
@documented(
    "The reviewer's work: the assignment, the draft review, what changed",
    operation_id="getReview",
    responses={200: schemas.ReviewWork},
    errors=(Unauthenticated, Forbidden, NotFound),
)
@login_required
def review(assignment_id: int) -> Json:
    work = service.review_work(principal(), assignment_id)
    changes = work.changes
    return {
        "assignment": assignment_json(work.assignment),
        "review": review_json(work.review) if work.review is not None else None,
        "changes": None
        if changes is None
        else {
            "from_version": changes.from_version,
            "to_version": changes.to_version,
            "metadata": {
                name: {"before": before, "after": after}
                for name, (before, after) in changes.metadata.items()
            },
            "package_changed": changes.package_changed,
            "author_response": changes.author_response,
        },
    }


@bp.put("/assignments/<int:assignment_id>/review")
@documented(
    "Save the review as a draft (the reviewer)",
    operation_id="saveReview",
    body=schemas.ReviewAnswers,
    responses={200: schemas.Review},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def save_review(assignment_id: int) -> Json:
    answers = parse_review_input(_body())
    return review_json(service.save_review_draft(principal(), assignment_id, answers))


@bp.post("/assignments/<int:assignment_id>/review/submit")
@documented(
    "Submit the complete review (the reviewer)",
    operation_id="submitReview",
    body=schemas.ReviewAnswers,
    responses={200: schemas.Review},
    errors=(Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def submit_review(assignment_id: int) -> Json:
    answers = parse_review_input(_body())
    return review_json(service.submit_review(principal(), assignment_id, answers))


@bp.get("/resources/<uuid:uuid>/reviews")
@documented(
    "The reviews the caller may read (authors: anonymous comments)",
    operation_id="listReviews",
    responses={200: schemas.Reviews},
    errors=(Unauthenticated, Forbidden, NotFound),
)
@login_required
def reviews(uuid: UUID) -> Json:
    views = service.visible_reviews(principal(), str(uuid))
    rendered = []
    for view in views:
        item: Json = {
            "version": view.version,
            "reviewer": _person(view.reviewer),
            "comment_to_author": view.comment_to_author,
            "submitted_at": timestamp(view.submitted_at),
        }
        optional = {
            "assignment_id": view.assignment_id,
            "gates": view.gates,
            "scores": view.scores,
            "recommendation": view.recommendation.value if view.recommendation else None,
            "comment_to_chair": view.comment_to_chair,
            "counts": view.counts,
        }
        item.update({key: value for key, value in optional.items() if value is not None})
        rendered.append(item)
    return {"reviews": rendered}


# ---- deadlines --------------------------------------------------------------------------


@bp.get("/review/overdue")
@documented(
    "Overdue reviews and revisions (the chair)",
    operation_id="overdue",
    responses={200: schemas.Overdue},
    errors=(Unauthenticated, Forbidden),
)
@login_required
def overdue() -> Json:
    found = service.overdue(principal())
    return {
        "assignments": [assignment_json(a) for a in found.assignments],
        "revisions": [
            {
                "resource": r.uuid,
                "title": r.latest.title,
                "version": r.latest.number,
                "revision_due_at": timestamp(r.revision_due_at),
                "last_reminded_at": timestamp(r.revision_reminded_at),
                "authors": [_person(u) for u in (r.owner, *r.coauthors)],
            }
            for r in found.revisions
        ],
    }


@bp.post("/review/reminders")
@documented(
    "Send reminders for what is overdue (the chair)",
    operation_id="sendReminders",
    description=(
        "One reminder per overdue assignment or revision per REVIEW_REMINDER_INTERVAL_HOURS "
        "(72 by default): a second call within the interval sends nothing. Each reminder is "
        "a `remind` event of the resource's audit log. The caller's own resources are left "
        "out (conflict of interest)."
    ),
    responses={200: schemas.Reminders},
    errors=(Unauthenticated, Forbidden),
)
@login_required
def reminders() -> Json:
    return {"sent": service.send_reminders(principal())}


# ---- rendering --------------------------------------------------------------------------


def resource_json(resource: Resource) -> Json:
    return {
        "uuid": resource.uuid,
        "state": resource.state.value,
        "version": resource.latest.number,
        "reviews_anonymous": resource.reviews_anonymous,
        "submitted_at": timestamp(resource.submitted_at),
        "published_at": timestamp(resource.published_at),
        "revision_due_at": timestamp(resource.revision_due_at),
    }


def assignment_json(assignment: ReviewAssignment) -> Json:
    due = assignment.due_at
    return {
        "id": assignment.id,
        "resource": assignment.resource.uuid,
        "title": assignment.version.title,
        "resource_state": assignment.resource.state.value,
        "version": assignment.version.number,
        "reviewer": _person(assignment.reviewer),
        "state": assignment.state.value,
        "assigned_at": timestamp(assignment.assigned_at),
        "due_at": timestamp(due),
        "overdue": due is not None and assignment.state in PENDING and as_utc(due) < utcnow(),
        "responded_at": timestamp(assignment.responded_at),
        "no_conflict_declared": assignment.no_conflict_declared,
        "decline_reason": assignment.decline_reason,
        "last_reminded_at": timestamp(assignment.last_reminded_at),
    }


def review_json(review: Review) -> Json:
    return {
        "assignment_id": review.assignment_id,
        "gates": review.gates,
        "scores": review.scores,
        "recommendation": review.recommendation.value if review.recommendation else None,
        "comment_to_author": review.comment_to_author,
        "comment_to_chair": review.comment_to_chair,
        "updated_at": timestamp(review.updated_at),
        "submitted_at": timestamp(review.submitted_at),
    }


def _person(user: User | None) -> Json | None:
    return None if user is None else {"id": user.id, "name": user.name}


# ---- parsing ----------------------------------------------------------------------------


def _body() -> Json:
    """The JSON object sent (none: ``{}``), for a ``schemas.Body`` model to read."""
    if not request.get_data(cache=True):
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid("send a JSON object", code="invalid_json")
    return data
