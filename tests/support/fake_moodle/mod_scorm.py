"""Moodle component mod_scorm: the SCORM activities of courses and their SCOs."""

from __future__ import annotations

from typing import Any

from tests.support.fake_moodle.params import Int, Many, Text, opt
from tests.support.fake_moodle.registry import Call, webservice
from tests.support.fake_moodle.site import Module
from tests.support.fake_moodle.wire import missing_record


def _scorm_record(call: Call, module: Module) -> dict[str, Any]:
    scorm = call.state.scorms[module.instance]
    section = call.state.sections[module.section]
    return {
        "id": scorm.id,
        "coursemodule": module.id,
        "course": module.course,
        "name": scorm.name,
        "intro": scorm.intro,
        "introformat": 1,
        "introfiles": [],
        "section": section.number,
        "visible": bool(module.visible),
        "groupmode": 0,
        "groupingid": 0,
        "lang": "",
        "packagesize": len(scorm.package),
        "packageurl": (
            f"{call.root}/webservice/pluginfile.php/{module.contextid}/mod_scorm/package/0/"
            f"{scorm.reference}"
        ),
        "version": scorm.version,
        "maxgrade": 100,
        "grademethod": 0,
        "whatgrade": 0,
        "maxattempt": 0,
        "forcecompleted": False,
        "forcenewattempt": 0,
        "lastattemptlock": False,
        "displayattemptstatus": 1,
        "displaycoursestructure": False,
        "sha1hash": scorm.sha1hash,
        "md5hash": "",
        "revision": scorm.revision,
        "launch": scorm.launch,
        "skipview": 0,
        "hidebrowse": False,
        "hidetoc": 0,
        "nav": 1,
        "navpositionleft": -100,
        "navpositiontop": -100,
        "auto": False,
        "popup": 0,
        "width": 100,
        "height": 500,
        "timeopen": 0,
        "timeclose": 0,
        "scormtype": "local",
        "reference": scorm.reference,
        "protectpackagedownloads": False,
        "updatefreq": 0,
        "options": "",
        "completionstatusrequired": None,
        "completionscorerequired": None,
        "completionstatusallscos": 0,
        "autocommit": False,
        "timemodified": scorm.timemodified,
    }


@webservice({"courseids": opt(Many(Int()), [])}, version="2023100900")
def mod_scorm_get_scorms_by_courses(call: Call) -> Any:
    state = call.state
    courseids = call.params["courseids"] or sorted(state.courses)
    scorms, warnings = [], []
    for courseid in courseids:
        if courseid not in state.courses:
            warnings.append(
                {
                    "item": "course",
                    "itemid": courseid,
                    "warningcode": "1",
                    "message": "No access rights in course context",
                }
            )
            continue
        for module in sorted(state.modules.values(), key=lambda m: m.id):
            if module.course == courseid and module.modname == "scorm":
                scorms.append(_scorm_record(call, module))
    return {
        "scorms": scorms,
        "options": [{"name": "scormstandard", "value": "0"}],
        "warnings": warnings,
    }


@webservice({"scormid": Int(), "organization": opt(Text(), "")}, version="2023100900")
def mod_scorm_get_scorm_scoes(call: Call) -> Any:
    scorm = call.state.scorms.get(call.params["scormid"])
    if scorm is None:
        raise missing_record("scorm")
    scoes = []
    for order, sco in enumerate(scorm.scoes, start=1):
        if call.params["organization"] and sco.organization != call.params["organization"]:
            continue
        extradata = (
            [{"element": "isvisible", "value": "true"}, {"element": "parameters", "value": ""}]
            if sco.launch
            else []
        )
        scoes.append(
            {
                "id": sco.id,
                "scorm": scorm.id,
                "manifest": "MANIFEST1",
                "organization": sco.organization,
                "parent": sco.parent,
                "identifier": sco.identifier,
                "launch": sco.launch,
                "scormtype": sco.scormtype,
                "title": sco.title,
                "sortorder": order,
                "extradata": extradata,
            }
        )
    return {"scoes": scoes, "warnings": []}
