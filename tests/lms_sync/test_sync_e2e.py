"""``sandyq sync moodle`` end to end: the real catalogue over HTTP, Moodle over HTTP.

Moodle is the fake (``tests/support/fake_moodle/``) served on loopback, unless
``tests/lms_sync/test_sync_real_moodle.py`` runs these same tests against a real site (it imports
the tests that need no fault injection and gives its own ``site`` fixture). The tests
look at Moodle through ``local_sandyq_get_synced`` and the core read functions, so they
mean the same on both; the fake's request counters add "nothing was called" checks.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from catalogue.db import db
from catalogue.models import Resource, State
from lms_sync.cli import _Output
from lms_sync.config import resolve
from lms_sync.moodle_client import MoodleClient
from lms_sync.remote import RemoteCategory, RemoteCourse, SyncedModule
from lms_sync.sync import run_sync
from tests.support.fake_moodle import FakeMoodle, create_fake_moodle
from tests.support.sync import Catalogue, a_catalogue, as_json, serving, stock, sync

#: Calls that change Moodle; none may happen in a run with nothing to do.
WRITES = (
    "core_course_create_categories",
    "core_course_create_courses",
    "local_sandyq_create_scorm",
    "local_sandyq_update_scorm",
    "core_course_edit_module",
    "upload",
)


@dataclass
class Site:
    """A Moodle to sync into: its address, token, the layout's idnumbers, and the fake
    behind it when there is one."""

    url: str
    token: str
    fake: FakeMoodle | None = None
    prefix: str = "sandyq"  # the idnumbers' prefix; a real site gets one per test

    def client(self) -> MoodleClient:
        return MoodleClient(self.url, self.token)

    def modules(self) -> dict[str, SyncedModule]:
        with self.client() as client:
            return {
                m.idnumber.removeprefix("sandyq:"): m
                for m in client.get_synced()
                if m.idnumber.startswith("sandyq:")
            }

    def course(self, key: str) -> RemoteCourse | None:
        with self.client() as client:
            return client.courses_by_idnumber(f"{self.prefix}-course-{key}")

    def category(self, key: str) -> RemoteCategory | None:
        idnumber = f"{self.prefix}-{key}"
        with self.client() as client:
            return client.categories_by_idnumber([idnumber]).get(idnumber)

    def writes(self) -> int:
        assert self.fake is not None
        return sum(self.fake.calls[name] for name in WRITES)

    def mapping_toml(self) -> str:
        if self.prefix == "sandyq":
            return ""
        return (
            "[mapping]\n"
            f'root_name = "Sandyq test {self.prefix}"\n'
            f'root_idnumber = "{self.prefix}-root"\n'
            f'category_idnumber = "{self.prefix}-subject-{{subject}}"\n'
            f'course_idnumber = "{self.prefix}-course-{{subject}}-{{grade}}"\n'
            f'course_shortname = "{self.prefix}-{{subject}}-{{grade}}"\n'
        )


@pytest.fixture
def site() -> Iterator[Site]:
    fake = create_fake_moodle()
    with serving(fake) as url:
        yield Site(url, fake.token, fake)


@pytest.fixture
def catalogue(app: Flask, tmp_path: Path) -> Iterator[Catalogue]:
    served = a_catalogue(app, tmp_path)
    stock(served)
    with serving(app) as url:
        served.url = url
        yield served


@dataclass
class Setup:
    site: Site
    catalogue: Catalogue
    env: dict[str, str]
    state_dir: Path
    config: Path

    def modules(self) -> dict[str, SyncedModule]:
        """The activities of this test's resources (a real site holds others too)."""
        mine = set(self.catalogue.uuids.values())
        return {uuid: m for uuid, m in self.site.modules().items() if uuid in mine}

    def run(self, *args: str) -> Any:
        return sync(self.env, "--config", str(self.config), *args, state_dir=self.state_dir)

    def run_json(self, *args: str, code: int = 0) -> dict[str, Any]:
        result = self.run("--json", *args)
        assert result.exit_code == code, result.output
        return as_json(result)


