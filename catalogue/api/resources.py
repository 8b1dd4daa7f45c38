"""``/api/v1/resources/...`` and ``/api/v1/me/resources``: submit a package, read a resource
and its versions, download packages, edit metadata, upload a revision, manage co-authors.

Views parse the request, call ``catalogue.services.resources`` and render JSON; the
services hold the rules. Validator findings are rendered in the caller's language, the
one the error messages speak too: the locale cookie, else ``Accept-Language`` (kk, ru or
en), else Kazakh (``catalogue.i18n.select_locale``).
"""

from __future__ import annotations

from enum import Enum
from typing import Any
from urllib.parse import quote
from uuid import UUID

from flask import Blueprint, Response, request, send_file
from flask_babel import get_locale

from catalogue.api import schemas
from catalogue.api.openapi import PUBLIC, Reply, documented
from catalogue.auth import login_required, principal, roles_required
from catalogue.domain import timestamp
from catalogue.errors import (
    CatalogueError,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    TooLarge,
    TooManyRequests,
    Unauthenticated,
)
from catalogue.models import AuditEvent, Resource, ResourceVersion, Role, State, User
from catalogue.ratelimit import take_upload
from catalogue.services import resources as service
from catalogue.storage import storage
from scorm_builder.slug import ascii_slug
from scorm_builder.vocabulary import DEFAULT_LANGUAGE, LANGUAGES, Lang

bp = Blueprint("api_resources", __name__, url_prefix="/api/v1")

Json = dict[str, Any]


def request_language() -> Lang:
    """The request's locale (``flask_babel.get_locale``) as a language of the validator."""
    locale = get_locale()
    chosen = locale.language if locale is not None else DEFAULT_LANGUAGE
    return next((lang for lang in LANGUAGES if lang == chosen), DEFAULT_LANGUAGE)


# ---- rendering ----------------------------------------------------------------------


def _person(user: User, insider: bool) -> Json:
    """A name for everyone; the e-mail only for those who work on the resource."""
    return {"name": user.name, "email": user.email} if insider else {"name": user.name}


def version_json(resource: Resource, version: ResourceVersion, lang: Lang) -> Json:
    base = f"/api/v1/resources/{resource.uuid}/versions/{version.number}"
    validation = version.validation or {}
    return {
        "number": version.number,
        "created_at": timestamp(version.created_at),
        "frozen": version.frozen_at is not None,
        "frozen_at": timestamp(version.frozen_at),
        "package": {
            "sha256": version.package_sha256,
            "size": version.package_size,
            "name": version.package_name,
            "url": f"{base}/package",
        },
        "validation": {
            "valid": bool(validation.get("valid", True)),
            "findings": service.render_findings(validation.get("findings", []), lang),
        },
        "metadata": {
            "title": version.title,
            **{name: _plain(getattr(version, name)) for name in service.METADATA_FIELDS},
            "accessibility": list(version.accessibility),
            "offline_ready": version.offline_ready,
            "scorm_version": version.scorm_version,
        },
        "author_response": version.author_response,
    }


