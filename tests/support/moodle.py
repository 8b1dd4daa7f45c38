"""The real Moodle of the ``moodle`` test group: stood up once per session, driven over HTTP.

``real_moodle`` (a session fixture in conftest.py) runs ``tools/moodle.sh start``, which
installs Moodle 4.4 from ``../shared/moodle/`` the first time (about a minute here) and
reuses it afterwards. Without the tarball every test of the group is skipped with the
reason (exit 3 of the tool); any other failure of the tool fails the tests, loudly.

Moodle runs with developer debugging, messages to its log only: ``notices_since`` reads
what a test made it print, and the group's autouse fixture fails a test that made Moodle
print a PHP notice, warning, deprecation or a debugging message.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from flask import Flask

if TYPE_CHECKING:
    from tests.lms_sync.test_sync_e2e import Site

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "moodle.sh"
HELPERS = ROOT / "tools" / "moodle"
NOTICE_MARKS = ("PHP Notice", "PHP Warning", "PHP Deprecated", "PHP Fatal", "Debugging:")
#: Moodle core's own race, not a notice of ours: when two uploads store the same file at
#: once, both see the pool folder missing and the second mkdir() warns before Moodle throws
#: ``storedfilecannotcreatefiledirs`` (rolled back; the sync retries it). Each entry is the
#: parts one log line must hold, all of them.
CORE_RACES = (("mkdir(): File exists", "lib/filestorage/file_system_filedir.php"),)


class MoodleUnavailable(Exception):
    """The tarball is absent: the group is skipped, with this as the reason."""


@dataclass(frozen=True)
class Learner:
    id: int
    username: str
    password: str
    token: str  # a Moodle mobile-service token, as the app would have


@dataclass
class MoodleSite:
    url: str
    sync_token: str
    sync_userid: int
    roleid: int
    code: Path
    server_log: Path
    upgrade_log: Path
    users: dict[str, Learner]
    release: str

    @classmethod
    def start(cls) -> MoodleSite:
        done = subprocess.run([str(TOOL), "start"], capture_output=True, text=True)
        if done.returncode == 3:
            raise MoodleUnavailable(done.stderr.strip())
        if done.returncode != 0:
            raise RuntimeError(f"tools/moodle.sh start failed:\n{done.stderr}")
        data: dict[str, Any] = json.loads(done.stdout)
        return cls(
            url=data["url"],
            sync_token=data["sync"]["token"],
            sync_userid=int(data["sync"]["id"]),
            roleid=int(data["sync"]["roleid"]),
            code=Path(data["code"]),
            server_log=Path(data["server_log"]),
            upgrade_log=Path(data["upgrade_log"]),
            users={name: Learner(**user) for name, user in data["users"].items()},
            release=data["release"],
        )

    # ---- the log ---------------------------------------------------------------------

    def log_size(self) -> int:
        return self.server_log.stat().st_size if self.server_log.exists() else 0

    def log_since(self, offset: int) -> str:
        with self.server_log.open("rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", "replace")

    def notices_since(self, offset: int) -> list[str]:
        return [
            line
            for line in self.log_since(offset).splitlines()
            if any(mark in line for mark in NOTICE_MARKS)
            and not any(all(part in line for part in race) for race in CORE_RACES)
        ]

    # ---- driving it ------------------------------------------------------------------

    def php(self, script: str, *args: str) -> Any:
        """Run ``tools/moodle/<script>`` inside this Moodle; its last line is JSON."""
        done = subprocess.run(
            ["php", str(HELPERS / script), str(self.code), *args],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{script} {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def call(self, token: str, function: str, **params: Any) -> Any:
        """One REST call with any token (the tests' own wire: flat form fields)."""
        form = {"wstoken": token, "wsfunction": function, "moodlewsrestformat": "json"}
        form.update({key: str(value) for key, value in params.items()})
        answer = httpx.post(f"{self.url}/webservice/rest/server.php", data=form, timeout=60)
        answer.raise_for_status()
        return answer.json()

    def set_capability(self, capability: str, allowed: bool) -> None:
        self.php("testsite.php", "capability", capability, "1" if allowed else "0")


# ---- fixtures of the group's modules (import them: they register as "app" and "site") --


@pytest.fixture(name="app")
def sqlite_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The catalogue on SQLite only: the sync talks HTTP to it, whatever its database (the
    same tests run on both databases against the fake Moodle)."""
    from tests.conftest import catalogue_app

    with catalogue_app(request, tmp_path, "sqlite") as application:
        yield application


@pytest.fixture(name="site")
def prefixed_site(real_moodle: MoodleSite) -> Site:
    """The real Moodle as the sync tests' ``Site``, under an idnumber prefix new for each
    test, so tests never see each other's categories and courses."""
    from tests.lms_sync.test_sync_e2e import Site

    return Site(
        real_moodle.url, real_moodle.sync_token, None, prefix=f"sandyq-t{uuid.uuid4().hex[:8]}"
    )
