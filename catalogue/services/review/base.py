"""What every review service shares: loading rows, the facts the state machine needs, the
audit record (written by ``catalogue.services.audit``), refusals as API errors, and
letters that leave only on commit.

Concurrency: every service that changes what a decision depends on (state, assignments,
submitted reviews) also touches the resource, so its UPDATE carries ``lock_version``; of
two such transactions on one resource only the first to commit wins, the other raises
``StaleDataError`` (409) and leaves nothing behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from catalogue.auth import Principal
from catalogue.db import db
from catalogue.domain import as_utc as as_utc  # re-exported: the views import it from here
from catalogue.errors import CatalogueError, Conflict, Forbidden, NotFound, Unauthenticated
from catalogue.models import (
    AssignmentState,
    AuditEvent,
    Resource,
    ResourceVersion,
    ReviewAssignment,
    Role,
    State,
    User,
    UserRole,
    utcnow,
)
from catalogue.notify import Notifier, notifier
from catalogue.services import audit
from catalogue.services.review.messages import Letter, compose, locale_of
from catalogue.workflow import Facts, Refused, decide, review_starts

log = logging.getLogger(__name__)

#: An assignment that still counts (its review is expected, or in).
ACTIVE = frozenset({AssignmentState.INVITED, AssignmentState.ACCEPTED, AssignmentState.SUBMITTED})
#: An assignment whose review is still expected.
PENDING = frozenset({AssignmentState.INVITED, AssignmentState.ACCEPTED})
#: The states in which reviewers are assigned and review.
IN_REVIEW = frozenset({State.SUBMITTED, State.UNDER_REVIEW})
#: Where a reviewer may act: once the review has started, not while the chair staffs it.
REVIEWING = frozenset({State.UNDER_REVIEW})


def days_from_now(days: int) -> datetime:
    return utcnow() + timedelta(days=days)


def user_of(who: Principal) -> User:
    if who.user is None:
        raise Unauthenticated("sign in or send a bearer token")
    return who.user


def load_resource(uuid: str) -> Resource:
    resource: Resource | None = db.session.scalar(select(Resource).where(Resource.uuid == uuid))
    if resource is None:
        raise NotFound(f"there is no resource {uuid}", code="resource_not_found")
    return resource


def load_assignment(assignment_id: int) -> ReviewAssignment:
    assignment = db.session.get(ReviewAssignment, assignment_id)
    if assignment is None:
        raise NotFound(f"there is no assignment {assignment_id}", code="assignment_not_found")
    return assignment


def is_own(who: Principal, resource: Resource) -> bool:
    """The caller (not through a read-only token) is an author or co-author of ``resource``."""
    return who.user is not None and not who.read_only and who.user.id in resource.author_ids


def other_chairs(resource: Resource) -> list[User]:
    """The active chairs who are not authors of ``resource``: those who may handle it."""
    authors = resource.author_ids
    return [chair for chair in chairs() if chair.id not in authors]


def conflict_refusal(resource: Resource, to: str) -> Forbidden:
    """Why an author who sits on the council may not ``to`` their own resource, and who can.

    Conflict of interest holds for every council role: a chair or an administrator who is
    an author or co-author neither steers the review of their resource nor reads what the
    blind review hides from authors. ``details`` lets each page say it in its language."""
    title = resource.latest.title
    others = other_chairs(resource)
    if others:
        advice = "another chair must do it"
    else:
        advice = (
            "no other chair can: ask an administrator to give the chair role to a council "
            "member who is not its author"
        )
    return Forbidden(
        f"conflict of interest: you are an author of «{title}» ({resource.uuid}), so you may "
        f"not {to}; {advice}",
        code="conflict_of_interest",
        details={
            "resource": resource.uuid,
            "title": title,
            "other_chairs": [chair.id for chair in others],
        },
    )


def require_not_author(who: Principal, resource: Resource, *, to: str) -> None:
    """Refuse a council action on the caller's own resource (see ``conflict_refusal``)."""
    if is_own(who, resource):
        raise conflict_refusal(resource, to)


def refusal(refused: Refused) -> CatalogueError:
    """The state machine's refusal as the API's error: 403 when it is about who, else 409."""
    if refused.forbidden:
        return Forbidden(refused.message, code=refused.code)
    return Conflict(refused.message, code=refused.code)


def require_role(who: Principal, *roles: Role, to: str) -> User:
    user = user_of(who)
    if not who.has_role(*roles):
        names = " or ".join(role.value for role in roles)
        raise Forbidden(f"only the {names} may {to}", code="not_allowed")
    return user


def version_assignments(version: ResourceVersion) -> list[ReviewAssignment]:
    return list(
        db.session.scalars(
            select(ReviewAssignment)
            .where(ReviewAssignment.version_id == version.id)
            .order_by(ReviewAssignment.id)
        )
    )


def counting(resource: Resource, assignments: Iterable[ReviewAssignment]) -> list[ReviewAssignment]:
    """The assignments whose reviews count: active, and not held by an author or co-author."""
    authors = resource.author_ids
    return [a for a in assignments if a.state in ACTIVE and a.reviewer_id not in authors]