def _plain(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


def resource_json(visible: service.Visible, lang: Lang) -> Json:
    resource, insider = visible.resource, visible.insider
    # the public sees the published resource as it was published, not its next version's way
    state = resource.state if insider else State.PUBLISHED
    return {
        "uuid": resource.uuid,
        "state": state.value,
        "owner": _person(resource.owner, insider),
        "coauthors": [_person(user, insider) for user in resource.coauthors],
        "created_at": timestamp(resource.created_at),
        "updated_at": timestamp(resource.updated_at),
        "submitted_at": timestamp(resource.submitted_at),
        "published_at": timestamp(resource.published_at),
        "revision_due_at": timestamp(resource.revision_due_at) if insider else None,
        "downloads": resource.downloads,
        "versions": [v.number for v in visible.versions],
        "published_version": resource.published_number if resource.is_public else None,
        # what the caller may see: the public one for the public, the newest for insiders
        "latest_version": version_json(resource, visible.versions[-1], lang),
        "links": {
            "self": f"/api/v1/resources/{resource.uuid}",
            "versions": f"/api/v1/resources/{resource.uuid}/versions",
            "package": f"/api/v1/resources/{resource.uuid}/package",
        },
    }


def _decision_json(event: AuditEvent | None) -> Json | None:
    if event is None:
        return None
    return {
        "action": event.action,
        "to_state": event.to_state,
        "reason": event.reason,
        "at": timestamp(event.at),
    }


# ---- the request's parts ------------------------------------------------------------


def _upload() -> service.Upload:
    part = request.files.get("package")
    if part is None:
        raise CatalogueError(
            "send the package as the multipart/form-data file field 'package'",
            code="package_missing",
        )
    return service.Upload(part.stream, part.filename or "package.zip")


def _form_fields() -> dict[str, object]:
    return {name: value for name, value in request.form.items() if name != "coauthors"}


def _coauthor_emails() -> list[str]:
    return [e for value in request.form.getlist("coauthors") for e in value.split(",")]


def _json_object() -> Json:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise CatalogueError("send a JSON object (Content-Type: application/json)", code="bad_json")
    return body


def _email() -> str:
    email = request.args.get("email")
    if email is None and request.is_json:
        body = request.get_json(silent=True)
        email = body.get("email") if isinstance(body, dict) else None
    if not isinstance(email, str) or not email.strip():
        raise CatalogueError("give the co-author's e-mail ('email')", code="email_missing")
    return email


# ---- the endpoints ------------------------------------------------------------------

#: A package download: the file, a range of it, or "not modified".
PACKAGE_REPLIES = {
    200: Reply(
        "the package (ETag is its SHA-256; Accept-Ranges: bytes)",
        media_type="application/zip",
        schema={"type": "string", "contentMediaType": "application/zip"},
    ),
    206: Reply("the requested range (Content-Range)"),
    304: Reply("not modified (If-None-Match matched the ETag)"),
}


@bp.post("/resources")
@documented(
    "Submit a package: a new draft resource with version 1",
    description="Metadata is prefilled from the package's manifest; form fields override it. "
    "An invalid package is refused with the validator's findings in the caller's language "
    "and nothing is stored.",
    operation_id="submitResource",
    form=schemas.UploadForm,
    language=True,
    responses={201: Reply("created (Location names it)", schemas.Resource)},
    errors=(CatalogueError, Unauthenticated, Forbidden, TooLarge, TooManyRequests, Invalid),
)
@roles_required(Role.TEACHER)
def submit() -> tuple[Json, int, dict[str, str]]:
    lang = request_language()
    take_upload(principal().user_id)
    resource = service.submit(principal(), _upload(), _form_fields(), _coauthor_emails(), lang)
    body = resource_json(service.Visible(resource, insider=True), lang)
    return body, 201, {"Location": body["links"]["self"]}


@bp.get("/resources/<uuid:uuid>")
@documented(
    "A resource: published for anyone; otherwise its authors, the chair, administrators "
    "and assigned reviewers",
    operation_id="getResource",
    security=PUBLIC,
    language=True,
    responses={200: schemas.Resource},
    errors=(NotFound,),
)
def read(uuid: UUID) -> Json:
    return resource_json(service.readable(str(uuid), principal()), request_language())


@bp.patch("/resources/<uuid:uuid>")
@documented(
    "Edit the latest version's metadata (an author, while not frozen)",
    operation_id="editResource",
    body=schemas.MetadataChanges,
    language=True,
    responses={200: schemas.Resource},
    errors=(CatalogueError, Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def edit(uuid: UUID) -> Json:
    resource = service.edit_metadata(str(uuid), principal(), _json_object())
    return resource_json(service.Visible(resource, insider=True), request_language())


@bp.get("/resources/<uuid:uuid>/versions")
@documented(
    "The versions the caller may see (the public: the latest only)",
    operation_id="listVersions",
    security=PUBLIC,
    language=True,
    responses={200: schemas.Versions},
    errors=(NotFound,),
)
def versions(uuid: UUID) -> Json:
    visible, lang = service.readable(str(uuid), principal()), request_language()
    return {"items": [version_json(visible.resource, v, lang) for v in visible.versions]}


@bp.get("/resources/<uuid:uuid>/versions/<int:number>")
@documented(
    "One version",
    operation_id="getVersion",
    security=PUBLIC,
    language=True,
    responses={200: schemas.Version},
    errors=(NotFound,),
)
def version(uuid: UUID, number: int) -> Json:
    visible = service.readable(str(uuid), principal())
    return version_json(visible.resource, visible.version(number), request_language())


@bp.post("/resources/<uuid:uuid>/versions")
@documented(
    "Upload version n+1 when a revision is requested (an author)",
    description="Prefilled from the previous version, then the new manifest, then the form; "
    "unfrozen until the author resubmits.",
    operation_id="uploadVersion",
    form=schemas.UploadForm,
    language=True,
    responses={201: Reply("created (Location names it)", schemas.Version)},
    errors=(
        CatalogueError,
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        TooLarge,
        TooManyRequests,
        Invalid,
    ),
)
@login_required
def upload_version(uuid: UUID) -> tuple[Json, int, dict[str, str]]:
    lang = request_language()
    take_upload(principal().user_id)
    created = service.add_version(str(uuid), principal(), _upload(), _form_fields(), lang)
    body = version_json(created.resource, created, lang)
    location = f"/api/v1/resources/{uuid}/versions/{created.number}"
    return body, 201, {"Location": location}


@bp.get("/resources/<uuid:uuid>/package")
@documented(
    "Download the latest version's package (counted when published)",
    operation_id="downloadPackage",
    security=PUBLIC,
    responses=PACKAGE_REPLIES,
    errors=(NotFound,),
)
def package(uuid: UUID) -> Response:
    return _download(str(uuid), None)


@bp.get("/resources/<uuid:uuid>/versions/<int:number>/package")
@documented(
    "Download one version's package",
    operation_id="downloadVersionPackage",
    security=PUBLIC,
    responses=PACKAGE_REPLIES,
    errors=(NotFound,),
)
def version_package(uuid: UUID, number: int) -> Response:
    return _download(str(uuid), number)


def content_disposition(version: ResourceVersion) -> str:
    """An attachment named after the title: ASCII (Kazakh letters in the 2021 Latin
    alphabet) for old clients, and the title itself as RFC 6266 ``filename*``."""
    title = version.title or "package"
    ascii_name = f"{ascii_slug(title) or 'package'}-v{version.number}.zip"
    utf8_name = quote(f"{title} v{version.number}.zip", safe="")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{utf8_name}"


def _download(uuid: str, number: int | None) -> Response:
    who = principal()
    visible = service.readable(uuid, who)
    chosen = visible.version(number)
    store = storage()
    if not store.exists(chosen.package_sha256):
        raise NotFound("the package file is missing from storage", code="package_file_missing")
    response = send_file(
        store.path(chosen.package_sha256),
        mimetype="application/zip",
        conditional=True,
        etag=chosen.package_sha256,
        last_modified=chosen.created_at,
    )
    response.headers["Content-Disposition"] = content_disposition(chosen)
    response.headers["Cache-Control"] = (
        "public, no-cache" if not visible.insider else "private, no-cache"
    )
    first_bytes = response.status_code == 200 or (
        response.status_code == 206
        and response.content_range is not None
        and response.content_range.start == 0
    )
    if request.method == "GET" and first_bytes:
        service.record_download(visible, chosen, who)
    return response


@bp.post("/resources/<uuid:uuid>/coauthors")
@documented(
    "Add a co-author by e-mail (the owner)",
    operation_id="addCoauthor",
    body=schemas.CoauthorEmail,
    body_required=False,
    responses={200: schemas.Authors},
    errors=(CatalogueError, Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def add_coauthor(uuid: UUID) -> tuple[Json, int]:
    resource = service.add_coauthor(str(uuid), principal(), _email())
    return _authors_json(resource), 200


@bp.delete("/resources/<uuid:uuid>/coauthors")
@documented(
    "Remove a co-author (the owner)",
    operation_id="removeCoauthor",
    query=schemas.EmailQuery,
    responses={200: schemas.Authors},
    errors=(CatalogueError, Unauthenticated, Forbidden, NotFound, Conflict, Invalid),
)
@login_required
def remove_coauthor(uuid: UUID) -> Json:
    resource = service.remove_coauthor(str(uuid), principal(), _email())
    return _authors_json(resource)


def _authors_json(resource: Resource) -> Json:
    return {
        "owner": _person(resource.owner, True),
        "coauthors": [_person(user, True) for user in resource.coauthors],
    }


@bp.get("/me/resources")
@documented(
    "The caller's resources with their state and the council's feedback",
    operation_id="myResources",
    responses={200: schemas.MyResources},
    errors=(Unauthenticated,),
)
@login_required
def my_resources() -> Json:
    who = principal()
    assert who.user is not None
    items = []
    for resource, feedback in service.my_resources(who):
        latest = resource.latest
        items.append(
            {
                "uuid": resource.uuid,
                "title": latest.title,
                "state": resource.state.value,
                "role": "owner" if resource.owner_id == who.user.id else "coauthor",
                "updated_at": timestamp(resource.updated_at),
                "revision_due_at": timestamp(resource.revision_due_at),
                "downloads": resource.downloads,
                "latest_version": {
                    "number": latest.number,
                    "frozen": latest.frozen_at is not None,
                    "created_at": timestamp(latest.created_at),
                    "valid": bool((latest.validation or {}).get("valid", True)),
                },
                "feedback": {
                    "reviews_submitted": feedback.reviews_submitted,
                    "last_decision": _decision_json(feedback.last_decision),
                },
                "links": {"self": f"/api/v1/resources/{resource.uuid}"},
            }
        )
    return {"items": items}
