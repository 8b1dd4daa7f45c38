"""Due dates: reviews are due ``REVIEW_DAYS`` after assignment (or on the date the chair
set), revisions ``REVISION_DAYS`` after the request. The chair and administrators see what
is overdue and send reminders.

A reminder goes out at most once per ``REVIEW_REMINDER_INTERVAL_HOURS`` for one assignment
(``ReviewAssignment.last_reminded_at``) or one awaited revision
(``Resource.revision_reminded_at``), however often the button is pressed or a scheduler
runs: a second run within the interval sends nothing. Each reminder is one audit event
(``remind``), written without locking the resource, so a reminder run never races a
decision; the revision's timestamp is therefore set by a plain UPDATE that leaves
``lock_version`` alone.

Conflict of interest: a council member never sees, nor reminds, the reviewers of their
own resources, so those are left out of what they are shown and of what they send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from catalogue.auth import Principal, writable
from catalogue.db import db
from catalogue.domain import timestamp
from catalogue.models import Resource, ReviewAssignment, Role, State, utcnow
from catalogue.services.review.base import (
    IN_REVIEW,
    PENDING,
    as_utc,
    authors,
    due_text,
    is_own,
    notify_later,
    record,
    require_role,
)

#: The setting that spaces reminders out, in hours.
INTERVAL_SETTING = "REVIEW_REMINDER_INTERVAL_HOURS"


@dataclass(frozen=True)
class Overdue:
    assignments: list[ReviewAssignment]
    revisions: list[Resource]


def overdue(who: Principal) -> Overdue:
    """Reviews past their due date, and revisions past theirs (the chair or an admin), but
    not those of the caller's own resources."""
    require_role(who, Role.CHAIR, Role.ADMIN, to="see what is overdue")
    return _overdue(who, utcnow())


def reminder_interval() -> timedelta:
    return timedelta(hours=float(current_app.config[INTERVAL_SETTING]))


def send_reminders(who: Principal) -> int:
    """Remind every overdue reviewer and every author of an overdue revision not reminded
    within the interval, each in their language; returns how many letters were sent."""
    writable(who)
    require_role(who, Role.CHAIR, Role.ADMIN, to="send reminders")
    now = utcnow()
    interval = reminder_interval()
    found = _overdue(who, now)
    sent = 0
    for assignment in found.assignments:
        if not _due_for_reminder(assignment.last_reminded_at, now, interval):
            continue
        notify_later(
            assignment.reviewer,
            "review_overdue",
            assignment.resource,
            assignment.version,
            due=due_text(assignment.due_at),
        )
        assignment.last_reminded_at = now
        record(
            who,
            assignment.resource,
            "remind",
            version_number=assignment.version.number,
            details={
                "assignment_id": assignment.id,
                "reviewer_id": assignment.reviewer_id,
                "due_at": timestamp(assignment.due_at),
            },
            locks=False,
        )
        sent += 1
    for resource in found.revisions:
        if not _due_for_reminder(resource.revision_reminded_at, now, interval):
            continue
        recipients = authors(resource)
        for user in recipients:
            notify_later(
                user,
                "revision_overdue",
                resource,
                resource.latest,
                due=due_text(resource.revision_due_at),
            )
        db.session.execute(
            update(Resource)
            .where(Resource.id == resource.id)
            .values(revision_reminded_at=now)
            .execution_options(synchronize_session="evaluate")
        )
        record(
            who,
            resource,
            "remind",
            version_number=resource.latest.number,
            details={
                "user_ids": [user.id for user in recipients],
                "due_at": timestamp(resource.revision_due_at),
            },
            locks=False,
        )
        sent += len(recipients)
    db.session.commit()
    return sent


def _due_for_reminder(last: datetime | None, now: datetime, interval: timedelta) -> bool:
    return last is None or as_utc(last) + interval <= now


def _overdue(who: Principal, now: datetime) -> Overdue:
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
            if a.version_id == a.resource.latest.id
            and a.reviewer_id not in a.resource.author_ids
            and not is_own(who, a.resource)
        ],
        revisions=[r for r in revisions if not is_own(who, r)],
    )
