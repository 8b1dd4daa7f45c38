"""Helpers for the job tests: enqueueing in an app context, a backend that only records,
a slow video, waiting for a job, and running ``sandyq`` commands as real processes.

No tests here; ``test_jobs*.py`` import it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from flask import Flask

from catalogue.db import db
from catalogue.jobs import enqueue
from catalogue.models import Job, User
from tests.conftest import REPO
from tests.support.video import ffmpeg

COURSE = REPO / "samples" / "physics-7-course"
LESSON = COURSE / "newton-lesson.docx"
TEST = COURSE / "newton-test.gift"
LESSON_TITLE = "Ньютонның екінші заңы"
SANDYQ = str(Path(sys.executable).with_name("sandyq"))


class RecordingBackend:
    """A backend that runs nothing: the job stays queued for the test to claim."""

    name = "recording"

    def __init__(self) -> None:
        self.submitted: list[str] = []

    def submit(self, job_id: str, attempts: int = 0) -> None:
        self.submitted.append(job_id)

    def start(self) -> None:
        pass

    def stop(self, timeout: float = 10.0) -> None:
        pass


def record_only(app: Flask) -> RecordingBackend:
    backend = RecordingBackend()
    app.extensions["sandyq.jobs"] = backend
    return backend


def use_backend(app: Flask, name: str, **config: Any) -> None:
    """Switch the app's job backend (the ``app`` fixture is TESTING: inline)."""
    from catalogue.jobs import init_app

    app.config.update(JOBS_BACKEND=name, **config)
    init_app(app)


def submit(
    app: Flask,
    owner_id: int | None,
    kind: str,
    params: Mapping[str, Any],
    files: Mapping[str, Path | bytes],
) -> str:
    """Enqueue a job with ``files`` (a path's bytes or the bytes themselves); its id."""
    streams: dict[str, IO[bytes]] = {}
    with contextlib.ExitStack() as stack, app.app_context():
        for name, content in files.items():
            if isinstance(content, Path):
                streams[name] = stack.enter_context(content.open("rb"))
            else:
                import io

                streams[name] = io.BytesIO(content)
        owner = db.session.get(User, owner_id) if owner_id is not None else None
        return enqueue(kind, dict(params), owner=owner, inputs=streams).id


def job_row(app: Flask, job_id: str) -> Job:
    """The job as the database has it now (detached, every column loaded)."""
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job is not None
        db.session.expunge(job)
        return job


def wait_for(
    check: Callable[[], Any], *, timeout: float = 60.0, every: float = 0.1, what: str = ""
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        time.sleep(every)


def stored_packages(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "packages").glob("*/*/*.zip"))


def slow_video(folder: Path, seconds: int = 12) -> Path:
    """A 720p, 50 fps H.264 High clip the builder has to re-encode to 480p: a few seconds
    of honest transcoding on this machine."""
    path = folder / "дәріс.mp4"
    if not path.exists():
        ffmpeg(
            "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=50:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "high",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "1", str(path),
        )  # fmt: skip
    return path


# ---- real processes ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(arguments: list[str], env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A process in its own session, so that it and its children (ffmpeg, RQ's work-horse)
    can be killed together."""
    out = log.open("ab")
    return subprocess.Popen(
        arguments,
        env={**os.environ, **env},
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        cwd=REPO,
    )


def kill_group(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


@contextlib.contextmanager
def running(
    arguments: list[str], env: Mapping[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    process = start(arguments, env, log)
    try:
        yield process
    finally:
        kill_group(process)


def log_tail(log: Path, lines: int = 40) -> str:
    if not log.exists():
        return ""
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
