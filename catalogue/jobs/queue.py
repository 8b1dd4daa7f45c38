"""Backends: how a queued job reaches a worker. The job itself is always a database row.

- ``thread`` (the embedded default): one daemon thread per app process, started on the
  first enqueue or request (``start_worker``), claims queued jobs from the database (it
  looks every ``JOBS_POLL_SECONDS`` and at once when woken by an enqueue) and sweeps
  stale ones. Several processes (gunicorn workers) may each run one: claims keep them
  apart.
- ``rq``: ``enqueue`` pushes the job id onto an RQ queue in Redis (``REDIS_URL``);
  ``sandyq worker`` on any machine that shares the database and ``DATA_DIR`` runs it with
  ``run_job``. If Redis is down at enqueue the job simply stays queued in the database,
  and the workers' sweep pushes it again; so does a job whose worker died.
- ``inline``: the job runs inside ``enqueue``, after the commit (tests, the CLI). It is
  the default when the app is ``TESTING``, so a page test sees the finished job.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING, Protocol

from flask import Flask, current_app

from catalogue.jobs.worker import (
    Recovery,
    Timing,
    engine_of,
    process,
    queued_ids,
    recover_stale,
    work_loop,
)

if TYPE_CHECKING:
    from redis import Redis

log = logging.getLogger(__name__)

BACKENDS = ("thread", "rq", "inline")
#: The RQ task: a dotted path, so pushing a job never imports the worker's code.
RQ_TASK = "catalogue.jobs.queue.run_job"
_RQ_PENDING = ("queued", "started", "deferred", "scheduled")


class Backend(Protocol):
    name: str

    def submit(self, job_id: str, attempts: int = 0) -> None:
        """The job ``job_id`` (committed, QUEUED) is ready; ``attempts`` made so far."""

    def start(self) -> None:
        """Start whatever runs jobs in this process (if anything does)."""

    def stop(self, timeout: float = 10.0) -> None: ...


class InlineBackend:
    name = "inline"

    def __init__(self, app: Flask) -> None:
        self.app = app

    def submit(self, job_id: str, attempts: int = 0) -> None:
        process(self.app, job_id)

    def start(self) -> None:
        """Nothing runs in the background."""

    def stop(self, timeout: float = 10.0) -> None:
        """Nothing runs in the background."""


class ThreadBackend:
    """The in-process worker: a daemon thread, restarted in a forked child."""

    name = "thread"

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._pid == os.getpid()

    def start(self) -> None:
        if self.running:
            return
        with self._lock:
            if self.running:
                return
            self._pid = os.getpid()
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="sandyq-jobs", daemon=True)
            self._thread.start()
            log.info("the in-process job worker started (pid %d)", self._pid)

    def submit(self, job_id: str, attempts: int = 0) -> None:
        self.start()
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the job at hand (tests; a job cut short is recovered by the sweep)."""
        self._stopping.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _wait(self, seconds: float) -> bool:
        woken = self._wake.wait(seconds)
        self._wake.clear()
        return woken

    def _run(self) -> None:
        work_loop(self.app, stopping=self._stopping.is_set, wait=self._wait)


class RqBackend:
    name = "rq"

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._redis: Redis | None = None

    def submit(self, job_id: str, attempts: int = 0) -> None:
        if self._redis is None:  # one client (and connection pool) per app, made on first use
            self._redis = redis_connection(self.app)
        push(self.app, job_id, attempts, self._redis)

    def start(self) -> None:
        """Jobs run in ``sandyq worker`` processes, not here."""

    def stop(self, timeout: float = 10.0) -> None:
        """Jobs run in ``sandyq worker`` processes, not here."""


def backend_name(app: Flask) -> str:
    name = app.config.get("JOBS_BACKEND") or ("inline" if app.testing else "thread")
    if name not in BACKENDS:
        raise ValueError(f"JOBS_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}")
    return str(name)


def init_app(app: Flask) -> None:
    """Choose the backend. Nothing starts here (not at import, not for ``flask db``): the
    in-process worker starts with the first enqueue or the first request it serves, or
    when ``start_worker`` is called (``sandyq serve``)."""
    name = backend_name(app)
    chosen: Backend
    if name == "thread":
        chosen = ThreadBackend(app)
    elif name == "rq":
        chosen = RqBackend(app)
    else:
        chosen = InlineBackend(app)
    app.extensions["sandyq.jobs"] = chosen
    if isinstance(chosen, ThreadBackend) and not app.testing:
        app.before_request(chosen.start)


