"""The teacher's own resources: the list, and each resource's page with what the council
said and what the teacher can do next in its state.

- a draft: edit the metadata, send it to the council, withdraw it;
- submitted or under review: wait, or withdraw it;
- revision requested: upload the revised package with a response to the council, which
  sends version n+1 back for review (if sending it fails, say because the rights are not
  confirmed, the new version waits: its metadata can be edited and it can be sent again);
- published: the same for a new version (uploaded, or built again on the build page),
  while the public keeps the published one; the public page, downloads and use.

Every action calls the services (``resources``, ``review``), which hold the rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString
from sqlalchemy import select
from werkzeug.wrappers import Response

from catalogue.db import db
from catalogue.errors import CatalogueError, TooManyRequests
from catalogue.models import Job, Resource, ResourceVersion, Role, State, utcnow
from catalogue.ratelimit import take_upload
from catalogue.services import resources, review
from catalogue.services.review.audit import AuditEntry
from catalogue.web.common.pages import flash_done, me, roles
from catalogue.web.common.usage import usage_panel
from catalogue.web.teacher.base import (
    bp,
    error_findings,
    field_errors,
    findings_language,
    form_options,
    own_resource,
    posted_values,
    raw_fields,
    refused,
    rendered_findings,
    version_values,
)
from catalogue.workflow import TRANSITIONS

Page = str | Response | tuple[str, int]

#: The council's decisions, whose reason is its word to the author.
DECISION_ACTIONS = frozenset({"return", "request_revision", "approve", "reject", "unpublish"})

ACTIONS: Mapping[str, LazyString] = {
    "create": lazy_gettext("Created"),
    "edit_metadata": lazy_gettext("Description changed"),
    "new_version": lazy_gettext("New version uploaded"),
    "add_coauthor": lazy_gettext("Co-author added"),
    "remove_coauthor": lazy_gettext("Co-author removed"),
    "submit": lazy_gettext("Sent to the council"),
    "return": lazy_gettext("Returned to the author"),
    "assign": lazy_gettext("Reviewer assigned"),
    "unassign": lazy_gettext("Reviewer released"),
    "accept": lazy_gettext("Reviewer accepted"),
    "decline": lazy_gettext("Reviewer declined"),
    "conflict_removed": lazy_gettext("Reviewer released (conflict of interest)"),
    "start_review": lazy_gettext("Review started"),
    "submit_review": lazy_gettext("Review submitted"),
    "remind": lazy_gettext("Reminder sent"),
    "request_revision": lazy_gettext("Revision requested"),
    "approve": lazy_gettext("Approved"),
    "reject": lazy_gettext("Rejected"),
    "resubmit": lazy_gettext("Revised version sent to the council"),
    "publish": lazy_gettext("Published"),
    "unpublish": lazy_gettext("Unpublished"),
    "republish": lazy_gettext("Published again"),
    "withdraw": lazy_gettext("Withdrawn"),
}


def action_name(action: str) -> str:
    known = ACTIONS.get(action)
    return str(known) if known is not None else action


# ---- the list -----------------------------------------------------------------------


@bp.get("/my/resources")
@roles(Role.TEACHER)
def mine() -> str:
    who = me()
    assert who.user is not None
    return render_template(
        "teacher/mine.html",
        items=resources.my_resources(who),
        user_id=who.user.id,
        unsaved=_unsaved_packages(who.user.id),
    )


#: How long a built package that was never saved stays on the teacher's list.
UNSAVED_DAYS = 30


def _unsaved_packages(user_id: int) -> list[Job]:
    """The teacher's recent builds and checks not (yet) made into a resource, so that a
    package built and left behind is not lost: in progress, failed, or waiting to be saved."""
    since = utcnow() - timedelta(days=UNSAVED_DAYS)
    jobs = db.session.scalars(
        select(Job)
        .where(
            Job.owner_id == user_id, Job.kind.in_(("build", "validate")), Job.created_at >= since
        )
        .order_by(Job.created_at.desc())
        .limit(50)
    ).all()
    saved = set(
        db.session.scalars(
            select(ResourceVersion.package_sha256)
            .join(Resource, Resource.id == ResourceVersion.resource_id)
            .where(Resource.owner_id == user_id)
        )
    )
    return [job for job in jobs if (job.result or {}).get("sha256") not in saved]


# ---- one resource -------------------------------------------------------------------


def _last_decision(history: list[AuditEntry]) -> AuditEntry | None:
    decisions = [entry for entry in history if entry.action in DECISION_ACTIONS]
    return decisions[-1] if decisions else None


def _resource_page(
    resource: Resource,
    *,
    status: int = 200,
    failed_form: str = "",
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    response: str = "",
    revision_findings: list[dict[str, Any]] | None = None,
) -> Page:
    who = me()
    version = resource.latest
    history = review.audit_log(who, resource.uuid)
    pending = version.frozen_at is None
    page = render_template(
        "teacher/resource.html",
        resource=resource,
        version=version,
        findings=rendered_findings(version.validation),
        reviews=review.visible_reviews(who, resource.uuid),
        history=history,
        decision=_last_decision(history),
        action_name=action_name,
        editable=pending and resource.state in (State.DRAFT, *resources.NEW_VERSION_STATES),
        can_submit=resource.state is State.DRAFT,
        can_withdraw=resource.state in TRANSITIONS["withdraw"].sources,
        revision_upload=resource.state in resources.NEW_VERSION_STATES and not pending,
        revision_pending=resource.state in resources.NEW_VERSION_STATES and pending,
        values=values if values is not None else version_values(version),
        errors=errors or {},
        failed_form=failed_form,
        response=response,
        revision_findings=revision_findings or [],
        options=form_options(),
        # schools have had it once a version was published: its authors see how it is used
        usage=usage_panel(resource) if resource.published_number is not None else None,
    )
    return (page, status) if status != 200 else page


@bp.get("/my/resources/<uuid:uuid>")
@roles(Role.TEACHER)
def resource(uuid: UUID) -> Page:
    return _resource_page(own_resource(str(uuid)))


def _back(found: Resource) -> Response:
    return redirect(url_for("teacher.resource", uuid=found.uuid))


@bp.post("/my/resources/<uuid:uuid>/metadata")
@roles(Role.TEACHER)
def edit(uuid: UUID) -> Page:
    found = own_resource(str(uuid))
    values = posted_values()
    try:
        resources.edit_metadata(found.uuid, me(), raw_fields(values))
    except CatalogueError as error:
        refused(error)
        found = own_resource(str(uuid))
        return _resource_page(
            found, status=422, failed_form="metadata", values=values, errors=field_errors(error)
        )
    if request.form.get("action") != "submit":
        flash_done(gettext("The description is saved."))
        return _back(found)
    return _send_to_council(found)


@bp.post("/my/resources/<uuid:uuid>/submit")
@roles(Role.TEACHER)
def submit(uuid: UUID) -> Response:
    return _send_to_council(own_resource(str(uuid)))


def _send_to_council(found: Resource) -> Response:
    """A draft to the council; a refusal (say, the rights are not confirmed) is flashed."""
    try:
        review.submit(me(), found.uuid)
    except CatalogueError as error:
        refused(error)
        return _back(found)
    flash_done(gettext("Sent to the council. You will get a letter when it decides."))
    return _back(found)


@bp.post("/my/resources/<uuid:uuid>/withdraw")
@roles(Role.TEACHER)
def withdraw(uuid: UUID) -> Response:
    found = own_resource(str(uuid))
    try:
        after = review.withdraw(me(), found.uuid, request.form.get("reason", "").strip())
    except CatalogueError as error:
        refused(error)
        return _back(found)
    if after.is_public:
        flash_done(gettext("The new version is taken back; the published one stays."))
    else:
        flash_done(gettext("The resource is withdrawn from the council."))
    return _back(found)


@bp.post("/my/resources/<uuid:uuid>/revision")
@roles(Role.TEACHER)
def revise(uuid: UUID) -> Page:
    """The revised package and the response to the council, sent back for review."""
    found = own_resource(str(uuid))
    response = request.form.get("response", "").strip()
    part = request.files.get("package")
    errors: dict[str, str] = {}
    if part is None or not part.filename:
        errors["package"] = gettext("Choose the new package's .zip file.")
    if not response:
        errors["response"] = gettext("Tell the council what you changed.")
    if errors or part is None:
        return _resource_page(
            found, status=422, failed_form="revision", errors=errors, response=response
        )
    attested = "true" if request.form.get("copyright_attested") else "false"
    try:
        take_upload(me().user_id)
        resources.add_version(
            found.uuid,
            me(),
            resources.Upload(part.stream, part.filename or "package.zip"),
            {"copyright_attested": attested},
            findings_language(),
        )
    except CatalogueError as error:
        refused(error)
        found = own_resource(str(uuid))
        return _resource_page(
            found,
            status=429 if isinstance(error, TooManyRequests) else 422,
            failed_form="revision",
            errors={"package": gettext("The package was not accepted; see the findings below.")}
            if error_findings(error)
            else {},
            response=response,
            revision_findings=error_findings(error),
        )
    return _resubmit(found.uuid, response)


@bp.post("/my/resources/<uuid:uuid>/resubmit")
@roles(Role.TEACHER)
def resubmit(uuid: UUID) -> Page:
    """Send a new version that is waiting (its first sending was refused) to the council."""
    found = own_resource(str(uuid))
    response = request.form.get("response", "").strip()
    if not response:
        errors = {"response": gettext("Tell the council what you changed.")}
        return _resource_page(found, status=422, failed_form="resubmit", errors=errors)
    if request.form.get("copyright_attested") and not found.latest.copyright_attested:
        try:
            resources.edit_metadata(found.uuid, me(), {"copyright_attested": "true"})
        except CatalogueError as error:
            refused(error)
            found = own_resource(str(uuid))
            return _resource_page(found, status=422, failed_form="resubmit", response=response)
    return _resubmit(found.uuid, response)


def _resubmit(uuid: str, response: str) -> Page:
    try:
        review.resubmit(me(), uuid, response)
    except CatalogueError as error:
        refused(error)
        found = own_resource(uuid)
        return _resource_page(
            found,
            status=422,
            failed_form="resubmit",
            errors=field_errors(error),
            response=response,
        )
    flash_done(gettext("The new version is sent to the council."))
    return redirect(url_for("teacher.resource", uuid=uuid))
