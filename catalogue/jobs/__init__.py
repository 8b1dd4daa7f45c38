"""Background jobs (package builds, validations, later Moodle pushes) behind one interface,
their state in the database so that a restart loses no job.

    job = enqueue("build", {"scorm": "2004", "then": "teacher.built"}, owner=user,
                  inputs={"Сабақ.docx": stream})
    job = load_job(job_id, who)          # 404 unless the owner or an administrator asks

The kinds and their handlers are one table (``catalogue.jobs.handlers.HANDLERS``); the
backends (in-process thread, RQ with Redis, inline) are in ``catalogue.jobs.queue``, the
claim/heartbeat/recovery rules every backend shares in ``catalogue.jobs.worker``.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from flask import current_app

from catalogue.auth import Principal
from catalogue.db import db
from catalogue.errors import Invalid, NotFound
from catalogue.jobs.queue import backend, init_app, start_worker, stop_worker
from catalogue.jobs.registry import JOB_KINDS, JobContext, JobFailed
from catalogue.jobs.staging import stage_inputs
from catalogue.jobs.steps import STEP_LABELS
from catalogue.models import Job, JobState, Role, User

__all__ = [
    "STEP_LABELS",
    "JobContext",
    "JobFailed",
    "enqueue",
    "init_app",
    "load_job",
    "start_worker",
    "stop_worker",
]


def enqueue(
    kind: str,
    params: dict[str, Any],
    *,
    owner: User | None,
    inputs: Mapping[str, IO[bytes]] | None = None,
) -> Job:
    """A new QUEUED job of ``kind``: its input files staged, its row committed, then handed
    to the backend (with the ``inline`` backend it has run when this returns).

    Files are staged before the row exists and removed again if staging or the commit
    fails, so a refused job leaves nothing behind. The caller's session is committed."""
    if kind not in JOB_KINDS:
        raise Invalid(f"there is no job kind {kind!r}", code="unknown_job_kind")
    job_id = str(uuid.uuid4())
    folder = Path(current_app.config["DATA_DIR"]) / "jobs" / job_id
    try:
        stage_inputs(folder / "input", inputs or {})
        job = Job(
            id=job_id,
            kind=kind,
            params=dict(params),
            owner_id=owner.id if owner is not None else None,
            state=JobState.QUEUED,
            step="queued",
        )
        db.session.add(job)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    backend().submit(job_id)
    db.session.refresh(job)
    return job


def load_job(job_id: str, who: Principal) -> Job:
    """The job, for its owner or an administrator; to anyone else it does not exist."""
    job = db.session.get(Job, job_id.strip().lower()[:36]) if job_id else None
    user = who.user
    if job is not None and user is not None and not who.read_only:
        if job.owner_id == user.id or who.has_role(Role.ADMIN):
            return job
    raise NotFound(f"there is no job {job_id}", code="job_not_found")
