"""Due dates: reviews are due ``REVIEW_DAYS`` after assignment (or on the date the chair
set), revisions ``REVISION_DAYS`` after the request. The chair and administrators see what
is overdue and send reminders; each reminder is logged (without locking the resource, so a
reminder run never races a decision).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from catalogue.auth import Principal, writable
from catalogue.db import db
from catalogue.models import Resource, ReviewAssignment, Role, State, utcnow
from catalogue.services.review.base import (
    IN_REVIEW,
    PENDING,
    authors,
    due_text,
    notify_later,
    record,
    require_role,
)


@dataclass(frozen=True)
class Overdue:
    assignments: list[ReviewAssignment]
    revisions: list[Resource]


def overdue(who: Principal) -> Overdue:
    """Reviews past their due date, and revisions past theirs (the chair or an admin)."""
    require_role(who, Role.CHAIR, Role.ADMIN, to="see what is overdue")
    return _overdue(utcnow())


def send_reminders(who: Principal) -> int:
    """Remind every overdue reviewer and every author of an overdue revision, each in
    their language; returns how many letters were sent."""
    writable(who)
    require_role(who, Role.CHAIR, Role.ADMIN, to="send reminders")
    found = _overdue(utcnow())
    sent = 0
    for assignment in found.assignments:
        notify_later(
            assignment.reviewer,
            "review_overdue",
            assignment.resource,
            assignment.version,
            due=due_text(assignment.due_at),
        )
        record(
            who,
            assignment.resource,
            "remind",
            version_number=assignment.version.number,
            details={"assignment_id": assignment.id, "reviewer_id": assignment.reviewer_id},
            locks=False,
        )
        sent += 1
    for resource in found.revisions:
        recipients = authors(resource)
        for user in recipients:
            notify_later(
                user,
                "revision_overdue",
                resource,
                resource.latest,
                due=due_text(resource.revision_due_at),
            )
        record(
            who,
            resource,
            "remind",
            details={"user_ids": [user.id for user in recipients]},
            locks=False,
        )
        sent += len(recipients)
    db.session.commit()
    return sent


def _overdue(now: datetime) -> Overdue:
    assignments = db.session.scalars(
        select(ReviewAssignment)
        .join(Resource, Resource.id == ReviewAssignment.resource_id)
        .where(
            ReviewAssignment.state.in_(PENDING),
            ReviewAssignment.due_at < now,
            Resource.state.in_(IN_REVIEW),
        )
        .order_by(ReviewAssignment.due_at, ReviewAssignment.id)
    )
    revisions = db.session.scalars(
        select(Resource)
        .where(Resource.state == State.REVISION_REQUESTED, Resource.revision_due_at < now)
        .order_by(Resource.revision_due_at, Resource.id)
    )
    return Overdue(
        assignments=[
            a
            for a in assignments
            if a.version_id == a.resource.latest.id and a.reviewer_id not in a.resource.author_ids
        ],
        revisions=list(revisions),
    )
