"""``sandyq serve`` as a real process, and ``sandyq db check`` run on its data folder.

The crash tests (``tests/catalogue/test_jobs_restart.py``, ``test_crash_safety.py``) kill
the server with SIGKILL and start it again on the same folder, so it lives here rather
than in one test module. No tests here.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

from tests.support.jobs import SANDYQ, free_port, kill_group, log_tail, start, wait_for


class Server:
    """``sandyq serve`` on a free port over a data folder (SQLite in it, the thread job
    backend), as a real process in a session of its own."""

    def __init__(
        self,
        data_dir: Path,
        log: Path,
        *,
        stale: str = "2",
        env: Mapping[str, str] = {},
        command: Sequence[str] = (SANDYQ,),
    ) -> None:
        self.data_dir = data_dir
        #: What runs ``serve``: ``sandyq``, or ``tests.support.stalled_serve`` for a crash
        #: at a chosen moment of an upload.
        self.command = list(command)
        self.log = log
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            "SANDYQ_JOBS_BACKEND": "thread",
            "SANDYQ_JOBS_STALE_SECONDS": stale,
            "SANDYQ_SESSION_COOKIE_SECURE": "false",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        arguments = [*self.command, "serve", "--data-dir", str(self.data_dir)]
        arguments += ["--port", str(self.port)]
        self.process = start(arguments, self.env, self.log)
        wait_for(self._up, timeout=60, what=f"the server to answer\n{log_tail(self.log)}")

    def _up(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"the server exited:\n{log_tail(self.log)}")
        try:
            # Any request starts the in-process worker (sandyq serve may start it earlier).
            return httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        """SIGKILL to the whole group: no handler, no ``finally``, no flush runs."""
        if self.process is not None:
            kill_group(self.process)
            self.process = None


def db_check(
    data_dir: Path, *args: str, env: Mapping[str, str] = {}
) -> subprocess.CompletedProcess[str]:
    """``sandyq db check`` on ``data_dir`` as an operator runs it after a crash, with no
    grace (``--grace 0``): the test knows no upload is under way, so every file without its
    row and every temporary file counts."""
    return subprocess.run(
        [SANDYQ, "db", "check", "--data-dir", str(data_dir), "--grace", "0", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


class RawUpload:
    """``POST /api/v1/resources`` over a plain socket, so the test decides how much of the
    multipart body the server gets, and when: the request line and headers first (with
    ``Expect: 100-continue``, whose answer shows the server has taken the request up), then
    all of the body or only part of it."""

    def __init__(self, port: int, token: str, package: bytes, filename: str = "newton.zip") -> None:
        boundary = f"sandyq-{uuid.uuid4().hex}"
        self.body = (
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="package"; filename="{filename}"\r\n'
                "Content-Type: application/zip\r\n\r\n"
            ).encode()
            + package
            + f"\r\n--{boundary}--\r\n".encode()
        )
        self.head = (
            "POST /api/v1/resources HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {len(self.body)}\r\n"
            "Expect: 100-continue\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.sent = 0

    def begin(self) -> None:
        """Send the headers and wait until the server answers ``100 Continue``."""
        self.socket.sendall(self.head)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = self.socket.recv(4096)
            if not chunk:
                raise AssertionError(f"the server closed the connection: {answer!r}")
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 100"), answer

    def send(self, size: int | None = None) -> None:
        """The next ``size`` bytes of the body (all that is left by default)."""
        end = len(self.body) if size is None else self.sent + size
        self.socket.sendall(self.body[self.sent : end])
        self.sent = min(end, len(self.body))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.socket.close()
