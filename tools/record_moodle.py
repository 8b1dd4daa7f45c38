"""Record what a real Moodle answers to every call the sync makes, as replayable transcripts.

    .venv/bin/python tools/record_moodle.py [--out DIR]

Stands up the test Moodle (``tools/moodle.sh start``), then drives it with the sync's own
token through ``lms_sync.moodle_client.MoodleClient`` (so each request is exactly what the sync
sends), one scenario per file, into ``tests/fixtures/moodle/recorded/`` by default. Every
HTTP exchange is written in the transcript format of ``tests/fixtures/moodle/README.md``:
the request form with the token replaced by ``<TOKEN>``, uploaded files as name, size and
sha1, the response's status, content type, size and decoded body. Steps that are not the
sync's calls (a capability removed with ``tools/moodle/testsite.php``, a learner enrolled,
a learner's SCORM tracks sent with their mobile token) are entries with
``"out_of_band": true`` that say what was done; ``tests/lms_sync/test_moodle_recorded.py`` replays
the files against ``tests/support/fake_moodle/`` and turns those entries into changes of the
fake's state.

Everything made is new: names and idnumbers carry a prefix fresh for each run
(``sandyq-rec<random>``), so a recording never meets what another test left on the site,
and the site is never reset. Ids are recorded as Moodle gave them. Tokens (the sync's,
the learners' mobile ones) and the private access key never reach a file.

To record another Moodle version: point ``tools/moodle.sh`` at it (it installs from
``../shared/moodle/``), run this script, and run ``tests/lms_sync/test_moodle_recorded.py``: what
fails is where the fake Moodle and the new version disagree.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lms_sync.errors import SyncError  # noqa: E402
from lms_sync.moodle_client import MoodleClient  # noqa: E402

DEFAULT_OUT = ROOT / "tests" / "fixtures" / "moodle" / "recorded"
SAMPLE = ROOT / "samples" / "physics-7-newton"
#: A well-formed token no site issued (as in 02-errors.json).
INVALID_TOKEN = "0123456789abcdef0123456789abcdef"
TITLE = "Ньютон заңдары"


# ---- packages ---------------------------------------------------------------------------


def build_sample(scorm: str, edition: int | None = None) -> bytes:
    """The Kazakh sample lesson as the project builds it (deterministic bytes)."""
    from scorm_builder.build import build_package

    target = Path("/tmp") / f"sandyq-record-{scorm}-{edition}.zip"
    build_package(SAMPLE, target, scorm=scorm, edition=edition)
    return target.read_bytes()


def zip_without_manifest() -> bytes:
    """A zip with a page and no imsmanifest.xml (the same bytes every time)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("index.html", (2026, 1, 1, 0, 0, 0))
        archive.writestr(info, "<!doctype html><title>Ньютон заңдары</title>")
    return buffer.getvalue()


def zip_with(files: dict[str, str]) -> bytes:
    """A zip of these text files (the same bytes every time)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def nested_manifest(package: bytes) -> bytes:
    """A real package zipped one folder down: the classic packaging mistake."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(
                zipfile.ZipInfo("newton/" + info.filename, info.date_time), source.read(info)
            )
    return buffer.getvalue()


#: The broken packages, by the file name they are uploaded under.
MALFORMED_MANIFEST = '<?xml version="1.0"?>\n<manifest><organizations></manifest>\n'


def broken_package(filename: str) -> bytes:
    if filename == "no-manifest.zip":
        return zip_without_manifest()
    if filename == "malformed-manifest.zip":
        return zip_with({"imsmanifest.xml": MALFORMED_MANIFEST, "index.html": "<p>1</p>"})
    if filename == "nested-manifest.zip":
        return nested_manifest(build_sample("2004", 4))
    if filename == "readme.txt":
        return "Ньютон заңдары\n".encode()
    raise KeyError(filename)


# ---- recording --------------------------------------------------------------------------


