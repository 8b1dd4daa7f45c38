"""The resource's transitions through the council's review.

Each function takes the acting ``Principal``, loads the resource, asks
``catalogue.workflow.decide`` with the facts it gathers, changes the state, appends an
``AuditEvent`` (through ``base.record``, which hands it to ``catalogue.services.audit``) and
commits: one transaction, so a refusal changes nothing, and ``lock_version`` lets only one
of two concurrent decisions win. Letters (in the recipient's language) leave only once the
transaction has committed.
"""

from __future__ import annotations

from flask import current_app

from catalogue.auth import Principal, writable
from catalogue.db import db
from catalogue.errors import Conflict, Invalid
from catalogue.models import AssignmentState, Resource, ReviewAssignment, State, utcnow
from catalogue.services.review.base import (
    PENDING,
    authors,
    counting,
    days_from_now,
    due_text,
    load_resource,
    move,
    notify_later,
    permit,
    start_when_staffed,
    transition,
    version_assignments,
)
from catalogue.services.review.messages import STATE_NAMES, locale_of, phrase

#: The chair's decisions after the reviews, as the API names them.
DECISIONS = ("request_revision", "approve", "reject")


def submit(who: Principal, uuid: str) -> Resource:
    """draft -> submitted (the author): the latest version is frozen."""
    writable(who)
    resource = load_resource(uuid)
    transition(who, resource, "submit")
    now = utcnow()
    resource.latest.frozen_at = now
    resource.submitted_at = now
    db.session.commit()
    return resource


def return_to_author(who: Principal, uuid: str, reason: str) -> Resource:
    """submitted -> draft (the chair, with a reason): the version may be edited again, and
    reviewers invited to it are released."""
    writable(who)
    resource = load_resource(uuid)
    released = [a for a in version_assignments(resource.latest) if a.state in PENDING]
    transition(
        who, resource, "return", reason=reason, details={"released": [a.id for a in released]}
    )
    for assignment in released:
        assignment.state = AssignmentState.REMOVED
    if not any(a.state is AssignmentState.SUBMITTED for a in version_assignments(resource.latest)):
        resource.latest.frozen_at = None
    _tell_authors(resource, reason)
    db.session.commit()
    return resource


def start_review(who: Principal, uuid: str) -> Resource:
    """submitted -> under_review (the chair, with at least two reviewers assigned). Assigning
    them starts the review by itself; this is for resources staffed before that rule."""
    writable(who)
    resource = load_resource(uuid)
    transition(who, resource, "start_review")
    db.session.commit()
    return resource


def decide_review(who: Principal, uuid: str, decision: str, reason: str) -> Resource:
    """under_review -> revision_requested | approved | rejected (the chair, with a reason,
    once every assigned review is in; a failed gate blocks approval). With ``AUTO_PUBLISH``
    an approval is published at once."""
    writable(who)
    if decision not in DECISIONS:
        raise Invalid(f"decision must be one of {', '.join(DECISIONS)}", code="unknown_decision")
    resource = load_resource(uuid)
    transition(who, resource, decision, reason=reason)
    if decision == "request_revision":
        resource.revision_due_at = days_from_now(int(current_app.config["REVISION_DAYS"]))
    elif decision == "approve" and current_app.config.get("AUTO_PUBLISH"):
        _publish(who, resource, details={"automatic": True})
    _tell_authors(resource, reason)
    db.session.commit()
    return resource


