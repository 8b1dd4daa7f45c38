"""Build a package from a teacher's files, or check an uploaded one, then make it a resource.

Building and checking take time, so both run as background jobs (``catalogue.jobs``):
the form stages the files and sends the teacher to the job's progress page, which comes
back to ``teacher.built`` when the job is done. That page shows the package in the
player, the validator's findings, and the metadata form prefilled from the package; the
teacher saves it as a draft or sends it to the council straight away.

Built for one of the teacher's resources (a published one, or one the council asked to
revise), the package becomes that resource's next version instead, sent to the council
with the teacher's note on what changed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import IO, Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import format_decimal, gettext, ngettext
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from catalogue.db import db
from catalogue.error_texts import error_text
from catalogue.errors import CatalogueError, Invalid, TooManyRequests
from catalogue.jobs import enqueue, load_job
from catalogue.jobs.steps import error_label
from catalogue.models import Job, JobState, Resource, ResourceVersion, Role, State
from catalogue.ratelimit import take_upload
from catalogue.services import resources, review
from catalogue.storage import storage
from catalogue.web.common.pages import flash_done, flash_error, me, roles
from catalogue.web.teacher.base import (
    bp,
    field_errors,
    findings_language,
    form_options,
    form_values,
    own_resource,
    posted_emails,
    posted_values,
    raw_fields,
    refused,
    rendered_findings,
)
from scorm_builder.readers import companion_suffixes, offered_suffixes
from scorm_builder.vocabulary import DEFAULT_LANGUAGE, LANGUAGES, SUBJECTS

#: What the form accepts comes from the readers' registry (``scorm_builder.readers``):
#: the lessons, tests and videos it offers, then the files that go with them (captions).
CONTENT_EXTENSIONS = offered_suffixes()
CAPTION_EXTENSIONS = companion_suffixes()
BUILD_EXTENSIONS = CONTENT_EXTENSIONS + CAPTION_EXTENSIONS
SCORM_VERSIONS = ("2004", "1.2")
#: The job kinds whose result this page turns into a resource.
RESULT_KINDS = ("build", "validate")

Page = str | Response | tuple[str, int]


# ---- the build form ---------------------------------------------------------------


def _version_target(uuid: str) -> Resource | None:
    """The teacher's resource a build makes the next version of (``?version_of=``), if any: one
    that takes a new version now, else 404."""
    if not uuid:
        return None
    found = own_resource(uuid)
    if found.state not in resources.NEW_VERSION_STATES or found.latest.frozen_at is None:
        abort(404)
    return found


def _build_values(target: Resource | None) -> dict[str, str]:
    if request.method == "GET":
        blank = dict.fromkeys(("title", "subject", "grades", "single_sco"), "")
        values = {"scorm": "2004", "language": DEFAULT_LANGUAGE, **blank}
        if target is not None:
            now = target.latest
            values |= {
                "title": now.title,
                "language": now.language or DEFAULT_LANGUAGE,
                "subject": now.subject,
                "grades": ", ".join(str(grade) for grade in now.grades or ()),
                "scorm": "1.2" if now.scorm_version.startswith("1.2") else "2004",
            }
        return values
    values = {
        name: request.form.get(name, "").strip()
        for name in ("scorm", "title", "language", "subject", "grades")
    }
    values["single_sco"] = "1" if request.form.get("single_sco") else ""
    return values


def _build_page(
    values: Mapping[str, str],
    errors: Mapping[str, str],
    status: int = 200,
    target: Resource | None = None,
) -> Page:
    page = render_template(
        "teacher/build.html",
        target=target,
        values=values,
        errors=errors,
        options=form_options(),
        accept=",".join(BUILD_EXTENSIONS),
        limit_mb=_megabytes(resources.upload_limit()),
    )
    return (page, status) if status != 200 else page


def _megabytes(size: int) -> str:
    return str(format_decimal(round(size / 1024**2, 1)))


def _size_text(size: int) -> str:
    if size < 1024**2:
        return str(gettext("%(size)s KB", size=format_decimal(max(1, round(size / 1024)))))
    return str(gettext("%(size)s MB", size=_megabytes(size)))


def _preview_title(values: Mapping[str, str]) -> str:
    languages = (findings_language(), *LANGUAGES)
    return next((values[f"title_{code}"] for code in languages if values[f"title_{code}"]), "")


def _size(stream: IO[bytes]) -> int:
    here = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(here)
    return size


def _base_name(filename: str) -> str:
    """The file's own name: browsers on Windows used to send the whole path."""
    return filename.replace("\\", "/").rsplit("/", 1)[-1].strip()


