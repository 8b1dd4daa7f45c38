"""The plan: what to change in Moodle so that it shows what the catalogue publishes.

Pure: it reads the feed's items, Moodle's state and the known package sha1s, and returns a
:class:`~lms_sync.models.Plan`; no I/O, so ``--dry-run`` and the tests see exactly what a
real run would do (pip-tools' ``diff`` beside its ``sync``).

Per resource (after the filters):

========================  ==============================  ===========================
catalogue says            Moodle has                      action
========================  ==============================  ===========================
published                 no module ``sandyq:<uuid>``     add_scorm (+ its course and
                                                          categories when missing)
published                 module, other sha1              update_package (same cmid)
published                 module, sha1 not known here     update_package, compared by
                                                          the executor before upload
published                 hidden module                   show (and update if needed)
published                 module named otherwise          rename (the catalogue's title)
unpublished               visible module                  hide (never delete: learners'
                                                          attempts stay)
anything else                                             nothing
========================  ==============================  ===========================

A module already in Moodle stays where it is, even when the resource's grades change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lms_sync.mapping import CategorySpec, CourseSpec
from lms_sync.mapping import Mapping as LayoutMapping
from lms_sync.models import (
    EVERYTHING,
    Action,
    ActionKind,
    Filters,
    MoodleState,
    Plan,
    PublishedItem,
    module_idnumber,
)

_RESOURCE_ORDER = {
    ActionKind.ADD_SCORM: 0,
    ActionKind.UPDATE_PACKAGE: 1,
    ActionKind.SHOW: 2,
    ActionKind.HIDE: 3,
    ActionKind.RENAME: 4,
}


def sha1_key(uuid: str, sha256: str) -> str:
    """The key of a package's sha1 in the local state file."""
    return f"{uuid}:{sha256}"


def latest(items: Iterable[PublishedItem]) -> list[PublishedItem]:
    """One item per uuid, the last the feed gave (a resource that changed while the feed
    was being paged appears again later), in the order first seen."""
    by_uuid: dict[str, PublishedItem] = {}
    for item in items:
        by_uuid[item.uuid] = item
    return list(by_uuid.values())


def plan(
    items: Iterable[PublishedItem],
    state: MoodleState,
    mapping: LayoutMapping,
    filters: Filters = EVERYTHING,
    sha1s: Mapping[str, str] | None = None,
) -> Plan:
    """The actions that bring Moodle in line with ``items``.

    ``sha1s`` maps :func:`sha1_key` to the sha1 of that package (from the local state
    file or a download in this run); without it a module's package is compared later.
    """
    known = sha1s or {}
    categories: dict[str, CategorySpec] = {}
    courses: dict[str, CourseSpec] = {}
    resource_actions: list[Action] = []
    unchanged = skipped = 0
    for item in latest(items):
        if not filters.accepts(item):
            skipped += 1
            continue
        module = state.modules.get(item.uuid)
        idnumber = module_idnumber(item.uuid)
        if not item.published:
            if module is not None and module.visible:
                resource_actions.append(
                    Action(ActionKind.HIDE, idnumber, item=item, cmid=module.cmid,
                           reason="unpublished in the catalogue")
                )  # fmt: skip
            else:
                unchanged += 1
            continue
        if module is None:
            course = mapping.course(item)
            if course.idnumber not in state.courses:
                courses.setdefault(course.idnumber, course)
                _need_category(mapping, mapping.subject_of(item), state, categories)
            resource_actions.append(
                Action(ActionKind.ADD_SCORM, idnumber, name=item.title, parent=course.idnumber,
                       item=item, reason=f"version {item.version}")
            )  # fmt: skip
            continue
        changed = False
        package_sha1 = known.get(sha1_key(item.uuid, item.sha256), "")
        if package_sha1 != module.sha1hash:
            reason = (
                f"version {item.version}, sha1 {module.sha1hash[:12] or '-'} -> {package_sha1[:12]}"
                if package_sha1
                else f"version {item.version}: package to compare (its sha1 is not known yet)"
            )
            resource_actions.append(
                Action(ActionKind.UPDATE_PACKAGE, idnumber, item=item, cmid=module.cmid,
                       sha1=module.sha1hash, expected=package_sha1, reason=reason)
            )  # fmt: skip
            changed = True
        if not module.visible:
            resource_actions.append(
                Action(ActionKind.SHOW, idnumber, item=item, cmid=module.cmid,
                       reason="published again")
            )  # fmt: skip
            changed = True
        if item.title and module.name != item.title:
            resource_actions.append(
                Action(ActionKind.RENAME, idnumber, name=item.title, item=item,
                       cmid=module.cmid, reason=f'Moodle calls it "{module.name}"')
            )  # fmt: skip
            changed = True
        if not changed:
            unchanged += 1

    structure = [
        Action(ActionKind.CREATE_CATEGORY, spec.idnumber, name=spec.name, parent=spec.parent)
        for spec in sorted(categories.values(), key=lambda spec: (spec.parent != "", spec.idnumber))
    ]
    structure += [
        Action(ActionKind.CREATE_COURSE, spec.idnumber, name=spec.fullname,
               shortname=spec.shortname, parent=spec.category)
        for spec in sorted(courses.values(), key=lambda spec: spec.idnumber)
    ]  # fmt: skip
    resource_actions.sort(key=lambda action: _RESOURCE_ORDER[action.kind])
    return Plan(tuple(structure + resource_actions), unchanged=unchanged, skipped=skipped)


def _need_category(
    mapping: LayoutMapping,
    subject: str,
    state: MoodleState,
    wanted: dict[str, CategorySpec],
) -> None:
    category = mapping.category(subject)
    if category.idnumber in state.categories:
        return
    wanted.setdefault(category.idnumber, category)
    root = mapping.root()
    if root is not None and root.idnumber not in state.categories:
        wanted.setdefault(root.idnumber, root)
