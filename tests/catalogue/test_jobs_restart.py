"""The must-hold: a job survives a restart. Real processes, killed with SIGKILL mid-build:

- ``sandyq serve`` (the in-process thread worker, SQLite in its data folder) is killed while
  it transcodes a video, and started again: the job completes on its second attempt, one
  package is stored, nothing is lost or run twice, and ``sandyq db check`` finds the database
  and the storage agreeing (no half-written file, no file without its row);
- ``sandyq worker`` (RQ on a real ``redis-server``) is killed the same way, and another
  worker finishes the job, with the same check; a job enqueued while Redis was down is
  pushed by the sweep;
- the progress page in a real Chromium, with JavaScript (the bar moves without a reload,
  then the page goes on; axe finds nothing serious) and without (it reloads itself).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page

from catalogue import create_app
from catalogue.auth import hash_password
from catalogue.db import db
from catalogue.jobs.steps import TRANSCODING
from catalogue.models import JobState, Role, User, UserRole, utcnow
from tests.support.axe import serious_violations
from tests.support.catalogue import PASSWORD, add_user
from tests.support.jobs import (
    SANDYQ,
    TEST,
    free_port,
    job_row,
    kill_group,
    log_tail,
    record_only,
    slow_video,
    start,
    stored_packages,
    submit,
    use_backend,
    wait_for,
)
from tests.support.served import Server, db_check

STALE = "2"


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return slow_video(tmp_path_factory.mktemp("slow-video"))


def transcoding(app: Flask, job_id: str) -> bool:
    job = job_row(app, job_id)
    return job.state is JobState.RUNNING and job.step == TRANSCODING and job.progress >= 0.15


def heartbeat_older_than(app: Flask, job_id: str, seconds: float) -> bool:
    beat = job_row(app, job_id).heartbeat_at
    assert beat is not None
    beat = beat if beat.tzinfo else beat.replace(tzinfo=utcnow().tzinfo)
    return (utcnow() - beat).total_seconds() > seconds


# ---- the embedded server ---------------------------------------------------------------------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, Flask]]:
    """A running server, and an app in this process on the same data folder that only
    records jobs (the server's worker runs them)."""
    data_dir = tmp_path / "data"
    running_server = Server(data_dir, tmp_path / "server.log", stale=STALE)
    running_server.start()  # it migrates the database first
    app = create_app({"DATA_DIR": str(data_dir), "JOBS_BACKEND": "inline"})
    record_only(app)
    try:
        yield running_server, app
    finally:
        running_server.kill()
        with app.app_context():
            db.engine.dispose()


def test_a_build_survives_killing_the_server(server: tuple[Server, Flask], video: Path) -> None:
    running_server, app = server
    owner = add_user(app, "aliya@mektep.kz", Role.TEACHER).id
    job_id = submit(app, owner, "build", {"title": "Бейнедәріс: үдеу"}, {video.name: video})
    wait_for(lambda: transcoding(app, job_id), timeout=60, what="the transcode to start")

    running_server.kill()
    stuck = job_row(app, job_id)
    assert (stuck.state, stuck.attempts) == (JobState.RUNNING, 1), "the row outlives the process"
    assert stored_packages(running_server.data_dir) == []

    running_server.start()
    wait_for(
        lambda: job_row(app, job_id).finished,
        timeout=90,
        what=f"the job to finish after the restart\n{log_tail(running_server.log)}",
    )
    job = job_row(app, job_id)
    assert job.state is JobState.SUCCEEDED, job.error
    assert job.attempts == 2, "run again once, not lost and not twice"
    assert job.result["metadata"]["title_kk"] == "Бейнедәріс: үдеу"
    assert job.result["metadata"]["resource_type"] == "video_lecture"
    assert [path.stem for path in stored_packages(running_server.data_dir)] == [
        job.result["sha256"]
    ]
    wait_for(
        lambda: not (running_server.data_dir / "jobs" / job_id).exists(),
        timeout=10,
        what="the job's files to go once it has finished",
    )
    # Nothing half-stored: the killed attempt left no temporary file, the package is named.
    checked = db_check(running_server.data_dir)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip() == "database and storage agree"


# ---- RQ and Redis ------------------------------------------------------------------------------


def kill_pid_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(os.getpgid(pid), signal.SIGKILL)


def worker(app: Flask) -> list[str]:
    return [SANDYQ, "worker", "--burst", "--data-dir", app.config["DATA_DIR"]]


def worker_env(app: Flask, redis_url: str) -> dict[str, str]:
    return {
        "SANDYQ_DATABASE_URL": app.config["DATABASE_URL"],
        "SANDYQ_SECRET_KEY": "test",
        "SANDYQ_JOBS_BACKEND": "rq",
        "SANDYQ_REDIS_URL": redis_url,
        "SANDYQ_JOBS_STALE_SECONDS": STALE,
    }


# The deployment this is for shares PostgreSQL between machines (SQLite runs it as well).
@pytest.mark.parametrize("app", ["postgresql"], indirect=True)
def test_an_rq_worker_killed_mid_build_is_replaced(
    app: Flask, redis_url: str, video: Path, tmp_path: Path
) -> None:
    owner = add_user(app, "aliya@mektep.kz", Role.TEACHER).id
    # Redis is down at enqueue: the job waits in the database, and is not lost.
    use_backend(app, "rq", REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    waiting = submit(app, owner, "build", {"title": "Redis күтілуде"}, {"тест.gift": TEST})
    assert job_row(app, waiting).state is JobState.QUEUED

    use_backend(app, "rq", REDIS_URL=redis_url)
    slow = submit(app, owner, "build", {"title": "Бейнедәріс"}, {video.name: video})
    log = tmp_path / "worker.log"
    env = worker_env(app, redis_url)
    first = start(worker(app), env, log)
    try:
        wait_for(lambda: transcoding(app, slow), timeout=60, what=f"the transcode\n{log_tail(log)}")
    finally:
        kill_group(first)
        # RQ runs the job in a work-horse in a session of its own: the machine "dies" whole.
        kill_pid_group(int(job_row(app, slow).worker.split(":")[1]))
    assert job_row(app, slow).state is JobState.RUNNING
    wait_for(lambda: heartbeat_older_than(app, slow, float(STALE)), timeout=10, what="staleness")

    second = start(worker(app), env, log)
    try:
        second.wait(timeout=90)
    except subprocess.TimeoutExpired:
        kill_group(second)
        raise AssertionError(f"the second worker did not finish:\n{log_tail(log)}") from None
    assert second.returncode == 0, log_tail(log)

    job = job_row(app, slow)
    assert job.state is JobState.SUCCEEDED, f"{job.error}\n{log_tail(log)}"
    assert job.attempts == 2
    assert job.result["metadata"]["title_kk"] == "Бейнедәріс"
    other = job_row(app, waiting)
    assert other.state is JobState.SUCCEEDED and other.attempts == 1, log_tail(log)
    stored = {path.stem for path in stored_packages(Path(app.config["DATA_DIR"]))}
    assert stored == {job.result["sha256"], other.result["sha256"]}
    checked = db_check(Path(app.config["DATA_DIR"]), env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip() == "database and storage agree"


# ---- the page in a browser --------------------------------------------------------------------


def signed_in_page(browser: Browser, base: str, email: str, *, javascript: bool) -> Page:
    context = browser.new_context(java_script_enabled=javascript, locale="kk-KZ")
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()
    return page


def add_teacher_with_password(app: Flask, email: str) -> int:
    with app.app_context():
        user = User(email=email, name="Әлия", password_hash=hash_password(PASSWORD))
        user.role_rows = [UserRole(role=Role.TEACHER)]
        db.session.add(user)
        db.session.commit()
        return user.id


@pytest.mark.browser
def test_the_progress_page_in_a_browser(
    server: tuple[Server, Flask], video: Path, browser: Browser
) -> None:
    running_server, app = server
    owner = add_teacher_with_password(app, "aliya@mektep.kz")
    then = {"then": "teacher.built"}
    slow = submit(app, owner, "build", {"title": "Бейнедәріс", **then}, {video.name: video})
    queued = submit(app, owner, "build", {"title": "Тест", **then}, {"тест.gift": TEST})

    without_js = signed_in_page(browser, running_server.base, "aliya@mektep.kz", javascript=False)
    with_js = signed_in_page(browser, running_server.base, "aliya@mektep.kz", javascript=True)
    errors: list[str] = []
    with_js.on("pageerror", lambda error: errors.append(str(error)))
    try:
        without_js.goto(f"{running_server.base}/jobs/{queued}")
        assert without_js.locator("#job-progress").count() == 1

        with_js.goto(f"{running_server.base}/jobs/{slow}")
        with_js.evaluate("window.sandyqStayed = true")
        with_js.wait_for_function(
            "document.getElementById('job-progress').value >= 20", timeout=60_000
        )
        assert with_js.evaluate("window.sandyqStayed === true"), "moved without a reload"
        assert with_js.locator("#job-step").inner_text().strip()
        assert serious_violations(with_js) == []

        with_js.wait_for_url(f"**/build/{slow}", timeout=60_000)
        without_js.wait_for_url(f"**/build/{queued}", timeout=60_000)
    finally:
        without_js.context.close()
        with_js.context.close()
    assert errors == []
    assert job_row(app, slow).state is JobState.SUCCEEDED
    assert job_row(app, queued).state is JobState.SUCCEEDED
