"""Our plugin local_sandyq (recorded: tests/fixtures/moodle/recorded/): create and update
SCORM activities from a draft, list what the sync made, learners' results.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any
from xml.etree import ElementTree

from tests.support.fake_moodle.packages import PackageInfo, read_package
from tests.support.fake_moodle.params import Int, Many, Text, opt
from tests.support.fake_moodle.registry import Call, webservice
from tests.support.fake_moodle.site import DraftFile, Module, State, Track, now
from tests.support.fake_moodle.wire import MoodleException, invalid_parameter

# ---- our plugin: local_sandyq (recorded: tests/fixtures/moodle/recorded/) --------------

SANDYQ_VERSION = "2026010100"

#: The plugin's English reasons for refusing a package (lang/en/local_sandyq.php).
SANDYQ_REASONS = {
    "draft_area": "the draft area must hold exactly one .zip file ({a})",
    "not_zip": "the file is not a zip archive ({a})",
    "no_manifest": "imsmanifest.xml is missing",
    "nested_manifest": "imsmanifest.xml must be at the root of the zip, not in a folder ({a})",
    "malformed_xml": "imsmanifest.xml is not well-formed XML ({a})",
    "nothing_to_launch": "nothing in the package can be launched",
}


def sandyq_invalid_package(reason: str, detail: str) -> MoodleException:
    """``scorm_writer::invalid_package``: the reason in the message, the detail in debuginfo."""
    return MoodleException(
        "moodle_exception",
        "invalidpackage",
        f"Invalid SCORM package [{reason}]: {SANDYQ_REASONS[reason].format(a=detail)}",
        f"{reason}: {detail}",
    )


def _libxml_error(manifest: bytes) -> str | None:
    """The first error libxml reports for a manifest that is not well-formed, in its words
    (for what the fake can tell: mismatched tags), or ``None`` when it is well-formed."""
    try:
        ElementTree.fromstring(manifest)
    except ElementTree.ParseError as exc:
        line = exc.position[0]
        text = manifest.decode("utf-8", "replace")
        opened: list[tuple[str, int]] = []
        for match in re.finditer(r"<(/?)([A-Za-z_][\w.:-]*)[^>]*?(/?)>", text):
            number = text.count("\n", 0, match.start()) + 1
            closing, name, empty = match.groups()
            if empty:
                continue
            if not closing:
                opened.append((name, number))
            elif opened and opened[-1][0] == name:
                opened.pop()
            elif opened:
                inner, inner_line = opened[-1]
                return (
                    f"imsmanifest.xml line {number}: Opening and ending tag mismatch: "
                    f"{inner} line {inner_line} and {name}"
                )
        return f"imsmanifest.xml line {line}: {str(exc).split(':', 1)[0]}"
    return None


def sandyq_check_package(data: bytes, filename: str) -> PackageInfo:
    """``package_check``, for the refusals the fake models; then what mod_scorm reads."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise sandyq_invalid_package("not_zip", "not a zip archive (ZipArchive error 19)") from None
    names = archive.namelist()
    if "imsmanifest.xml" not in names:
        nested = next((n for n in names if n.rsplit("/", 1)[-1] == "imsmanifest.xml"), None)
        if nested is not None:
            raise sandyq_invalid_package(
                "nested_manifest", f"imsmanifest.xml must be at the root of the zip, found {nested}"
            )
        raise sandyq_invalid_package("no_manifest", "the zip has no imsmanifest.xml")
    problem = _libxml_error(archive.read("imsmanifest.xml"))
    if problem is not None:
        raise sandyq_invalid_package("malformed_xml", problem)
    try:
        return read_package(data, filename)
    except MoodleException:
        raise sandyq_invalid_package(
            "nothing_to_launch", "no item or resource has an href to launch"
        ) from None


def _the_package(state: State, itemid: int) -> DraftFile:
    """Exactly one .zip in the draft area, which passes the plugin's check."""
    files = state.drafts.get(itemid, [])
    if len(files) != 1 or not files[0].filename.lower().endswith(".zip"):
        names = ", ".join(f.filename for f in files) or "nothing"
        raise sandyq_invalid_package("draft_area", f"draft area {itemid} holds {names}")
    sandyq_check_package(files[0].content, files[0].filename)
    return files[0]


