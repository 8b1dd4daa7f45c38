"""Who may see a resource, decided in one place (``readable``): a published resource is
public (the version the council published, also while its next one is under review:
``Resource.is_public``); otherwise it is visible to its authors, the
council chair, administrators and the reviewers assigned to it. To anyone else it does not
exist: 404, never 403, so its existence does not leak. ``authored`` narrows that to the
authors, for their changes; a download of what may be seen is counted here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from catalogue.auth import Principal, writable
from catalogue.db import COUNTERS_ONLY, db
from catalogue.errors import Forbidden, NotFound, Unauthenticated
from catalogue.models import (
    AssignmentState,
    Download,
    Resource,
    ResourceVersion,
    ReviewAssignment,
    Role,
)


@dataclass(frozen=True)
class Visible:
    """A resource as the caller may see it: ``insider`` (author, chair, admin, assigned
    reviewer) sees every version; anyone else sees the published one."""

    resource: Resource
    insider: bool

    @property
    def versions(self) -> list[ResourceVersion]:
        resource = self.resource
        return list(resource.versions) if self.insider else [self.default]

    @property
    def default(self) -> ResourceVersion:
        """The version shown and downloaded when none is asked for: the public one, for an
        insider too (a revision under review is asked for by its number)."""
        resource = self.resource
        return resource.public_version or resource.latest

    def version(self, number: int | None) -> ResourceVersion:
        if number is None:
            return self.default
        found = next((v for v in self.versions if v.number == number), None)
        if found is None:
            raise NotFound(f"the resource has no version {number}", code="version_not_found")
        return found


def is_insider(resource: Resource, who: Principal) -> bool:
    user = who.user
    if user is None or who.read_only:
        return False
    if user.id in resource.author_ids or who.has_role(Role.CHAIR, Role.ADMIN):
        return True
    assigned = db.session.scalar(
        select(func.count())
        .select_from(ReviewAssignment)
        .where(
            ReviewAssignment.resource_id == resource.id,
            ReviewAssignment.reviewer_id == user.id,
            ReviewAssignment.state.not_in([AssignmentState.DECLINED, AssignmentState.REMOVED]),
        )
    )
    return bool(assigned)


def readable(uuid: str, who: Principal) -> Visible:
    """The resource if the caller may see it; otherwise 404, whether or not it exists."""
    resource = db.session.scalar(select(Resource).where(Resource.uuid == uuid.strip().lower()))
    if resource is not None:
        insider = is_insider(resource, who)
        if insider or resource.is_public:
            return Visible(resource, insider)
    raise NotFound(f"there is no resource {uuid}", code="resource_not_found")


def authored(uuid: str, who: Principal, *, owner_only: bool = False) -> Resource:
    """The resource, for a change by one of its authors (or only its owner)."""
    if who.user is None:
        raise Unauthenticated("sign in or send a bearer token")
    writable(who)
    resource = readable(uuid, who).resource
    if who.user.id not in resource.author_ids:
        raise Forbidden("only the resource's authors may change it", code="not_author")
    if owner_only and who.user.id != resource.owner_id:
        raise Forbidden("only the resource's owner may change its authors", code="not_owner")
    return resource


def record_download(visible: Visible, version: ResourceVersion, who: Principal) -> None:
    """Count a download of the version the public sees.

    The counter is raised by one UPDATE in the database, not through the ORM, so that
    concurrent downloads neither lose counts nor trip the resource's ``lock_version``;
    marked ``COUNTERS_ONLY``, it costs the search index one copied number, not a reindex.
    """
    resource = visible.resource
    if not resource.is_public or version.number != resource.published_number:
        return
    db.session.add(
        Download(
            resource_id=resource.id,
            version_number=version.number,
            via_token_id=who.token.id if who.token is not None else None,
        )
    )
    db.session.execute(
        update(Resource)
        .where(Resource.id == resource.id)
        # a download changes nothing about the resource: keep ``updated_at`` (Moodle sync
        # and the published feed read it) from moving with the counter
        .values(downloads=Resource.downloads + 1, updated_at=Resource.updated_at)
        .execution_options(synchronize_session=False, **{COUNTERS_ONLY: True})
    )
    db.session.commit()
