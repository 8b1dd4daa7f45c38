"""The council chair's pages: the desk (what waits for triage, review, decision,
publication) and one resource's file (metadata, preview, reviewer assignment with loads and
conflict warnings, the reviews side by side, the decision, publication, the audit trail).

Each action is a small form posted to its own URL. The services decide; a refusal
re-renders the resource's page (422) with the message beside the field (or the form), in a
summary at the top that links to it, and what the chair typed or chose still in it; a
success redirects back (POST/redirect/GET). The page opens with the one next step
(``data.next_step``) and a link to where it is done.

Conflict of interest holds for the chair too: on a resource the chair (co-)authored, the
page shows what its authors see (no reviewers, no comments to the chair, no scores, no
actions) and says who must handle it instead; the desk lists such resources apart.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext, ngettext
from werkzeug.wrappers import Response

from catalogue.db import db
from catalogue.errors import CatalogueError
from catalogue.models import Role, State
from catalogue.services import review as service
from catalogue.services.resources import readable
from catalogue.services.review.base import IN_REVIEW, is_own, load_assignment, other_chairs
from catalogue.web.chair import data
from catalogue.web.common.labels import FIELD_NAMES, STATES
from catalogue.web.common.pages import back, error_message, flash_done, me, roles
from catalogue.workflow import MIN_REVIEWERS

bp = Blueprint("chair", __name__)

#: Which field a refusal's message belongs beside, by the error code.
FIELD_OF_ERROR = {
    "reason_required": "reason",
    "unknown_decision": "decision",
    "due_in_past": "due_at",
}
#: Refusals of the assign form that are about whom the chair chose.
CHOICE_ERRORS = frozenset(
    {
        "reviewer_ids_required",
        "too_few_reviewers",
        "already_assigned",
        "not_a_reviewer",
        "unknown_reviewer",
        "conflict_of_interest",
    }
)
#: The element a refusal's summary links to, by form and field (else ``<form>-form``).
FIELD_IDS = {
    "assign.reviewer_id": "assign-reviewers",
    "assign.due_at": "f-due_at",
    "decision.decision": "q-decision",
    "decision.reason": "decision-reason",
    "return.reason": "return-reason",
    "publication.reason": "publication-reason",
    "assignments": "members-heading",
}


@bp.get("/chair")
@roles(Role.CHAIR)
def desk() -> str:
    who = me()
    found = service.overdue(who)
    queues, own = data.desk(who)
    return render_template(
        "chair/desk.html",
        queues=queues,
        own=own,
        States=State,
        overdue_ids={a.id for a in found.assignments},
        overdue_count=len(found.assignments) + len(found.revisions),
        is_overdue=data.is_overdue,
        next_step=data.next_step,
    )


@bp.get("/chair/resources/<uuid:uuid>")
@roles(Role.CHAIR)
def resource(uuid: UUID) -> str:
    return _resource_page(str(uuid))


# ---- reviewers ----------------------------------------------------------------------


@bp.post("/chair/resources/<uuid:uuid>/assignments")
@roles(Role.CHAIR)
def assign(uuid: UUID) -> Response | tuple[str, int]:
    chosen = request.form.getlist("reviewer_id")
    due_text = request.form.get("due_at", "")
    kept = {"chosen": chosen, "due_at": due_text}
    try:
        due = data.parse_due_date(due_text)
    except ValueError:
        message = gettext("Enter the due date as a date, for example 2026-05-31.")
        return _refused_text(str(uuid), "assign", message, field="due_at", kept=kept)
    try:
        ids = [int(value) for value in chosen]
    except ValueError:
        ids = []
    was = readable(str(uuid), me()).resource.state
    try:
        made = service.assign_reviewers(me(), str(uuid), ids, due)
    except CatalogueError as error:
        if error.code not in CHOICE_ERRORS:
            return _refused(str(uuid), "assign", error, kept=kept)
        message = _choice_message(str(uuid), error, len(ids))
        return _refused_text(str(uuid), "assign", message, field="reviewer_id", kept=kept)
    count = len(made)
    done = ngettext("%(num)d council member assigned.", "%(num)d council members assigned.", count)
    if was is State.SUBMITTED and made and made[0].resource.state is State.UNDER_REVIEW:
        done = f"{done} {gettext('The review has started.')}"
    flash_done(done)
    return back("chair.resource", uuid=uuid)


def _choice_message(uuid: str, error: CatalogueError, chosen: int) -> str:
    """Why the choice of members was refused, saying how many more are needed."""
    if error.code != "too_few_reviewers":
        return _message(error)
    resource = readable(uuid, me()).resource
    short = max(1, MIN_REVIEWERS - len(data.desk_item(resource).counted) - chosen)
    return str(
        ngettext(
            "Choose %(num)d more council member: a resource needs at least %(min)d reviewers.",
            "Choose %(num)d more council members: a resource needs at least %(min)d reviewers.",
            short,
            min=MIN_REVIEWERS,
        )
    )


@bp.post("/chair/assignments/<int:assignment_id>/remove")
@roles(Role.CHAIR)
def remove_assignment(assignment_id: int) -> Response | tuple[str, int]:
    uuid = load_assignment(assignment_id).resource.uuid
    try:
        removed = service.remove_assignment(me(), assignment_id)
    except CatalogueError as error:
        return _refused(uuid, "assignments", error)
    name = removed.reviewer.name or removed.reviewer.email
    flash_done(gettext("%(name)s no longer reviews this resource.", name=name))
    return back("chair.resource", uuid=uuid)


# ---- the resource's transitions ------------------------------------------------------


@bp.post("/chair/resources/<uuid:uuid>/start-review")
@roles(Role.CHAIR)
def start_review(uuid: UUID) -> Response | tuple[str, int]:
    try:
        service.start_review(me(), str(uuid))
    except CatalogueError as error:
        return _refused(str(uuid), "triage", error)
    flash_done(gettext("The review has started."))
    return back("chair.resource", uuid=uuid)


@bp.post("/chair/resources/<uuid:uuid>/return")
@roles(Role.CHAIR)
def return_to_author(uuid: UUID) -> Response | tuple[str, int]:
    reason = request.form.get("reason", "")
    try:
        service.return_to_author(me(), str(uuid), reason)
    except CatalogueError as error:
        return _refused(str(uuid), "return", error, kept={"reason": reason})
    flash_done(gettext("The resource went back to its authors with your reason."))
    return back("chair.resource", uuid=uuid)


@bp.post("/chair/resources/<uuid:uuid>/decision")
@roles(Role.CHAIR)
def decide(uuid: UUID) -> Response | tuple[str, int]:
    decision = request.form.get("decision", "")
    reason = request.form.get("reason", "")
    try:
        done = service.decide_review(me(), str(uuid), decision, reason)
    except CatalogueError as error:
        kept = {"decision": decision, "reason": reason}
        return _refused(str(uuid), "decision", error, kept=kept)
    flash_done(
        gettext(
            "Decision recorded: the resource is now %(state)s.",
            state=STATES.get(done.state, done.state.value),
        )
    )
    return back("chair.resource", uuid=uuid)


@bp.post("/chair/resources/<uuid:uuid>/publish")
@roles(Role.CHAIR)
def publish(uuid: UUID) -> Response | tuple[str, int]:
    try:
        service.publish(me(), str(uuid))
    except CatalogueError as error:
        return _refused(str(uuid), "publication", error)
    flash_done(gettext("The resource is published in the catalogue."))
    return back("chair.resource", uuid=uuid)


@bp.post("/chair/resources/<uuid:uuid>/unpublish")
@roles(Role.CHAIR)
def unpublish(uuid: UUID) -> Response | tuple[str, int]:
    reason = request.form.get("reason", "")
    try:
        service.unpublish(me(), str(uuid), reason)
    except CatalogueError as error:
        return _refused(str(uuid), "publication", error, kept={"reason": reason})
    flash_done(gettext("The resource is no longer in the catalogue."))
    return back("chair.resource", uuid=uuid)


@bp.post("/chair/resources/<uuid:uuid>/republish")
@roles(Role.CHAIR)
def republish(uuid: UUID) -> Response | tuple[str, int]:
    reason = request.form.get("reason", "")
    try:
        service.republish(me(), str(uuid), reason)
    except CatalogueError as error:
        return _refused(str(uuid), "publication", error, kept={"reason": reason})
    flash_done(gettext("The resource is published in the catalogue again."))
    return back("chair.resource", uuid=uuid)


@bp.post("/chair/reminders")
@roles(Role.CHAIR)
def reminders() -> Response:
    sent = service.send_reminders(me())
    flash_done(ngettext("%(num)d reminder sent.", "%(num)d reminders sent.", sent))
    return back("chair.desk")


# ---- rendering ---------------------------------------------------------------------


def _refused(
    uuid: str, form: str, error: CatalogueError, *, kept: dict[str, Any] | None = None
) -> tuple[str, int]:
    """The resource's page again with the refusal beside ``form`` (and on top)."""
    db.session.rollback()
    field = FIELD_OF_ERROR.get(error.code, "")
    return _refused_text(uuid, form, _message(error), field=field, kept=kept)