class Recorder(httpx.BaseTransport):
    """An ``httpx`` transport that sends through the network and writes down each exchange."""

    def __init__(self, secrets: dict[str, str]) -> None:
        self.inner = httpx.HTTPTransport()
        self.secrets = secrets  # secret -> what stands for it in a file
        self.exchanges: list[dict[str, Any]] = []
        self.note = ""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        response = self.inner.handle_request(request)
        response.read()
        self.exchanges.append(
            {
                "note": self.note,
                "request": self.redact(self._request(request, body)),
                "response": self.redact(self._response(response)),
            }
        )
        return response

    def close(self) -> None:
        self.inner.close()

    def _request(self, request: httpx.Request, body: bytes) -> dict[str, Any]:
        kind = request.headers.get("content-type", "")
        form: dict[str, str] = {}
        files: list[dict[str, Any]] = []
        if kind.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(
                f"Content-Type: {kind}\r\n\r\n".encode() + body
            )
            for part in message.iter_parts():
                field = str(part.get_param("name", header="content-disposition"))
                filename = part.get_filename()
                payload = part.get_payload(decode=True)
                content = payload if isinstance(payload, bytes) else b""
                if filename is None:
                    form[field] = content.decode()
                else:
                    files.append(
                        {
                            "field": field,
                            "filename": filename,
                            "size": len(content),
                            "sha1": hashlib.sha1(content).hexdigest(),
                            "content_type": part.get_content_type(),
                        }
                    )
            kind = "multipart/form-data; boundary=<boundary>"
        elif body:
            form = dict(parse_qsl(body.decode(), keep_blank_values=True))
        return {
            "method": request.method,
            "path": request.url.path,
            "content_type": kind,
            "form": form,
            "files": files,
        }

    @staticmethod
    def _response(response: httpx.Response) -> dict[str, Any]:
        content = response.content
        text = content.decode("utf-8", "replace")
        body: Any = text
        if not content.strip():
            body_format, body = "empty", ""
        else:
            try:
                body, body_format = json.loads(text), "json"
            except ValueError:
                body_format = "text"
        return {
            "status": response.status_code,
            "content_type": response.headers.get("content-type"),
            "body_format": body_format,
            "body_bytes": len(content),
            "body": body,
        }

    def redact(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: (
                    "<USER_PRIVATE_ACCESS_KEY>"
                    if key == "userprivateaccesskey"
                    else self.redact(item)
                )
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self.redact(item) for item in value]
        if isinstance(value, str):
            for secret, placeholder in self.secrets.items():
                value = value.replace(secret, placeholder)
        return value


