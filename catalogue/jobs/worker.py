"""Claiming, running and recovering jobs: the part every backend shares.

The job's row is the truth; a queue (a thread's wake-up, a Redis list) only says "look at
this one". So:

- a worker claims a job with ONE conditional UPDATE (``state = queued``): of two workers
  racing for it exactly one changes a row, and only that one runs it;
- while it runs, a heartbeat thread refreshes ``heartbeat_at`` every few seconds; progress
  reports refresh it too, each in its own short transaction so pages see them at once;
- a sweep finds RUNNING jobs whose heartbeat is older than ``JOBS_STALE_SECONDS`` (their
  worker died: a killed server, a lost machine) and queues them again, or fails them with
  ``WORKER_STOPPED`` after ``max_attempts``;
- every write a worker makes to a claimed job is guarded by ``worker = me AND state =
  running``, so a worker presumed dead that wakes up again cannot overwrite the attempt
  that replaced it: it notices (``JobLost``) and stops.

Each claim carries a fresh worker name (host, pid, random), so two attempts are never
mistaken for one another even in the same process.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import SQLAlchemyError

from catalogue.db import db
from catalogue.jobs import steps
from catalogue.jobs.registry import Handler, JobContext, JobFailed, JobLost, JobResult
from catalogue.models import Job, JobState, utcnow

log = logging.getLogger(__name__)

#: How many queued jobs a worker tries per look (the oldest first) before it waits again.
CLAIM_BATCH = 10
#: Progress reports closer together than this (same step) are not written.
PROGRESS_INTERVAL = 0.5


@dataclass(frozen=True)
class Timing:
    """How often a worker beats, looks for work and sweeps, from the app's configuration."""

    stale: float
    heartbeat: float
    poll: float
    sweep: float

    @classmethod
    def of(cls, app: Flask) -> Timing:
        stale = float(app.config["JOBS_STALE_SECONDS"])
        heartbeat = app.config.get("JOBS_HEARTBEAT_SECONDS") or max(0.2, min(5.0, stale / 4))
        return cls(
            stale=stale,
            heartbeat=float(heartbeat),
            poll=float(app.config["JOBS_POLL_SECONDS"]),
            sweep=max(0.5, min(30.0, stale / 2)),
        )