def metadata_complete(version: ResourceVersion) -> bool:
    has_title = any(t.strip() for t in (version.title_kk, version.title_ru, version.title_en))
    return bool(
        has_title
        and version.language
        and version.subject
        and version.license
        and version.resource_type
    )


def facts_for(who: Principal, resource: Resource, *, reason: str = "") -> Facts:
    user = who.user
    version = resource.latest
    counted = counting(resource, version_assignments(version))
    validation = version.validation or {}
    return Facts(
        is_author=user is not None and not who.read_only and user.id in resource.author_ids,
        roles=user.roles if user is not None and not who.read_only else frozenset(),
        reason=reason,
        metadata_complete=metadata_complete(version),
        copyright_attested=version.copyright_attested,
        package_valid=validation.get("valid") is True,
        reviewers=len(counted),
        reviews_missing=sum(1 for a in counted if a.state in PENDING),
        gate_failed=any(
            a.review is not None
            and a.state is AssignmentState.SUBMITTED
            and any(value is False for value in a.review.gates.values())
            for a in counted
        ),
        public=resource.is_public,
    )


def permit(who: Principal, resource: Resource, action: str, *, reason: str = "") -> State:
    """The state ``action`` leads to, or the refusal as an API error; changes nothing."""
    try:
        return decide(action, resource.state, facts_for(who, resource, reason=reason))
    except Refused as refused:
        if refused.code == "conflict_of_interest":
            raise conflict_refusal(resource, action.replace("_", " ")) from None
        raise refusal(refused) from None


def move(
    who: Principal | None,
    resource: Resource,
    action: str,
    target: State,
    *,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Put ``resource`` in ``target`` and record it (the caller has ``permit``-ed it)."""
    before = resource.state
    resource.state = target
    return record(who, resource, action, from_state=before, reason=reason, details=details or {})


def transition(
    who: Principal,
    resource: Resource,
    action: str,
    *,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    target = permit(who, resource, action, reason=reason)
    return move(who, resource, action, target, reason=reason, details=details)


def start_when_staffed(who: Principal | None, resource: Resource, *, on: str) -> bool:
    """Start the review if the resource now has enough reviewers (``workflow.review_starts``);
    ``on`` says what staffed it, for the audit log. Call it after flushing the assignments."""
    reviewers = len(counting(resource, version_assignments(resource.latest)))
    if not review_starts(resource.state, reviewers):
        return False
    move(who, resource, "start_review", State.UNDER_REVIEW, details={"automatic": True, "on": on})
    return True


def record(
    who: Principal | None,
    resource: Resource,
    action: str,
    *,
    from_state: State | None = None,
    version_number: int | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
    locks: bool = True,
) -> AuditEvent:
    """Append an audit event (through ``catalogue.services.audit``, the log's one writer).
    ``from_state`` defaults to the current state (no change); ``locks`` (the default) makes
    the event take part in the resource's optimistic lock."""
    event_row = audit.append(
        resource,
        who.user if who is not None else None,
        action,
        from_state=from_state or resource.state,
        version_number=version_number,
        reason=reason,
        details=details,
    )
    if locks:
        touch(resource)
    return event_row


def touch(resource: Resource) -> None:
    """Make this transaction's UPDATE of the resource carry (and bump) ``lock_version``."""
    resource.updated_at = utcnow()


# ---- people and letters -----------------------------------------------------------------


def authors(resource: Resource) -> list[User]:
    return [resource.owner, *resource.coauthors]


def chairs() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.CHAIR, User.active.is_(True))
            .order_by(User.id)
        )
    )


def title_in(version: ResourceVersion, locale: str) -> str:
    own: str = getattr(version, f"title_{locale_of(locale)}", "")
    return own or version.title


def link_to(resource: Resource) -> str:
    base = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    return f"{base}/resources/{resource.uuid}"


def due_text(moment: datetime | None) -> str:
    return as_utc(moment).date().isoformat() if moment is not None else "—"


def notify_later(
    user: User, kind: str, resource: Resource, version: ResourceVersion, **fields: object
) -> None:
    """Queue a letter to ``user`` in their language; it is sent if the transaction commits."""
    locale = locale_of(user.locale)
    letter = compose(
        kind,
        locale,
        name=user.name or user.email,
        link=link_to(resource),
        title=title_in(version, locale),
        version=version.number,
        **fields,
    )
    queue: list[tuple[Notifier, str, Letter]] = db.session.info.setdefault(_LETTERS, [])
    queue.append((notifier(), user.email, letter))


_LETTERS = "sandyq.review.letters"


@event.listens_for(Session, "after_commit")
def _send_letters(session: Session) -> None:
    for sender, to, letter in session.info.pop(_LETTERS, []):
        try:
            sender.send(to, letter.subject, letter.body)
        except OSError:  # smtplib errors too: the decision stands, the letter is logged
            log.exception("could not send %r to %s", letter.subject, to)


@event.listens_for(Session, "after_soft_rollback")
def _drop_letters(session: Session, previous_transaction: object) -> None:
    session.info.pop(_LETTERS, None)
