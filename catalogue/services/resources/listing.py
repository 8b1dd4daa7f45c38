"""The author's list of resources: each with what the council has said so far (how many
reviews are in, and the last decision, read from the audit log).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from catalogue.auth import Principal
from catalogue.db import db
from catalogue.errors import Unauthenticated
from catalogue.models import AuditEvent, Resource, ResourceAuthor, Review, ReviewAssignment

#: Audit events whose reason is the council's word to the author (``me/resources``).
DECISION_STATES = ("draft", "revision_requested", "approved", "rejected")


@dataclass(frozen=True)
class Feedback:
    """What the council has said so far, for the author's list of resources."""

    reviews_submitted: int
    last_decision: AuditEvent | None


def my_resources(who: Principal) -> list[tuple[Resource, Feedback]]:
    """The caller's resources (owned or co-authored), most recently changed first."""
    if who.user is None:
        raise Unauthenticated("sign in or send a bearer token")
    user_id = who.user.id
    coauthored = select(ResourceAuthor.resource_id).where(ResourceAuthor.user_id == user_id)
    resources = list(
        db.session.scalars(
            select(Resource)
            .where((Resource.owner_id == user_id) | Resource.id.in_(coauthored))
            .order_by(Resource.updated_at.desc(), Resource.id.desc())
        )
    )
    ids = [r.id for r in resources]
    reviews: dict[int, int] = {
        resource_id: int(count)
        for resource_id, count in db.session.execute(
            select(ReviewAssignment.resource_id, func.count(Review.id))
            .join(Review, Review.assignment_id == ReviewAssignment.id)
            .where(ReviewAssignment.resource_id.in_(ids), Review.submitted_at.is_not(None))
            .group_by(ReviewAssignment.resource_id)
        )
    }
    decisions: dict[int, AuditEvent] = {}
    for event in db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.resource_id.in_(ids),
            AuditEvent.from_state.is_not(None),
            AuditEvent.from_state != AuditEvent.to_state,
            AuditEvent.to_state.in_(DECISION_STATES),
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    ):
        decisions[event.resource_id] = event
    return [(r, Feedback(reviews.get(r.id, 0), decisions.get(r.id))) for r in resources]