class Session:
    """The site, the recorder and the sync's client; one ``scenario`` at a time."""

    def __init__(self, site: dict[str, Any], out: Path) -> None:
        self.site = site
        self.url: str = site["url"]
        self.code = Path(site["code"])
        self.token: str = site["sync"]["token"]
        self.out = out
        self.prefix = f"sandyq-rec{uuid.uuid4().hex[:8]}"
        secrets = {self.token: "<TOKEN>"}
        for name, user in site["users"].items():
            secrets[user["token"]] = f"<{name.upper()}_TOKEN>"
        self.recorder = Recorder(secrets)
        self.client = MoodleClient(self.url, self.token, retries=0, transport=self.recorder)
        self.steps: list[dict[str, Any]] = []
        self.account: dict[str, Any] = {}
        self.debug = self.cfg("debug")

    # ---- files ----

    @contextmanager
    def scenario(self, filename: str, title: str, description: str) -> Iterator[None]:
        self.recorder.exchanges = self.steps = []
        print(f"recording {filename}: {title}", file=sys.stderr)
        yield
        document = {
            "scenario": title,
            "moodle_version": f"{self.site['release']}, version {self.site['version']}",
            "description": description,
            "recorded_with": "tools/record_moodle.py",
            "site": {
                "url": self.url,
                "debug": int(self.debug),
                "account": self.account,
                "prefix": self.prefix,
            },
            "exchanges": self.steps,
        }
        text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
        for secret in self.recorder.secrets:
            assert secret not in text, f"a token would be written to {filename}"
        (self.out / filename).write_text(text, encoding="utf-8")

    def step(self, note: str) -> None:
        self.recorder.note = note

    def expect_error(self, note: str, call: Callable[[], Any]) -> None:
        """A call that must fail with a Moodle error (the exchange is recorded either way)."""
        self.step(note)
        try:
            call()
        except SyncError as error:
            print(f"  {note}: {type(error).__name__}: {error}", file=sys.stderr)
        else:
            raise AssertionError(f"{note}: Moodle accepted it")

    def out_of_band(self, note: str, **details: Any) -> None:
        self.steps.append(self.recorder.redact({"out_of_band": True, "note": note, **details}))

    # ---- the site, beyond web services ----

    def cfg(self, name: str) -> str:
        done = subprocess.run(
            ["php", str(self.code / "admin" / "cli" / "cfg.php"), f"--name={name}"],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def testsite(self, *args: str) -> Any:
        done = subprocess.run(
            ["php", str(ROOT / "tools" / "moodle" / "testsite.php"), str(self.code), *args],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"testsite.php {' '.join(args)}:\n{done.stdout}\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def php(self, code: str) -> str:
        """Run PHP inside the site (as a CLI script, after config.php); its output."""
        script = Path("/tmp") / f"sandyq-record-{uuid.uuid4().hex}.php"
        script.write_text(
            "<?php\ndefine('CLI_SCRIPT', true);\n"
            f"require({json.dumps(str(self.code / 'config.php'))});\n{code}\n",
            encoding="utf-8",
        )
        try:
            done = subprocess.run(["php", str(script)], capture_output=True, text=True)
        finally:
            script.unlink()
        if done.returncode != 0:
            raise RuntimeError(f"PHP failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout.strip()

    def ensure_mobile_service(self) -> None:
        """The learners' tokens are for Moodle's mobile service, which
        ``set_config('enablemobilewebservice', 1)`` alone leaves disabled: enable it."""
        enabled = self.php(
            "echo $DB->get_field('external_services', 'enabled',"
            " ['shortname' => MOODLE_OFFICIAL_MOBILE_SERVICE]);"
        )
        if enabled != "1":
            print("enabling Moodle's mobile service for the learners' tokens", file=sys.stderr)
            self.php(
                "$DB->set_field('external_services', 'enabled', 1,"
                " ['shortname' => MOODLE_OFFICIAL_MOBILE_SERVICE]);"
            )

    def as_learner(self, username: str, function: str, **form: str) -> Any:
        """A learner's own call with their mobile token (not recorded: not the sync's)."""
        token = self.site["users"][username]["token"]
        answer = httpx.post(
            f"{self.url}/webservice/rest/server.php",
            data={"wstoken": token, "wsfunction": function, "moodlewsrestformat": "json", **form},
            timeout=60,
        )
        answer.raise_for_status()
        data = answer.json()
        if isinstance(data, dict) and "exception" in data:
            raise RuntimeError(f"{function} as {username}: {data}")
        return data

    # ---- what scenarios share ----

    def course(self, tag: str) -> tuple[int, int]:
        """A fresh category and course for one scenario (recorded: the replay needs them)."""
        self.step("setup: a category of its own")
        category = self.client.create_category(
            f"Sandyq жазба {self.prefix} {tag}", 0, f"{self.prefix}-{tag}-cat"
        )
        self.step("setup: a course in it")
        course = self.client.create_course(
            f"Физика, 7-сынып ({self.prefix} {tag})",
            f"{self.prefix}-{tag}",
            category.id,
            f"{self.prefix}-{tag}-course",
        )
        return category.id, course.id

    def scorm(
        self, courseid: int, tag: str, package: bytes, *, visible: bool = True, section: int = 0
    ) -> int:
        self.step("setup: the package into a new draft area")
        draft = self.client.upload([("physics-7-newton.zip", package)])
        self.step("setup: the activity")
        return self.client.create_scorm(
            courseid, section, TITLE, draft.itemid, f"sandyq:{self.prefix}-{tag}", visible=visible
        ).cmid


# ---- scenarios --------------------------------------------------------------------------


def record(session: Session) -> None:
    client = session.client
    p = session.prefix
    v2004 = build_sample("2004", 4)
    v12 = build_sample("1.2")

    with session.scenario(
        "01-site-info.json",
        "core_webservice_get_site_info with the sync's token",
        "What the sync reads first: the account, the release and the service's functions.",
    ):
        session.step("site info: the sync's account, not an administrator")
        info = client.site_info()
        body = session.recorder.exchanges[-1]["response"]["body"]
        session.account = {
            "userid": info.userid,
            "username": info.username,
            "firstname": body["firstname"],
            "lastname": body["lastname"],
            "fullname": body["fullname"],
            "siteadmin": body["userissiteadmin"],
        }

    with session.scenario(
        "02-categories.json",
        "core_course_get_categories / core_course_create_categories as the sync uses them",
        "Looked up by idnumber one at a time with addsubcategories=0; created one at a time.",
    ):
        session.step("get by an idnumber nobody has: []")
        client.categories_by_idnumber([f"{p}-root"])
        session.step("create the root category (top level, parent 0), Kazakh name")
        root = client.create_category(f"Sandyq жазба {p}", 0, f"{p}-root")
        session.step("create a subject category under it")
        client.create_category("Физика", root.id, f"{p}-subject-physics")
        session.step("get the root by idnumber: only it, not its subcategory")
        client.categories_by_idnumber([f"{p}-root"])
        session.step("get the subject category by idnumber")
        client.categories_by_idnumber([f"{p}-subject-physics"])
        session.expect_error(
            "create with an idnumber already used -> categoryidnumbertaken",
            lambda: client.create_category("Физика (екінші)", root.id, f"{p}-subject-physics"),
        )

    with session.scenario(
        "03-courses.json",
        "core_course_get_courses_by_field / core_course_create_courses as the sync uses them",
        "Courses looked up by idnumber; created with a Kazakh name and no lang, as the sync does.",
    ):
        session.step("setup: a category of its own")
        category = client.create_category(f"Sandyq жазба {p} courses", 0, f"{p}-courses-cat")
        session.step("get by an idnumber nobody has: no courses, no warnings")
        client.courses_by_idnumber(f"{p}-course-physics-7")
        session.step("create a course: Kazakh fullname, no lang (the sync sends none)")
        client.create_course(
            "Физика, 7-сынып", f"{p}-physics-7", category.id, f"{p}-course-physics-7"
        )
        session.step("get it by idnumber: every field the sync reads is there")
        client.courses_by_idnumber(f"{p}-course-physics-7")
        session.step("create the subject's general course")
        client.create_course("Физика", f"{p}-physics-all", category.id, f"{p}-course-physics-all")
        session.expect_error(
            "create with a shortname already used -> shortnametaken",
            lambda: client.create_course(
                "Физика, 7-сынып", f"{p}-physics-7", category.id, f"{p}-course-other"
            ),
        )
        session.expect_error(
            "create with an idnumber already used -> courseidnumbertaken",
            lambda: client.create_course(
                "Физика, 7-сынып", f"{p}-physics-7b", category.id, f"{p}-course-physics-7"
            ),
        )

    with session.scenario(
        "04-uploads.json",
        "webservice/upload.php as the sync uses it",
        "One package into a new draft area (itemid=0), as the client sends it.",
    ):
        session.step("upload the sample package (SCORM 2004) into a new draft area")
        client.upload([("physics-7-newton.zip", v2004)])
        session.step("upload the SCORM 1.2 build into another new draft area")
        client.upload([("physics-7-newton-12.zip", v12)])

    with session.scenario(
        "05-create-scorm.json",
        "local_sandyq_create_scorm",
        "Activities made from a draft area: visible in section 0, hidden in a later section.",
    ):
        _, courseid = session.course("create")
        session.step("upload the package")
        draft = client.upload([("physics-7-newton.zip", v2004)])
        session.step("create the activity in section 0, visible")
        client.create_scorm(courseid, 0, TITLE, draft.itemid, f"sandyq:{p}-create-1")
        session.step("upload the package again")
        draft = client.upload([("physics-7-newton.zip", v2004)])
        session.step("create a hidden activity (visible=0) with an intro in section 2")
        client.create_scorm(
            courseid,
            2,
            "Ньютонның екінші заңы",
            draft.itemid,
            f"sandyq:{p}-create-2",
            intro="<p>Күш, масса, үдеу</p>",
            visible=False,
        )
        session.step("get_synced for the course: both, by section then cmid")
        client.get_synced([courseid])

    with session.scenario(
        "06-update-scorm.json",
        "local_sandyq_update_scorm: a new package, a rename, both",
        "The cmid and instanceid stay; a new package bumps the revision.",
    ):
        _, courseid = session.course("update")
        cmid = session.scorm(courseid, "update", v2004)
        session.step("upload a new package (the SCORM 1.2 build)")
        draft = client.upload([("physics-7-newton-12.zip", v12)])
        session.step("update: new package only")
        client.update_scorm(cmid, draftitemid=draft.itemid)
        session.step("update: rename only (name, no draftitemid)")
        client.update_scorm(cmid, name="Ньютон заңдары (жаңа)")
        session.step("upload the SCORM 2004 build again")
        draft = client.upload([("physics-7-newton.zip", v2004)])
        session.step("update: new package and a new name")
        client.update_scorm(cmid, draftitemid=draft.itemid, name=TITLE)
        session.step("get_synced: the name, sha1hash and revision after the updates")
        client.get_synced([courseid])

    with session.scenario(
        "07-get-synced.json",
        "local_sandyq_get_synced",
        "Courses without activities, with one, and a course id that does not exist.",
    ):
        _, courseid = session.course("synced")
        session.step("get_synced for a course with no activity")
        client.get_synced([courseid])
        cmid = session.scorm(courseid, "synced", v2004)
        session.step("get_synced for the course with one activity")
        client.get_synced([courseid])
        session.step("get_synced for it and a course id that does not exist")
        client.get_synced([courseid, 999999999])
        del cmid

    with session.scenario(
        "08-get-results.json",
        "local_sandyq_get_results: nothing yet, then two learners' attempts",
        "Learners' SCORM tracks are sent with their mobile tokens (out of band: not the "
        "sync's calls); the sync reads the counts and scores.",
    ):
        _, empty = session.course("results-empty")
        session.step("get_results for a course with no activity")
        client.get_results([empty])
        _, courseid = session.course("results")
        cmid = session.scorm(courseid, "results", v2004)
        session.step("get_results: an activity nobody opened")
        client.get_results([courseid])
        session.step("get_results with a course id that does not exist")
        client.get_results([courseid, 999999999])
        scorm = next(m for m in client.get_synced([courseid]) if m.cmid == cmid)
        session.recorder.exchanges.pop()  # only to learn the instance id
        learners = (
            ("student1", 1, "completed", "passed", "80", "PT5M30S"),
            ("student2", 1, "incomplete", "unknown", "40", "PT2M"),
            ("student2", 2, "completed", "failed", "50", "PT1M15S"),
        )
        session.ensure_mobile_service()
        for username in ("student1", "student2"):
            session.testsite("enrol", str(courseid), username, "student")
            session.out_of_band(
                f"out-of-band: {username} enrolled as student (testsite.php enrol)",
                courseid=courseid,
                username=username,
                role="student",
            )
        for username, attempt, completion, success, raw, time in learners:
            scoes = session.as_learner(
                username, "mod_scorm_get_scorm_scoes", scormid=str(scorm.instanceid)
            )["scoes"]
            scoid = next(s["id"] for s in scoes if s["scormtype"] == "sco")
            tracks = {
                "cmi.completion_status": completion,
                "cmi.success_status": success,
                "cmi.score.raw": raw,
                "cmi.score.min": "0",
                "cmi.score.max": "100",
                "cmi.score.scaled": str(int(raw) / 100),
                "cmi.session_time": time,
                "cmi.total_time": time,
            }
            form = {"scoid": str(scoid), "attempt": str(attempt)}
            for index, (element, value) in enumerate(tracks.items()):
                form[f"tracks[{index}][element]"] = element
                form[f"tracks[{index}][value]"] = value
            answer = session.as_learner(username, "mod_scorm_insert_scorm_tracks", **form)
            session.out_of_band(
                "out-of-band: a learner's SCORM tracks (mod_scorm_insert_scorm_tracks "
                "with the learner's mobile token)",
                cmid=cmid,
                username=username,
                attempt=attempt,
                tracks=tracks,
                answer=answer,
            )
        session.step("get_results: two learners, three attempts, scores and time")
        client.get_results([courseid])

    with session.scenario(
        "09-visibility.json",
        "core_course_edit_module hide/show, seen through local_sandyq_get_synced",
        "An unpublished resource is hidden, a re-published one shown again.",
    ):
        _, courseid = session.course("visibility")
        cmid = session.scorm(courseid, "visibility", v2004)
        session.step("hide: the module's HTML")
        client.set_module_visible(cmid, False)
        session.step("get_synced: visible false")
        client.get_synced([courseid])
        session.step("hide again: harmless")
        client.set_module_visible(cmid, False)
        session.step("show: the module's HTML")
        client.set_module_visible(cmid, True)
        session.step("get_synced: visible true")
        client.get_synced([courseid])

    with session.scenario(
        "10-errors.json",
        "Errors the sync must handle",
        "A refused token (REST and upload.php), a zip that is not a SCORM package, an "
        "idnumber used twice in a course, an update that names nothing to change.",
    ):
        bad = MoodleClient(session.url, INVALID_TOKEN, retries=0, transport=session.recorder)
        session.expect_error("invalid token -> invalidtoken", bad.site_info)
        session.expect_error(
            "upload.php with an invalid token -> invalidtoken",
            lambda: bad.upload([("physics-7-newton.zip", v2004)]),
        )
        _, courseid = session.course("errors")
        session.step("upload a zip without imsmanifest.xml")
        draft = client.upload([("no-manifest.zip", broken_package("no-manifest.zip"))])
        session.expect_error(
            "create from a zip without imsmanifest.xml -> invalidpackage",
            lambda: client.create_scorm(courseid, 0, TITLE, draft.itemid, f"sandyq:{p}-broken"),
        )
        cmid = session.scorm(courseid, "errors", v2004)
        session.step("upload the package again")
        draft = client.upload([("physics-7-newton.zip", v2004)])
        session.expect_error(
            "create with the idnumber of an activity of that course -> idnumbertaken",
            lambda: client.create_scorm(courseid, 0, TITLE, draft.itemid, f"sandyq:{p}-errors"),
        )
        session.expect_error(
            "update with neither a package nor a name -> invalidparameter",
            lambda: client.update_scorm(cmid),
        )
        session.step("upload a zip without imsmanifest.xml again")
        draft = client.upload([("no-manifest.zip", broken_package("no-manifest.zip"))])
        session.expect_error(
            "update with a zip without imsmanifest.xml -> invalidpackage",
            lambda: client.update_scorm(cmid, draftitemid=draft.itemid),
        )
        session.step("upload a zip whose imsmanifest.xml sits in a folder")
        draft = client.upload([("nested-manifest.zip", broken_package("nested-manifest.zip"))])
        session.expect_error(
            "update with imsmanifest.xml in a folder -> invalidpackage",
            lambda: client.update_scorm(cmid, draftitemid=draft.itemid),
        )
        session.step("upload a zip whose imsmanifest.xml is not well-formed")
        draft = client.upload(
            [("malformed-manifest.zip", broken_package("malformed-manifest.zip"))]
        )
        session.expect_error(
            "create from a manifest that is not well-formed -> invalidpackage",
            lambda: client.create_scorm(courseid, 0, TITLE, draft.itemid, f"sandyq:{p}-bad"),
        )
        session.step("upload a package and a text file into one draft area")
        draft = client.upload(
            [("physics-7-newton.zip", v2004), ("readme.txt", broken_package("readme.txt"))]
        )
        session.expect_error(
            "create from a draft area with two files -> invalidpackage",
            lambda: client.create_scorm(courseid, 0, TITLE, draft.itemid, f"sandyq:{p}-two"),
        )
        session.expect_error(
            "create from a draft area nobody uploaded to -> invalidpackage",
            lambda: client.create_scorm(courseid, 0, TITLE, 123456789, f"sandyq:{p}-none"),
        )
        session.expect_error(
            "update a course module that does not exist -> invalidcoursemodule",
            lambda: client.update_scorm(999999999, name=TITLE),
        )
        session.expect_error(
            "create in a course that does not exist -> invalidrecord",
            lambda: client.create_scorm(999999999, 0, TITLE, 123456789, f"sandyq:{p}-nocourse"),
        )
        session.step("get_synced: the activity kept its package")
        client.get_synced([courseid])

    with session.scenario(
        "11-nopermissions.json",
        "A capability missing from the sync's role -> nopermissions",
        "Capabilities removed from the role with testsite.php (out of band), each restored "
        "right after.",
    ):
        categoryid, courseid = session.course("perms")
        for capability, note, call in (
            (
                "moodle/course:create",
                "create a course without moodle/course:create -> nopermissions",
                lambda: client.create_course(
                    "Физика, 8-сынып", f"{p}-perms-8", categoryid, f"{p}-perms-8-course"
                ),
            ),
            (
                "moodle/category:manage",
                "create a category without moodle/category:manage -> nopermissions",
                lambda: client.create_category("Химия", categoryid, f"{p}-perms-chemistry"),
            ),
        ):
            session.testsite("capability", capability, "0")
            try:
                session.out_of_band(
                    f"out-of-band: {capability} removed from the sync's role "
                    "(testsite.php capability)",
                    capability=capability,
                )
                session.expect_error(note, call)
            finally:
                session.testsite("capability", capability, "1")
            session.out_of_band(
                f"out-of-band: {capability} given back to the sync's role", capability=capability
            )
        session.testsite("capability", "mod/scorm:addinstance", "0")
        try:
            session.out_of_band(
                "out-of-band: mod/scorm:addinstance removed from the sync's role "
                "(testsite.php capability)",
                capability="mod/scorm:addinstance",
            )
            session.step("upload the package")
            draft = client.upload([("physics-7-newton.zip", v2004)])
            session.expect_error(
                "create a SCORM without mod/scorm:addinstance -> nopermissions",
                lambda: client.create_scorm(courseid, 0, TITLE, draft.itemid, f"sandyq:{p}-perms"),
            )
        finally:
            session.testsite("capability", "mod/scorm:addinstance", "1")
        session.out_of_band(
            "out-of-band: mod/scorm:addinstance given back to the sync's role",
            capability="mod/scorm:addinstance",
        )
        session.step("the same create with the capability back: it works")
        client.create_scorm(courseid, 0, TITLE, draft.itemid, f"sandyq:{p}-perms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the files go")
    args = parser.parse_args(argv)
    done = subprocess.run(
        [str(ROOT / "tools" / "moodle.sh"), "start"], capture_output=True, text=True
    )
    if done.returncode != 0:
        print(f"tools/moodle.sh start failed:\n{done.stderr}", file=sys.stderr)
        return done.returncode
    site = json.loads(done.stdout)
    args.out.mkdir(parents=True, exist_ok=True)
    session = Session(site, args.out)
    try:
        record(session)
    finally:
        session.client.close()
    print(f"recorded under {args.out} (prefix {session.prefix})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