@pytest.fixture
def setup(site: Site, catalogue: Catalogue, tmp_path: Path) -> Setup:
    config = tmp_path / "sync.toml"
    config.write_text(site.mapping_toml(), encoding="utf-8")
    env = {
        "SANDYQ_MOODLE_URL": site.url,
        "SANDYQ_MOODLE_TOKEN": site.token,
        "SANDYQ_CATALOGUE_URL": catalogue.url,
        "SANDYQ_CATALOGUE_TOKEN": catalogue.token,
        "XDG_CONFIG_HOME": str(tmp_path / "no-config"),
    }
    return Setup(site, catalogue, env, tmp_path / "state", config)


def downloads(catalogue: Catalogue) -> int:
    with catalogue.app.app_context():
        return sum(db.session.scalars(select(Resource.downloads)))


# ---- the suite (also run against a real Moodle) --------------------------------------------


def test_first_sync_creates_everything_and_a_second_changes_nothing(setup: Setup) -> None:
    site, uuids = setup.site, setup.catalogue.uuids
    first = setup.run_json()
    assert first["summary"]["add_scorm"] == 4 and first["summary"]["failed"] == 0
    assert first["summary"]["uploads"] == 4

    modules = setup.modules()
    assert set(modules) == {uuids[k] for k in ("newton", "light", "atoms", "misc")}
    seven, eight = site.course("physics-7"), site.course("physics-8")
    assert seven is not None and eight is not None
    assert modules[uuids["newton"]].courseid == seven.id
    assert modules[uuids["light"]].courseid == eight.id  # grades 8 and 9: the lowest
    assert seven.fullname == "Физика, 7-сынып" and seven.shortname.endswith("physics-7")
    other = site.course("other-all")
    assert other is not None and modules[uuids["misc"]].courseid == other.id
    physics, root = site.category("subject-physics"), site.category("root")
    assert physics is not None and root is not None and physics.name == "Физика"
    assert physics.parent == root.id and seven.categoryid == physics.id
    assert all(module.visible for module in modules.values())
    assert modules[uuids["newton"]].name == "Ньютон заңдары"

    fetched = downloads(setup.catalogue)
    if site.fake is not None:
        site.fake.reset_counters()
    second = setup.run_json()
    if site.fake is not None:
        assert site.writes() == 0
        # site_info, get_synced for the plan; get_synced and get_results for the results.
        assert site.fake.calls["local_sandyq_get_synced"] == 2
        assert site.fake.calls["local_sandyq_get_results"] == 1
        assert sum(site.fake.calls.values()) == 4
    assert second["plan"]["actions"] == [] and second["results"] == []
    assert second["summary"]["uploads"] == 0
    assert setup.modules() == modules  # same cmids, sha1s and revisions
    assert downloads(setup.catalogue) == fetched  # the state file knew every sha1


def test_a_new_version_replaces_the_package_in_place(setup: Setup) -> None:
    setup.run_json()
    uuid = setup.catalogue.uuids["newton"]
    before = setup.modules()[uuid]
    setup.catalogue.new_version(uuid, "newton-v2")
    if setup.site.fake is not None:
        setup.site.fake.reset_counters()
    report = setup.run_json()
    (action,) = report["plan"]["actions"]
    assert action["kind"] == "update_package" and action["version"] == 2
    assert report["summary"]["update_package"] == 1 and report["summary"]["uploads"] == 1
    after = setup.modules()[uuid]
    assert after.cmid == before.cmid and after.instanceid == before.instanceid
    assert after.sha1hash != before.sha1hash and after.revision == before.revision + 1
    if setup.site.fake is not None:
        assert setup.site.fake.calls["local_sandyq_create_scorm"] == 0
        assert setup.site.fake.calls["upload"] == 1
    assert setup.run_json()["plan"]["actions"] == []


def test_unpublished_resources_are_hidden_not_deleted_and_shown_again(setup: Setup) -> None:
    setup.run_json()
    uuid = setup.catalogue.uuids["atoms"]
    cmid = setup.modules()[uuid].cmid
    setup.catalogue.set_state(uuid, State.UNPUBLISHED)
    report = setup.run_json()
    assert [a["kind"] for a in report["plan"]["actions"]] == ["hide"]
    hidden = setup.modules()[uuid]
    assert hidden.cmid == cmid and not hidden.visible
    assert setup.run_json()["plan"]["actions"] == []  # hidden stays hidden, quietly

    setup.catalogue.set_state(uuid, State.PUBLISHED)
    report = setup.run_json()
    assert [a["kind"] for a in report["plan"]["actions"]] == ["show"]
    assert setup.modules()[uuid].visible