def _message(error: CatalogueError) -> str:
    """The refusal in the visitor's language; a conflict of interest names the resource
    and who may act instead."""
    details = error.details if isinstance(error.details, dict) else {}
    if error.code == "conflict_of_interest" and "resource" in details:
        return conflict_note(
            str(details.get("title") or ""), bool(details.get("other_chairs")), refused=True
        )
    return error_message(error)


def conflict_note(title: str, others: bool, *, refused: bool = False) -> str:
    """Why an author who chairs the council does not handle this resource, and who does."""
    title = title or gettext("Untitled resource")
    why = (
        gettext("Refused: you are an author of “%(title)s” (a conflict of interest).", title=title)
        if refused
        else gettext(
            "You are an author of “%(title)s”: a conflict of interest. You see it as its "
            "authors do, without the reviewers' names, comments to the chair or scores.",
            title=title,
        )
    )
    if others:
        advice = gettext("Another chair must assign its reviewers and decide on it.")
    else:
        advice = gettext(
            "You are the only chair: ask an administrator to give the chair role to a council "
            "member who is not its author, who will then assign its reviewers and decide on it."
        )
    return f"{why} {advice}"


def _refused_text(
    uuid: str, form: str, message: str, *, field: str = "", kept: dict[str, Any] | None = None
) -> tuple[str, int]:
    """The page again: the message beside the field (or atop the form when it is about no
    one field) and in the summary at the top, linking there."""
    db.session.rollback()
    key = f"{form}.{field}" if field else form
    errors = {key: message}
    summary = {FIELD_IDS.get(key, f"{form}-form"): message}
    page = _resource_page(uuid, errors=errors, summary=summary, kept={form: kept or {}})
    return page, 422