def _sandyq_answer(state: State, module: Module) -> dict[str, Any]:
    scorm = state.scorms[module.instance]
    return {
        "cmid": module.id,
        "instanceid": scorm.id,
        "sha1hash": scorm.sha1hash,
        "revision": scorm.revision,
    }


#: get_string('invalidcourseid', 'error'), in the plugin's warnings.
INVALID_COURSE_ID = "You are trying to use an invalid course ID"


@webservice(
    {
        "courseid": Int(),
        "section": Int(),
        "name": Text(),
        "draftitemid": Int(),
        "idnumber": Text(),
        "intro": opt(Text(), ""),
        "visible": opt(Int(), 1),
    },
    version=SANDYQ_VERSION,
    atomic=True,
)
def local_sandyq_create_scorm(call: Call) -> Any:
    p = call.params
    state = call.state
    if p["section"] < 0 or p["visible"] not in (0, 1) or not p["idnumber"].strip():
        raise invalid_parameter()
    state.course_by(p["courseid"])
    call.require("moodle/course:manageactivities", "mod/scorm:addinstance", "local/sandyq:sync")
    if any(
        m.course == p["courseid"] and m.idnumber == p["idnumber"] for m in state.modules.values()
    ):
        raise MoodleException(
            "moodle_exception",
            "idnumbertaken",
            f'The ID number "{p["idnumber"]}" is already used in this course',
        )
    draft = _the_package(state, p["draftitemid"])
    module = state.add_scorm(
        p["courseid"],
        p["section"],
        p["name"],
        draft.content,
        draft.filename,
        idnumber=p["idnumber"],
        intro=p["intro"],
        visible=bool(p["visible"]),
        synced=True,
    )
    return _sandyq_answer(state, module)


@webservice(
    {"cmid": Int(), "draftitemid": opt(Int(), 0), "name": opt(Text(), "")},
    version=SANDYQ_VERSION,
    atomic=True,
)
def local_sandyq_update_scorm(call: Call) -> Any:
    state = call.state
    p = call.params
    name = p["name"].strip()
    if p["draftitemid"] == 0 and not name:  # checked before the module, as the plugin does
        raise invalid_parameter("give a draftitemid, a name, or both")
    module = state.modules.get(p["cmid"])
    if module is None or module.modname != "scorm":  # as the plugin: moodle_exception
        raise MoodleException("moodle_exception", "invalidcoursemodule", "Invalid course module ID")
    call.require("moodle/course:manageactivities", "local/sandyq:sync")
    scorm = state.scorms[module.instance]
    if p["draftitemid"]:
        draft = _the_package(state, p["draftitemid"])
        state.replace_package(scorm, draft.content, draft.filename)
    if name:
        scorm.name = name
    return _sandyq_answer(state, module)


#: What local_sandyq_get_results says of an activity nobody opened.
NO_USE = {"learners": 0, "completed": 0, "passed": 0, "attempts": 0, "time_seconds": 0}
_STATUS_ELEMENTS = ("cmi.core.lesson_status", "cmi.completion_status", "cmi.success_status")
_TIME_ELEMENTS = ("cmi.core.total_time", "cmi.total_time")


def scorm_seconds(value: str) -> int:
    """``usage::seconds``: SCORM 1.2 ``HH:MM:SS.s`` or an ISO 8601 duration, else 0."""
    value = value.strip()
    match = re.fullmatch(r"(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?", value)
    if match:
        return int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3])
    match = re.fullmatch(
        r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?",
        value,
    )
    if match and value not in ("P", "PT"):
        y, mo, d, h, mi, sec = (float(part or 0) for part in match.groups())
        return round((((y * 365 + mo * 30 + d) * 24 + h) * 3600) + mi * 60 + sec)
    return 0


