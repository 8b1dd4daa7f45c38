"""A fake Moodle 4.4 that speaks the wire format recorded in ``tests/fixtures/moodle/``.

The only test double of the sync. ``create_fake_moodle(token=...)`` returns a
``FakeMoodle``: a WSGI app (``httpx.WSGITransport(app=fake)``, or serve it on loopback
with werkzeug) with an in-memory site behind it.

What it serves:

- ``POST /webservice/rest/server.php``: the core functions the sync and the transcripts
  use, the recording site's test plugin ``local_lmssyncpeer_*`` and our plugin's
  ``local_sandyq_*`` (see ``FUNCTIONS``). Errors come with HTTP 200 as Moodle sends them:
  ``invalidtoken``, ``invalidrecord`` for an unknown function, ``accessexception`` for a
  function outside the service (``fake.functions``), ``invalidparameter`` for missing,
  mistyped or unexpected parameters (checked against each function's declared
  parameters, as ``external_api::validate_parameters`` does). Without
  ``moodlewsrestformat=json`` the answer is Moodle's XML. ``fake.rest_enabled = False``
  gives HTTP 403 with an empty body.
- ``POST /webservice/upload.php``: draft areas, with upload.php's own answer shapes.
- ``GET /webservice/pluginfile.php/<contextid>/mod_scorm/package/0/<file>?token=``.

Controls for tests:

- seeding: ``add_category``, ``add_course``, ``add_draft``, ``add_scorm``; the state is
  ``fake.state`` (plain dataclasses) for assertions;
- ``fake.calls["local_sandyq_create_scorm"]`` counts requests per function as they
  arrive (``"upload"`` for upload.php), ``fake.requests`` keeps each form;
- faults: ``fail_next(name, times, status=503)`` answers before doing anything,
  ``delay_next(name, seconds, times)`` stalls then serves (a client timeout over real
  HTTP), ``fail_after(name, exception=..., status=...)`` does the work and then loses the
  answer. An ``exception`` (e.g. ``httpx.ReadTimeout``) is raised out of the app: through
  ``WSGITransport`` the client sees it as a network failure; a real server turns it into
  HTTP 500.

Anything the fake does not implement answers HTTP 501 naming it, so a test never passes
on behaviour Moodle does not have.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import io
import json
import random
import re
import threading
import time
import zipfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from flask import Flask, Response, request

DEFAULT_TOKEN = "fake-moodle-token-5b2e9c"
MOODLE_VERSION = "2023112400"
MOODLE_RELEASE = "4.4dev (Build: 20231124)"
USER_ID = 2
USER_CONTEXT = 5
USER_FULLNAME = "Admin User"
LANGUAGES = frozenset({"en", "kk", "ru"})
MODULE_TYPES = {"forum": 9, "scorm": 19}


# ---- the wire ---------------------------------------------------------------------------


def _php_numbers(value: Any) -> Any:
    """PHP writes a float with no fraction as an integer (``65.0`` is ``65``: Moodle does not
    pass ``JSON_PRESERVE_ZERO_FRACTION``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _php_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_php_numbers(item) for item in value]
    return value


def php_json(value: Any) -> str:
    """``json_encode`` as Moodle calls it: non-ASCII as ``\\uXXXX``, ``/`` as ``\\/``, no
    ``.0`` on whole floats."""
    # "/" only ever occurs inside strings in JSON text, so replacing it is safe.
    text = json.dumps(_php_numbers(value), ensure_ascii=True, separators=(",", ":"))
    return text.replace("/", "\\/")


def _xml_value(value: Any) -> str:
    if value is None:
        return '<VALUE null="null"/>\n'
    if isinstance(value, dict):
        keys = "".join(
            f"<KEY name={quoteattr(k)}>{_xml_value(v)}</KEY>\n" for k, v in value.items()
        )
        return f"<SINGLE>\n{keys}</SINGLE>\n"
    if isinstance(value, list):
        return "<MULTIPLE>\n" + "".join(_xml_value(v) for v in value) + "</MULTIPLE>\n"
    if isinstance(value, bool):
        value = int(value)
    return f"<VALUE>{escape(str(value))}</VALUE>\n"


def moodle_xml(value: Any) -> str:
    """The REST server's XML (``moodlewsrestformat`` missing or ``xml``)."""
    return f'<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE>\n{_xml_value(value)}</RESPONSE>\n'