def test_a_dry_run_prints_the_plan_and_changes_nothing(setup: Setup) -> None:
    result = setup.run("--dry-run")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Plan: 4 categories to create, 4 courses to create, 4 SCORM activities to add" in out
    assert '+ create course "Физика, 7-сынып"' in out
    assert f'+ add SCORM "Ньютон заңдары" (sandyq:{setup.catalogue.uuids["newton"]})' in out
    assert "Dry run: nothing was changed." in out
    assert setup.modules() == {}
    assert setup.site.course("physics-7") is None
    assert downloads(setup.catalogue) == 0
    if setup.site.fake is not None:
        assert setup.site.writes() == 0


def test_the_text_output_has_results_and_a_summary(setup: Setup) -> None:
    result = setup.run()
    assert result.exit_code == 0, result.output
    assert 'ok      added: "Ньютон заңдары" (cmid ' in result.stdout
    assert "ok      course: " in result.stdout
    assert (
        "4 added, 0 updated, 0 hidden, 0 shown, 0 renamed; 4 categories and 4 courses created"
        in (result.stdout)
    )
    again = setup.run()
    assert "Plan: nothing to do (5 up to date)." in again.stdout


def test_the_plan_and_the_summary_count_alike(setup: Setup) -> None:
    setup.run_json()
    setup.catalogue.new_version(setup.catalogue.uuids["newton"], "newton-v2")
    result = setup.run()
    assert result.exit_code == 0, result.output
    # 3 other published ones and the one unpublished before any sync need nothing.
    assert "Plan: 1 packages to update; 4 up to date." in result.stdout
    assert "; 4 already right; 0 failed;" in result.stdout
    again = setup.run_json()
    assert again["plan"]["unchanged"] == again["summary"]["unchanged"] == 5


def test_the_json_document(setup: Setup) -> None:
    report = setup.run_json()
    assert set(report) >= {"moodle", "catalogue", "dry_run", "filters", "site", "plan",
                           "results", "summary", "seconds", "exit_code"}  # fmt: skip
    assert report["exit_code"] == 0 and report["dry_run"] is False
    assert report["plan"]["counts"] == {
        "create_category": 4,
        "create_course": 4,
        "add_scorm": 4,
        "update_package": 0,
        "hide": 0,
        "show": 0,
        "rename": 0,
    }
    assert report["plan"]["unchanged"] == 1  # the resource unpublished before any sync
    added = [r for r in report["results"] if r["kind"] == "add_scorm"]
    assert all(r["status"] == "done" and r["cmid"] > 0 and r["uploaded_bytes"] > 0 for r in added)
    assert set(report["summary"]) == {
        "create_category", "create_course", "add_scorm", "update_package", "hide", "show",
        "rename", "unchanged", "failed", "not_started", "uploads", "uploaded_bytes",
    }  # fmt: skip
    dry = setup.run_json("--dry-run")
    assert dry["dry_run"] is True and "results" not in dry and dry["plan"]["actions"] == []


def test_filters_choose_what_this_moodle_takes(setup: Setup) -> None:
    report = setup.run_json("--subject", "chemistry", "--language", "ru")
    assert report["plan"]["skipped"] == 4
    assert set(setup.modules()) == {setup.catalogue.uuids["atoms"]}
    report = setup.run_json("--grade", "7,9")
    assert {a["uuid"] for a in report["plan"]["actions"] if "uuid" in a} == {
        setup.catalogue.uuids["newton"],
        setup.catalogue.uuids["light"],
    }


def test_a_bad_moodle_token_stops_with_exit_2(setup: Setup) -> None:
    setup.env["SANDYQ_MOODLE_TOKEN"] = "0123456789abcdef0123456789abcdef"
    result = setup.run()
    assert result.exit_code == 2
    assert "invalidtoken" in result.stderr and "Manage tokens" in result.stderr
    assert "0123456789abcdef0123456789abcdef" not in result.output
    assert downloads(setup.catalogue) == 0
    report = setup.run_json(code=2)
    assert report["error"]["type"] == "InvalidToken"