def _check_files(files: Sequence[FileStorage]) -> str:
    """What is wrong with the chosen files, or ``""``."""
    if not files:
        return str(gettext("Choose at least one file: a .docx lesson, a quiz or a video."))
    names = [_base_name(part.filename or "") for part in files]
    unknown = [name for name in names if not name.lower().endswith(BUILD_EXTENSIONS)]
    if unknown:
        return str(
            gettext(
                "These files cannot be built into a package: %(names)s. Choose .docx, .gift, "
                ".txt, .mp4, .webm, .mov or .mkv files, and .srt or .vtt captions.",
                names=", ".join(unknown),
            )
        )
    if not any(name.lower().endswith(CONTENT_EXTENSIONS) for name in names):
        return str(gettext("Captions alone make no lesson: add the video they belong to."))
    if len({name.lower() for name in names}) != len(names):
        return str(gettext("Two of the chosen files have the same name; rename one of them."))
    limit = resources.upload_limit()
    if sum(_size(part.stream) for part in files) > limit:
        return str(
            gettext(
                "The files together are larger than %(size)s MB, the most the catalogue takes.",
                size=_megabytes(limit),
            )
        )
    return ""


def _check_build_values(values: Mapping[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values["scorm"] not in SCORM_VERSIONS:
        errors["scorm"] = gettext("Choose SCORM 2004 or SCORM 1.2.")
    if values["language"] not in LANGUAGES:
        errors["language"] = gettext("Choose the language of the resource.")
    if values["subject"] and values["subject"] not in SUBJECTS:
        errors["subject"] = gettext("Choose a subject from the list.")
    try:
        resources.clean_metadata({"grades": values["grades"], "title_kk": values["title"]})
    except Invalid as error:
        for name, text in field_errors(error).items():
            errors["grades" if name == "grades" else "title"] = text
    return errors


def _grades(text: str) -> list[int]:
    return sorted({int(word) for word in text.replace(";", ",").split(",") if word.strip()})


@bp.route("/build", methods=["GET", "POST"])
@roles(Role.TEACHER)
def build() -> Page:
    target = _version_target(request.values.get("version_of", ""))
    values = _build_values(target)
    if request.method == "GET":
        return _build_page(values, {}, target=target)
    files = [part for part in request.files.getlist("files") if part.filename]
    errors = _check_build_values(values)
    if problem := _check_files(files):
        errors["files"] = problem
    if errors:
        return _build_page(values, errors, 422, target)
    params: dict[str, Any] = {
        "scorm": values["scorm"],
        "language": values["language"],
        "grades": _grades(values["grades"]),
        "single_sco": bool(values["single_sco"]),
        "then": "teacher.built",
    }
    if values["title"]:
        params["title"] = values["title"]
    if values["subject"]:
        params["subject"] = values["subject"]
    if target is not None:
        params["for_resource"] = target.uuid
    inputs = {_base_name(part.filename or ""): part.stream for part in files}
    user = me().user
    try:
        take_upload(me().user_id)
        job = enqueue("build", params, owner=user, inputs=inputs)
    except CatalogueError as error:
        refused(error)
        status = 429 if isinstance(error, TooManyRequests) else 422
        return _build_page(values, {}, status, target)
    return redirect(url_for("jobs.show", job_id=job.id))


# ---- the upload form --------------------------------------------------------------


def _upload_page(error: str = "", status: int = 200) -> Page:
    page = render_template(
        "teacher/upload.html", error=error, limit_mb=_megabytes(resources.upload_limit())
    )
    return (page, status) if status != 200 else page


@bp.route("/upload", methods=["GET", "POST"])
@roles(Role.TEACHER)
def upload() -> Page:
    if request.method == "GET":
        return _upload_page()
    part = request.files.get("package")
    if part is None or not part.filename:
        return _upload_page(gettext("Choose the package's .zip file."), 422)
    limit = resources.upload_limit()
    if _size(part.stream) > limit:
        message = gettext(
            "The file is larger than %(size)s MB, the most the catalogue takes.",
            size=_megabytes(limit),
        )
        return _upload_page(message, 422)
    params = {"then": "teacher.built", "filename": _base_name(part.filename)}
    try:
        take_upload(me().user_id)
        job = enqueue("validate", params, owner=me().user, inputs={"package.zip": part.stream})
    except CatalogueError as error:
        refused(error)
        return _upload_page("", 429 if isinstance(error, TooManyRequests) else 422)
    return redirect(url_for("jobs.show", job_id=job.id))


# ---- the job's result: preview, findings, metadata, submit -------------------------


def _own_job(job_id: str) -> Job:
    """The visitor's own build or check; 404 for anyone else's."""
    who = me()
    job: Job = load_job(job_id, who)
    if who.user is None or job.owner_id != who.user.id or job.kind not in RESULT_KINDS:
        abort(404)
    return job


def _stored_package(result: Mapping[str, Any]) -> str:
    """The SHA-256 of the job's package when it passed validation and is in storage."""
    sha256 = result.get("sha256")
    if not result.get("valid") or not isinstance(sha256, str):
        return ""
    try:
        return sha256 if storage().exists(sha256) else ""
    except ValueError:  # not a SHA-256
        return ""


def _made_from(result: Mapping[str, Any]) -> Resource | None:
    """The resource the visitor already made from this package (a form posted twice, or
    the back button), so that it is not made twice."""
    sha256, user = result.get("sha256"), me().user
    if not isinstance(sha256, str) or user is None:
        return None
    found: Resource | None = db.session.scalar(
        select(Resource)
        .join(ResourceVersion, ResourceVersion.resource_id == Resource.id)
        .where(
            Resource.owner_id == user.id,
            Resource.state != State.WITHDRAWN,
            ResourceVersion.number == 1,
            ResourceVersion.package_sha256 == sha256,
        )
        .limit(1)
    )
    return found


def _prefilled(job: Job) -> dict[str, str]:
    """The metadata the package (or the build form) gave, in the form's shape."""
    metadata = dict(job.result.get("metadata") or {})
    params = job.params or {}
    language = str(metadata.get("language") or params.get("language") or DEFAULT_LANGUAGE)
    metadata["language"] = language
    for name in ("subject", "grades"):
        if not metadata.get(name) and params.get(name):
            metadata[name] = params[name]
    title_field = f"title_{language}"
    if not metadata.get(title_field) and params.get("title"):
        metadata[title_field] = params["title"]
    if job.kind == "build" and not metadata.get("copyright_attested"):
        metadata["copyright_attested"] = False
    return form_values(metadata)


def _result_page(
    job: Job,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    *,
    coauthors: str = "",
    response: str = "",
    status: int = 200,
) -> Page:
    result = job.result or {}
    size = result.get("size")
    warnings = result.get("warnings")
    page = render_template(
        "teacher/built.html",
        job=job,
        result=result,
        summary=_contents_summary(result.get("contents")),
        warnings=[str(w) for w in warnings] if isinstance(warnings, list) else [],
        sha256=_stored_package(result),
        size_text=_size_text(size) if isinstance(size, int) else "",
        title=_preview_title(values),
        findings=rendered_findings(result),
        error_text=error_label(job.error) if job.state is JobState.FAILED else "",
        values=values,
        errors=errors,
        coauthors=coauthors,
        response=response,
        target=_job_target(job),
        options=form_options(),
    )
    return (page, status) if status != 200 else page


def _job_target(job: Job) -> Resource | None:
    """The resource a build for a new version was made for."""
    uuid = str((job.params or {}).get("for_resource") or "")
    return own_resource(uuid) if uuid else None


def _contents_summary(contents: object) -> list[tuple[str, str]]:
    """What the package holds, in the teacher's words: pages, questions, minutes of video
    (only what it has; nothing for a checked upload, whose result says none)."""
    if not isinstance(contents, dict):
        return []
    rows: list[tuple[str, str]] = []
    pages, questions = int(contents.get("pages") or 0), int(contents.get("questions") or 0)
    scored = int(contents.get("scored_questions") or 0)
    seconds = float(contents.get("video_seconds") or 0)
    if pages:
        rows.append((gettext("Pages"), format_decimal(pages)))
    if questions:
        text = format_decimal(questions)
        if scored != questions:
            text = gettext("%(all)s, of which %(scored)s earn marks", all=text, scored=scored)
        rows.append((gettext("Questions"), text))
    if seconds:
        minutes = max(1, round(seconds / 60))
        rows.append((gettext("Video"), ngettext("%(num)d minute", "%(num)d minutes", minutes)))
    return rows


@bp.route("/build/<job_id>", methods=["GET", "POST"])
@roles(Role.TEACHER)
def built(job_id: str) -> Page:
    job = _own_job(job_id)
    if job.state not in (JobState.SUCCEEDED, JobState.FAILED):
        return redirect(url_for("jobs.show", job_id=job.id))
    result = job.result or {}
    target = _job_target(job)
    if target is not None and target.state not in resources.NEW_VERSION_STATES:
        # sent already (the back button, a form posted twice), or the council has it
        flash_done(gettext("The resource takes no new version now; its page says where it is."))
        return redirect(url_for("teacher.resource", uuid=target.uuid))
    made = _made_from(result) if job.state is JobState.SUCCEEDED and target is None else None
    if made is not None:
        flash_done(gettext("This package is already one of your resources."))
        return redirect(url_for("teacher.resource", uuid=made.uuid))
    if request.method == "GET" or job.state is JobState.FAILED:
        return _result_page(job, _prefilled(job), {})
    sha256 = _stored_package(result)
    if not sha256:
        flash_error(Invalid("the package is not valid", code="package_invalid"))
        return redirect(url_for("teacher.built", job_id=job.id))
    if target is not None:
        return _make_version(job, sha256, target)
    return _make_resource(job, sha256)


def _make_version(job: Job, sha256: str, target: Resource) -> Page:
    """The built package as the resource's next version, sent to the council with the
    teacher's note; a refusal brings the form back with its errors, nothing sent."""
    who, response = me(), request.form.get("response", "").strip()
    errors: dict[str, str] = {}
    if not response:
        errors["response"] = gettext("Tell the council what you changed.")
    if not request.form.get("copyright_attested"):
        errors["copyright_attested"] = error_text("copyright_not_attested")
    if errors:
        return _result_page(job, _prefilled(job), errors, response=response, status=422)
    latest = target.latest
    if latest.frozen_at is not None or latest.package_sha256 != sha256:
        # not added yet (a refused sending left it waiting otherwise); another version
        # waiting to be sent is refused by the service
        filename = str(job.result.get("filename") or "package.zip")
        try:
            with storage().path(sha256).open("rb") as stream:
                resources.add_version(
                    target.uuid,
                    who,
                    resources.Upload(stream, filename),
                    {"copyright_attested": "true"},
                    findings_language(),
                )
        except CatalogueError as error:
            refused(error)
            return _result_page(
                job, _prefilled(job), field_errors(error), response=response, status=422
            )
    try:
        review.resubmit(who, target.uuid, response)
    except CatalogueError as error:
        refused(error)
        return redirect(url_for("teacher.resource", uuid=target.uuid))
    flash_done(gettext("The new version is sent to the council."))
    return redirect(url_for("teacher.resource", uuid=target.uuid))


def _make_resource(job: Job, sha256: str) -> Page:
    """A draft from the job's package with the posted metadata; then, when the teacher
    asked for it, sent to the council. Sending it without the rights confirmed makes
    nothing: the form comes back with the error at the box (and in the summary above), so
    no draft is saved behind the teacher's back. A draft the council cannot take for
    another reason stays a draft, and its page says why."""
    who, values, coauthors = me(), posted_values(), request.form.get("coauthors", "")
    if request.form.get("action") == "submit" and not values.get("copyright_attested"):
        missing = {"copyright_attested": error_text("copyright_not_attested")}
        return _result_page(job, values, missing, coauthors=coauthors, status=422)
    filename = str(job.result.get("filename") or "package.zip")
    try:
        with storage().path(sha256).open("rb") as stream:
            resource = resources.submit(
                who,
                resources.Upload(stream, filename),
                raw_fields(values),
                posted_emails(),
                findings_language(),
            )
    except CatalogueError as error:
        refused(error)
        return _result_page(job, values, field_errors(error), coauthors=coauthors, status=422)
    uuid = resource.uuid
    if request.form.get("action") != "submit":
        flash_done(gettext("Saved as a draft. You can change it and send it to the council later."))
        return redirect(url_for("teacher.resource", uuid=uuid))
    try:
        review.submit(who, uuid)
    except CatalogueError as error:
        flash_done(gettext("Saved as a draft."))
        refused(error)
        return redirect(url_for("teacher.resource", uuid=uuid))
    flash_done(gettext("Sent to the council. You will get a letter when it decides."))
    return redirect(url_for("teacher.resource", uuid=uuid))