class MoodleException(Exception):
    """An exception a web-service function throws; the server turns it into the error body.

    ``debuginfo`` is the exception's detail for developers: the server adds it to the
    answer only when the site's debugging is on (``FakeMoodle.debug``), as Moodle does.
    """

    def __init__(
        self, exception: str, errorcode: str, message: str, debuginfo: str | None = None
    ) -> None:
        super().__init__(message)
        self.exception = exception
        self.errorcode = errorcode
        self.message = message
        self.debuginfo = debuginfo

    def json(self, debug: bool = False) -> str:
        body = {"exception": self.exception, "errorcode": self.errorcode, "message": self.message}
        if debug and self.debuginfo:
            body["debuginfo"] = self.debuginfo
        return php_json(body)

    def xml(self) -> str:
        return (
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            f"<EXCEPTION class={quoteattr(self.exception)}>\n"
            f"<ERRORCODE>{escape(self.errorcode)}</ERRORCODE>\n"
            f"<MESSAGE>{escape(self.message)}</MESSAGE>\n"
            "</EXCEPTION>\n"
        )


def invalid_parameter(debuginfo: str | None = None) -> MoodleException:
    return MoodleException(
        "invalid_parameter_exception",
        "invalidparameter",
        "Invalid parameter value detected",
        debuginfo,
    )


def missing_record(table: str | None = None, debuginfo: str | None = None) -> MoodleException:
    if table is None:
        return MoodleException(
            "dml_missing_record_exception",
            "invalidrecordunknown",
            "Can't find data record in database.",
            debuginfo,
        )
    return MoodleException(
        "dml_missing_record_exception",
        "invalidrecord",
        f"Can't find data record in database table {table}.",
        debuginfo,
    )


def record_query(table: str, recordid: int) -> str:
    """The debuginfo of a missing record looked up by id: the query, PHP's var_export."""
    return f"SELECT * FROM {{{table}}} WHERE id = ?\n[array (\n  0 => {recordid},\n)]"


#: Moodle's English titles of the capabilities the fake checks (``nopermissions`` names
#: the title, never the capability).
CAPABILITY_TITLES = {
    "moodle/category:manage": "Manage categories",
    "moodle/course:create": "Create courses",
    "moodle/course:manageactivities": "Manage activities",
    "moodle/course:activityvisibility": "Hide/show activities",
    "mod/scorm:addinstance": "Add a new SCORM package",
    "local/sandyq:sync": "Push the catalogue's packages into the course",
}


def no_permission(capability: str) -> MoodleException:
    return MoodleException(
        "required_capability_exception",
        "nopermissions",
        "Sorry, but you do not currently have permissions to do that "
        f"({CAPABILITY_TITLES[capability]}).",
    )


def coding_error(detail: str) -> MoodleException:
    return MoodleException(
        "coding_exception",
        "codingerror",
        f"Coding error detected, it must be fixed by a programmer: {detail}",
    )


class NotImplementedByFake(Exception):
    """Moodle would do something here that the fake does not model: HTTP 501."""


# ---- parameters -------------------------------------------------------------------------

_ABSENT: Any = object()
_INT = re.compile(r"-?(0|[1-9][0-9]*)")


