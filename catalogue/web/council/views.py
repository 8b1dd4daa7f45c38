"""The council member's pages: the reviews assigned to them, and one review at a time
(accept or decline the invitation, then fill in the rubric, save drafts, submit once).

Every rule (whose assignment it is, conflicts of interest, what a complete review is) is
the services'; these views turn forms into service calls and refusals into messages next
to the question they are about, keeping what the reviewer typed.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.wrappers import Response

from catalogue.db import db
from catalogue.errors import CatalogueError, Forbidden
from catalogue.models import AssignmentState, ReviewAssignment, Role, utcnow
from catalogue.services import review as service
from catalogue.services.review.base import PENDING, REVIEWING, as_utc
from catalogue.services.review.rubric import parse_review_input
from catalogue.web.common.labels import FIELD_NAMES
from catalogue.web.common.pages import error_message, flash_done, flash_error, me, roles
from catalogue.web.council.rubric import (
    GATE_ANSWERS,
    SCORE_MEANINGS,
    RubricValues,
    answers_from_form,
    field_errors,
    summary_of,
    values_from_form,
    values_from_review,
)

bp = Blueprint("council", __name__)

#: Who may be asked to review (the chair sits on the council too).
COUNCIL = (Role.REVIEWER, Role.CHAIR)
#: How many of the member's finished reviews the list shows.
RECENT_REVIEWS = 20


@bp.get("/council/reviews")
@roles(*COUNCIL)
def assignments() -> str:
    """The member's queue (soonest due first) and the reviews they recently finished."""
    who = me()
    queue = service.my_assignments(who)
    user_id = who.user.id if who.user is not None else 0
    finished = list(
        db.session.scalars(
            select(ReviewAssignment)
            .where(
                ReviewAssignment.reviewer_id == user_id,
                ReviewAssignment.state == AssignmentState.SUBMITTED,
            )
            .order_by(ReviewAssignment.id.desc())
            .limit(RECENT_REVIEWS)
        )
    )
    return render_template(
        "council/assignments.html", queue=queue, finished=finished, overdue=is_overdue
    )


@bp.get("/council/reviews/<int:assignment_id>")
@roles(*COUNCIL)
def review(assignment_id: int) -> str:
    work = service.review_work(me(), assignment_id)
    return _review_page(work, values_from_review(work.review))


@bp.post("/council/reviews/<int:assignment_id>")
@roles(*COUNCIL)
def save_review(assignment_id: int) -> Response | tuple[str, int]:
    """Save a draft (``action=draft``) or submit the review (``action=submit``)."""
    who = me()
    submitting = request.form.get("action") == "submit"
    try:
        answers = parse_review_input(answers_from_form(request.form))
        if submitting:
            service.submit_review(who, assignment_id, answers)
        else:
            service.save_review_draft(who, assignment_id, answers)
    except CatalogueError as error:
        db.session.rollback()
        flash_error(error)
        work = service.review_work(who, assignment_id)
        page = _review_page(work, values_from_form(request.form), errors=field_errors(error))
        return page, 422
    if submitting:
        flash_done(gettext("Your review has been submitted. Thank you."))
    else:
        flash_done(gettext("The draft is saved."))
    return redirect(url_for("council.review", assignment_id=assignment_id))


@bp.post("/council/reviews/<int:assignment_id>/accept")
@roles(*COUNCIL)
def accept(assignment_id: int) -> Response | tuple[str, int]:
    """Accept the invitation, declaring no conflict of interest (the service insists)."""
    who = me()
    declared = request.form.get("no_conflict") == "yes"
    try:
        service.accept_assignment(who, assignment_id, declared)
    except CatalogueError as error:
        db.session.rollback()
        flash_error(error)
        work = service.review_work(who, assignment_id)
        errors = {"no_conflict": error_message(error)}
        return _review_page(work, RubricValues(), errors=errors), 422
    flash_done(gettext("You accepted the review. The rubric is below."))
    return redirect(url_for("council.review", assignment_id=assignment_id))


@bp.post("/council/reviews/<int:assignment_id>/decline")
@roles(*COUNCIL)
def decline(assignment_id: int) -> Response | tuple[str, int]:
    who = me()
    reason = request.form.get("reason", "")
    try:
        service.decline_assignment(who, assignment_id, reason)
    except CatalogueError as error:
        db.session.rollback()
        flash_error(error)
        work = service.review_work(who, assignment_id)
        errors = {"decline_reason": error_message(error)}
        page = _review_page(work, RubricValues(), errors=errors, decline_reason=reason)
        return page, 422
    flash_done(gettext("You declined the review. The council chair has been told."))
    return redirect(url_for("council.assignments"))


def is_overdue(assignment: ReviewAssignment) -> bool:
    due: datetime | None = assignment.due_at
    return due is not None and assignment.state in PENDING and as_utc(due) < utcnow()


def _review_page(
    work: service.ReviewWork,
    values: RubricValues,
    *,
    errors: dict[str, str] | None = None,
    decline_reason: str = "",
) -> str:
    assignment = work.assignment
    resource = assignment.resource
    open_round = resource.state in REVIEWING and assignment.version_id == resource.latest.id
    return render_template(
        "council/review.html",
        work=work,
        assignment=assignment,
        resource=resource,
        version=assignment.version,
        values=values,
        errors=errors or {},
        decline_reason=decline_reason,
        summary=summary_of(errors or {}),
        editable=open_round and assignment.state is AssignmentState.ACCEPTED,
        invited=open_round and assignment.state is AssignmentState.INVITED,
        open_round=open_round,
        overdue=is_overdue(assignment),
        other_reviews=_other_reviews(resource.uuid, assignment.id),
        score_meanings=SCORE_MEANINGS,
        gate_answers=GATE_ANSWERS,
        field_names=FIELD_NAMES,
    )


def _other_reviews(uuid: str, own_assignment_id: int) -> list[tuple[str, service.ReviewView]]:
    """Reviews the member may read besides their own, as (column heading, review): earlier
    rounds, and the other members' once their own is in (the service decides)."""
    try:
        views = service.visible_reviews(me(), uuid)
    except Forbidden:
        return []
    return [(reviewer_heading(v), v) for v in views if v.assignment_id != own_assignment_id]


def reviewer_heading(view: service.ReviewView) -> str:
    """A column heading for one review: who wrote it (when the reader may know) and on
    which version."""
    if view.reviewer is None:
        return str(gettext("A council member, version %(number)s", number=view.version))
    name = view.reviewer.name or view.reviewer.email
    return str(gettext("%(name)s, version %(number)s", name=name, number=view.version))
