"""What the chair's pages read: the desk's queues, each council member's current load and
conflicts, reviews grouped by version, due dates as the chair types them.

Reading only; every change goes through ``catalogue.services.review``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from flask_babel import format_date, gettext, lazy_gettext, ngettext, to_user_timezone, to_utc
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select

from catalogue.auth import Principal
from catalogue.db import db
from catalogue.models import (
    AssignmentState,
    Resource,
    ReviewAssignment,
    State,
    User,
    UserRole,
    utcnow,
)
from catalogue.services.review import ReviewView
from catalogue.services.review.assignments import REVIEWER_ROLES
from catalogue.services.review.base import ACTIVE, IN_REVIEW, PENDING, as_utc, is_own
from catalogue.workflow import MIN_REVIEWERS

#: The desk's queues, in the order the chair works through them.
DESK_STATES = (
    State.SUBMITTED,
    State.UNDER_REVIEW,
    State.APPROVED,
    State.REVISION_REQUESTED,
    State.UNPUBLISHED,
)

#: The audit log's actions, as the chair reads them.
AUDIT_ACTIONS: dict[str, LazyString] = {
    "create": lazy_gettext("Created"),
    "edit_metadata": lazy_gettext("Description edited"),
    "new_version": lazy_gettext("New version uploaded"),
    "add_coauthor": lazy_gettext("Co-author added"),
    "remove_coauthor": lazy_gettext("Co-author removed"),
    "submit": lazy_gettext("Submitted for review"),
    "return": lazy_gettext("Returned to the authors"),
    "start_review": lazy_gettext("Review started"),
    "assign": lazy_gettext("Council member assigned"),
    "unassign": lazy_gettext("Council member removed"),
    "conflict_removed": lazy_gettext("Council member removed for a conflict of interest"),
    "accept": lazy_gettext("Review accepted"),
    "decline": lazy_gettext("Review declined"),
    "submit_review": lazy_gettext("Review submitted"),
    "remind": lazy_gettext("Reminder sent"),
    "request_revision": lazy_gettext("Revision requested"),
    "approve": lazy_gettext("Approved"),
    "reject": lazy_gettext("Rejected"),
    "resubmit": lazy_gettext("Resubmitted"),
    "publish": lazy_gettext("Published"),
    "unpublish": lazy_gettext("Unpublished"),
    "republish": lazy_gettext("Published again"),
    "withdraw": lazy_gettext("Withdrawn"),
}

#: The chair's decisions after the reviews, as the form offers them.
DECISION_LABELS: tuple[tuple[str, LazyString], ...] = (
    ("approve", lazy_gettext("Approve")),
    ("request_revision", lazy_gettext("Request a revision")),
    ("reject", lazy_gettext("Reject")),
)


@dataclass(frozen=True)
class DeskItem:
    """A resource on the desk with the assignments of its latest version (removed ones
    left out)."""

    resource: Resource
    assignments: list[ReviewAssignment]

    @property
    def counted(self) -> list[ReviewAssignment]:
        authors = self.resource.author_ids
        return [a for a in self.assignments if a.state in ACTIVE and a.reviewer_id not in authors]

    @property
    def reviews_in(self) -> int:
        return sum(1 for a in self.counted if a.state is AssignmentState.SUBMITTED)

    @property
    def ready_to_start(self) -> bool:
        return len(self.counted) >= MIN_REVIEWERS

    @property
    def ready_to_decide(self) -> bool:
        counted = self.counted
        return len(counted) >= MIN_REVIEWERS and all(
            a.state is AssignmentState.SUBMITTED for a in counted
        )

    @property
    def gate_failed(self) -> bool:
        return any(
            a.review is not None and any(v is False for v in a.review.gates.values())
            for a in self.counted
            if a.state is AssignmentState.SUBMITTED
        )


@dataclass(frozen=True)
class NextStep:
    """What happens next to a resource, said to the chair: what to do, or whom the council
    waits for; ``anchor`` is where on the resource's page that is done."""

    text: str
    anchor: str
    link: str
    waiting_for: tuple[ReviewAssignment, ...] = ()


def next_step(item: DeskItem) -> NextStep:
    """The one next step of ``catalogue.workflow`` for the resource's state: assign → the
    reviews come in → decide → publish."""
    resource = item.resource
    state = resource.state
    short = MIN_REVIEWERS - len(item.counted)
    assign = gettext("Assign council members")
    act = gettext("Go to the action")
    if state in IN_REVIEW and short > 0:
        if state is State.SUBMITTED:
            text = gettext(
                "Assign at least %(min)d council members: the review starts as soon as they "
                "are assigned.",
                min=MIN_REVIEWERS,
            )
        else:
            text = ngettext(
                "Assign %(num)d more council member: a decision needs %(min)d reviews.",
                "Assign %(num)d more council members: a decision needs %(min)d reviews.",
                short,
                min=MIN_REVIEWERS,
            )
        return NextStep(text, "assign-form", assign)
    if state is State.SUBMITTED:  # staffed before the review started by itself
        return NextStep(
            gettext("The council members are assigned: start the review."), "actions-heading", act
        )
    if state is State.UNDER_REVIEW:
        waiting = tuple(a for a in item.counted if a.state in PENDING)
        if waiting:
            text = ngettext(
                "Waiting for %(num)d review:",
                "Waiting for %(num)d reviews:",
                len(waiting),
            )
            return NextStep(text, "members-heading", gettext("See the council members"), waiting)
        return NextStep(
            gettext("Every review is in: record your decision."),
            "actions-heading",
            gettext("Go to the decision"),
        )
    if state is State.APPROVED:
        return NextStep(gettext("Approved: publish it in the catalogue."), "actions-heading", act)
    if state is State.REVISION_REQUESTED:
        due = resource.revision_due_at
        text = (
            gettext(
                "Waiting for the authors' revised version, due %(date)s.",
                date=format_date(due, "medium"),
            )
            if due is not None
            else gettext("Waiting for the authors' revised version.")
        )
        return NextStep(text, "versions-heading", gettext("See the versions"))
    if state is State.PUBLISHED:
        return NextStep(
            gettext("Published: nothing to do unless it must leave the catalogue."),
            "actions-heading",
            act,
        )
    if state is State.UNPUBLISHED:
        return NextStep(
            gettext("Unpublished: publish it again once it may return."), "actions-heading", act
        )
    return NextStep(
        gettext("Nothing for the council to do now."), "audit-heading", gettext("See the history")
    )


