"""``sandyq worker``: run background jobs in this process, on this machine or another one.

With ``JOBS_BACKEND=rq`` (``SANDYQ_JOBS_BACKEND``) it is an RQ worker on the queue at
``REDIS_URL``: it forks a work-horse per job, which runs ``catalogue.jobs.queue.run_job``.
Its periodic maintenance also sweeps the database: jobs whose worker died are queued
again and pushed, as are jobs Redis never heard of (it was down at enqueue). Otherwise it
runs the database-polling loop the in-process worker runs. A worker on another machine
needs the same database and the same ``DATA_DIR`` (a shared folder), since job inputs and
packages live there.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path

import click
from flask import Flask
from rq import Worker

from catalogue.cli import data_dir_option, make_app
from catalogue.jobs.queue import redis_connection, sweep_for_rq, use_app
from catalogue.jobs.worker import Timing, work_loop


class SandyqWorker(Worker):
    """An RQ worker whose maintenance also sweeps the jobs table."""

    sandyq_app: Flask

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()  # type: ignore[no-untyped-call]
        try:
            recovery = sweep_for_rq(self.sandyq_app, self.connection)
        except Exception:  # the database is away for a moment: the next sweep tries again
            self.log.exception("the jobs sweep failed")
            return
        if recovery.requeued or recovery.failed:
            self.log.info(
                "jobs sweep: %d queued again, %d failed",
                len(recovery.requeued),
                len(recovery.failed),
            )


@click.command("worker")
@data_dir_option
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then exit.")
@click.option(
    "--backend",
    type=click.Choice(["rq", "thread"]),
    envvar="SANDYQ_JOBS_BACKEND",
    default="thread",
    show_default=True,
    help="rq: an RQ worker on Redis; thread: poll the database (no Redis).",
)
@click.option("--redis-url", envvar="SANDYQ_REDIS_URL", default=None, help="Redis for rq.")
def worker_command(data_dir: Path, burst: bool, backend: str, redis_url: str | None) -> None:
    """Run background jobs (package builds, validations) until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config: dict[str, object] = {"JOBS_BACKEND": backend}
    if redis_url:
        config["REDIS_URL"] = redis_url
    app = make_app(data_dir, **config)
    if backend == "rq":
        _work_rq(app, burst)
    else:
        ran = work_loop(app, stopping=lambda: False, wait=time.sleep, burst=burst)
        click.echo(f"{ran} job(s) run")


def _work_rq(app: Flask, burst: bool) -> None:
    use_app(app)  # a forked work-horse runs its jobs with this app
    sweep = max(1, math.ceil(Timing.of(app).sweep))
    worker = SandyqWorker(
        [str(app.config["JOBS_QUEUE"])],
        connection=redis_connection(app),
        maintenance_interval=sweep,
        # RQ waits for a job at most worker_ttl - 15 s, then runs its maintenance.
        worker_ttl=sweep + 15,
    )
    worker.sandyq_app = app
    worker.work(burst=burst, logging_level="INFO")
