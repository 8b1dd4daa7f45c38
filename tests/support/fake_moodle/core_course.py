"""Moodle component core_course (and core_courseformat): categories, courses, course
modules, their visibility and the course contents.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from tests.support.fake_moodle.params import _INT, Bool, Int, Many, Spec, Struct, Text, opt
from tests.support.fake_moodle.registry import Call, webservice
from tests.support.fake_moodle.site import (
    LANGUAGES,
    MODULE_TYPES,
    Category,
    Course,
    Module,
    State,
    now,
)
from tests.support.fake_moodle.wire import (
    MoodleException,
    NotImplementedByFake,
    coding_error,
    invalid_parameter,
    missing_record,
    php_json,
)


def _category_record(state: State, category: Category) -> dict[str, Any]:
    path = state.category_path(category)
    return {
        "id": category.id,
        "name": category.name,
        "idnumber": category.idnumber,
        "description": category.description,
        "descriptionformat": category.descriptionformat,
        "parent": category.parent,
        "sortorder": category.id * 10000,
        "coursecount": sum(1 for c in state.courses.values() if c.categoryid == category.id),
        "visible": category.visible,
        "visibleold": category.visible,
        "timemodified": category.timemodified,
        "depth": len(path),
        "path": "/" + "/".join(map(str, path)),
        "theme": "",
    }


@webservice(
    {
        "criteria": opt(Many(Struct({"key": Text(), "value": Text()})), []),
        "addsubcategories": opt(Bool(), True),
    }
)
def core_course_get_categories(call: Call) -> Any:
    state = call.state
    matches = list(state.categories.values())
    for criterion in call.params["criteria"]:
        key, value = criterion["key"], criterion["value"]
        if key in ("id", "parent", "visible"):
            if not _INT.fullmatch(value):
                raise invalid_parameter()
            matches = [c for c in matches if getattr(c, key) == int(value)]
        elif key == "ids":
            wanted = {int(v) for v in value.split(",") if _INT.fullmatch(v.strip())}
            matches = [c for c in matches if c.id in wanted]
        elif key in ("name", "idnumber"):
            matches = [c for c in matches if getattr(c, key) == value]
        else:
            raise invalid_parameter()
    found = {c.id for c in matches}
    if call.params["addsubcategories"]:
        for category in state.categories.values():
            if found & set(state.category_path(category)[:-1]):
                found.add(category.id)
    chosen = sorted(found)
    return [_category_record(state, state.categories[i]) for i in chosen]


@webservice(
    {
        "categories": Many(
            Struct(
                {
                    "name": Text(),
                    "parent": opt(Int(), 0),
                    "idnumber": opt(Text()),
                    "description": opt(Text()),
                    "descriptionformat": opt(Int(), 1),
                    "theme": opt(Text()),
                }
            )
        )
    },
    atomic=True,
)
def core_course_create_categories(call: Call) -> Any:
    state = call.state
    call.require("moodle/category:manage")
    created = []
    for item in call.params["categories"]:
        if item["parent"] and item["parent"] not in state.categories:
            raise MoodleException("moodle_exception", "unknowcategory", "Category not known!")
        idnumber = item.get("idnumber", "")
        if idnumber and any(c.idnumber == idnumber for c in state.categories.values()):
            raise MoodleException(
                "moodle_exception",
                "categoryidnumbertaken",
                "ID number is already used for another category",
            )
        category = state.add_category(
            item["name"],
            idnumber,
            item["parent"],
            description=item.get("description", ""),
            descriptionformat=item["descriptionformat"],
        )
        created.append({"id": category.id, "name": category.name})
    return created


_COURSE_FIELDS: dict[str, Spec] = {
    "fullname": Text(),
    "shortname": Text(),
    "categoryid": Int(),
    "idnumber": opt(Text()),
    "summary": opt(Text()),
    "summaryformat": opt(Int(), 1),
    "format": opt(Text(), "topics"),
    "showgrades": opt(Int()),
    "newsitems": opt(Int()),
    "startdate": opt(Int()),
    "enddate": opt(Int()),
    "numsections": opt(Int()),
    "maxbytes": opt(Int()),
    "showreports": opt(Int()),
    "visible": opt(Int()),
    "lang": opt(Text()),
    "enablecompletion": opt(Int()),
}


def _check_lang(item: Mapping[str, Any]) -> None:
    if "lang" in item and item["lang"] not in LANGUAGES:
        raise MoodleException(
            "moodle_exception", "errorinvalidparam", 'The param "lang" is invalid.'
        )


def _shortname_taken(shortname: str) -> MoodleException:
    return MoodleException(
        "moodle_exception",
        "shortnametaken",
        f"Short name is already used for another course ({shortname})",
    )


def _idnumber_taken(idnumber: str) -> MoodleException:
    return MoodleException(
        "moodle_exception",
        "courseidnumbertaken",
        f"ID number is already used for another course ({idnumber})",
    )


@webservice({"courses": Many(Struct(_COURSE_FIELDS))}, atomic=True)
def core_course_create_courses(call: Call) -> Any:
    state = call.state
    created = []
    for item in call.params["courses"]:
        if item["categoryid"] not in state.categories:
            raise MoodleException(
                "moodle_exception",
                "errorcatcontextnotvalid",
                "You cannot execute functions in the category context (category id:"
                f"{item['categoryid']}). The context error message was: Invalid parameter "
                "value detected",
            )
        call.require("moodle/course:create")
        _check_lang(item)
        if any(c.shortname == item["shortname"] for c in state.courses.values()):
            raise _shortname_taken(item["shortname"])
        idnumber = item.get("idnumber", "")
        if idnumber and any(c.idnumber == idnumber for c in state.courses.values()):
            raise _idnumber_taken(idnumber)
        extra = {
            key: item[key]
            for key in (
                "summary", "summaryformat", "format", "showgrades", "newsitems", "startdate",
                "enddate", "maxbytes", "showreports", "visible", "lang",
            )
            if key in item
        }  # fmt: skip
        course = state.add_course(
            item["fullname"],
            item["shortname"],
            item["categoryid"],
            idnumber,
            numsections=item.get("numsections", 4),
            **extra,
        )
        created.append({"id": course.id, "shortname": course.shortname})
    return created


def _course_record(call: Call, course: Course) -> dict[str, Any]:
    category = call.state.categories.get(course.categoryid)
    return {
        "id": course.id,
        "fullname": course.fullname,
        "displayname": course.fullname,
        "shortname": course.shortname,
        "courseimage": f"{call.root}/pluginfile.php/{course.contextid}/course/generated/course.svg",
        "categoryid": course.categoryid,
        "categoryname": category.name if category else "",
        "sortorder": course.categoryid * 10000 + course.id,
        "summary": course.summary,
        "summaryformat": course.summaryformat,
        "summaryfiles": [],
        "overviewfiles": [],
        "showactivitydates": False,
        "showcompletionconditions": True,
        "contacts": [],
        "enrollmentmethods": ["manual"],
        "idnumber": course.idnumber,
        "format": course.format,
        "showgrades": course.showgrades,
        "newsitems": course.newsitems,
        "startdate": course.startdate,
        "enddate": course.enddate,
        "maxbytes": course.maxbytes,
        "showreports": course.showreports,
        "visible": course.visible,
        "groupmode": 0,
        "groupmodeforce": 0,
        "defaultgroupingid": 0,
        "enablecompletion": 1,
        "completionnotify": 0,
        "lang": course.lang,
        "theme": "",
        "marker": 0,
        "legacyfiles": 0,
        "calendartype": "",
        "timecreated": course.timecreated,
        "timemodified": course.timemodified,
        "requested": 0,
        "cacherev": course.cacherev,
        "filters": [
            {"filter": name, "localstate": 0, "inheritedstate": 1}
            for name in (
                "displayh5p",
                "activitynames",
                "mathjaxloader",
                "emoticon",
                "urltolink",
                "mediaplugin",
            )
        ],  # fmt: skip
        "courseformatoptions": [
            {"name": "hiddensections", "value": 1},
            {"name": "coursedisplay", "value": 0},
            {"name": "indentation", "value": "1"},
        ],
    }


@webservice({"field": opt(Text(), ""), "value": opt(Text(), "")})
def core_course_get_courses_by_field(call: Call) -> Any:
    field_name, value = call.params["field"], call.params["value"]
    courses = sorted(call.state.courses.values(), key=lambda c: c.id)
    if field_name in ("id", "category"):
        if not _INT.fullmatch(value):
            raise invalid_parameter()
        attribute = "id" if field_name == "id" else "categoryid"
        courses = [c for c in courses if getattr(c, attribute) == int(value)]
    elif field_name == "ids":
        wanted = {int(v) for v in value.split(",") if _INT.fullmatch(v.strip())}
        courses = [c for c in courses if c.id in wanted]
    elif field_name in ("shortname", "idnumber"):
        courses = [c for c in courses if getattr(c, field_name) == value]
    elif field_name != "":
        raise invalid_parameter()
    return {"courses": [_course_record(call, c) for c in courses], "warnings": []}


@webservice(
    {
        "courses": Many(
            Struct(
                {"id": Int()}
                | {name: opt(spec) for name, spec in _COURSE_FIELDS.items() if name != "format"}
                | {"format": opt(Text())}
            )
        )
    }
)
def core_course_update_courses(call: Call) -> Any:
    state = call.state
    warnings = []
    for item in call.params["courses"]:
        course = state.courses.get(item["id"])
        problem: MoodleException | None = None
        if course is None:
            problem = missing_record("course")
        elif "shortname" in item and any(
            c.shortname == item["shortname"] and c.id != course.id for c in state.courses.values()
        ):
            problem = _shortname_taken(item["shortname"])
        elif item.get("idnumber") and any(
            c.idnumber == item["idnumber"] and c.id != course.id for c in state.courses.values()
        ):
            problem = _idnumber_taken(item["idnumber"])
        elif "categoryid" in item and item["categoryid"] not in state.categories:
            problem = missing_record("course_categories")
        else:
            try:
                _check_lang(item)
            except MoodleException as exc:
                problem = exc
        if problem is not None:
            warnings.append(
                {
                    "item": "course",
                    "itemid": item["id"],
                    "warningcode": problem.errorcode,
                    "message": problem.message,
                }
            )
            continue
        assert course is not None
        for key, value in item.items():
            if key not in ("id", "numsections"):
                setattr(course, key, value)
        course.timemodified = course.cacherev = now()
    return {"warnings": warnings}


def module_by_cmid(state: State, cmid: int) -> Module:
    try:
        return state.modules[cmid]
    except KeyError:
        raise missing_record() from None


def _module_html(call: Call, module: Module) -> str:
    name = html.escape(call.state.module_name(module))
    hidden = "hiddenactivity" if not module.visible else ""
    return (
        f'<li\n    class="activity activity-wrapper {module.modname} modtype_{module.modname}'
        f'  hasinfo "\n    id="module-{module.id}"\n    data-for="cmitem"\n'
        f'    data-id="{module.id}"\n>\n        <div class="activity-item focus-control '
        f'{hidden}" data-activityname="{name}">\n            <a href="{call.root}/mod/'
        f'{module.modname}/view.php?id={module.id}">{name}</a>\n        </div>\n</li>\n'
    )


@webservice({"action": Text(), "id": Int(), "sectionreturn": opt(Int())})
def core_course_edit_module(call: Call) -> Any:
    module = module_by_cmid(call.state, call.params["id"])
    action = call.params["action"]
    if action in ("hide", "show"):
        call.require("moodle/course:activityvisibility")
        module.visible = module.visibleold = int(action == "show")
        return _module_html(call, module)
    if action == "delete":
        call.state.delete_module(module)
        return ""
    if action in ("stealth", "duplicate", "moveleft", "moveright", "groupsnone"):
        raise NotImplementedByFake(f"core_course_edit_module action={action}")
    raise coding_error("Unrecognised action")


@webservice(
    {
        "action": Text(),
        "courseid": Int(),
        "ids": opt(Many(Int()), []),
        "targetsectionid": opt(Int()),
        "targetcmid": opt(Int()),
    }
)
def core_courseformat_update_course(call: Call) -> Any:
    state = call.state
    course = state.course_by(call.params["courseid"])
    action = call.params["action"]
    if action not in ("cm_hide", "cm_show"):
        raise NotImplementedByFake(f"core_courseformat_update_course action={action}")
    updates = []
    for cmid in call.params["ids"]:
        module = state.modules.get(cmid)
        if module is None or module.course != course.id:
            raise MoodleException("moodle_exception", "unexistingcmid", "error/unexistingcmid")
        module.visible = module.visibleold = int(action == "cm_show")
        section = state.sections[module.section]
        visible = bool(module.visible)
        fields = {
            "id": str(module.id),
            "anchor": f"module-{module.id}",
            "name": state.module_name(module),
            "visible": visible,
            "stealth": False,
            "sectionid": str(section.id),
            "sectionnumber": section.number,
            "uservisible": True,
            "hascmrestrictions": False,
            "modname": "SCORM package" if module.modname == "scorm" else "Forum",
            "indent": 0,
            "groupmode": 0,
            "module": module.modname,
            "plugin": f"mod_{module.modname}",
            "accessvisible": visible,
            "url": f"{call.root}/mod/{module.modname}/view.php?id={module.id}",
            "istrackeduser": False,
            "allowstealth": False,
        }
        updates.append({"name": "cm", "action": "put", "fields": fields})
    return php_json(updates)  # the function returns a JSON string: encoded twice on the wire


@webservice({"cmids": Many(Int())})
def core_course_delete_modules(call: Call) -> Any:
    # No transaction: the modules before a bad cmid stay deleted, as on a real site.
    for cmid in call.params["cmids"]:
        module = call.state.modules.get(cmid)
        if module is None:
            raise MoodleException(
                "dml_missing_record_exception", "invalidcoursemodule", "Invalid course module ID"
            )
        call.state.delete_module(module)
    return None


def _contents_module(call: Call, module: Module) -> dict[str, Any]:
    plural = {"scorm": "SCORM packages", "forum": "Forums"}[module.modname]
    record: dict[str, Any] = {
        "id": module.id,
        "url": f"{call.root}/mod/{module.modname}/view.php?id={module.id}",
        "name": call.state.module_name(module),
        "instance": module.instance,
        "contextid": module.contextid,
        "visible": module.visible,
        "uservisible": True,
        "visibleoncoursepage": 1,
        "modicon": (
            f"{call.root}/theme/image.php/boost/{module.modname}/1795340636/monologo?filtericon=1"
        ),
        "modname": module.modname,
        "modplural": plural,
        "availability": None,
        "indent": 0,
        "onclick": "",
        "afterlink": None,
    }
    if module.modname == "forum":
        record["activitybadge"] = []  # mod_forum shows unread counts; mod_scorm has no badge
    record |= {
        "customdata": '""',
        "noviewlink": False,
        "completion": 0,
        "downloadcontent": 1,
        "dates": [],
        "groupmode": 0,
    }
    return record


@webservice(
    {
        "courseid": Int(),
        "options": opt(Many(Struct({"name": Text(), "value": Text()})), []),
    }
)
def core_course_get_contents(call: Call) -> Any:
    state = call.state
    course = state.course_by(call.params["courseid"])
    options = {o["name"]: o["value"] for o in call.params["options"]}
    known = {"excludemodules", "excludecontents", "includestealthmodules", "sectionid",
             "sectionnumber", "cmid", "modname", "modid"}  # fmt: skip
    if set(options) - known:
        raise invalid_parameter()
    answer = []
    for section in state.sections_of(course.id):
        if "sectionid" in options and str(section.id) != options["sectionid"]:
            continue
        if "sectionnumber" in options and str(section.number) != options["sectionnumber"]:
            continue
        modules = []
        if options.get("excludemodules") != "1":
            for module in state.modules_in(section):
                if "modname" in options and module.modname != options["modname"]:
                    continue
                if "cmid" in options and str(module.id) != options["cmid"]:
                    continue
                modules.append(_contents_module(call, module))
        default = "General" if section.number == 0 else f"Topic {section.number}"
        answer.append(
            {
                "id": section.id,
                "name": section.name or default,
                "visible": section.visible,
                "summary": section.summary,
                "summaryformat": 1,
                "section": section.number,
                "hiddenbynumsections": 0,
                "uservisible": True,
                "modules": modules,
            }
        )
    return answer


def _cm_record(call: Call, module: Module) -> dict[str, Any]:
    state = call.state
    record: dict[str, Any] = {
        "id": module.id,
        "course": module.course,
        "module": MODULE_TYPES[module.modname],
        "name": state.module_name(module),
        "modname": module.modname,
        "instance": module.instance,
        "section": module.section,
        "sectionnum": state.sections[module.section].number,
        "groupmode": 0,
        "groupingid": 0,
        "completion": 0,
        "idnumber": module.idnumber,
        "added": module.added,
        "score": 0,
        "indent": 0,
        "visible": module.visible,
        "visibleoncoursepage": 1,
        "visibleold": module.visibleold,
        "completiongradeitemnumber": None,
        "completionpassgrade": 0,
        "completionview": 0,
        "completionexpected": 0,
        "showdescription": 0,
        "downloadcontent": 1,
        "availability": None,
    }
    if module.modname == "scorm":  # graded modules also report their grade item
        record["gradepass"] = "0.00"
        record["gradecat"] = state.courses[module.course].gradecat
    return {"cm": record, "warnings": []}


@webservice({"cmid": Int()})
def core_course_get_course_module(call: Call) -> Any:
    return _cm_record(call, module_by_cmid(call.state, call.params["cmid"]))


@webservice({"module": Text(), "instance": Int()})
def core_course_get_course_module_by_instance(call: Call) -> Any:
    for module in call.state.modules.values():
        if module.modname == call.params["module"] and module.instance == call.params["instance"]:
            return _cm_record(call, module)
    raise missing_record()
