"""The council's review over JSON (``/api/v1``): each view parses the request, calls one
service in ``catalogue.services.review`` with the caller, and renders the result.

Who may do what is decided by the services (and ``catalogue.workflow``); errors come back
as ``{"error": {"code", "message", "details"}}`` with 401, 403, 404, 409 or 422.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from flask import Blueprint, request

from catalogue.auth import login_required, principal
from catalogue.domain import timestamp
from catalogue.errors import Invalid
from catalogue.models import Resource, Review, ReviewAssignment, User, utcnow
from catalogue.services import review as service
from catalogue.services.review_base import PENDING, as_utc
from catalogue.services.review_rubric import parse_review_input

bp = Blueprint("review", __name__, url_prefix="/api/v1")

Json = dict[str, Any]


# ---- the resource's transitions ---------------------------------------------------------


@bp.post("/resources/<uuid:uuid>/submit")
@login_required
def submit(uuid: UUID) -> Json:
    return resource_json(service.submit(principal(), str(uuid)))


@bp.post("/resources/<uuid:uuid>/return")
@login_required
def return_to_author(uuid: UUID) -> Json:
    reason = _text(_body(), "reason")
    return resource_json(service.return_to_author(principal(), str(uuid), reason))


@bp.post("/resources/<uuid:uuid>/start-review")
@login_required
def start_review(uuid: UUID) -> Json:
    return resource_json(service.start_review(principal(), str(uuid)))


@bp.post("/resources/<uuid:uuid>/decision")
@login_required
def decision(uuid: UUID) -> Json:
    data = _body()
    chosen = _text(data, "decision")
    reason = _text(data, "reason")
    return resource_json(service.decide_review(principal(), str(uuid), chosen, reason))


@bp.post("/resources/<uuid:uuid>/resubmit")
@login_required
def resubmit(uuid: UUID) -> Json:
    data = _body()
    same = data.get("same_reviewers", True)
    if not isinstance(same, bool):
        raise Invalid("same_reviewers must be true or false", code="invalid_same_reviewers")
    response = _text(data, "response")
    return resource_json(service.resubmit(principal(), str(uuid), response, same_reviewers=same))


@bp.post("/resources/<uuid:uuid>/publish")
@login_required
def publish(uuid: UUID) -> Json:
    return resource_json(service.publish(principal(), str(uuid)))


@bp.post("/resources/<uuid:uuid>/unpublish")
@login_required
def unpublish(uuid: UUID) -> Json:
    reason = _text(_body(), "reason")
    return resource_json(service.unpublish(principal(), str(uuid), reason))


@bp.post("/resources/<uuid:uuid>/republish")
@login_required
def republish(uuid: UUID) -> Json:
    reason = _text(_body(), "reason")
    return resource_json(service.republish(principal(), str(uuid), reason))


@bp.post("/resources/<uuid:uuid>/withdraw")
@login_required
def withdraw(uuid: UUID) -> Json:
    reason = _text(_body(), "reason")
    return resource_json(service.withdraw(principal(), str(uuid), reason))


@bp.get("/resources/<uuid:uuid>/audit")
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
@login_required
def assign(uuid: UUID) -> tuple[Json, int]:
    data = _body()
    ids = data.get("reviewer_ids")
    if not isinstance(ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in ids
    ):
        raise Invalid("reviewer_ids must be a list of user ids", code="invalid_reviewer_ids")
    due_at = _datetime(data.get("due_at"), "due_at")
    made = service.assign_reviewers(principal(), str(uuid), ids, due_at)
    return {"assignments": [assignment_json(a) for a in made]}, 201


@bp.get("/resources/<uuid:uuid>/assignments")
@login_required
def assignments(uuid: UUID) -> Json:
    found = service.list_assignments(principal(), str(uuid))
    return {"assignments": [assignment_json(a) for a in found]}


@bp.delete("/assignments/<int:assignment_id>")
@login_required
def remove_assignment(assignment_id: int) -> Json:
    return assignment_json(service.remove_assignment(principal(), assignment_id))


@bp.post("/assignments/<int:assignment_id>/accept")
@login_required
def accept(assignment_id: int) -> Json:
    declared = _body().get("no_conflict") is True
    return assignment_json(service.accept_assignment(principal(), assignment_id, declared))


@bp.post("/assignments/<int:assignment_id>/decline")
@login_required
def decline(assignment_id: int) -> Json:
    reason = _text(_body(), "reason")
    return assignment_json(service.decline_assignment(principal(), assignment_id, reason))


@bp.get("/me/assignments")
@login_required
def my_assignments() -> Json:
    return {"assignments": [assignment_json(a) for a in service.my_assignments(principal())]}


# ---- reviews ----------------------------------------------------------------------------


@bp.get("/assignments/<int:assignment_id>/review")
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
@login_required
def save_review(assignment_id: int) -> Json:
    answers = parse_review_input(_body())
    return review_json(service.save_review_draft(principal(), assignment_id, answers))


@bp.post("/assignments/<int:assignment_id>/review/submit")
@login_required
def submit_review(assignment_id: int) -> Json:
    answers = parse_review_input(_body())
    return review_json(service.submit_review(principal(), assignment_id, answers))


@bp.get("/resources/<uuid:uuid>/reviews")
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
                "authors": [_person(u) for u in (r.owner, *r.coauthors)],
            }
            for r in found.revisions
        ],
    }


@bp.post("/review/reminders")
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
    if not request.get_data(cache=True):
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid("send a JSON object", code="invalid_json")
    return data


def _text(data: Json, name: str) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(f"{name} must be text", code=f"invalid_{name}")
    return value


def _datetime(value: object, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise Invalid(f"{name} must be an ISO 8601 date", code=f"invalid_{name}") from None
