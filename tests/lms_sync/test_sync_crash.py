"""The must-hold for the sync: ``sandyq sync moodle`` killed with SIGKILL mid-write leaves
nothing the next run duplicates.

The sync runs as a real process against the real catalogue and the fake Moodle, both served
on loopback by this test. The fake holds one write (creating a course, a package upload to
upload.php, creating the SCORM activity) the moment it arrives; the test kills the sync
there, so no ``finally``, no retry and no state-file write of the dying process runs. Then
the fake either carries the call out, as Moodle's PHP goes on after its client is gone, or
drops it, as when the connection broke first: the two ways a killed run leaves Moodle.

The next run must finish (exit 0, nothing failed) with exactly one course per course
idnumber and one activity per published resource, and a third run must plan nothing and
write nothing: the executor's "look before you write" (by idnumber) is what this checks.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from lms_sync.models import module_idnumber
from tests.support.fake_moodle import FakeMoodle, create_fake_moodle
from tests.support.jobs import SANDYQ, kill_group, log_tail, start, wait_for
from tests.support.sync import Catalogue, a_catalogue, serving, stock

#: The writes a run can be killed in, as the fake counts them ("upload" is upload.php).
CALLS = ("core_course_create_courses", "upload", "local_sandyq_create_scorm")
#: Every call that changes Moodle: a run with nothing to do makes none.
WRITES = (
    "core_course_create_categories",
    "core_course_create_courses",
    "local_sandyq_create_scorm",
    "local_sandyq_update_scorm",
    "core_course_edit_module",
    "upload",
)

# The sync only talks HTTP to the catalogue: its database does not matter here.
pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


@pytest.fixture
def fake() -> Iterator[tuple[FakeMoodle, str]]:
    site = create_fake_moodle()
    with serving(site) as url:
        yield site, url


@pytest.fixture
def catalogue(app: Flask, tmp_path: Path) -> Iterator[Catalogue]:
    served = a_catalogue(app, tmp_path)
    stock(served)
    with serving(app) as url:
        served.url = url
        yield served


class SyncCommand:
    """``sandyq sync moodle --json`` as a real process, with its state folder and log."""

    def __init__(self, fake: FakeMoodle, url: str, catalogue: Catalogue, tmp_path: Path) -> None:
        self.arguments = [SANDYQ, "sync", "moodle", "--json", "--state-dir",
                          str(tmp_path / "state")]  # fmt: skip
        self.env = {
            "SANDYQ_MOODLE_URL": url,
            "SANDYQ_MOODLE_TOKEN": fake.token,
            "SANDYQ_CATALOGUE_URL": catalogue.url,
            "SANDYQ_CATALOGUE_TOKEN": catalogue.token,
            "XDG_CONFIG_HOME": str(tmp_path / "no-config"),
        }
        self.log = tmp_path / "sync.log"
        self.tmp_path = tmp_path

    def start(self) -> subprocess.Popen[bytes]:
        return start(self.arguments, self.env, self.log)

    def run(self) -> dict[str, Any]:
        """A whole run to its end; its JSON report (exit 0 asserted)."""
        out = self.tmp_path / "report.json"
        with out.open("wb") as stdout:
            done = subprocess.run(
                self.arguments,
                env={**os.environ, **self.env},
                stdout=stdout,
                stderr=subprocess.PIPE,
                timeout=300,
            )
        text = out.read_text(encoding="utf-8")
        assert done.returncode == 0, f"{text}\n{done.stderr.decode(errors='replace')}"
        report: dict[str, Any] = json.loads(text)
        return report


def one_of_each(fake: FakeMoodle, catalogue: Catalogue) -> None:
    """Exactly one course per course idnumber and one activity per published resource."""
    state = fake.state
    courses = Counter(course.idnumber for course in state.courses.values() if course.idnumber)
    assert courses and set(courses.values()) == {1}, courses
    categories = Counter(c.idnumber for c in state.categories.values() if c.idnumber)
    assert categories and set(categories.values()) == {1}, categories
    modules = Counter(module.idnumber for module in state.modules.values() if module.idnumber)
    published = [uuid for key, uuid in catalogue.uuids.items() if key != "old"]  # unpublished
    assert modules == {module_idnumber(uuid): 1 for uuid in published}
    by_id = {course.id: course.idnumber for course in state.courses.values()}
    assert {by_id[m.course] for m in state.modules.values()} <= set(courses)


@pytest.mark.parametrize("served", [True, False], ids=["moodle-finishes-it", "moodle-drops-it"])
@pytest.mark.parametrize("call", CALLS)
def test_a_sync_killed_mid_write_is_finished_once_by_the_next(
    call: str,
    served: bool,
    fake: tuple[FakeMoodle, str],
    catalogue: Catalogue,
    tmp_path: Path,
) -> None:
    site, url = fake
    assert catalogue.uuids.keys() >= {"newton", "light", "atoms", "misc", "old"}
    sync = SyncCommand(site, url, catalogue, tmp_path)
    hold = site.hold_next(call)

    first = sync.start()
    try:
        wait_for(
            lambda: hold.arrived.is_set() or first.poll() is not None,
            timeout=120,
            what=f"{call} to reach the fake\n{log_tail(sync.log)}",
        )
        assert hold.arrived.is_set(), f"the sync ended first:\n{log_tail(sync.log)}"
    finally:
        kill_group(first)
    assert first.returncode == -9, log_tail(sync.log)
    hold.release(serve=served)
    assert hold.done.wait(60), f"the fake did not finish the held {call}"
    if served and call == "local_sandyq_create_scorm":
        assert sum(1 for m in site.state.modules.values() if m.idnumber) >= 1

    second = sync.run()
    assert second["summary"]["failed"] == 0 and second["summary"]["not_started"] == 0, second
    one_of_each(site, catalogue)

    site.reset_counters()
    third = sync.run()
    assert third["plan"]["actions"] == [], third["plan"]
    assert sum(site.calls[name] for name in WRITES) == 0, dict(site.calls)
    one_of_each(site, catalogue)