def _resource_page(
    uuid: str,
    *,
    errors: dict[str, str] | None = None,
    summary: dict[str, str] | None = None,
    kept: dict[str, dict[str, Any]] | None = None,
) -> str:
    who = me()
    resource = readable(uuid, who).resource
    version = resource.latest
    own = is_own(who, resource)
    item = data.desk_item(resource)
    return render_template(
        "chair/resource.html",
        resource=resource,
        version=version,
        item=item,
        step=None if own else data.next_step(item),
        assignments=[] if own else service.list_assignments(who, uuid),
        candidates=data.candidates(resource) if resource.state in IN_REVIEW and not own else [],
        reviews=[] if own else data.reviews_by_version(service.visible_reviews(who, uuid)),
        audit=service.audit_log(who, uuid),
        audit_actions=data.AUDIT_ACTIONS,
        decisions=data.DECISION_LABELS,
        field_names=FIELD_NAMES,
        default_due=data.default_due_date(),
        is_overdue=data.is_overdue,
        in_review=resource.state in IN_REVIEW,
        chair_is_author=own,
        conflict_note=conflict_note(version.title, bool(other_chairs(resource))) if own else "",
        errors=errors or {},
        summary=summary or {},
        kept=kept or {},
        States=State,
        here=url_for("chair.resource", uuid=uuid),
    )