def resubmit(who: Principal, uuid: str, response: str, *, same_reviewers: bool = True) -> Resource:
    """revision_requested (or published) -> submitted as version n+1 (the author, with a
    response: what changed). The new version is frozen; by default the reviewers of version
    n are assigned again, and when they are enough the new round is under review at once.
    A published resource stays public with its published version meanwhile."""
    writable(who)
    resource = load_resource(uuid)
    target = permit(who, resource, "resubmit", reason=response)
    new = resource.latest
    if new.frozen_at is not None or len(resource.versions) < 2:
        raise Conflict("upload the revised version first", code="new_version_required")
    earlier = resource.versions[-2]
    again = (
        [
            a
            for a in counting(resource, version_assignments(earlier))
            if a.state is AssignmentState.SUBMITTED and a.reviewer.active
        ]
        if same_reviewers
        else []
    )
    move(
        who,
        resource,
        "resubmit",
        target,
        reason=response,
        details={
            "from_version": earlier.number,
            "package_changed": new.package_sha256 != earlier.package_sha256,
            "reinvited_reviewer_ids": [a.reviewer_id for a in again],
            **({"public_version": resource.published_number} if resource.is_public else {}),
        },
    )
    now = utcnow()
    new.frozen_at = now
    new.author_response = response.strip()
    resource.submitted_at = now
    resource.revision_due_at = None
    due = days_from_now(int(current_app.config["REVIEW_DAYS"]))
    for previous in again:
        db.session.add(
            ReviewAssignment(
                resource_id=resource.id,
                version=new,
                reviewer_id=previous.reviewer_id,
                assigned_by_id=previous.assigned_by_id,
                due_at=due,
                assigned_at=now,
            )
        )
        locale = locale_of(previous.reviewer.locale)
        notify_later(
            previous.reviewer,
            "assigned",
            resource,
            new,
            due=due_text(due),
            extra=phrase("revised", locale),
        )
    db.session.flush()
    start_when_staffed(None, resource, on="resubmit")
    db.session.commit()
    return resource


def publish(who: Principal, uuid: str) -> Resource:
    """approved -> published (the chair)."""
    writable(who)
    resource = load_resource(uuid)
    _publish(who, resource)
    _tell_authors(resource, "")
    db.session.commit()
    return resource


def unpublish(who: Principal, uuid: str, reason: str) -> Resource:
    """published -> unpublished (the chair or an administrator, with a reason)."""
    writable(who)
    resource = load_resource(uuid)
    transition(who, resource, "unpublish", reason=reason)
    _tell_authors(resource, reason)
    db.session.commit()
    return resource


def republish(who: Principal, uuid: str, reason: str) -> Resource:
    """unpublished -> published (the chair, with a reason)."""
    writable(who)
    resource = load_resource(uuid)
    transition(who, resource, "republish", reason=reason)
    resource.published_at = utcnow()
    _tell_authors(resource, reason)
    db.session.commit()
    return resource


def withdraw(who: Principal, uuid: str, reason: str = "") -> Resource:
    """Before a decision the author may withdraw (draft, submitted, under review, or
    revision requested -> withdrawn); reviews still expected are no longer."""
    writable(who)
    resource = load_resource(uuid)
    released = [a for a in version_assignments(resource.latest) if a.state in PENDING]
    transition(
        who, resource, "withdraw", reason=reason, details={"released": [a.id for a in released]}
    )
    for assignment in released:
        assignment.state = AssignmentState.REMOVED
    db.session.commit()
    return resource


def _publish(who: Principal, resource: Resource, details: dict[str, object] | None = None) -> None:
    earlier = resource.published_number
    facts = {**(details or {}), **({"replaces_version": earlier} if earlier is not None else {})}
    transition(who, resource, "publish", details=facts)
    resource.published_number = resource.latest.number
    resource.published_at = utcnow()


def _tell_authors(resource: Resource, reason: str) -> None:
    """Every author hears of every change the council makes, in their language."""
    version = resource.latest
    for user in authors(resource):
        locale = locale_of(user.locale)
        extra = ""
        if resource.state is State.REVISION_REQUESTED:
            extra = phrase("revision_due", locale, due=due_text(resource.revision_due_at))
        notify_later(
            user,
            "state_changed",
            resource,
            version,
            state=STATE_NAMES[resource.state][locale],
            reason=reason,
            extra=extra,
        )