def _scorm_grade(tracks: list[Track]) -> float | None:
    """mod_scorm's grade of a learner in percent (highest attempt, raw score out of
    score.max), or ``None`` when no attempt has a score."""
    best: float | None = None
    for attempt in {t.attempt for t in tracks}:
        values = {t.element: t.value for t in tracks if t.attempt == attempt}
        raw = values.get("cmi.score.raw", values.get("cmi.core.score.raw"))
        if raw is None:
            continue
        top = float(values.get("cmi.score.max", values.get("cmi.core.score.max", "100")) or 100)
        score = 100 * float(raw) / top if top else float(raw)
        best = score if best is None else max(best, score)
    return best


def _usage(state: State, module: Module) -> dict[str, Any]:
    """``usage::activity``: counts from the learners' tracks, scores from their grades."""
    tracks = [t for t in state.tracks if t.cmid == module.id]
    if not tracks:
        return dict(NO_USE)
    scos = sum(1 for sco in state.scorms[module.instance].scoes if sco.scormtype == "sco")
    done: dict[str, dict[str, Any]] = {}
    time_seconds = 0
    for track in tracks:
        if track.element in _TIME_ELEMENTS:
            time_seconds += scorm_seconds(track.value)
            continue
        if track.element not in _STATUS_ELEMENTS:
            continue
        value = track.value.strip()
        learner = done.setdefault(track.username, {"scos": set(), "passed": False})
        if value == "passed":
            learner["passed"] = True
        if track.element != "cmi.success_status" and value in ("completed", "passed"):
            learner["scos"].add(track.scoid)
    scores = [
        grade
        for grade in (
            _scorm_grade([t for t in tracks if t.username == username])
            for username in dict.fromkeys(t.username for t in tracks)
        )
        if grade is not None
    ]
    figures: dict[str, Any] = {
        "learners": len({t.username for t in tracks}),
        "completed": sum(1 for d in done.values() if len(d["scos"]) >= max(1, scos)),
        "passed": sum(1 for d in done.values() if d["passed"]),
        "attempts": len({(t.username, t.attempt) for t in tracks}),
    }
    if scores:
        ordered = sorted(scores)
        middle = len(ordered) // 2
        median = (
            ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
        )
        figures["score_mean"] = round(sum(scores) / len(scores), 2)
        figures["score_median"] = round(median, 2)
    figures["time_seconds"] = time_seconds
    return figures


@webservice({"courseids": Many(Int())}, version=SANDYQ_VERSION)
def local_sandyq_get_results(call: Call) -> Any:
    state = call.state
    courses, warnings = [], []
    for courseid in dict.fromkeys(call.params["courseids"]):
        if courseid not in state.courses:
            warnings.append(
                {
                    "item": "course",
                    "itemid": courseid,
                    "warningcode": "invalidcourseid",
                    "message": INVALID_COURSE_ID,
                }
            )
            continue
        activities = [
            {
                "cmid": m.id,
                "idnumber": m.idnumber,
                "name": state.scorms[m.instance].name,
                **(state.usage.get(m.id) or _usage(state, m)),
            }
            for m in sorted(state.modules.values(), key=lambda m: m.id)
            if m.synced and m.course == courseid
        ]
        fullname = state.courses[courseid].fullname
        courses.append({"courseid": courseid, "fullname": fullname, "activities": activities})
    return {"courses": courses, "warnings": warnings, "generated": now()}


@webservice({"courseids": opt(Many(Int()), [])}, version=SANDYQ_VERSION)
def local_sandyq_get_synced(call: Call) -> Any:
    state = call.state
    wanted = call.params["courseids"]
    warnings = [
        {
            "item": "course",
            "itemid": c,
            "warningcode": "invalidcourseid",
            "message": INVALID_COURSE_ID,
        }
        for c in wanted
        if c not in state.courses
    ]
    modules = []
    for module in state.modules.values():
        if not module.synced or (wanted and module.course not in wanted):
            continue
        scorm = state.scorms[module.instance]
        section = state.sections[module.section]
        modules.append(
            {
                "cmid": module.id,
                "instanceid": scorm.id,
                "courseid": module.course,
                "section": section.number,
                "idnumber": module.idnumber,
                "name": scorm.name,
                "sha1hash": scorm.sha1hash,
                "visible": bool(module.visible),
                "revision": scorm.revision,
            }
        )
    modules.sort(key=lambda m: (m["courseid"], m["section"], m["cmid"]))
    return {"modules": modules, "warnings": warnings}
