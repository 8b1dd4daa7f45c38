"""The recording site's test plugin local_lmssyncpeer: SCORM activities made from a draft,
in the shape ``tests/fixtures/moodle/06-test-plugin-scorm.json`` recorded (not core).
"""

from __future__ import annotations

from typing import Any

from tests.support.fake_moodle.core_course import module_by_cmid
from tests.support.fake_moodle.params import Int, Text, opt
from tests.support.fake_moodle.registry import Call, webservice
from tests.support.fake_moodle.site import DraftFile, Module, State
from tests.support.fake_moodle.wire import invalid_parameter

# ---- the recording site's test plugin (local_lmssyncpeer) -------------------------------


def _first_zip(state: State, itemid: int) -> DraftFile:
    for draft in state.drafts.get(itemid, []):
        if draft.filename.lower().endswith(".zip"):
            return draft
    raise invalid_parameter()


def _peer_answer(state: State, module: Module) -> dict[str, Any]:
    scorm = state.scorms[module.instance]
    return {
        "cmid": module.id,
        "instanceid": scorm.id,
        "version": scorm.version,
        "launch": scorm.launch,
        "revision": scorm.revision,
        "sha1hash": scorm.sha1hash,
        "reference": scorm.reference,
        "warning": "",
    }


@webservice(
    {
        "courseid": Int(),
        "section": Int(),
        "name": Text(),
        "draftitemid": Int(),
        "cmidnumber": opt(Text(), ""),
        "visible": opt(Int(), 1),
        "intro": opt(Text(), ""),
    },
    version="2024010100",
    atomic=True,
)
def local_lmssyncpeer_create_scorm(call: Call) -> Any:
    p = call.params
    state = call.state
    state.course_by(p["courseid"])
    draft = _first_zip(state, p["draftitemid"])
    module = state.add_scorm(
        p["courseid"],
        p["section"],
        p["name"],
        draft.content,
        draft.filename,
        idnumber=p["cmidnumber"],
        intro=p["intro"],
        visible=bool(p["visible"]),
    )
    return _peer_answer(state, module)


@webservice({"cmid": Int(), "draftitemid": Int()}, version="2024010100", atomic=True)
def local_lmssyncpeer_update_scorm_package(call: Call) -> Any:
    state = call.state
    module = module_by_cmid(state, call.params["cmid"])
    draft = _first_zip(state, call.params["draftitemid"])
    state.replace_package(state.scorms[module.instance], draft.content, draft.filename)
    return _peer_answer(state, module)