def test_a_bad_catalogue_token_stops_with_exit_2(setup: Setup) -> None:
    setup.env["SANDYQ_CATALOGUE_TOKEN"] = "sq_not-a-real-token"
    result = setup.run()
    assert result.exit_code == 2
    assert "refused the token (HTTP 401)" in result.stderr and "--catalogue-token" in result.stderr
    assert "sq_not-a-real-token" not in result.output
    assert setup.modules() == {}


def test_tokens_never_appear_in_output_or_logs(
    setup: Setup, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    texts = [setup.run("-v").output, setup.run("--json").output, setup.run("--dry-run").output]
    setup.env["SANDYQ_MOODLE_TOKEN"] = setup.site.token + "x"  # a wrong one, quoted nowhere
    texts.append(setup.run("-v").output)
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert logged and "upload" in logged
    for text in [*texts, logged]:
        assert setup.site.token not in text
        assert setup.catalogue.token not in text


# ---- faults (the fake only) -------------------------------------------------------------


class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the sync catches it."""


def _config(setup: Setup, concurrency: int = 1) -> Any:
    return resolve(
        config_path=setup.config,
        moodle_url=setup.site.url,
        moodle_token=setup.site.token,
        catalogue_url=setup.catalogue.url,
        catalogue_token=setup.catalogue.token,
        state_dir=setup.state_dir,
        concurrency=concurrency,
    )


@pytest.mark.parametrize("moment", ["uploaded", "created"])
def test_a_run_killed_halfway_is_finished_without_duplicates(setup: Setup, moment: str) -> None:
    fake = setup.site.fake
    assert fake is not None
    seen: list[str] = []

    def kill(event: str, action: Any) -> None:
        if event == moment:
            seen.append(action.uuid)
            if len(seen) == 2:
                raise Killed

    with pytest.raises(Killed):
        run_sync(_config(setup), _Output(True), hook=kill)
    assert len(setup.modules()) == (1 if moment == "uploaded" else 2)

    report = setup.run_json()
    assert report["summary"]["failed"] == 0
    modules = setup.modules()
    assert len(modules) == 4
    idnumbers = [m.idnumber for m in fake.state.modules.values() if m.modname == "scorm"]
    assert len(idnumbers) == len(set(idnumbers)) == 4  # no duplicate activity
    assert len({c.idnumber for c in fake.state.courses.values()}) == len(fake.state.courses)
    assert setup.run_json()["plan"]["actions"] == []


def test_uploads_overlap_but_moodle_unpacks_one_package_at_a_time(setup: Setup) -> None:
    """Moodle's file pool is not safe for two requests adding the same new content at once
    (a real Moodle lost a package's manifest so): while one create waits at Moodle, every
    other resource is still downloaded and uploaded, but no second create is sent."""
    fake = setup.site.fake
    assert fake is not None
    held = fake.hold_next("local_sandyq_create_scorm")
    uploaded = threading.Semaphore(0)
    codes: list[int] = []

    def count_uploads(event: str, action: Any) -> None:
        if event == "uploaded":
            uploaded.release()

    def sync_in_background() -> None:
        codes.append(run_sync(_config(setup, concurrency=4), _Output(True), hook=count_uploads))

    runner = threading.Thread(target=sync_in_background)
    runner.start()
    try:
        assert held.arrived.wait(120), "no create reached Moodle"
        for number in range(4):  # the held one's upload, and the three others'
            assert uploaded.acquire(timeout=120), f"only {number} of 4 uploads finished"
        assert fake.calls["local_sandyq_create_scorm"] == 1
    finally:
        held.release()
        runner.join(timeout=300)
    assert codes == [0]
    assert fake.calls["local_sandyq_create_scorm"] == 4
    assert len(setup.modules()) == 4


def test_a_lost_answer_to_a_create_is_not_repeated(setup: Setup) -> None:
    fake = setup.site.fake
    assert fake is not None
    fake.fail_after("local_sandyq_create_scorm", status=502)  # done, but the answer is lost
    fake.fail_after("core_course_create_courses", status=504)
    report = setup.run_json("--concurrency", "1")
    assert report["summary"]["failed"] == 0 and report["summary"]["add_scorm"] == 4
    assert len(fake.state.scorms) == 4 and len(fake.state.courses) == 4
    assert fake.calls["local_sandyq_create_scorm"] == 4  # looked, found it, went on


def test_timeouts_and_5xx_are_retried(setup: Setup) -> None:
    fake = setup.site.fake
    assert fake is not None
    fake.fail_next("upload", times=2, status=503)
    fake.fail_next("local_sandyq_get_synced", times=1, status=500)
    report = setup.run_json()
    assert report["summary"]["failed"] == 0 and report["summary"]["add_scorm"] == 4
    assert fake.calls["upload"] == 6


def test_one_failing_resource_does_not_stop_the_others(setup: Setup) -> None:
    fake = setup.site.fake
    assert fake is not None
    error = (
        '{"exception":"moodle_exception","errorcode":"invalidpackage",'
        '"message":"Invalid SCORM package"}'
    )
    fake.fail_next("local_sandyq_create_scorm", status=200, body=error,
                   content_type="application/json")  # fmt: skip
    result = setup.run("--concurrency", "1")
    assert result.exit_code == 1, result.output
    assert "FAILED  add_scorm" in result.stderr and "invalidpackage" in result.stderr
    assert "3 added" in result.stdout and "1 failed" in result.stdout
    assert len(setup.modules()) == 3
    report = setup.run_json()  # the next run adds the one that failed
    assert report["summary"]["add_scorm"] == 1 and len(setup.modules()) == 4


def test_a_token_revoked_mid_run_stops_at_once(setup: Setup) -> None:
    fake = setup.site.fake
    assert fake is not None
    error = '{"exception":"moodle_exception","errorcode":"invalidtoken","message":"Invalid token"}'
    fake.fail_next("local_sandyq_create_scorm", status=200, body=error,
                   content_type="application/json")  # fmt: skip
    report = setup.run_json("--concurrency", "1", code=2)
    assert report["error"]["type"] == "InvalidToken"
    statuses = [r["status"] for r in report["results"] if r["kind"] == "add_scorm"]
    assert statuses.count("failed") == 1 and statuses.count("not_started") == 3
    assert fake.calls["local_sandyq_create_scorm"] == 1


def test_a_service_without_the_plugin_functions_is_a_configuration_error(setup: Setup) -> None:
    fake = setup.site.fake
    assert fake is not None
    fake.functions -= {"local_sandyq_create_scorm", "local_sandyq_update_scorm"}
    result = setup.run()
    assert result.exit_code == 2
    assert "local_sandyq_create_scorm, local_sandyq_update_scorm" in result.stderr
    assert "Sandyq service" in result.stderr


# ---- learners' results back to the catalogue -------------------------------------------


def test_a_read_only_token_gets_a_notice_and_no_other_change(setup: Setup) -> None:
    result = setup.run()
    assert result.exit_code == 0, result.output
    assert "Results not sent: the catalogue token may not report results" in result.stderr
    assert setup.run_json("--no-results").get("usage") is None


def test_a_results_token_sends_the_use_of_this_catalogues_activities_only(setup: Setup) -> None:
    from catalogue.models import UsageReport
    from tests.support.catalogue import add_results_token

    fake = setup.site.fake
    assert fake is not None
    setup.run_json()
    newton = setup.modules()[setup.catalogue.uuids["newton"]]
    fake.state.usage[newton.cmid] = {"learners": 3, "completed": 2, "passed": 1,
                                     "attempts": 4, "score_mean": 70.0, "score_median": 75.0,
                                     "time_seconds": 600}  # fmt: skip
    setup.env["SANDYQ_CATALOGUE_TOKEN"] = add_results_token(
        setup.catalogue.app, setup.catalogue.teacher
    )
    report = setup.run_json()
    assert report["usage"]["sent"] is True and report["usage"]["learners"] == 3
    assert report["usage"]["activities"] == 4
    fake.reset_counters()
    only = setup.run_json("--results")
    assert "plan" not in only and only["usage"]["stored"] == 4
    assert fake.calls["local_sandyq_get_results"] == 1 and setup.site.writes() == 0
    with setup.catalogue.app.app_context():
        rows = db.session.scalars(select(UsageReport)).all()
    assert len(rows) == 4  # the same day twice: replaced, not added
    assert sum(row.learners for row in rows) == 3