def new_worker_name() -> str:
    """A name for one claim: which machine and process hold the job, and a random tail."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}"


def engine_of(app: Flask) -> Engine:
    with app.app_context():
        return db.engine


def job_folder(app: Flask, job_id: str) -> Path:
    """``DATA_DIR/jobs/<id>``: ``input/`` (staged by ``enqueue``) and ``work/``."""
    return Path(app.config["DATA_DIR"]) / "jobs" / job_id


def _guarded(job_id: str, worker: str) -> Any:
    return update(Job).where(Job.id == job_id, Job.worker == worker, Job.state == JobState.RUNNING)


# ---- claiming ------------------------------------------------------------------------


def claim(engine: Engine, job_id: str, worker: str) -> bool:
    """Take the queued job ``job_id`` for ``worker``; False when it is not queued (any
    more): another worker has it, it finished, or it does not exist."""
    now = utcnow()
    with engine.begin() as connection:
        result = connection.execute(
            update(Job)
            .where(Job.id == job_id, Job.state == JobState.QUEUED)
            .values(
                state=JobState.RUNNING,
                attempts=Job.attempts + 1,
                worker=worker,
                started_at=now,
                heartbeat_at=now,
                step="",
                progress=0.0,
                error="",
            )
        )
    return result.rowcount == 1


def claim_next(engine: Engine, worker: str) -> str | None:
    """Claim the oldest queued job this worker can get; its id, or None when none is left."""
    with engine.connect() as connection:
        ids = list(
            connection.scalars(
                select(Job.id)
                .where(Job.state == JobState.QUEUED)
                .order_by(Job.created_at, Job.id)
                .limit(CLAIM_BATCH)
            )
        )
    for job_id in ids:
        if claim(engine, job_id, worker):
            return job_id
    return None


# ---- recovery ------------------------------------------------------------------------


@dataclass(frozen=True)
class Recovery:
    """What a sweep did: jobs queued again, and jobs failed for good."""

    requeued: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()


def recover_stale(engine: Engine, stale_seconds: float, data_dir: Path | None = None) -> Recovery:
    """Queue again (or fail, after ``max_attempts``) every RUNNING job whose heartbeat is
    older than ``stale_seconds``. Each change is one UPDATE guarded by the heartbeat and the
    worker seen, so a job whose worker beats meanwhile is left alone. A failed job's files
    (under ``data_dir``) are removed."""
    now = utcnow()
    cutoff = now - timedelta(seconds=stale_seconds)
    with engine.connect() as connection:
        rows = list(
            connection.execute(
                select(Job.id, Job.worker, Job.attempts, Job.max_attempts).where(
                    Job.state == JobState.RUNNING,
                    (Job.heartbeat_at < cutoff) | Job.heartbeat_at.is_(None),
                )
            )
        )
    requeued: list[str] = []
    failed: list[str] = []
    for job_id, worker, attempts, max_attempts in rows:
        stale = update(Job).where(
            Job.id == job_id,
            Job.state == JobState.RUNNING,
            Job.worker == worker,
            (Job.heartbeat_at < cutoff) | Job.heartbeat_at.is_(None),
        )
        if attempts < max_attempts:
            change = stale.values(state=JobState.QUEUED, worker="", step=steps.QUEUED, progress=0.0)
        else:
            change = stale.values(
                state=JobState.FAILED, error=steps.WORKER_STOPPED, finished_at=now
            )
        with engine.begin() as connection:
            if connection.execute(change).rowcount != 1:
                continue
        if attempts < max_attempts:
            log.warning("job %s: its worker %s stopped; queued again", job_id, worker)
            requeued.append(job_id)
        else:
            log.warning("job %s: its worker %s stopped; no attempts left", job_id, worker)
            failed.append(job_id)
            if data_dir is not None:
                shutil.rmtree(data_dir / "jobs" / job_id, ignore_errors=True)
    return Recovery(tuple(requeued), tuple(failed))


def queued_ids(engine: Engine) -> list[tuple[str, int]]:
    """(id, attempts) of every queued job, oldest first (for a queue that must be told)."""
    with engine.connect() as connection:
        return [
            (job_id, attempts)
            for job_id, attempts in connection.execute(
                select(Job.id, Job.attempts)
                .where(Job.state == JobState.QUEUED)
                .order_by(Job.created_at, Job.id)
            )
        ]


# ---- running a claimed job -------------------------------------------------------------


@dataclass
class Heartbeat:
    """Refreshes the claimed job's ``heartbeat_at`` from a thread while the handler works;
    notices when the claim was lost, and progress reports then raise ``JobLost``."""

    engine: Engine
    job_id: str
    worker: str
    interval: float
    lost: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _last_step: str = ""
    _last_write: float = 0.0

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._beat, name=f"sandyq-job-heartbeat-{self.job_id[:8]}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)

    def _write(self, **values: Any) -> bool:
        with self.engine.begin() as connection:
            changed = connection.execute(
                _guarded(self.job_id, self.worker).values(heartbeat_at=utcnow(), **values)
            ).rowcount
        if changed != 1:
            self.lost.set()
        return changed == 1

    def _beat(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                if not self._write():
                    log.warning("job %s: %s no longer holds it", self.job_id, self.worker)
                    return
            except SQLAlchemyError:
                log.exception("job %s: the heartbeat could not be written", self.job_id)

    def report(self, fraction: float, step: str) -> None:
        """``JobContext.progress``: write progress and step (at most every half second while
        the step stays the same); raise ``JobLost`` when the job is no longer ours."""
        if self.lost.is_set():
            raise JobLost(self.job_id)
        now = time.monotonic()
        if (
            step == self._last_step
            and fraction < 1.0
            and now - self._last_write < PROGRESS_INTERVAL
        ):
            return
        self._last_step, self._last_write = step, now
        if not self._write(progress=fraction, step=step[:64]):
            raise JobLost(self.job_id)


def _snapshot(engine: Engine, job_id: str) -> tuple[str, dict[str, Any]]:
    with engine.connect() as connection:
        row = connection.execute(select(Job.kind, Job.params).where(Job.id == job_id)).one()
    return str(row.kind), dict(row.params or {})


def _attempt_folder(work: Path) -> Path:
    """``work/`` emptied of earlier attempts; this attempt works in a subfolder of its own,
    so a worker presumed dead that still writes somewhere cannot mix files into it."""
    shutil.rmtree(work, ignore_errors=True)
    mine = work / secrets.token_hex(4)
    mine.mkdir(parents=True)
    return mine


def _failure_text(error: Exception) -> str:
    if isinstance(error, JobFailed):
        return error.message
    if type(error).__name__ == "JobTimeoutException":  # RQ's job timeout
        return steps.TIMED_OUT
    return steps.UNEXPECTED


def run_claimed(app: Flask, job_id: str, worker: str) -> JobState | None:
    """Run the job ``worker`` has just claimed and record how it ended; the final state, or
    None when the job was taken away meanwhile (nothing is written then)."""
    engine = engine_of(app)
    timing = Timing.of(app)
    folder = job_folder(app, job_id)
    heartbeat = Heartbeat(engine, job_id, worker, timing.heartbeat)
    result: JobResult = {}
    error = ""
    heartbeat.start()
    try:
        kind, params = _snapshot(engine, job_id)
        context = JobContext(
            job_id=job_id,
            params=params,
            inputs=folder / "input",
            workdir=_attempt_folder(folder / "work"),
            app=app,
            reporter=heartbeat.report,
        )
        run = _handler_for(kind)
        if run is None:
            raise JobFailed(f"there is no handler for jobs of kind {kind!r}")
        with app.app_context():
            result = run(context)
    except JobLost:
        log.warning("job %s: taken away from %s; its result is dropped", job_id, worker)
        return None
    except Exception as failure:
        if not isinstance(failure, JobFailed):
            log.exception("job %s failed unexpectedly", job_id)
        error = _failure_text(failure)
    finally:
        heartbeat.stop()
    return _finish(engine, folder, job_id, worker, result, error)


def _finish(
    engine: Engine, folder: Path, job_id: str, worker: str, result: JobResult, error: str
) -> JobState | None:
    """Record the outcome in one transaction, only while the job is still ours; then its
    files are no longer needed (the package, if any, is in the storage)."""
    state = JobState.FAILED if error else JobState.SUCCEEDED
    now = utcnow()
    values: dict[str, Any] = {"state": state, "finished_at": now, "heartbeat_at": now}
    if error:
        values["error"] = error
    else:
        values.update(result=result, progress=1.0, step=steps.DONE)
    with engine.begin() as connection:
        changed = connection.execute(_guarded(job_id, worker).values(**values)).rowcount
    if changed != 1:
        log.warning("job %s: taken away from %s before it finished", job_id, worker)
        return None
    shutil.rmtree(folder, ignore_errors=True)
    return state


def process(app: Flask, job_id: str) -> JobState | None:
    """Claim ``job_id`` and run it; None when someone else has it or it is not queued."""
    worker = new_worker_name()
    if not claim(engine_of(app), job_id, worker):
        return None
    return run_claimed(app, job_id, worker)


# ---- the loop of an in-process or stand-alone worker --------------------------------------


def work_loop(
    app: Flask,
    *,
    stopping: Callable[[], bool],
    wait: Callable[[float], object],
    burst: bool = False,
    after_sweep: Callable[[Recovery], None] | None = None,
) -> int:
    """Sweep now and then, claim and run queued jobs one by one, wait when there are none.

    ``wait(seconds)`` returns early when there is news (an enqueue woke the thread).
    With ``burst``, return once no job is queued. The number of jobs this loop ran."""
    timing = Timing.of(app)
    engine = engine_of(app)
    data_dir = Path(app.config["DATA_DIR"])
    last_sweep = float("-inf")
    ran = 0
    while not stopping():
        job_id: str | None = None
        worker = new_worker_name()
        try:
            if time.monotonic() - last_sweep >= timing.sweep:
                last_sweep = time.monotonic()
                recovery = recover_stale(engine, timing.stale, data_dir)
                if after_sweep is not None:
                    after_sweep(recovery)
            job_id = claim_next(engine, worker)
            if job_id is not None:
                run_claimed(app, job_id, worker)
                ran += 1
                continue
        except Exception:  # the database went away for a moment: log and try again later
            log.exception("the job worker hit an error; it carries on")
        if burst and job_id is None:
            break
        wait(timing.poll)
    return ran


def _handler_for(kind: str) -> Handler | None:
    """The function that runs jobs of ``kind`` (None for a kind nobody handles); the table is
    read on first use, since the handlers pull in the whole builder."""
    from catalogue.jobs.handlers import HANDLERS

    return HANDLERS.get(kind)
