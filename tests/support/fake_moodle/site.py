"""The fake site's state: plain dataclasses for categories, courses, sections, modules,
SCORM packages and draft files, and the operations Moodle's API layer does on them.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tests.support.fake_moodle.packages import PackageInfo, read_package
from tests.support.fake_moodle.wire import missing_record, record_query

DEFAULT_TOKEN = "fake-moodle-token-5b2e9c"
MOODLE_VERSION = "2023112400"
MOODLE_RELEASE = "4.4dev (Build: 20231124)"
USER_ID = 2
USER_CONTEXT = 5
USER_FULLNAME = "Admin User"
LANGUAGES = frozenset({"en", "kk", "ru"})
MODULE_TYPES = {"forum": 9, "scorm": 19}
# ---- the site's state -------------------------------------------------------------------


def now() -> int:
    return int(time.time())


@dataclass
class Category:
    id: int
    name: str
    idnumber: str
    parent: int
    description: str = ""
    descriptionformat: int = 1
    visible: int = 1
    timemodified: int = field(default_factory=now)


@dataclass
class Course:
    id: int
    fullname: str
    shortname: str
    categoryid: int
    idnumber: str
    contextid: int
    gradecat: int
    summary: str = ""
    summaryformat: int = 1
    format: str = "topics"
    visible: int = 1
    lang: str = ""
    newsitems: int = 5
    showgrades: int = 1
    maxbytes: int = 0
    showreports: int = 0
    startdate: int = 0
    enddate: int = 0
    timecreated: int = field(default_factory=now)
    timemodified: int = field(default_factory=now)
    cacherev: int = field(default_factory=now)


@dataclass
class Section:
    id: int
    course: int
    number: int
    name: str | None = None
    visible: int = 1
    summary: str = ""


@dataclass
class Module:
    """A course module (``cm``)."""

    id: int
    course: int
    modname: str
    instance: int
    section: int  # the section's id, as in course_modules
    contextid: int
    idnumber: str = ""
    visible: int = 1
    visibleold: int = 1
    added: int = field(default_factory=now)
    #: Made by local_sandyq_create_scorm, so local_sandyq_get_synced lists it.
    synced: bool = False


@dataclass
class Sco:
    id: int
    identifier: str
    title: str
    parent: str
    organization: str
    launch: str
    scormtype: str


@dataclass
class Scorm:
    id: int
    course: int
    name: str
    package: bytes
    reference: str
    version: str
    scoes: list[Sco]
    intro: str = ""
    revision: int = 1
    timemodified: int = 0

    @property
    def sha1hash(self) -> str:
        return hashlib.sha1(self.package).hexdigest()

    @property
    def launch(self) -> int:
        return next((sco.id for sco in self.scoes if sco.launch), 0)


@dataclass
class Forum:
    id: int
    course: int
    name: str


@dataclass
class Track:
    """One element a learner's SCO stored in an attempt (``scorm_scoes_value``)."""

    cmid: int
    username: str
    attempt: int
    scoid: int
    element: str
    value: str


@dataclass
class DraftFile:
    filename: str
    filepath: str
    content: bytes
    timecreated: int = field(default_factory=now)