@dataclass(frozen=True)
class Candidate:
    """A council member the chair may invite: their open reviews now, and why not."""

    user: User
    load: int
    conflict: bool  # an author or co-author: the service refuses them
    assigned: bool  # already reviewing the latest version
    declined: bool  # declined the latest version earlier


def desk(who: Principal) -> tuple[dict[State, list[DeskItem]], list[Resource]]:
    """The queues, and apart from them the resources ``who`` (co-)authored: those another
    chair handles, so the desk shows neither their reviewers nor their actions."""
    resources = list(
        db.session.scalars(
            select(Resource)
            .where(Resource.state.in_(DESK_STATES))
            .order_by(Resource.submitted_at, Resource.id)
        )
    )
    own = [resource for resource in resources if is_own(who, resource)]
    resources = [resource for resource in resources if not is_own(who, resource)]
    by_resource = assignments_by_resource(resources)
    queues: dict[State, list[DeskItem]] = {state: [] for state in DESK_STATES}
    for resource in resources:
        queues[resource.state].append(DeskItem(resource, by_resource.get(resource.id, [])))
    revisions = queues[State.REVISION_REQUESTED]
    revisions.sort(key=lambda item: _sortable(item.resource.revision_due_at))
    return queues, own


def desk_item(resource: Resource) -> DeskItem:
    return DeskItem(resource, assignments_by_resource([resource]).get(resource.id, []))


def assignments_by_resource(resources: Iterable[Resource]) -> dict[int, list[ReviewAssignment]]:
    """Each resource's assignments on its latest version, not counting removed ones."""
    latest = {r.id: r.latest.id for r in resources}
    found: dict[int, list[ReviewAssignment]] = {}
    if not latest:
        return found
    for assignment in db.session.scalars(
        select(ReviewAssignment)
        .where(
            ReviewAssignment.resource_id.in_(list(latest)),
            ReviewAssignment.state != AssignmentState.REMOVED,
        )
        .order_by(ReviewAssignment.id)
    ):
        if assignment.version_id == latest[assignment.resource_id]:
            found.setdefault(assignment.resource_id, []).append(assignment)
    return found


def open_loads() -> dict[int, int]:
    """Each council member's open reviews (invited or accepted, on a resource in review)."""
    rows = db.session.execute(
        select(ReviewAssignment.reviewer_id, func.count())
        .join(Resource, Resource.id == ReviewAssignment.resource_id)
        .where(ReviewAssignment.state.in_(PENDING), Resource.state.in_(IN_REVIEW))
        .group_by(ReviewAssignment.reviewer_id)
    )
    return {int(reviewer_id): int(count) for reviewer_id, count in rows}


def candidates(resource: Resource) -> list[Candidate]:
    """Every active council member, least loaded first, each with their conflict marks."""
    members = db.session.scalars(
        select(User).where(
            User.active.is_(True),
            User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(REVIEWER_ROLES))),
        )
    )
    loads = open_loads()
    current = assignments_by_resource([resource]).get(resource.id, [])
    assigned = {a.reviewer_id for a in current if a.state in ACTIVE}
    declined = {a.reviewer_id for a in current if a.state is AssignmentState.DECLINED}
    authors = resource.author_ids
    found = [
        Candidate(
            user=user,
            load=loads.get(user.id, 0),
            conflict=user.id in authors,
            assigned=user.id in assigned,
            declined=user.id in declined,
        )
        for user in members
    ]
    return sorted(found, key=lambda c: (c.conflict, c.load, (c.user.name or c.user.email).lower()))


def reviews_by_version(
    views: Iterable[ReviewView],
) -> list[tuple[int, list[tuple[str, ReviewView]]]]:
    """The submitted reviews as (version, [(column heading, review)]), newest version first."""
    grouped: dict[int, list[tuple[str, ReviewView]]] = {}
    for view in views:
        reviewer = view.reviewer
        name = (reviewer.name or reviewer.email) if reviewer is not None else ""
        heading = name or gettext("A council member")
        if view.counts is False:
            heading = gettext("%(name)s (does not count)", name=heading)
        grouped.setdefault(view.version, []).append((heading, view))
    return sorted(grouped.items(), reverse=True)


def is_overdue(moment: datetime | None) -> bool:
    return moment is not None and as_utc(moment) < utcnow()


def default_due_date() -> str:
    """The review deadline the service would set, as the date field shows it."""
    days = int(current_app.config["REVIEW_DAYS"])
    local: datetime = to_user_timezone(utcnow() + timedelta(days=days))
    return local.date().isoformat()


def parse_due_date(text: str) -> datetime | None:
    """The end of the chosen day in the catalogue's time zone (``None`` when left empty:
    the service's default). ``ValueError`` when it is not a date."""
    text = text.strip()
    if not text:
        return None
    day = date.fromisoformat(text)
    return as_utc(to_utc(datetime.combine(day, time(23, 59))))


def _sortable(moment: datetime | None) -> datetime:
    return as_utc(moment) if moment is not None else datetime.max.replace(tzinfo=UTC)