def unflatten(form: Mapping[str, str]) -> dict[str, Any]:
    """PHP's reading of ``courses[0][shortname]=x`` into nested dicts (keys stay strings)."""
    tree: dict[str, Any] = {}
    for name, value in form.items():
        match = re.fullmatch(r"([^\[\]]+)((?:\[[^\[\]]*\])*)", name)
        if not match:
            continue
        keys = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        node = tree
        for key in keys[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                child = node[key] = {}
            node = child
        node[keys[-1]] = value
    return tree


class Spec:
    """One declared parameter (``external_value`` and friends)."""

    def __init__(self, *, required: bool = True, default: Any = _ABSENT) -> None:
        self.required = required
        self.default = default

    def check(self, raw: Any) -> Any:
        raise NotImplementedError


class Int(Spec):
    """PARAM_INT: Moodle cleans the value and rejects it if cleaning changed it."""

    def check(self, raw: Any) -> int:
        if isinstance(raw, str) and _INT.fullmatch(raw):
            return int(raw)
        raise invalid_parameter()


class Text(Spec):
    def check(self, raw: Any) -> str:
        if isinstance(raw, str):
            return raw
        raise invalid_parameter()


class Bool(Spec):
    """PARAM_BOOL: only "0" and "1" survive the clean-and-compare."""

    def check(self, raw: Any) -> bool:
        if raw in ("0", "1"):
            return bool(raw == "1")
        raise invalid_parameter()


class Many(Spec):
    def __init__(self, item: Spec, *, required: bool = True, default: Any = _ABSENT) -> None:
        super().__init__(required=required, default=default)
        self.item = item

    def check(self, raw: Any) -> list[Any]:
        if not isinstance(raw, dict):
            raise invalid_parameter()
        return [self.item.check(value) for value in raw.values()]


class Struct(Spec):
    def __init__(
        self, fields: Mapping[str, Spec], *, required: bool = True, default: Any = _ABSENT
    ) -> None:
        super().__init__(required=required, default=default)
        self.fields = dict(fields)

    def check(self, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, dict) or set(raw) - set(self.fields):
            raise invalid_parameter()  # Moodle also refuses unexpected keys
        clean: dict[str, Any] = {}
        for name, spec in self.fields.items():
            if name in raw:
                clean[name] = spec.check(raw[name])
            elif spec.required:
                raise invalid_parameter()
            elif spec.default is not _ABSENT:
                clean[name] = copy.deepcopy(spec.default)
        return clean


def opt(spec: Spec, default: Any = _ABSENT) -> Spec:
    """A copy of the parameter, optional (with a default when one is given)."""
    spec = copy.copy(spec)
    spec.required = False
    spec.default = default
    return spec


# ---- packages ---------------------------------------------------------------------------

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MANIFEST1" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG1">
    <organization identifier="ORG1"><title>{title}</title>
      <item identifier="ITEM1" identifierref="RES1"><title>Lesson 1</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES1" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MANIFEST1" version="1.0"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="ORG1">
    <organization identifier="ORG1"><title>{title}</title>
      <item identifier="ITEM1" identifierref="RES1"><title>Lesson 1</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES1" type="webcontent" adlcp:scormType="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""


def make_scorm_zip(
    page: str = "Lesson 1",
    version: str = "1.2",
    *,
    organization: str = "Org",
    manifest: str | None = None,
    folder: str = "",
    size: int | None = None,
) -> bytes:
    """A small SCORM package (one organization, one SCO), the same bytes for the same
    arguments; ``page`` is the SCO's text, so different pages make different packages.

    ``manifest`` replaces the generated one (e.g. a broken one), ``folder`` puts
    everything in a subfolder (a classic packaging mistake), ``size`` pads the zip's
    comment to reach exactly that many bytes when the package is smaller.
    """
    if manifest is None:
        template = MANIFEST_12 if version == "1.2" else MANIFEST_2004
        manifest = template.format(title=html.escape(organization))
    page = f"<!doctype html><title>{html.escape(page)}</title>"

    def build(comment: bytes) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in (
                (folder + "imsmanifest.xml", manifest),
                (folder + "index.html", page),
            ):
                archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), text)
            archive.comment = comment
        return buffer.getvalue()

    data = build(b"")
    if size is not None and 0 < size - len(data) <= 65535:
        data = build(b"x" * (size - len(data)))
    return data


@dataclass
class PackageInfo:
    version: str
    #: (identifier, title, parent, organization, launch, scormtype) in manifest order.
    scoes: list[tuple[str, str, str, str, str, str]]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_package(data: bytes, filename: str) -> PackageInfo:
    """What mod_scorm reads from a package; ``invalidpackage`` when it cannot."""

    def refuse(reason: str) -> MoodleException:
        return MoodleException(
            "moodle_exception", "invalidpackage", f"Invalid SCORM package: {reason}"
        )

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise refuse(f"{filename} is not a zip file") from None
    if "imsmanifest.xml" not in archive.namelist():
        raise refuse("imsmanifest.xml not found at the root of the package")
    try:
        root = ElementTree.fromstring(archive.read("imsmanifest.xml"))
    except ElementTree.ParseError as exc:
        # In libxml's words, as PHP reports it: "Mismatched tag at line 2".
        reason = str(exc).split(":", 1)[0]
        raise refuse(f"imsmanifest.xml: {reason.capitalize()} at line {exc.position[0]}") from None
    schemaversion = next(
        (el.text or "" for el in root.iter() if _local(el.tag) == "schemaversion"), ""
    )
    version = "SCORM_1.2" if schemaversion.strip() in ("", "1.2") else "SCORM_1.3"
    resources = {el.get("identifier", ""): el for el in root.iter() if _local(el.tag) == "resource"}
    scoes: list[tuple[str, str, str, str, str, str]] = []

    def title_of(element: ElementTree.Element) -> str:
        return next((c.text or "" for c in element if _local(c.tag) == "title"), "")

    def walk(element: ElementTree.Element, parent: str, organization: str) -> None:
        for item in (c for c in element if _local(c.tag) == "item"):
            identifier = item.get("identifier", "")
            resource = resources.get(item.get("identifierref", ""))
            launch = resource.get("href", "") if resource is not None else ""
            kind = ""
            if resource is not None:
                kind = next(
                    (v for k, v in resource.attrib.items() if _local(k).lower() == "scormtype"),
                    "sco",
                ).lower()
            scoes.append((identifier, title_of(item), parent, organization, launch, kind))
            walk(item, identifier, organization)

    for organization in (el for el in root.iter() if _local(el.tag) == "organization"):
        identifier = organization.get("identifier", "")
        scoes.append((identifier, title_of(organization), "/", "", "", ""))
        walk(organization, identifier, identifier)
    if not any(launch for *_, launch, _kind in scoes):
        raise refuse("imsmanifest.xml names nothing to launch")
    return PackageInfo(version=version, scoes=scoes)


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