def backend(app: Flask | None = None) -> Backend:
    found: Backend = (app or current_app).extensions["sandyq.jobs"]
    return found


def start_worker(app: Flask) -> None:
    """Start this process's job worker now (``sandyq serve`` calls it before serving)."""
    backend(app).start()


def stop_worker(app: Flask, timeout: float = 10.0) -> None:
    backend(app).stop(timeout)


# ---- Redis and RQ --------------------------------------------------------------------------


def redis_connection(app: Flask) -> Redis:
    from redis import Redis

    return Redis.from_url(str(app.config["REDIS_URL"]), socket_connect_timeout=2, socket_timeout=10)


def rq_job_id(job_id: str, attempts: int) -> str:
    """One RQ job per attempt: pushing the same attempt twice is recognised, and an attempt
    after a dead worker's gets a fresh one."""
    return f"sandyq-{job_id}-{attempts}"


def push(app: Flask, job_id: str, attempts: int = 0, connection: Redis | None = None) -> bool:
    """Put the job on the RQ queue; False (the job stays queued in the database, and the
    next sweep pushes it) when Redis cannot be reached."""
    from redis.exceptions import RedisError
    from rq import Queue

    try:
        queue = Queue(str(app.config["JOBS_QUEUE"]), connection=connection or redis_connection(app))
        queue.enqueue(
            RQ_TASK,
            job_id,
            job_id=rq_job_id(job_id, attempts),
            job_timeout=int(app.config["JOBS_TIMEOUT_SECONDS"]),
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
            description=f"sandyq job {job_id}",
        )
    except RedisError as error:
        log.warning("job %s stays queued in the database: Redis is unavailable (%s)", job_id, error)
        return False
    return True


def push_queued(app: Flask, connection: Redis | None = None) -> int:
    """Push every queued job Redis does not hold (lost on the way, or requeued after its
    worker died); the number pushed."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job as RqJob

    connection = connection or redis_connection(app)
    pushed = 0
    for job_id, attempts in queued_ids(engine_of(app)):
        try:
            status = RqJob.fetch(rq_job_id(job_id, attempts), connection=connection).get_status()
        except NoSuchJobError:
            status = None
        if status is not None and str(getattr(status, "value", status)) in _RQ_PENDING:
            continue
        pushed += push(app, job_id, attempts, connection)
    return pushed


def sweep_for_rq(app: Flask, connection: Redis | None = None) -> Recovery:
    """A worker's sweep in the RQ deployment: recover stale jobs, then make sure Redis
    knows of every queued one."""
    from pathlib import Path

    recovery = recover_stale(engine_of(app), Timing.of(app).stale, Path(app.config["DATA_DIR"]))
    push_queued(app, connection)
    return recovery


_PROCESS_APP: tuple[int, Flask] | None = None


def use_app(app: Flask) -> None:
    """The app ``run_job`` uses in this process (``sandyq worker`` sets its own)."""
    global _PROCESS_APP
    _PROCESS_APP = (os.getpid(), app)


def _process_app() -> Flask:
    """This process's app, created from the environment (``SANDYQ_*``) on first use. A
    forked RQ work-horse keeps its parent's app but not its database connections: the
    pools are replaced without closing what the parent still uses."""
    global _PROCESS_APP
    if _PROCESS_APP is None:
        from catalogue import create_app

        _PROCESS_APP = (os.getpid(), create_app())
    elif _PROCESS_APP[0] != os.getpid():
        from catalogue.db import db

        app = _PROCESS_APP[1]
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
        _PROCESS_APP = (os.getpid(), app)
    return _PROCESS_APP[1]


def run_job(job_id: str) -> str:
    """The RQ task: claim the job and run it, unless another worker has it already (a
    duplicate push) or it is no longer queued. What happened, for RQ's own records."""
    state = process(_process_app(), job_id)
    return state.value if state is not None else "not claimed"


__all__ = [
    "BACKENDS",
    "Backend",
    "backend",
    "init_app",
    "push",
    "push_queued",
    "run_job",
    "start_worker",
    "stop_worker",
    "sweep_for_rq",
    "work_loop",
]
