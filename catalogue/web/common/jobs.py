"""The progress page of a background job (a build, a validation) and its status as JSON.

The page works without JavaScript: while the job is not finished it reloads itself every
two seconds (a ``<meta http-equiv="refresh">`` inside ``<noscript>``), and once the job has
succeeded it redirects to the page the job names (``params["then"]``, e.g.
``teacher.built``). With JavaScript, ``static/jobs.js`` polls ``/jobs/<id>/status`` and
moves the bar without reloading, then goes to ``next``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString
from werkzeug.routing import BuildError

from catalogue.errors import NotFound
from catalogue.jobs import load_job
from catalogue.jobs.steps import error_label, step_label
from catalogue.models import Job, JobState
from catalogue.web.common.pages import me, signed_in

bp = Blueprint("jobs", __name__)

#: The page's heading per job kind.
HEADINGS: dict[str, LazyString] = {
    "build": lazy_gettext("Building your package"),
    "validate": lazy_gettext("Checking your package"),
}
FAILED_HEADINGS: dict[str, LazyString] = {
    "build": lazy_gettext("The package could not be built"),
    "validate": lazy_gettext("The package could not be checked"),
}
#: Where "try again" leads when a job of this kind failed.
BACK: dict[str, str] = {"build": "teacher.build", "validate": "teacher.upload"}


def _url(endpoint: object, **values: Any) -> str | None:
    if not isinstance(endpoint, str) or not endpoint:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def next_url(job: Job) -> str | None:
    """Where a finished job leads its owner: the page it names (``then``) once it has
    succeeded. An administrator looking at someone's job stays on this page."""
    user = me().user
    if job.state is not JobState.SUCCEEDED or user is None or user.id != job.owner_id:
        return None
    return _url(job.params.get("then"), job_id=job.id)


def back_url(job: Job) -> str:
    """Where to start again after a failure."""
    return _url(job.params.get("back")) or _url(BACK.get(job.kind)) or url_for("public.home")


def status(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state.value,
        "progress": round(float(job.progress or 0.0), 4),
        "percent": int(round(float(job.progress or 0.0) * 100)),
        "step": job.step,
        "step_label": _step_text(job),
        "error": error_label(job.error) if job.state is JobState.FAILED else "",
        "attempts": job.attempts,
        "finished": job.finished,
        "next": next_url(job),
    }


def _step_text(job: Job) -> str:
    if job.state is JobState.QUEUED:
        return step_label("queued")
    if job.state is JobState.SUCCEEDED:
        return step_label("done")
    if job.state is JobState.RUNNING and not job.step:
        return str(lazy_gettext("Starting"))
    return step_label(job.step)


@bp.get("/jobs/<job_id>")
@signed_in
def show(job_id: str) -> ResponseReturnValue:
    try:
        job = load_job(job_id, me())
    except NotFound:
        abort(404)
    target = next_url(job)
    if target is not None:
        return redirect(target)
    headings = FAILED_HEADINGS if job.state is JobState.FAILED else HEADINGS
    heading = headings.get(job.kind, lazy_gettext("Working on your request"))
    return render_template(
        "jobs/show.html", job=job, status=status(job), heading=heading, back=back_url(job)
    )


@bp.get("/jobs/<job_id>/status")
@signed_in
def job_status(job_id: str) -> ResponseReturnValue:
    try:
        job = load_job(job_id, me())
    except NotFound as error:
        return jsonify(error.to_json()), error.status
    response = jsonify(status(job))
    response.headers["Cache-Control"] = "no-store"
    return response