# ---- the web-service functions ----------------------------------------------------------


@dataclass
class Call:
    """What a function sees: the site, the cleaned parameters and the site's address."""

    state: State
    params: dict[str, Any]
    root: str
    #: Capabilities taken from the account's role (``FakeMoodle.denied``).
    denied: frozenset[str] = frozenset()

    def require(self, *capabilities: str) -> None:
        """``require_capability``: the first one missing ends the call, ``nopermissions``."""
        for capability in capabilities:
            if capability in self.denied:
                raise no_permission(capability)


@dataclass(frozen=True)
class WsFunction:
    name: str
    params: Struct
    run: Callable[[Call], Any]
    version: str = MOODLE_VERSION
    #: Runs in a delegated transaction: an exception leaves nothing behind.
    atomic: bool = False
    #: Optional answer keys that JSON leaves out but XML writes as null.
    xml_nulls: tuple[str, ...] = ()


FUNCTIONS: dict[str, WsFunction] = {}

#: Functions a real site has that the fake does not implement: outside the service they
#: answer ``accessexception`` like on the recorded site; put in it, they answer 501.
OTHER_MOODLE_FUNCTIONS = frozenset({
    "core_user_create_users", "core_course_update_categories", "core_course_delete_categories",
    "core_course_get_courses", "core_course_delete_courses", "core_course_edit_section",
    "core_course_get_module", "core_course_duplicate_course", "core_course_import_course",
})  # fmt: skip


def webservice(
    params: Mapping[str, Spec],
    *,
    version: str = MOODLE_VERSION,
    atomic: bool = False,
    xml_nulls: tuple[str, ...] = (),
) -> Callable[[Callable[[Call], Any]], Callable[[Call], Any]]:
    def register(run: Callable[[Call], Any]) -> Callable[[Call], Any]:
        FUNCTIONS[run.__name__] = WsFunction(
            run.__name__, Struct(params), run, version, atomic, xml_nulls
        )
        return run

    return register


@webservice({"serviceshortnames": opt(Many(Text()), [])}, xml_nulls=("usersessionscount",))
def core_webservice_get_site_info(call: Call) -> Any:
    raise AssertionError("answered by FakeMoodle, which knows the service")  # pragma: no cover


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


def _module(state: State, cmid: int) -> Module:
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
    module = _module(call.state, call.params["id"])
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
    return _cm_record(call, _module(call.state, call.params["cmid"]))


@webservice({"module": Text(), "instance": Int()})
def core_course_get_course_module_by_instance(call: Call) -> Any:
    for module in call.state.modules.values():
        if module.modname == call.params["module"] and module.instance == call.params["instance"]:
            return _cm_record(call, module)
    raise missing_record()


def _draft_url(call: Call, itemid: int, draft: DraftFile) -> str:
    area = f"{USER_CONTEXT}/user/draft/{itemid}"
    return f"{call.root}/draftfile.php/{area}{draft.filepath}{draft.filename}"


@webservice(
    {
        "contextid": Int(),
        "component": Text(),
        "filearea": Text(),
        "itemid": Int(),
        "filepath": Text(),
        "filename": Text(),
        "modified": opt(Int()),
        "contextlevel": opt(Text()),
        "instanceid": opt(Int()),
    }
)
def core_files_get_files(call: Call) -> Any:
    p = call.params
    if (p["contextid"], p["component"], p["filearea"]) != (USER_CONTEXT, "user", "draft"):
        raise NotImplementedByFake("core_files_get_files outside the user draft area")
    files = []
    for draft in call.state.drafts.get(p["itemid"], []):
        if draft.filepath != p["filepath"] or (p["filename"] and draft.filename != p["filename"]):
            continue
        files.append(
            {
                "contextid": USER_CONTEXT,
                "component": "user",
                "filearea": "draft",
                "itemid": p["itemid"],
                "filepath": draft.filepath,
                "filename": draft.filename,
                "isdir": False,
                "url": _draft_url(call, p["itemid"], draft),
                "timemodified": draft.timecreated,
                "timecreated": draft.timecreated,
                "filesize": len(draft.content),
                "author": USER_FULLNAME,
                "license": "unknown",
            }
        )
    return {"parents": [], "files": files}


@webservice(
    {
        "contextid": opt(Int()),
        "component": Text(),
        "filearea": Text(),
        "itemid": Int(),
        "filepath": Text(),
        "filename": Text(),
        "filecontent": Text(),
        "contextlevel": opt(Text()),
        "instanceid": opt(Int()),
    }
)
def core_files_upload(call: Call) -> Any:
    p = call.params
    if (p["component"], p["filearea"]) != ("user", "draft"):
        raise coding_error("File can be uploaded to user draft area only")
    itemid = p["itemid"] or call.state.new_itemid()
    if any(
        d.filename == p["filename"] and d.filepath == p["filepath"]
        for d in call.state.drafts.get(itemid, [])
    ):
        raise MoodleException("moodle_exception", "fileexist", "error/fileexist")
    try:
        content = base64.b64decode(p["filecontent"], validate=True)
    except ValueError:
        raise invalid_parameter() from None
    call.state.add_draft_file(itemid, p["filename"], content, p["filepath"])
    draft = call.state.drafts[itemid][-1]
    return {
        "contextid": USER_CONTEXT,
        "component": "user",
        "filearea": "draft",
        "itemid": itemid,
        "filepath": draft.filepath,
        "filename": draft.filename,
        "url": _draft_url(call, itemid, draft),
    }


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
    module = _module(state, call.params["cmid"])
    draft = _first_zip(state, call.params["draftitemid"])
    state.replace_package(state.scorms[module.instance], draft.content, draft.filename)
    return _peer_answer(state, module)


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


# ---- the app ----------------------------------------------------------------------------


@dataclass
class Fault:
    when: str  # "before" (instead of the work) or "after" (the work is done, the answer lost)
    status: int = 503
    body: str = ""
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0
    exception: BaseException | None = None


@dataclass(frozen=True)
class Account:
    """Whose token the fake's token is: by default the administrator the core transcripts
    were recorded with; the recordings of the sync use its own account (``sandyqsync``),
    which is no site administrator."""

    userid: int = USER_ID
    username: str = "admin"
    firstname: str = "Admin"
    lastname: str = "User"
    siteadmin: bool = True

    @property
    def fullname(self) -> str:
        return f"{self.firstname} {self.lastname}"


#: Moodle's DEBUG_NORMAL: from this level on, errors carry their ``debuginfo``.
DEBUG_NORMAL = 15
#: DEBUG_DEVELOPER, what the test site runs with.
DEBUG_DEVELOPER = 32767


@dataclass(frozen=True)
class Recorded:
    """One request as it arrived: the function ("upload" for upload.php) and its form."""

    function: str
    form: dict[str, str]
    files: tuple[tuple[str, str, bytes], ...] = ()


