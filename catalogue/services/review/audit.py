"""Reading the review's audit log: the authors, the chair and administrators may.

The log itself is append-only (``AuditEvent``); this module only decides what a reader
sees. When a resource's reviews are anonymous, an author does not learn who reviewed:
reviewers' own actions lose their actor and reason, and reviewer ids leave the details.
An author who is also the chair or an administrator reads it as an author: conflict of
interest holds for every council role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from catalogue.auth import Principal
from catalogue.db import db
from catalogue.errors import Forbidden
from catalogue.models import AuditEvent, Role, User
from catalogue.services.review.base import as_utc, is_own, load_resource, user_of

#: Actions a reviewer takes themselves: their actor is who reviewed.
REVIEWER_ACTIONS = frozenset({"accept", "decline", "submit_review"})
#: Details that name reviewers.
REVIEWER_DETAILS = ("reviewer_id", "reinvited_reviewer_ids")


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    version: int | None
    actor: User | None
    action: str
    from_state: str | None
    to_state: str | None
    reason: str
    details: dict[str, Any]


def audit_log(who: Principal, uuid: str) -> list[AuditEntry]:
    """Every event of the resource, oldest first."""
    user_of(who)  # 401 for anonymous callers
    resource = load_resource(uuid)
    author = is_own(who, resource)
    # An author who chairs the council (or administers it) reads the log as an author.
    council = who.has_role(Role.CHAIR, Role.ADMIN) and not author
    if not (council or author):
        raise Forbidden(
            "only the authors, the chair and administrators read the audit log",
            code="not_allowed",
        )
    hide = not council and resource.reviews_anonymous
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.resource_id == resource.id).order_by(AuditEvent.id)
    )
    return [_entry(event, hide) for event in events]


def _entry(event: AuditEvent, hide_reviewers: bool) -> AuditEntry:
    by_reviewer = hide_reviewers and event.action in REVIEWER_ACTIONS
    details = dict(event.details or {})
    if hide_reviewers:
        for key in REVIEWER_DETAILS:
            details.pop(key, None)
    return AuditEntry(
        at=as_utc(event.at),
        version=event.version_number,
        actor=None if by_reviewer else event.actor,
        action=event.action,
        from_state=event.from_state,
        to_state=event.to_state,
        reason="" if by_reviewer else event.reason,
        details=details,
    )
