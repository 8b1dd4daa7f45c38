"""What the authors do to a resource: submit a new one, edit a version's metadata while it
is not frozen, add a version when a revision is requested or to a published resource (the
next version, which the council reviews while the public keeps the published one), add and
remove co-authors.
Each change is one transaction and one audit event (``catalogue.services.audit``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import func, select

from catalogue.auth import Principal, writable
from catalogue.db import db
from catalogue.errors import CatalogueError, Conflict, Invalid, NotFound, Unauthenticated
from catalogue.models import Resource, ResourceAuthor, ResourceVersion, State, User, utcnow
from catalogue.services import audit
from catalogue.services.resources.access import authored
from catalogue.services.resources.metadata import apply_fields, clean_metadata
from catalogue.services.resources.uploads import Upload, new_version
from catalogue.services.review import check_conflicts
from scorm_builder.validate.messages import Lang

#: Where the authors may add a version: the council asked for one, or the resource is
#: published and they send the next one to the council.
NEW_VERSION_STATES = (State.REVISION_REQUESTED, State.PUBLISHED)


def _coauthor_users(emails: Sequence[str], owner_id: int) -> list[User]:
    wanted = list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
    users = {
        u.email.lower(): u
        for u in db.session.scalars(select(User).where(func.lower(User.email).in_(wanted)))
        if u.active
    }
    unknown = [email for email in wanted if email not in users]
    if unknown:
        raise Invalid(
            "no catalogue user has the e-mail " + ", ".join(unknown),
            code="unknown_user",
            details={"emails": unknown},
        )
    return [users[email] for email in wanted if users[email].id != owner_id]


def submit(
    who: Principal,
    upload: Upload,
    raw_fields: Mapping[str, object],
    coauthor_emails: Sequence[str],
    lang: Lang,
) -> Resource:
    """A new resource in draft with version 1 from the uploaded package."""
    if who.user is None:
        raise Unauthenticated("sign in or send a bearer token")
    writable(who)
    user = who.user
    fields = clean_metadata(raw_fields)
    coauthors = _coauthor_users(coauthor_emails, user.id)
    resource = Resource(owner_id=user.id, state=State.DRAFT)
    resource.coauthor_rows = [ResourceAuthor(user_id=c.id) for c in coauthors]
    new_version(resource, user, upload, fields, lang)
    db.session.add(resource)
    db.session.flush()
    audit.append(resource, user, "create", from_state=None)
    db.session.commit()
    return resource


def edit_metadata(uuid: str, who: Principal, raw_fields: Mapping[str, object]) -> Resource:
    """Change the latest version's metadata while it is not frozen."""
    resource = authored(uuid, who)
    version = resource.latest
    editable = resource.state in (State.DRAFT, *NEW_VERSION_STATES)
    if not editable or version.frozen_at is not None:
        hint = (
            " upload a new version first"
            if resource.state in NEW_VERSION_STATES
            else f" a {resource.state.value} resource's metadata is fixed"
        )
        raise Conflict(
            f"version {version.number} is frozen (it was submitted for review);{hint}",
            code="version_frozen",
        )
    fields = clean_metadata(raw_fields)
    apply_fields(version, fields)
    resource.updated_at = utcnow()  # the resource's lock_version guards against a submit
    assert who.user is not None
    audit.append(
        resource,
        who.user,
        "edit_metadata",
        from_state=resource.state,
        details={"fields": sorted(fields)},
    )
    db.session.commit()
    return resource


def add_version(
    uuid: str,
    who: Principal,
    upload: Upload,
    raw_fields: Mapping[str, object],
    lang: Lang,
) -> ResourceVersion:
    """Version n+1 in answer to the council's revision request, or the next version of a
    published resource (frozen on resubmit)."""
    resource = authored(uuid, who)
    if resource.state not in NEW_VERSION_STATES:
        raise Conflict(
            f"a new version can be uploaded only when a revision is requested or once the "
            f"resource is published; the resource is {resource.state.value}",
            code="wrong_state",
        )
    if resource.latest.frozen_at is None:
        raise Conflict(
            f"version {resource.latest.number} is already waiting to be resubmitted; "
            "edit it, or resubmit it",
            code="version_pending",
        )
    fields = clean_metadata(raw_fields)
    assert who.user is not None
    version = new_version(resource, who.user, upload, fields, lang)
    resource.updated_at = utcnow()
    db.session.flush()
    audit.append(resource, who.user, "new_version", from_state=resource.state)
    db.session.commit()
    return version


def _user_by_email(email: str) -> User:
    user: User | None = db.session.scalar(
        select(User).where(func.lower(User.email) == email.strip().lower())
    )
    if user is None or not user.active:
        raise Invalid(
            f"no catalogue user has the e-mail {email}",
            code="unknown_user",
            details={"emails": [email]},
        )
    return user


def add_coauthor(uuid: str, who: Principal, email: str) -> Resource:
    """Add a co-author (the owner only); the council then re-checks conflicts of interest."""
    resource = authored(uuid, who, owner_only=True)
    if not email.strip():
        raise CatalogueError("give the co-author's e-mail", code="email_missing")
    user = _user_by_email(email)
    if user.id in resource.author_ids:
        return resource
    resource.coauthor_rows.append(ResourceAuthor(user_id=user.id))
    resource.updated_at = utcnow()
    assert who.user is not None
    audit.append(
        resource, who.user, "add_coauthor", from_state=resource.state, details={"user_id": user.id}
    )
    db.session.flush()
    check_conflicts(resource, who)  # drops assigned reviewers who are now authors
    db.session.commit()
    return resource


def remove_coauthor(uuid: str, who: Principal, email: str) -> Resource:
    resource = authored(uuid, who, owner_only=True)
    user = _user_by_email(email)
    row = next((r for r in resource.coauthor_rows if r.user_id == user.id), None)
    if row is None:
        raise NotFound(f"{email} is not a co-author of this resource", code="not_a_coauthor")
    resource.coauthor_rows.remove(row)
    resource.updated_at = utcnow()
    assert who.user is not None
    audit.append(
        resource,
        who.user,
        "remove_coauthor",
        from_state=resource.state,
        details={"user_id": user.id},
    )
    db.session.commit()
    return resource
