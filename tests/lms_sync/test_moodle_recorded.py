"""The fake Moodle against the sync's own calls, recorded from a real Moodle 4.4.

``tests/fixtures/moodle/recorded/`` holds what ``tools/record_moodle.py`` recorded: every
function the sync calls, driven with the sync's token through ``MoodleClient``, one
scenario per file, including the errors the sync must handle. Each file is replayed
against a fresh fake, as ``tests/lms_sync/test_moodle_contract.py`` replays the older transcripts
(ids learnt, shapes and non-id values compared), with the fake set up as the recorded
site was: the sync's own account (not an administrator) and developer debugging, which
adds ``debuginfo`` to errors. The packages are rebuilt exactly as the recorder built them.

Out-of-band steps (a capability taken from the sync's role and given back, learners
enrolled and sending SCORM tracks with their mobile tokens) become the same changes in the
fake's state.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.lms_sync.test_moodle_contract import (
    FIXTURES,
    TOKEN,
    VALUE_KEYS,
    OutOfBand,
    Replay,
    load,
    replay,
)
from tests.support.fake_moodle import Account, FakeMoodle, create_fake_moodle

RECORDED = FIXTURES / "recorded"
TRANSCRIPTS = sorted(RECORDED.glob("*.json"))
RECORDER = Path(__file__).resolve().parents[2] / "tools" / "record_moodle.py"

#: Every function the sync calls (``lms_sync.moodle_client.MoodleClient``'s methods the planner
#: and executor use), each of which must have been recorded.
SYNC_FUNCTIONS = {
    "core_webservice_get_site_info",
    "core_course_get_categories",
    "core_course_create_categories",
    "core_course_get_courses_by_field",
    "core_course_create_courses",
    "core_course_edit_module",
    "local_sandyq_create_scorm",
    "local_sandyq_update_scorm",
    "local_sandyq_get_synced",
    "local_sandyq_get_results",
}
#: The errors the sync must handle, each recorded.
SYNC_ERRORS = {
    "invalidtoken",
    "invalidpackage",
    "idnumbertaken",
    "invalidparameter",
    "nopermissions",
    "invalidcoursemodule",
    "invalidrecord",
    "shortnametaken",
    "courseidnumbertaken",
    "categoryidnumbertaken",
}


@functools.cache
def recorder() -> ModuleType:
    """tools/record_moodle.py, for the packages it uploads (built the same way here)."""
    spec = importlib.util.spec_from_file_location("record_moodle", RECORDER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("record_moodle", module)
    spec.loader.exec_module(module)
    return module


@functools.cache
def package(filename: str) -> bytes:
    tool = recorder()
    if filename == "physics-7-newton.zip":
        data: bytes = tool.build_sample("2004", 4)
    elif filename == "physics-7-newton-12.zip":
        data = tool.build_sample("1.2")
    else:
        data = tool.broken_package(filename)
    return data


def packages_match(transcript: dict[str, Any]) -> bool:
    """Whether today's builds are the bytes that were recorded (the builder may have moved on:
    then sha1 hashes are compared by shape only)."""
    return all(
        hashlib.sha1(package(upload["filename"])).hexdigest() == upload["sha1"]
        for exchange in transcript["exchanges"]
        if not exchange.get("out_of_band")
        for upload in exchange["request"]["files"]
    )


def _enrol(fake: FakeMoodle, step: dict[str, Any], replay: Replay) -> None:
    fake.enrol(replay.ids.get(step["courseid"], step["courseid"]), step["username"], step["role"])


def _tracks(fake: FakeMoodle, step: dict[str, Any], replay: Replay) -> None:
    fake.add_tracks(
        replay.ids.get(step["cmid"], step["cmid"]),
        step["username"],
        step["attempt"],
        step["tracks"],
    )


OUT_OF_BAND: dict[str, OutOfBand] = {
    "out-of-band: student1 enrolled as student (testsite.php enrol)": _enrol,
    "out-of-band: student2 enrolled as student (testsite.php enrol)": _enrol,
    "out-of-band: a learner's SCORM tracks (mod_scorm_insert_scorm_tracks with the "
    "learner's mobile token)": _tracks,
}
for _capability in ("moodle/course:create", "moodle/category:manage", "mod/scorm:addinstance"):
    OUT_OF_BAND[
        f"out-of-band: {_capability} removed from the sync's role (testsite.php capability)"
    ] = lambda fake, step, replay: fake.denied.add(step["capability"])
    OUT_OF_BAND[f"out-of-band: {_capability} given back to the sync's role"] = (
        lambda fake, step, replay: fake.denied.discard(step["capability"])
    )


def fake_like(transcript: dict[str, Any]) -> FakeMoodle:
    """A fresh fake set up as the recorded site: its account and its debug level."""
    site = transcript["site"]
    account = site["account"]
    return create_fake_moodle(
        TOKEN,
        account=Account(
            userid=account["userid"],
            username=account["username"],
            firstname=account["firstname"],
            lastname=account["lastname"],
            siteadmin=account["siteadmin"],
        ),
        debug=site["debug"],
    )


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.stem)
def test_fake_answers_like_the_recorded_moodle(path: Path) -> None:
    transcript = load(path)
    value_keys = VALUE_KEYS | {"debuginfo", "userissiteadmin", "username"}
    if packages_match(transcript):
        value_keys |= {"sha1hash", "filesize"}
    replay(
        path,
        value_keys=value_keys,
        fake=fake_like(transcript),
        packages=lambda filename, size: package(filename),
        out_of_band=OUT_OF_BAND,
        site=transcript["site"]["url"],
    )


def test_there_are_recordings() -> None:
    assert len(TRANSCRIPTS) >= 10


def test_every_function_the_sync_calls_was_recorded() -> None:
    exchanges = [
        e for path in TRANSCRIPTS for e in load(path)["exchanges"] if not e.get("out_of_band")
    ]
    functions = {e["request"]["form"].get("wsfunction") for e in exchanges}
    assert SYNC_FUNCTIONS <= functions
    assert any(e["request"]["path"] == "/webservice/upload.php" for e in exchanges)
    errorcodes = {
        e["response"]["body"].get("errorcode")
        for e in exchanges
        if isinstance(e["response"]["body"], dict)
    }
    assert SYNC_ERRORS <= errorcodes
    updates = [
        set(e["request"]["form"]) - {"wstoken", "wsfunction", "moodlewsrestformat", "cmid"}
        for e in exchanges
        if e["request"]["form"].get("wsfunction") == "local_sandyq_update_scorm"
    ]
    assert {"draftitemid"} in updates and {"name"} in updates
    assert {"draftitemid", "name"} in updates


def test_every_recorded_out_of_band_step_is_understood() -> None:
    notes = {
        e["note"] for path in TRANSCRIPTS for e in load(path)["exchanges"] if e.get("out_of_band")
    }
    assert notes == set(OUT_OF_BAND)


def test_no_token_was_recorded() -> None:
    for path in TRANSCRIPTS:
        text = path.read_text(encoding="utf-8")
        transcript = load(path)
        for exchange in transcript["exchanges"]:
            if exchange.get("out_of_band"):
                continue
            form = exchange["request"]["form"]
            token = form.get("wstoken", form.get("token"))
            assert token in ("<TOKEN>", recorder().INVALID_TOKEN), path.name
        assert '"userprivateaccesskey": "<USER_PRIVATE_ACCESS_KEY>"' in text or (
            "userprivateaccesskey" not in text
        )
