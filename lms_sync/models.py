"""The sync's data: what the catalogue publishes, what Moodle holds, and the plan between.

Plain frozen dataclasses with no I/O, like ``httpx._models`` beside its client: the planner
reads them and returns a :class:`Plan`; the executor carries the plan out.

Identity on the Moodle side is always an ``idnumber``: ``sandyq-subject-<subject>`` for a
category, ``sandyq-course-<subject>-<grade>`` for a course and ``sandyq:<uuid>`` for a
SCORM activity (the course module's idnumber). Numeric Moodle ids are looked up, never
remembered between runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from lms_sync.remote import SyncedModule

MODULE_PREFIX = "sandyq:"

PUBLISHED = "published"
UNPUBLISHED = "unpublished"


def module_idnumber(uuid: str) -> str:
    """The course module idnumber of a catalogue resource: ``sandyq:<uuid>``."""
    return f"{MODULE_PREFIX}{uuid}"


def uuid_of(idnumber: str) -> str | None:
    """The resource uuid in a module idnumber, or None for a module not made by the sync."""
    return idnumber[len(MODULE_PREFIX) :] if idnumber.startswith(MODULE_PREFIX) else None


@dataclass(frozen=True)
class PublishedItem:
    """One entry of the catalogue's published feed (``GET /api/v1/published``)."""

    uuid: str
    version: int
    title: str
    language: str
    subject: str
    grades: tuple[int, ...]
    sha256: str
    size: int
    scorm_version: str
    download_url: str
    published_at: str | None
    changed_at: str
    state: str  # PUBLISHED or UNPUBLISHED

    @property
    def published(self) -> bool:
        return self.state == PUBLISHED

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PublishedItem:
        """An item from the feed's JSON; ``KeyError``/``TypeError``/``ValueError`` on a
        malformed one (the catalogue client turns those into a ``CatalogueError``)."""
        grades = data.get("grades") or []
        return cls(
            uuid=str(data["uuid"]),
            version=int(data["version"]),
            title=str(data.get("title") or ""),
            language=str(data.get("language") or ""),
            subject=str(data.get("subject") or ""),
            grades=tuple(sorted(int(grade) for grade in grades)),
            sha256=str(data["sha256"]),
            size=int(data.get("size") or 0),
            scorm_version=str(data.get("scorm_version") or ""),
            download_url=str(data["download_url"]),
            published_at=data.get("published_at"),
            changed_at=str(data.get("changed_at") or ""),
            state=str(data["state"]),
        )


@dataclass(frozen=True)
class MoodleState:
    """What the sync manages in Moodle: ids by idnumber, and synced modules
    (``lms_sync.remote.SyncedModule``, from ``local_sandyq_get_synced``) by uuid."""

    categories: Mapping[str, int] = field(default_factory=dict)
    courses: Mapping[str, int] = field(default_factory=dict)
    modules: Mapping[str, SyncedModule] = field(default_factory=dict)


@dataclass(frozen=True)
class Filters:
    """Which resources this Moodle takes; an empty set means "all"."""

    subjects: frozenset[str] = frozenset()
    grades: frozenset[int] = frozenset()
    languages: frozenset[str] = frozenset()

    def accepts(self, item: PublishedItem) -> bool:
        if self.subjects and (item.subject or "other") not in self.subjects:
            return False
        if self.languages and item.language not in self.languages:
            return False
        return not self.grades or any(grade in self.grades for grade in item.grades)

    def describe(self) -> str:
        parts = []
        if self.subjects:
            parts.append("subjects " + ", ".join(sorted(self.subjects)))
        if self.grades:
            parts.append("grades " + ", ".join(str(g) for g in sorted(self.grades)))
        if self.languages:
            parts.append("languages " + ", ".join(sorted(self.languages)))
        return "; ".join(parts) or "everything"


#: No filter: every resource.
EVERYTHING = Filters()


class ActionKind(StrEnum):
    CREATE_CATEGORY = "create_category"
    CREATE_COURSE = "create_course"
    ADD_SCORM = "add_scorm"
    UPDATE_PACKAGE = "update_package"
    HIDE = "hide"
    SHOW = "show"
    RENAME = "rename"