class FakeMoodle:
    """The fake site: a WSGI app plus the controls tests use. Build it with
    ``create_fake_moodle``."""

    def __init__(
        self,
        token: str,
        functions: Iterable[str] | None = None,
        *,
        account: Account | None = None,
        debug: int = 0,
    ) -> None:
        self.token = token
        self.account = account or Account()
        #: The site's ``$CFG->debug``; with DEBUG_NORMAL or more, errors carry debuginfo.
        self.debug = debug
        #: Capabilities taken from the account's role: the functions that need one answer
        #: ``nopermissions`` (tests/fixtures/moodle/recorded/11-nopermissions.json).
        self.denied: set[str] = set()
        #: The functions in the token's service; others answer ``accessexception``.
        self.functions: set[str] = set(FUNCTIONS if functions is None else functions)
        self.rest_enabled = True
        #: The site's maximum upload size in bytes (0: no limit).
        self.maxbytes = 0
        self.sitename = "Sandyq Fake Moodle"
        self.state = State()
        self.state.categories[1] = Category(id=1, name="Category 1", idnumber="", parent=0)
        self.calls: Counter[str] = Counter()
        self.requests: list[Recorded] = []
        self._faults: dict[str, deque[Fault]] = {}
        self._lock = threading.RLock()
        self.app = Flask("fake_moodle")
        self.app.config["PROPAGATE_EXCEPTIONS"] = True
        self.app.add_url_rule(
            "/webservice/rest/server.php", "rest", self._rest, methods=["GET", "POST"]
        )
        self.app.add_url_rule("/webservice/upload.php", "upload", self._upload, methods=["POST"])
        self.app.add_url_rule(
            "/webservice/pluginfile.php/<int:contextid>/mod_scorm/package/0/<path:filename>",
            "pluginfile",
            self._pluginfile,
        )

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.app(environ, start_response)

    # ---- seeding (returns ids, like the web services) ----

    def add_category(self, name: str, idnumber: str = "", parent: int = 0) -> int:
        with self._lock:
            return self.state.add_category(name, idnumber, parent).id

    def add_course(
        self,
        fullname: str,
        shortname: str,
        categoryid: int = 1,
        idnumber: str = "",
        *,
        numsections: int = 4,
        lang: str = "",
    ) -> int:
        with self._lock:
            course = self.state.add_course(
                fullname, shortname, categoryid, idnumber, numsections=numsections, lang=lang
            )
            return course.id

    def add_draft(self, files: Mapping[str, bytes]) -> int:
        """A draft area holding these files; returns its itemid."""
        with self._lock:
            itemid = self.state.new_itemid()
            self.state.drafts[itemid] = []
            for name, content in files.items():
                self.state.add_draft_file(itemid, name, content)
            return itemid

    def add_scorm(
        self,
        courseid: int,
        section: int,
        name: str,
        package: bytes,
        *,
        idnumber: str = "",
        visible: bool = True,
        synced: bool = True,
        reference: str = "package.zip",
    ) -> int:
        """A SCORM activity as if made earlier (by local_sandyq when ``synced``); its cmid."""
        with self._lock:
            module = self.state.add_scorm(
                courseid,
                section,
                name,
                package,
                reference,
                idnumber=idnumber,
                visible=visible,
                synced=synced,
            )
            return module.id

    # ---- faults ----

    def fail_next(
        self,
        name: str,
        times: int = 1,
        *,
        status: int = 503,
        body: str = "",
        content_type: str = "text/html; charset=utf-8",
        exception: BaseException | None = None,
    ) -> None:
        """The next ``times`` requests for ``name`` get this answer (or raise ``exception``)
        instead of being served."""
        for _ in range(times):
            self._fault(name, Fault("before", status, body, content_type, exception=exception))

    def delay_next(self, name: str, seconds: float, times: int = 1) -> None:
        """The next ``times`` requests for ``name`` wait ``seconds``, then are served."""
        for _ in range(times):
            self._fault(name, Fault("before", status=0, delay=seconds))

    def fail_after(
        self,
        name: str,
        *,
        times: int = 1,
        status: int = 500,
        exception: BaseException | None = None,
    ) -> None:
        """The next ``times`` requests for ``name`` are carried out, then the answer is
        replaced by ``status`` with an empty body (or ``exception`` is raised)."""
        for _ in range(times):
            self._fault(name, Fault("after", status, exception=exception))

    def _fault(self, name: str, fault: Fault) -> None:
        with self._lock:
            self._faults.setdefault(name, deque()).append(fault)

    def _take_fault(self, name: str, when: str) -> Fault | None:
        with self._lock:
            queue = self._faults.get(name)
            if queue and queue[0].when == when:
                return queue.popleft()
        return None

    # ---- learners (what the sync only reads, through local_sandyq_get_results) ----

    def enrol(self, courseid: int, username: str, role: str = "student") -> None:
        with self._lock:
            self.state.course_by(courseid)
            self.state.enrolments[(courseid, username)] = role

    def add_tracks(self, cmid: int, username: str, attempt: int, tracks: Mapping[str, str]) -> None:
        """A learner's SCO stores these elements in an attempt (mod_scorm_insert_scorm_tracks
        for the activity's first SCO)."""
        with self._lock:
            module = _module(self.state, cmid)
            scorm = self.state.scorms[module.instance]
            sco = next(s for s in scorm.scoes if s.scormtype == "sco")
            for element, value in tracks.items():
                self.state.tracks = [
                    t
                    for t in self.state.tracks
                    if (t.cmid, t.username, t.attempt, t.scoid, t.element)
                    != (cmid, username, attempt, sco.id, element)
                ]
                self.state.tracks.append(Track(cmid, username, attempt, sco.id, element, value))

    def reset_counters(self) -> None:
        with self._lock:
            self.calls.clear()
            self.requests.clear()

    # ---- HTTP ----

    def _arrive(
        self, name: str, form: dict[str, str], files: tuple[tuple[str, str, bytes], ...] = ()
    ) -> Response | None:
        with self._lock:
            self.calls[name] += 1
            self.requests.append(Recorded(name, form, files))
        fault = self._take_fault(name, "before")
        if fault is None:
            return None
        if fault.delay:
            time.sleep(fault.delay)
            return None
        if fault.exception is not None:
            raise fault.exception
        return Response(fault.body, fault.status, content_type=fault.content_type)

    def _leave(self, name: str, response: Response) -> Response:
        fault = self._take_fault(name, "after")
        if fault is None:
            return response
        if fault.exception is not None:
            raise fault.exception
        return Response("", fault.status, content_type="text/html; charset=utf-8")

    def _rest(self) -> Response:
        form = request.values.to_dict(flat=True)
        name = form.get("wsfunction", "")
        early = self._arrive(name, form)
        if early is not None:
            return early
        if not self.rest_enabled:
            return self._leave(name, Response("", 403, content_type="text/html; charset=utf-8"))
        as_json = form.get("moodlewsrestformat") == "json"
        try:
            with self._lock:
                result, function = self._dispatch(form)
            if as_json:
                body = php_json(result)
            else:
                if isinstance(result, dict):
                    result = result | {k: None for k in function.xml_nulls if k not in result}
                body = moodle_xml(result)
        except MoodleException as exc:
            body = exc.json(self.debug >= DEBUG_NORMAL) if as_json else exc.xml()
        except NotImplementedByFake as exc:
            return Response(
                f"not implemented by the fake Moodle: {exc}", 501, content_type="text/plain"
            )
        content_type = "application/json" if as_json else "application/xml; charset=utf-8"
        return self._leave(name, Response(body, 200, content_type=content_type))

    def _dispatch(self, form: dict[str, str]) -> tuple[Any, WsFunction]:
        if form.get("wstoken") != self.token:
            raise MoodleException(
                "moodle_exception", "invalidtoken", "Invalid token - token not found"
            )
        name = form.get("wsfunction")
        if not name:
            raise invalid_parameter()
        function = FUNCTIONS.get(name)
        if function is None and name not in OTHER_MOODLE_FUNCTIONS:
            raise missing_record("external_functions")
        if name not in self.functions:
            raise MoodleException(
                "webservice_access_exception", "accessexception", "Access control exception"
            )
        if function is None:
            raise NotImplementedByFake(name)
        raw = unflatten(
            {
                k: v
                for k, v in form.items()
                if k not in ("wstoken", "wsfunction", "moodlewsrestformat")
            }
        )
        call = Call(
            self.state,
            function.params.check(raw),
            request.url_root.rstrip("/"),
            frozenset(self.denied),
        )
        if name == "core_webservice_get_site_info":
            return self._site_info(call.root), function
        if not function.atomic:
            return function.run(call), function
        snapshot = copy.deepcopy(self.state)
        try:
            return function.run(call), function
        except MoodleException:
            self.state = snapshot
            raise

    def _site_info(self, root: str) -> dict[str, Any]:
        enabled = [FUNCTIONS[name] for name in FUNCTIONS if name in self.functions]
        return {
            "sitename": self.sitename,
            "username": self.account.username,
            "firstname": self.account.firstname,
            "lastname": self.account.lastname,
            "fullname": self.account.fullname,
            "lang": "en",
            "userid": self.account.userid,
            "siteurl": root,
            "userpictureurl": f"{root}/theme/image.php/boost/core/1795340636/u/f1",
            "functions": [{"name": f.name, "version": f.version} for f in enabled],
            "downloadfiles": 1,
            "uploadfiles": 1,
            "release": MOODLE_RELEASE,
            "version": MOODLE_VERSION,
            "mobilecssurl": "",
            "advancedfeatures": [
                {"name": name, "value": value}
                for name, value in (
                    ("usecomments", 1),
                    ("usetags", 1),
                    ("enablenotes", 1),
                    ("messaging", 1),
                    ("enableblogs", 1),
                    ("enablecompletion", 1),
                    ("enablebadges", 1),
                    ("messagingallusers", 0),
                    ("enablecustomreports", 1),
                    ("enableglobalsearch", 0),
                    ("mnet_dispatcher_mode", 0),
                )
            ],  # fmt: skip
            "usercanmanageownfiles": True,
            "userquota": 0,
            "usermaxuploadfilesize": self.maxbytes or -1,
            "userhomepage": 1,
            "userprivateaccesskey": "fake-private-access-key",
            "siteid": 1,
            "sitecalendartype": "gregorian",
            "usercalendartype": "gregorian",
            "userissiteadmin": self.account.siteadmin,
            "theme": "boost",
            "limitconcurrentlogins": 0,
        }

    def _upload(self) -> Response:
        form = request.form.to_dict(flat=True)
        files = tuple(
            (field_name, storage.filename or "", storage.read())
            for field_name, storage in request.files.items(multi=True)
        )
        early = self._arrive("upload", form, files)
        if early is not None:
            return early
        text_plain = "text/plain; charset=utf-8"
        if "token" not in form:
            body = self._upload_error("missingparam", "A required parameter (token) was missing")
            return self._leave("upload", Response(body, 200, content_type=text_plain))
        if form["token"] != self.token:
            body = self._upload_error(
                "invalidtoken",
                "Invalid token - token not found",
                "* line 81 of /webservice/lib.php: moodle_exception thrown\n"
                "* line 58 of /webservice/upload.php: call to webservice->authenticate_user()\n",
            )
            return self._leave("upload", Response(body, 200, content_type=text_plain))
        if not files:
            return self._leave(
                "upload", Response("[]", 200, content_type="application/json; charset=utf-8")
            )
        filepath = form.get("filepath", "/")
        with self._lock:
            itemid = int(form.get("itemid") or 0) or self.state.new_itemid()
            answer: list[dict[str, Any]] = []
            for _field, filename, content in files:
                existing = self.state.drafts.get(itemid, [])
                if self.maxbytes and len(content) > self.maxbytes:
                    answer.append(
                        {
                            "filename": filename,
                            "errortype": "fileoversized",
                            "error": "[[maxbytes]]",
                        }
                    )
                elif any(d.filename == filename and d.filepath == filepath for d in existing):
                    tmp = "".join(
                        self.state.random.choices(
                            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", k=6
                        )
                    )
                    answer.append(
                        {
                            "filename": filename,
                            "filepath": f"/tmp/php{tmp}",
                            "size": len(content),
                            "errortype": "filenameexist",
                            "error": f"File name already exists: {filename}",
                        }
                    )
                else:
                    self.state.add_draft_file(itemid, filename, content, filepath)
                    source = f's:6:"source";s:{len(filename.encode())}:"{filename}";'
                    answer.append(
                        {
                            "component": "user",
                            "contextid": USER_CONTEXT,
                            "userid": str(self.account.userid),
                            "filearea": "draft",
                            "filename": filename,
                            "filepath": filepath,
                            "itemid": itemid,
                            "license": "unknown",
                            "author": self.account.fullname,
                            "source": f'O:8:"stdClass":1:{{{source}}}',  # PHP serialize()
                            "filesize": len(content),
                        }
                    )
        return self._leave("upload", Response(php_json(answer), 200, content_type=text_plain))

    def _upload_error(self, errorcode: str, message: str, stacktrace: str = "") -> str:
        """upload.php's own error shape; with debugging on it fills in the stack trace,
        the error code as debuginfo and the site's address as the reproduction link."""
        debug = self.debug >= DEBUG_NORMAL and stacktrace
        return php_json(
            {
                "error": message,
                "errorcode": errorcode,
                "stacktrace": stacktrace if debug else None,
                "debuginfo": f"\nError code: {errorcode}" if debug else None,
                "reproductionlink": request.url_root if debug else None,
            }
        )

    def _pluginfile(self, contextid: int, filename: str) -> Response:
        early = self._arrive("pluginfile", request.args.to_dict(flat=True))
        if early is not None:
            return early
        if request.args.get("token") != self.token:
            body = self._upload_error("invalidtoken", "Invalid token - token not found")
            return Response(body, 200, content_type="application/json; charset=utf-8")
        with self._lock:
            for module in self.state.modules.values():
                if module.contextid == contextid and module.modname == "scorm":
                    scorm = self.state.scorms[module.instance]
                    if scorm.reference == filename:
                        return Response(scorm.package, 200, content_type="application/zip")
        return Response("", 404, content_type="text/html; charset=utf-8")


def create_fake_moodle(
    token: str = DEFAULT_TOKEN,
    *,
    functions: Iterable[str] | None = None,
    account: Account | None = None,
    debug: int = 0,
) -> FakeMoodle:
    """A fresh fake site. ``functions`` is the service's function list (default: every
    function the fake implements); the token is the only valid one, ``account``'s (by
    default the administrator's); ``debug`` is the site's debugging level."""
    return FakeMoodle(token, functions, account=account, debug=debug)