@dataclass
class State:
    """Everything the fake site holds; ``copy.deepcopy`` of it is a transaction snapshot."""

    categories: dict[int, Category] = field(default_factory=dict)
    courses: dict[int, Course] = field(default_factory=dict)
    sections: dict[int, Section] = field(default_factory=dict)
    modules: dict[int, Module] = field(default_factory=dict)
    scorms: dict[int, Scorm] = field(default_factory=dict)
    forums: dict[int, Forum] = field(default_factory=dict)
    #: itemid -> files, in the admin's user context.
    drafts: dict[int, list[DraftFile]] = field(default_factory=dict)
    #: cmid -> what local_sandyq_get_results reports for it, for tests that set figures
    #: directly; otherwise they are computed from ``tracks``.
    usage: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: Learners' SCORM tracks, as mod_scorm_insert_scorm_tracks stores them.
    tracks: list[Track] = field(default_factory=list)
    #: (courseid, username) -> role shortname.
    enrolments: dict[tuple[int, str], str] = field(default_factory=dict)
    next_ids: Counter[str] = field(default_factory=Counter)
    random: random.Random = field(default_factory=lambda: random.Random(20231124))

    def new_id(self, table: str) -> int:
        starts = {"category": 2, "course": 2, "context": 20}
        if table not in self.next_ids:
            self.next_ids[table] = starts.get(table, 1)
        value = self.next_ids[table]
        self.next_ids[table] += 1
        return value

    def new_itemid(self) -> int:
        while True:
            itemid = self.random.randint(100_000_000, 999_999_999)
            if itemid not in self.drafts:
                return itemid

    # ---- lookups ----

    def category_path(self, category: Category) -> list[int]:
        path = [category.id]
        while self.categories[path[0]].parent:
            path.insert(0, self.categories[path[0]].parent)
        return path

    def course_by(self, courseid: int, table: str = "course") -> Course:
        try:
            return self.courses[courseid]
        except KeyError:
            raise missing_record(table, record_query(table, courseid)) from None

    def sections_of(self, courseid: int) -> list[Section]:
        return sorted(
            (s for s in self.sections.values() if s.course == courseid), key=lambda s: s.number
        )

    def section_number(self, courseid: int, number: int) -> Section:
        """The section, made (with those before it) when missing, as add_moduleinfo does."""
        existing = {s.number: s for s in self.sections_of(courseid)}
        for missing in range(number + 1):
            if missing not in existing:
                section = Section(id=self.new_id("section"), course=courseid, number=missing)
                self.sections[section.id] = section
                existing[missing] = section
        return existing[number]

    def modules_in(self, section: Section) -> list[Module]:
        return sorted(
            (m for m in self.modules.values() if m.section == section.id), key=lambda m: m.id
        )

    def module_name(self, module: Module) -> str:
        if module.modname == "scorm":
            return self.scorms[module.instance].name
        return self.forums[module.instance].name

    # ---- changes ----

    def add_category(
        self, name: str, idnumber: str = "", parent: int = 0, **extra: Any
    ) -> Category:
        category = Category(
            id=self.new_id("category"), name=name, idnumber=idnumber, parent=parent, **extra
        )
        self.categories[category.id] = category
        return category

    def add_course(
        self,
        fullname: str,
        shortname: str,
        categoryid: int,
        idnumber: str = "",
        *,
        numsections: int = 4,
        **extra: Any,
    ) -> Course:
        course = Course(
            id=self.new_id("course"),
            fullname=fullname,
            shortname=shortname,
            categoryid=categoryid,
            idnumber=idnumber,
            contextid=self.new_id("context"),
            gradecat=self.new_id("grade_category"),
            **extra,
        )
        self.courses[course.id] = course
        self.section_number(course.id, numsections)
        if course.newsitems:
            forum = Forum(id=self.new_id("forum"), course=course.id, name="Announcements")
            self.forums[forum.id] = forum
            general = self.section_number(course.id, 0)
            module = Module(
                id=self.new_id("cm"),
                course=course.id,
                modname="forum",
                instance=forum.id,
                section=general.id,
                contextid=self.new_id("context"),
            )
            self.modules[module.id] = module
        return course

    def add_draft_file(
        self, itemid: int, filename: str, content: bytes, filepath: str = "/"
    ) -> None:
        self.drafts.setdefault(itemid, []).append(DraftFile(filename, filepath, content))

    def add_scorm(
        self,
        courseid: int,
        section: int,
        name: str,
        package: bytes,
        reference: str,
        *,
        idnumber: str = "",
        intro: str = "",
        visible: bool = True,
        synced: bool = False,
    ) -> Module:
        info = read_package(package, reference)
        scorm = Scorm(
            id=self.new_id("scorm"),
            course=courseid,
            name=name,
            package=package,
            reference=reference,
            version=info.version,
            scoes=self._scoes(info),
            intro=intro,
        )
        self.scorms[scorm.id] = scorm
        module = Module(
            id=self.new_id("cm"),
            course=courseid,
            modname="scorm",
            instance=scorm.id,
            section=self.section_number(courseid, section).id,
            contextid=self.new_id("context"),
            idnumber=idnumber,
            visible=int(visible),
            visibleold=int(visible),
            synced=synced,
        )
        self.modules[module.id] = module
        return module

    def replace_package(self, scorm: Scorm, package: bytes, reference: str) -> None:
        info = read_package(package, reference)
        scorm.package = package
        scorm.reference = reference
        scorm.version = info.version
        scorm.scoes = self._scoes(info)
        scorm.revision += 1
        scorm.timemodified = now()

    def delete_module(self, module: Module) -> None:
        del self.modules[module.id]
        if module.modname == "scorm":
            del self.scorms[module.instance]
        else:
            del self.forums[module.instance]

    def _scoes(self, info: PackageInfo) -> list[Sco]:
        return [Sco(self.new_id("sco"), *entry) for entry in info.scoes]
