"""The plugins and the sync inside the real Moodle 4.4: what only a real site can show.

Every test here runs against the Moodle that ``tools/moodle.sh`` stands up (fixture
``real_moodle``), with the sync account's role exactly ``lms_sync.moodle_role.SYNC_ROLE``
and Moodle in developer debugging: a test that makes Moodle log a notice fails (the
autouse fixture in conftest.py). Each test works under a fresh idnumber prefix, so tests
do not see each other's categories and courses. The catalogue runs on SQLite here (the
sync only ever talks HTTP to it; both databases are covered by the catalogue's own tests).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import subprocess
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask
from sqlalchemy import select

from catalogue.db import db
from catalogue.models import Resource, State
from lms_sync.cli import _Output
from lms_sync.config import resolve
from lms_sync.models import PUBLISHED
from lms_sync.moodle_role import CAPABILITIES, SYNC_ROLE
from lms_sync.sync import run_sync
from tests.lms_sync.test_sync_e2e import Setup, Site
from tests.support.moodle import ROOT, MoodleSite, prefixed_site, sqlite_app  # noqa: F401 (fixtures)
from tests.support.sync import Catalogue, a_catalogue, serving, stock

pytestmark = pytest.mark.moodle


@pytest.fixture
def setup(site: Site, app: Flask, tmp_path: Path) -> Iterator[Setup]:
    """The stock catalogue of the sync tests, served, and a sync set up for this site."""
    served: Catalogue = a_catalogue(app, tmp_path)
    stock(served)
    config = tmp_path / "sync.toml"
    config.write_text(site.mapping_toml(), encoding="utf-8")
    with serving(app) as url:
        served.url = url
        env = {
            "SANDYQ_MOODLE_URL": site.url,
            "SANDYQ_MOODLE_TOKEN": site.token,
            "SANDYQ_CATALOGUE_URL": url,
            "SANDYQ_CATALOGUE_TOKEN": served.token,
            "XDG_CONFIG_HOME": str(tmp_path / "no-config"),
        }
        yield Setup(site, served, env, tmp_path / "state", config)


@pytest.fixture
def full_role(real_moodle: MoodleSite) -> Iterator[None]:
    """The role as the docs give it, before and after the test (a test may take from it)."""
    yield
    for capability in SYNC_ROLE.capabilities:
        real_moodle.set_capability(capability, True)


# ---- helpers -------------------------------------------------------------------------------


def ws(moodle: MoodleSite, token: str, function: str, **params: Any) -> Any:
    answer = moodle.call(token, function, **params)
    assert not (isinstance(answer, dict) and "exception" in answer), answer
    return answer


def scorm_record(moodle: MoodleSite, token: str, courseid: int, cmid: int) -> dict[str, Any]:
    answer = ws(moodle, token, "mod_scorm_get_scorms_by_courses", **{"courseids[0]": courseid})
    (found,) = [s for s in answer["scorms"] if s["coursemodule"] == cmid]
    return dict(found)


def scos(moodle: MoodleSite, token: str, scormid: int) -> list[dict[str, Any]]:
    answer = ws(moodle, token, "mod_scorm_get_scorm_scoes", scormid=scormid)
    return [sco for sco in answer["scoes"] if sco["scormtype"] == "sco"]


def record_attempt(
    moodle: MoodleSite, learner: str, scormid: int, tracks: dict[str, str], only: int = 0
) -> None:
    """What the SCORM player sends for a learner: the tracks on each SCO (or the first
    ``only`` of them), in attempt 1."""
    token = moodle.users[learner].token
    targets = scos(moodle, token, scormid)
    for sco in targets[:only] if only else targets:
        params = {"scoid": sco["id"], "attempt": 1}
        for index, (element, value) in enumerate(tracks.items()):
            params[f"tracks[{index}][element]"] = element
            params[f"tracks[{index}][value]"] = value
        answer = ws(moodle, token, "mod_scorm_insert_scorm_tracks", **params)
        assert answer["trackids"], answer


def enrol(moodle: MoodleSite, courseid: int, *learners: str) -> None:
    for learner in learners:
        moodle.php("testsite.php", "enrol", str(courseid), learner, "student")


def sha1_of(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()  # noqa: S324 - Moodle's own hash


def retitle(setup: Setup, uuid_: str, title: str) -> None:
    with setup.catalogue.app.app_context():
        resource = db.session.scalars(select(Resource).where(Resource.uuid == uuid_)).one()
        resource.latest.title_kk = title
        db.session.commit()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ---- 0. the role ---------------------------------------------------------------------------


def test_the_site_role_is_exactly_the_documented_one(real_moodle: MoodleSite) -> None:
    role = real_moodle.php("testsite.php", "role")
    assert role["capabilities"] == sorted(SYNC_ROLE.capabilities)
    assert "moodle/site:config" not in role["capabilities"]  # not the admin


#: What the sync must do before it needs the capability (after a first full sync).
NEEDS_A_FIRST_SYNC = {
    "moodle/course:update",
    "moodle/course:activityvisibility",
    "moodle/course:viewhiddenactivities",
}


@pytest.mark.parametrize("capability", [c.name for c in CAPABILITIES])
def test_each_capability_is_needed_and_named_when_missing(
    setup: Setup, real_moodle: MoodleSite, full_role: None, capability: str
) -> None:
    catalogue = setup.catalogue
    if capability in NEEDS_A_FIRST_SYNC:
        assert setup.run_json()["exit_code"] == 0
        if capability == "moodle/course:update":  # a new lesson for a course that exists
            catalogue.publish("newton-2", title_kk="Ньютонның екінші заңы", subject="physics",
                              grades=[7])  # fmt: skip
        else:
            catalogue.set_state(catalogue.uuids["newton"], State.UNPUBLISHED)
        if capability == "moodle/course:viewhiddenactivities":
            assert setup.run_json()["exit_code"] == 0
            catalogue.set_state(catalogue.uuids["newton"], State.PUBLISHED)
    real_moodle.set_capability(capability, False)
    result = setup.run()
    assert result.exit_code in (1, 2), result.output
    assert capability in result.output, result.output
    assert "Traceback" not in result.output
    real_moodle.set_capability(capability, True)
    assert setup.run_json()["exit_code"] == 0  # and with it back, the sync finishes the work


# ---- 1. the plugins install cleanly --------------------------------------------------------


def test_the_plugins_installed_without_a_notice(real_moodle: MoodleSite) -> None:
    log = real_moodle.upgrade_log.read_text(encoding="utf-8")
    assert "Success" in log or "services refreshed" in log
    marks = ("PHP Notice", "PHP Warning", "PHP Deprecated", "Debugging:", "Coding error")
    assert not [line for line in log.splitlines() if any(mark in line for mark in marks)]
    installed = real_moodle.php("testsite.php", "plugins")
    for component in ("local_sandyq", "repository_sandyq"):
        source = (ROOT / "lms_sync" / "moodle_plugins" / component / "version.php").read_text()
        version = source.split("$plugin->version = ", 1)[1].split(";", 1)[0]
        assert installed[component] == version, component


# ---- 2 and 3. the demo catalogue reaches Moodle, and a re-run changes nothing --------------


@pytest.fixture
def demo_catalogue(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """``sandyq serve --demo`` as a teacher would start it: its URL and its sync token."""
    port = _free_port()
    data = tmp_path / "demo"
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "sandyq"), "serve", "--demo", "--host", "127.0.0.1",
         "--port", str(port), "--data-dir", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
        env=os.environ.copy(),
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            assert time.monotonic() < deadline, "sandyq serve --demo did not answer"
            time.sleep(0.2)
        credentials = json.loads((data / "demo-credentials.json").read_text(encoding="utf-8"))
        yield url, credentials["sync_token"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_demo_catalogue_reaches_moodle_and_its_lessons_launch(
    demo_catalogue: tuple[str, str], site: Site, real_moodle: MoodleSite, tmp_path: Path
) -> None:
    url, token = demo_catalogue
    config = tmp_path / "sync.toml"
    config.write_text(site.mapping_toml(), encoding="utf-8")
    env = {"SANDYQ_MOODLE_URL": site.url, "SANDYQ_MOODLE_TOKEN": site.token,
           "SANDYQ_CATALOGUE_URL": url, "SANDYQ_CATALOGUE_TOKEN": token}  # fmt: skip
    from tests.support.sync import as_json, sync

    first = sync(env, "--config", str(config), "--json", state_dir=tmp_path / "state")
    assert first.exit_code == 0, first.output
    report = as_json(first)
    feed = httpx.get(f"{url}/api/v1/published", params={"limit": 500},
                     headers={"Authorization": f"Bearer {token}"}).json()  # fmt: skip
    published = [item for item in feed["items"] if item["state"] == PUBLISHED]
    assert published and report["summary"]["add_scorm"] == len(published)

    modules = {m.idnumber: m for m in site.client().get_synced()}
    for item in published:
        module = modules[f"sandyq:{item['uuid']}"]
        grade = min(item["grades"]) if item["grades"] else "all"
        course = site.course(f"{item['subject'] or 'other'}-{grade}")
        assert course is not None and module.courseid == course.id, item["title"]
        category = site.category(f"subject-{item['subject'] or 'other'}")
        assert category is not None and course.categoryid == category.id
        package = tmp_path / f"{item['uuid']}.zip"
        bearer = {"Authorization": f"Bearer {token}"}
        package.write_bytes(httpx.get(item["download_url"], headers=bearer).content)
        record = scorm_record(real_moodle, site.token, course.id, module.cmid)
        assert record["sha1hash"] == sha1_of(package) == module.sha1hash

        # The lesson launches for an enrolled pupil: the SCO's HTML, not a 404.
        enrol(real_moodle, course.id, "student1")
        learner = real_moodle.users["student1"].token
        (first_sco, *_) = scos(real_moodle, learner, record["id"])
        context = record["packageurl"].split("/pluginfile.php/", 1)[1].split("/", 1)[0]
        launch = (f"{real_moodle.url}/webservice/pluginfile.php/{context}/mod_scorm/content/"
                  f"{record['revision']}/{first_sco['launch']}")  # fmt: skip
        page = httpx.get(launch, params={"token": learner})
        assert page.status_code == 200, (launch, page.status_code)
        assert "text/html" in page.headers["content-type"]
        with zipfile.ZipFile(package) as archive:
            assert page.content == archive.read(first_sco["launch"].split("?")[0])

    # 3. Again: nothing uploaded, nothing new, the same revision everywhere.
    again = sync(env, "--config", str(config), "--json", state_dir=tmp_path / "state")
    assert again.exit_code == 0 and as_json(again)["summary"]["uploads"] == 0
    assert {m.idnumber: m for m in site.client().get_synced()} == modules


# ---- 4. a new version keeps what learners did ----------------------------------------------


def test_a_new_version_replaces_the_package_and_keeps_the_attempt_and_grade(
    setup: Setup, real_moodle: MoodleSite
) -> None:
    setup.run_json()
    uuid_ = setup.catalogue.uuids["newton"]
    before = setup.modules()[uuid_]
    enrol(real_moodle, before.courseid, "student1")
    record_attempt(real_moodle, "student1", before.instanceid,
                   {"cmi.completion_status": "completed", "cmi.success_status": "passed",
                    "cmi.score.raw": "80", "cmi.score.min": "0", "cmi.score.max": "100",
                    "cmi.score.scaled": "0.8", "cmi.session_time": "PT4M"})  # fmt: skip
    graded = real_moodle.php("testsite.php", "gradebook", str(before.cmid), "student1")
    assert graded["grade"] == 80.0 and graded["attempts"] == 1

    setup.catalogue.new_version(uuid_, "newton-v2")
    report = setup.run_json()
    assert report["summary"]["update_package"] == 1
    after = setup.modules()[uuid_]
    assert after.cmid == before.cmid and after.instanceid == before.instanceid
    assert after.sha1hash != before.sha1hash and after.revision == before.revision + 1
    kept = real_moodle.php("testsite.php", "gradebook", str(after.cmid), "student1")
    assert kept["grade"] == 80.0 and kept["attempts"] == 1
    assert kept["sha1hash"] == after.sha1hash


# ---- 5. titles, withdrawal, re-publishing ------------------------------------------------


def test_a_new_title_renames_the_activity_in_place(setup: Setup) -> None:
    setup.run_json()
    uuid_ = setup.catalogue.uuids["newton"]
    before = setup.modules()[uuid_]
    retitle(setup, uuid_, "Ньютонның үш заңы")
    report = setup.run_json()
    assert [a["kind"] for a in report["plan"]["actions"]] == ["rename"]
    assert report["summary"]["rename"] == 1 and report["summary"]["uploads"] == 0
    after = setup.modules()[uuid_]
    assert after.name == "Ньютонның үш заңы"
    assert (after.cmid, after.sha1hash, after.revision) == (
        before.cmid, before.sha1hash, before.revision)  # fmt: skip
    assert setup.run_json()["plan"]["actions"] == []


def test_a_withdrawn_resource_is_hidden_with_its_records_and_shown_again(
    setup: Setup, real_moodle: MoodleSite
) -> None:
    setup.run_json()
    uuid_ = setup.catalogue.uuids["light"]
    module = setup.modules()[uuid_]
    enrol(real_moodle, module.courseid, "student2")
    record_attempt(real_moodle, "student2", module.instanceid,
                   {"cmi.completion_status": "incomplete", "cmi.score.raw": "40",
                    "cmi.score.min": "0", "cmi.score.max": "100"}, only=1)  # fmt: skip
    setup.catalogue.set_state(uuid_, State.WITHDRAWN)
    assert setup.run_json()["summary"]["hide"] == 1
    hidden = setup.modules()[uuid_]
    assert not hidden.visible and hidden.cmid == module.cmid
    kept = real_moodle.php("testsite.php", "gradebook", str(module.cmid), "student2")
    assert kept["grade"] == 40.0 and kept["attempts"] == 1
    setup.catalogue.set_state(uuid_, State.PUBLISHED)
    assert setup.run_json()["summary"]["show"] == 1
    assert setup.modules()[uuid_].visible


# ---- 6. the file picker --------------------------------------------------------------------


def test_the_file_picker_lists_the_catalogue_and_a_teacher_picks_a_package(
    setup: Setup, real_moodle: MoodleSite
) -> None:
    catalogue = setup.catalogue
    setup.run_json()  # makes the courses
    course = setup.site.course("physics-7")
    assert course is not None
    real_moodle.php("testsite.php", "repository", catalogue.url, catalogue.token)
    real_moodle.php("testsite.php", "enrol", str(course.id), "teacher1", "editingteacher")

    listing = real_moodle.php("testsite.php", "listing", "teacher1", str(course.id))
    titles = {entry["shorttitle"].split(" (")[0]: entry for entry in listing["list"]}
    assert {"Ньютон заңдары", "Жарық", "Атомы"} <= set(titles), titles
    assert listing["total"] >= 4
    # Every package here is the sample lesson on Newton's laws, so its page text matches
    # "Ньютон" in all of them: the one with the word in its title ranks first.
    found = real_moodle.php("testsite.php", "listing", "teacher1", str(course.id), "Ньютон")
    assert found["list"][0]["shorttitle"].split(" (")[0] == "Ньютон заңдары"
    light = real_moodle.php("testsite.php", "listing", "teacher1", str(course.id), "Жарық")
    assert [e["shorttitle"].split(" (")[0] for e in light["list"]] == ["Жарық"]

    # The search form offers the vocabulary's grades, the pre-school class first; its "any
    # grade" ('') and the pre-school class (0) are two different searches.
    form = real_moodle.php("testsite.php", "searchform", "teacher1", str(course.id))["html"]
    offered = re.findall(r'<option value="(\d+)">([^<]+)</option>', form)
    assert [int(value) for value, _name in offered] == list(range(0, 13))
    assert offered[0][1] in {"Pre-school class", "Мектепалды даярлық сыныбы"}, offered[0]
    assert offered[7][1] in {"Grade 7", "7-сынып"}, offered[7]
    any_grade = real_moodle.php("testsite.php", "listing", "teacher1", str(course.id), "", "")
    assert any_grade["total"] == listing["total"]
    pre_school = real_moodle.php("testsite.php", "listing", "teacher1", str(course.id), "", "0")
    assert pre_school["total"] == 0  # no resource for the pre-school class in this catalogue
    seventh = real_moodle.php("testsite.php", "listing", "teacher1", str(course.id), "", "7")
    assert "Ньютон заңдары" in {e["shorttitle"].split(" (")[0] for e in seventh["list"]}
    assert seventh["total"] < listing["total"]

    source = titles["Ньютон заңдары"]["source"]
    name = "Ньютон заңдары (мұғалім)"
    picked = real_moodle.php("testsite.php", "pick", "teacher1", str(course.id), source, name)
    assert picked["version"] == "SCORM_1.3" and picked["launch"] > 0
    record = scorm_record(real_moodle, setup.site.token, course.id, picked["cmid"])
    assert record["name"] == name
    assert record["sha1hash"] == setup.modules()[catalogue.uuids["newton"]].sha1hash


# ---- 7. what goes wrong in a real Moodle comes back as a clear error -----------------------


def test_a_disabled_service_stops_the_sync_with_a_clear_message(
    setup: Setup, real_moodle: MoodleSite
) -> None:
    real_moodle.php("testsite.php", "service", "0")
    try:
        result = setup.run()
    finally:
        real_moodle.php("testsite.php", "service", "1")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "Sandyq" in result.output and "service" in result.output.lower()
    assert setup.run_json()["exit_code"] == 0


def test_a_package_moodle_refuses_fails_alone_with_its_reason(setup: Setup, tmp_path: Path) -> None:
    broken = tmp_path / "no-manifest.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("index.html", "<!DOCTYPE html><title>Сабақ</title><p>Сәлем</p>")
    from tests.support.catalogue import add_resource

    bad = add_resource(setup.catalogue.app, setup.catalogue.teacher, package=broken,
                       title_kk="Бұзық пакет", subject="physics", grades=[7])  # fmt: skip
    report = setup.run_json(code=1)
    (failed,) = [r for r in report["results"] if r["status"] == "failed"]
    assert failed["uuid"] == bad and "invalidpackage" in failed["message"]
    assert "imsmanifest.xml" in failed["message"] and "sandyq validate" in failed["message"]
    assert report["summary"]["add_scorm"] == 4  # the others went in
    assert bad not in setup.modules()


def test_moodle_down_mid_run_is_finished_by_the_next_run_without_duplicates(
    setup: Setup, real_moodle: MoodleSite
) -> None:
    uploads: list[str] = []

    def stop_moodle_after_the_third_upload(event: str, action: Any) -> None:
        if event == "uploaded":
            uploads.append(action.uuid)
            if len(uploads) == 3:
                subprocess.run([str(ROOT / "tools" / "moodle.sh"), "stop"], check=True)

    config = resolve(config_path=setup.config, moodle_url=setup.site.url,
                     moodle_token=setup.site.token, catalogue_url=setup.catalogue.url,
                     catalogue_token=setup.catalogue.token, state_dir=setup.state_dir,
                     concurrency=1)  # fmt: skip
    try:
        code = run_sync(config, _Output(True), hook=stop_moodle_after_the_third_upload)
    finally:
        restarted = MoodleSite.start()
    assert code == 1
    assert restarted.url == real_moodle.url  # the same site, back on its port
    report = setup.run_json()
    assert report["summary"]["failed"] == 0
    modules = setup.modules()
    assert len(modules) == 4
    idnumbers = [m.idnumber for m in setup.site.client().get_synced()]
    assert len(idnumbers) == len(set(idnumbers))  # no activity twice
    assert setup.run_json()["plan"]["actions"] == []


# ---- results back to the catalogue ------------------------------------------------------


def test_two_learners_attempts_reach_the_resource_page_as_counts(
    setup: Setup, real_moodle: MoodleSite
) -> None:
    from tests.support.catalogue import add_results_token

    setup.run_json()
    uuid_ = setup.catalogue.uuids["newton"]
    module = setup.modules()[uuid_]
    enrol(real_moodle, module.courseid, "student1", "student2")
    record_attempt(real_moodle, "student1", module.instanceid,
                   {"cmi.completion_status": "completed", "cmi.success_status": "passed",
                    "cmi.score.raw": "80", "cmi.score.min": "0", "cmi.score.max": "100",
                    "cmi.session_time": "PT3M"})  # fmt: skip
    record_attempt(real_moodle, "student2", module.instanceid,
                   {"cmi.completion_status": "incomplete", "cmi.score.raw": "40",
                    "cmi.score.min": "0", "cmi.score.max": "100",
                    "cmi.session_time": "PT1M"}, only=1)  # fmt: skip

    catalogue = setup.catalogue
    setup.env["SANDYQ_CATALOGUE_TOKEN"] = add_results_token(catalogue.app, catalogue.teacher)
    report = setup.run_json()
    assert report["plan"]["actions"] == []
    assert report["usage"]["sent"] is True, report["usage"]
    assert report["usage"]["learners"] == 2
    again = setup.run_json("--results")  # the same day again: replaced, not added
    assert set(again) >= {"usage", "exit_code"} and "plan" not in again

    client = catalogue.app.test_client()
    from tests.support.catalogue import sign_in

    sign_in(client, catalogue.teacher)
    page = client.get(f"/resources/{uuid_}").get_data(as_text=True)
    facts = dict(re.findall(r'<dd id="usage-([a-z-]+)">([^<]*)</dd>', page))
    assert facts["schools"] == "1" and facts["learners"] == "2" and facts["completed"] == "1"
    assert facts["completion-rate"] == "50%"
    assert facts["mean-score"] == "100 баллдан 60"
    assert "Әлия" not in page and "student1" not in page  # counts, never a learner