#: Actions on containers run first, one at a time, in plan order.
STRUCTURE_KINDS = frozenset({ActionKind.CREATE_CATEGORY, ActionKind.CREATE_COURSE})
#: Actions that need the package file.
UPLOAD_KINDS = frozenset({ActionKind.ADD_SCORM, ActionKind.UPDATE_PACKAGE})


@dataclass(frozen=True)
class Action:
    """One step of a plan. ``idnumber`` names what the step creates or changes.

    - create_category: ``name``, ``parent`` (the parent category's idnumber, "" for top);
    - create_course: ``name`` (full name), ``shortname``, ``parent`` (category idnumber);
    - add_scorm: ``item`` and ``parent`` (the course idnumber);
    - update_package: ``item``, ``cmid`` and ``sha1`` (what Moodle has now); ``expected``
      is the package's sha1 when known, else the executor downloads it to compare;
    - hide / show: ``cmid`` (and ``item`` for the report);
    - rename: ``cmid``, ``name`` (the catalogue's title; Moodle's is in ``reason``).
    """

    kind: ActionKind
    idnumber: str
    name: str = ""
    parent: str = ""
    shortname: str = ""
    item: PublishedItem | None = None
    cmid: int | None = None
    sha1: str = ""
    expected: str = ""
    reason: str = ""

    @property
    def uuid(self) -> str:
        return self.item.uuid if self.item is not None else ""

    def describe(self) -> str:
        """One line for people, such as ``add SCORM "Ньютон заңдары" -> sandyq-course-…``."""
        title = f'"{self.item.title}"' if self.item is not None else ""
        match self.kind:
            case ActionKind.CREATE_CATEGORY:
                where = f" in {self.parent}" if self.parent else ""
                return f'create category "{self.name}" ({self.idnumber}){where}'
            case ActionKind.CREATE_COURSE:
                return (
                    f'create course "{self.name}" ({self.shortname}, {self.idnumber}) '
                    f"in {self.parent}"
                )
            case ActionKind.ADD_SCORM:
                return f"add SCORM {title} ({self.idnumber}) to {self.parent}"
            case ActionKind.UPDATE_PACKAGE:
                return f"update package of {title} (cmid {self.cmid}): {self.reason}"
            case ActionKind.HIDE:
                return f"hide {title} (cmid {self.cmid}): {self.reason}"
            case ActionKind.SHOW:
                return f"show {title} (cmid {self.cmid}): {self.reason}"
            case ActionKind.RENAME:
                return f"rename {title} (cmid {self.cmid}): {self.reason}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": str(self.kind), "idnumber": self.idnumber}
        if self.name:
            data["name"] = self.name
        if self.shortname:
            data["shortname"] = self.shortname
        if self.parent:
            data["parent"] = self.parent
        if self.item is not None:
            data["uuid"] = self.item.uuid
            data["title"] = self.item.title
            data["version"] = self.item.version
        if self.cmid is not None:
            data["cmid"] = self.cmid
        if self.reason:
            data["reason"] = self.reason
        return data


@dataclass(frozen=True)
class Plan:
    """The steps that bring Moodle in line with the catalogue, in the order to take them:
    categories (parents first), courses, then one step per resource. ``unchanged`` counts
    resources already right; ``skipped`` counts those the filters left out."""

    actions: tuple[Action, ...] = ()
    unchanged: int = 0
    skipped: int = 0

    @property
    def empty(self) -> bool:
        return not self.actions

    @property
    def structure(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.kind in STRUCTURE_KINDS)

    @property
    def resource_actions(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.kind not in STRUCTURE_KINDS)

    def count(self, kind: ActionKind) -> int:
        return sum(1 for action in self.actions if action.kind is kind)

    def counts(self) -> dict[str, int]:
        return {str(kind): self.count(kind) for kind in ActionKind}

    def to_json(self) -> dict[str, Any]:
        return {
            "actions": [action.to_json() for action in self.actions],
            "counts": self.counts(),
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }
