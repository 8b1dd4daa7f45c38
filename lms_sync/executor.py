"""Reading Moodle's state for the planner, and carrying a plan out.

``observe`` asks Moodle only what the plan can depend on: every module the sync made
(``local_sandyq_get_synced``, one call), then the courses of resources that have no
module yet, then the categories of courses that do not exist. A run with nothing to do
therefore costs one feed read, one ``get_synced`` and no download or upload.

``apply`` runs the plan: categories and courses first, one at a time and parents first;
then one task per resource on a thread pool (``concurrency`` uploads at a time, one
package unpacked by Moodle at a time: ``_Run.unpacking``). Each step is safe to repeat,
so a run that was killed is finished by the next one:

- a category or course that turns out to exist (``IdNumberTaken``, or a lost answer) is
  looked up by idnumber and used;
- before creating a SCORM activity the executor reads ``get_synced`` for its course again:
  if the module ``sandyq:<uuid>`` is there already (an earlier run died after creating
  it), it is updated in place, or left as it is when the sha1 matches;
- a package whose sha1 turns out to equal Moodle's is not uploaded.

Writes Moodle's client does not retry (they change data) are retried here after looking
first, on timeouts and 5xx, with the backoff of ``lms_sync.retrying``. Errors marked
``fatal`` (a bad token, the REST protocol off, a function missing from the service, the
catalogue refusing its token) stop the run at once: no new task starts, and the report
carries the error.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, TypeVar

from lms_sync.catalogue_client import Download
from lms_sync.config import PackageSha1s
from lms_sync.errors import IdNumberTaken, SyncError, TransportError
from lms_sync.mapping import Mapping as LayoutMapping
from lms_sync.models import (
    EVERYTHING,
    STRUCTURE_KINDS,
    Action,
    ActionKind,
    Filters,
    MoodleState,
    Plan,
    PublishedItem,
    module_idnumber,
    uuid_of,
)
from lms_sync.planner import latest, sha1_key
from lms_sync.remote import (
    RemoteCategory,
    RemoteCourse,
    RemoteScorm,
    SiteInfo,
    SyncedModule,
    UploadResult,
)
from lms_sync.retrying import Retries, retry_call

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_MAPPING = LayoutMapping()
DEFAULT_RETRIES = Retries()

#: Every web-service function the sync calls; checked against site_info before anything.
NEEDED_FUNCTIONS = frozenset(
    {
        "core_webservice_get_site_info",
        "core_course_get_categories",
        "core_course_create_categories",
        "core_course_get_courses_by_field",
        "core_course_create_courses",
        "core_course_edit_module",
        "local_sandyq_get_synced",
        "local_sandyq_create_scorm",
        "local_sandyq_update_scorm",
    }
)


class Moodle(Protocol):
    """The part of ``lms_sync.moodle_client.MoodleClient`` the executor uses."""

    def site_info(self) -> SiteInfo: ...
    def categories_by_idnumber(self, idnumbers: Iterable[str]) -> dict[str, RemoteCategory]: ...
    def create_category(self, name: str, parent: int, idnumber: str) -> RemoteCategory: ...
    def courses_by_idnumber(self, idnumber: str) -> RemoteCourse | None: ...
    def create_course(
        self, fullname: str, shortname: str, categoryid: int, idnumber: str,
        lang: str | None = None,
    ) -> RemoteCourse: ...  # fmt: skip
    def set_module_visible(self, cmid: int, visible: bool) -> None: ...
    def upload(self, files: Any, *, itemid: int = 0, filepath: str = "/") -> UploadResult: ...
    def create_scorm(
        self, courseid: int, section: int, name: str, draftitemid: int, idnumber: str,
        intro: str = "", visible: bool = True,
    ) -> RemoteScorm: ...  # fmt: skip
    def update_scorm(self, cmid: int, draftitemid: int = 0, name: str = "") -> RemoteScorm: ...
    def get_synced(self, courseids: Any = None) -> list[SyncedModule]: ...


class Catalogue(Protocol):
    """The part of ``CatalogueClient`` the executor uses."""

    def download(self, item: PublishedItem, folder: Path) -> Download: ...


class Status(StrEnum):
    DONE = "done"  # the change was made
    UNCHANGED = "unchanged"  # Moodle was right already (found on a closer look)
    FAILED = "failed"
    NOT_STARTED = "not_started"  # the run stopped before this step


@dataclass(frozen=True)
class ActionResult:
    action: Action
    status: Status
    message: str = ""
    cmid: int | None = None
    uploaded_bytes: int = 0

    def describe(self) -> str:
        action = self.action
        subject = f'"{action.item.title}"' if action.item is not None else action.idnumber
        label = {
            ActionKind.CREATE_CATEGORY: "category",
            ActionKind.CREATE_COURSE: "course",
            ActionKind.ADD_SCORM: "added",
            ActionKind.UPDATE_PACKAGE: "package updated",
            ActionKind.HIDE: "hidden",
            ActionKind.SHOW: "shown",
            ActionKind.RENAME: "renamed",
        }[action.kind]
        if self.status is Status.DONE:
            where = f" (cmid {self.cmid})" if self.cmid is not None else ""
            return f"ok      {label}: {subject}{where}"
        if self.status is Status.UNCHANGED:
            return f"same    {subject}: {self.message}"
        if self.status is Status.NOT_STARTED:
            return f"skipped {subject}: {self.message}"
        return f"FAILED  {action.kind} {subject}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {**self.action.to_json(), "status": str(self.status)}
        if self.message:
            data["message"] = self.message
        if self.cmid is not None:
            data["cmid"] = self.cmid
        if self.uploaded_bytes:
            data["uploaded_bytes"] = self.uploaded_bytes
        return data


@dataclass(frozen=True)
class SyncReport:
    results: tuple[ActionResult, ...] = ()
    seconds: float = 0.0
    #: The error that stopped the run (bad token, REST off ...), if one did.
    fatal: SyncError | None = None
    #: Resources the plan found right already (no step); the summary counts them with the
    #: steps that turned out to have nothing to do, so plan and summary agree.
    planned_unchanged: int = 0

    def count(self, status: Status, kinds: Iterable[ActionKind] | None = None) -> int:
        chosen = set(kinds) if kinds is not None else set(ActionKind)
        return sum(1 for r in self.results if r.status is status and r.action.kind in chosen)

    @property
    def failed(self) -> tuple[ActionResult, ...]:
        return tuple(r for r in self.results if r.status is Status.FAILED)

    @property
    def uploads(self) -> int:
        return sum(1 for r in self.results if r.uploaded_bytes)

    @property
    def uploaded_bytes(self) -> int:
        return sum(r.uploaded_bytes for r in self.results)

    @property
    def exit_code(self) -> int:
        """0 all done, 1 some steps failed, 2 the run was stopped (token, protocol)."""
        if self.fatal is not None:
            return 2
        return 1 if self.failed else 0

    def summary(self) -> dict[str, int]:
        done = {str(kind): 0 for kind in ActionKind}
        for result in self.results:
            if result.status is Status.DONE:
                done[str(result.action.kind)] += 1
        return {
            **done,
            "unchanged": self.planned_unchanged + self.count(Status.UNCHANGED),
            "failed": self.count(Status.FAILED),
            "not_started": self.count(Status.NOT_STARTED),
            "uploads": self.uploads,
            "uploaded_bytes": self.uploaded_bytes,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "results": [result.to_json() for result in self.results],
            "summary": self.summary(),
            "seconds": round(self.seconds, 3),
        }


# ---- reading Moodle -------------------------------------------------------------------------


def check_site(moodle: Moodle) -> SiteInfo:
    """Site info, and a ``NotInService`` naming every function the service lacks."""
    from lms_sync.errors import NotInService

    info = moodle.site_info()
    missing = info.missing(NEEDED_FUNCTIONS)
    if missing:
        raise NotInService(
            "accessexception",
            missing[0],
            f"the token's service lacks {len(missing)} function(s) the sync needs: "
            + ", ".join(missing),
        )
    if not info.uploadfiles:
        raise NotInService(
            "uploadfilesdisabled",
            "upload",
            "the service does not allow file uploads: tick 'Can upload files' on the "
            "Sandyq catalogue sync service",
        )
    return info


def observe(
    moodle: Moodle,
    items: Iterable[PublishedItem],
    mapping: LayoutMapping,
    filters: Filters = EVERYTHING,
) -> MoodleState:
    """What the planner needs to know of Moodle, and no more (see the module docstring)."""
    modules: dict[str, SyncedModule] = {}
    for module in sorted(moodle.get_synced(), key=lambda m: m.cmid):
        uuid = uuid_of(module.idnumber)
        if uuid is None:
            continue
        if uuid in modules:
            log.warning("two activities carry %s (cmid %d and %d): the sync uses the first",
                        module.idnumber, modules[uuid].cmid, module.cmid)  # fmt: skip
            continue
        modules[uuid] = module
    wanted = [
        item
        for item in latest(items)
        if item.published and filters.accepts(item) and item.uuid not in modules
    ]
    courses: dict[str, int] = {}
    missing_subjects: set[str] = set()
    for idnumber, item in {mapping.course(item).idnumber: item for item in wanted}.items():
        course = moodle.courses_by_idnumber(idnumber)
        if course is not None:
            courses[idnumber] = course.id
        else:
            missing_subjects.add(mapping.subject_of(item))
    categories: dict[str, int] = {}
    if missing_subjects:
        names = [mapping.category(subject).idnumber for subject in sorted(missing_subjects)]
        root = mapping.root()
        if root is not None:
            names.insert(0, root.idnumber)
        found = moodle.categories_by_idnumber(names)
        categories = {idnumber: category.id for idnumber, category in found.items()}
    return MoodleState(categories=categories, courses=courses, modules=modules)


# ---- carrying a plan out ----------------------------------------------------------------------


class _Stop(Exception):
    """Internal: the run stopped before this step."""


@dataclass
class _Run:
    moodle: Moodle
    catalogue: Catalogue
    sha1s: PackageSha1s
    folder: Path
    section: int
    retries: Retries
    hook: Callable[[str, Action], None] | None
    sleep: Callable[[float], None]
    ids: dict[str, int] = field(default_factory=dict)  # category and course ids by idnumber
    failed_parents: dict[str, str] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)
    fatal: SyncError | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Held while Moodle unpacks a package (create and update). Moodle's file pool is not
    #: safe for two requests adding the same new content at once: one loses a mkdir race
    #: and rolls back, and its clean-up can trash a content file another request's record
    #: still points to (a real Moodle lost a package's manifest so, both activities
    #: "invalid package"). Downloads and uploads still run ``concurrency`` at a time.
    unpacking: threading.Lock = field(default_factory=threading.Lock)

    def event(self, name: str, action: Action) -> None:
        if self.hook is not None:
            self.hook(name, action)

    def again(self, what: str, attempt: Callable[[], T], look: Callable[[], T | None]) -> T:
        """``attempt`` a write; after a retryable transport error, ``look`` whether it took
        effect (its result if so) and otherwise try again after a pause.

        Only ``attempt``'s errors are retried: an error while looking goes straight up,
        since nobody knows then whether the write took."""
        looking = False
        tried = False

        def once() -> T:
            nonlocal looking, tried
            if tried:
                looking = True
                found = look()
                looking = False
                if found is not None:
                    return found
            tried = True
            return attempt()

        def retryable(error: BaseException) -> bool:
            return not looking and isinstance(error, TransportError) and error.retryable

        def on_retry(error: BaseException, number: int, delay: float) -> None:
            log.warning("%s: %s; looking, then retrying in %.1fs", what, error, delay)

        return retry_call(
            once, self.retries, retry_on=retryable, on_retry=on_retry, sleep=self.sleep
        )


def apply(
    plan: Plan,
    moodle: Moodle,
    catalogue: Catalogue,
    *,
    state: MoodleState,
    sha1s: PackageSha1s,
    mapping: LayoutMapping = DEFAULT_MAPPING,
    concurrency: int = 3,
    retries: Retries = DEFAULT_RETRIES,
    work_dir: Path | None = None,
    progress: Callable[[ActionResult], None] | None = None,
    hook: Callable[[str, Action], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncReport:
    """Carry ``plan`` out against ``moodle``; one result per action, in plan order.

    ``progress`` hears each result as it comes (from the calling thread). ``hook`` hears
    ``("downloaded" | "uploaded" | "created" | "updated", action)`` from the worker
    threads: tests raise from it to kill a run halfway (a ``BaseException`` that is not an
    ``Exception`` goes straight through, like a real interruption).
    """
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="sandyq-sync-", dir=work_dir))
    run = _Run(moodle, catalogue, sha1s, folder, mapping.section, retries, hook, sleep)
    run.ids.update(state.categories)
    run.ids.update(state.courses)
    results: dict[int, ActionResult] = {}

    def report(index: int, result: ActionResult) -> None:
        results[index] = result
        if progress is not None:
            progress(result)

    try:
        indexed = list(enumerate(plan.actions))
        for index, action in indexed:
            if action.kind in STRUCTURE_KINDS:
                report(index, _guarded(run, action, _structure))
        resources = [(i, a) for i, a in indexed if a.kind not in STRUCTURE_KINDS]
        with ThreadPoolExecutor(max(1, concurrency), thread_name_prefix="sandyq-sync") as pool:
            pending: dict[Future[ActionResult], int] = {
                pool.submit(_guarded, run, action, _resource): index for index, action in resources
            }
            try:
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        report(pending.pop(future), future.result())
            except BaseException:
                run.stop.set()
                for future in pending:
                    future.cancel()
                raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ordered = tuple(results[index] for index in sorted(results))
    return SyncReport(ordered, time.monotonic() - started, run.fatal, plan.unchanged)


def _guarded(
    run: _Run, action: Action, step: Callable[[_Run, Action], ActionResult]
) -> ActionResult:
    """One step, its errors turned into a result; a fatal error stops the run."""
    if run.stop.is_set():
        return ActionResult(action, Status.NOT_STARTED, "the run stopped before this step")
    try:
        return step(run, action)
    except _Stop as stopped:
        return ActionResult(action, Status.NOT_STARTED, str(stopped))
    except SyncError as error:
        if error.fatal:
            with run.lock:
                if run.fatal is None:
                    run.fatal = error
            run.stop.set()
        return ActionResult(action, Status.FAILED, str(error))
    except Exception as error:  # disk full, a broken zip ...: this resource only
        log.exception("%s %s failed", action.kind, action.idnumber)
        return ActionResult(action, Status.FAILED, f"{type(error).__name__}: {error}")


# ---- categories and courses --------------------------------------------------------------------


def _structure(run: _Run, action: Action) -> ActionResult:
    parent_id = 0
    if action.parent:
        if action.parent in run.failed_parents:
            run.failed_parents[action.idnumber] = action.parent
            return ActionResult(action, Status.FAILED, f"{action.parent} could not be created")
        if action.parent not in run.ids:
            raise SyncError(f"{action.parent} is neither in Moodle nor in the plan")
        parent_id = run.ids[action.parent]
    try:
        if action.kind is ActionKind.CREATE_CATEGORY:
            made = _ensure_category(run, action, parent_id)
        else:
            made = _ensure_course(run, action, parent_id)
    except SyncError:
        run.failed_parents[action.idnumber] = action.parent or "-"
        raise
    created, identifier = made
    run.ids[action.idnumber] = identifier
    if created:
        return ActionResult(action, Status.DONE, cmid=None)
    return ActionResult(action, Status.UNCHANGED, "it exists already (made by another run)")


def _ensure_category(run: _Run, action: Action, parent_id: int) -> tuple[bool, int]:
    def look() -> tuple[bool, int] | None:
        found = run.moodle.categories_by_idnumber([action.idnumber]).get(action.idnumber)
        return (False, found.id) if found is not None else None

    def attempt() -> tuple[bool, int]:
        try:
            return True, run.moodle.create_category(action.name, parent_id, action.idnumber).id
        except IdNumberTaken:
            found = look()
            if found is None:
                raise
            return found

    return run.again(f"create category {action.idnumber}", attempt, look)


def _ensure_course(run: _Run, action: Action, category_id: int) -> tuple[bool, int]:
    def look() -> tuple[bool, int] | None:
        found = run.moodle.courses_by_idnumber(action.idnumber)
        return (False, found.id) if found is not None else None

    def attempt() -> tuple[bool, int]:
        try:
            created = run.moodle.create_course(
                action.name, action.shortname, category_id, action.idnumber
            )
            return True, created.id
        except IdNumberTaken:
            found = look()
            if found is None:
                raise  # the short name is taken by a course made by hand: say so
            return found

    return run.again(f"create course {action.idnumber}", attempt, look)


# ---- resources ---------------------------------------------------------------------------------


def _resource(run: _Run, action: Action) -> ActionResult:
    if action.kind is ActionKind.HIDE or action.kind is ActionKind.SHOW:
        assert action.cmid is not None
        run.moodle.set_module_visible(action.cmid, action.kind is ActionKind.SHOW)
        return ActionResult(action, Status.DONE, cmid=action.cmid)
    if action.kind is ActionKind.RENAME:
        assert action.cmid is not None
        run.moodle.update_scorm(action.cmid, name=action.name)  # repeating it is harmless
        return ActionResult(action, Status.DONE, cmid=action.cmid)
    if action.kind is ActionKind.ADD_SCORM:
        return _add(run, action)
    return _update(run, action)


def _download(run: _Run, action: Action) -> Download:
    assert action.item is not None
    if run.stop.is_set():
        raise _Stop("the run stopped before this step")
    download = run.catalogue.download(action.item, run.folder)
    run.sha1s.remember(sha1_key(action.item.uuid, action.item.sha256), download.sha1)
    run.event("downloaded", action)
    return download


def _upload(run: _Run, action: Action, download: Download) -> int:
    assert action.item is not None
    if run.stop.is_set():
        raise _Stop("the run stopped before this step")
    name = f"{action.item.uuid}.zip"
    try:
        result = run.moodle.upload([(name, download.path)])
    finally:
        download.path.unlink(missing_ok=True)
    run.event("uploaded", action)
    return result.itemid


def _synced_now(run: _Run, course_id: int | None, idnumber: str) -> SyncedModule | None:
    """The module as Moodle has it now: an earlier run may have made or changed it."""
    modules = run.moodle.get_synced([course_id] if course_id is not None else None)
    found = [module for module in modules if module.idnumber == idnumber]
    return min(found, key=lambda module: module.cmid) if found else None


def _add(run: _Run, action: Action) -> ActionResult:
    item = action.item
    assert item is not None
    if action.parent in run.failed_parents or action.parent not in run.ids:
        return ActionResult(action, Status.FAILED, f"course {action.parent} could not be made")
    course_id = run.ids[action.parent]
    idnumber = module_idnumber(item.uuid)
    download = _download(run, action)
    existing = _synced_now(run, course_id, idnumber)
    if existing is not None:  # a killed run made it: finish its work instead
        if existing.sha1hash == download.sha1:
            download.path.unlink(missing_ok=True)
            return ActionResult(action, Status.UNCHANGED, "already in Moodle (an earlier run "
                                "made it)", cmid=existing.cmid)  # fmt: skip
        return _replace(run, action, existing.cmid, download)
    draft = _upload(run, action, download)

    def look() -> RemoteScorm | None:
        module = _synced_now(run, course_id, idnumber)
        if module is None:
            return None
        return RemoteScorm(module.cmid, module.instanceid, module.sha1hash, module.revision)

    def attempt() -> RemoteScorm:
        with run.unpacking:
            return run.moodle.create_scorm(course_id, run.section, item.title, draft, idnumber)

    made = run.again(f"create SCORM {idnumber}", attempt, look)
    run.event("created", action)
    return ActionResult(action, Status.DONE, cmid=made.cmid, uploaded_bytes=download.size)


def _update(run: _Run, action: Action) -> ActionResult:
    assert action.cmid is not None
    download = _download(run, action)
    if download.sha1 == action.sha1:
        download.path.unlink(missing_ok=True)
        return ActionResult(action, Status.UNCHANGED, "Moodle has this package already",
                            cmid=action.cmid)  # fmt: skip
    return _replace(run, action, action.cmid, download)


def _replace(run: _Run, action: Action, cmid: int, download: Download) -> ActionResult:
    size = download.size
    draft = _upload(run, action, download)

    def look() -> RemoteScorm | None:
        module = _synced_now(run, None, action.idnumber)
        if module is None or module.sha1hash != download.sha1:
            return None
        return RemoteScorm(module.cmid, module.instanceid, module.sha1hash, module.revision)

    def attempt() -> RemoteScorm:
        with run.unpacking:
            return run.moodle.update_scorm(cmid, draft)

    run.again(f"update SCORM {cmid}", attempt, look)
    run.event("updated", action)
    return ActionResult(action, Status.DONE, cmid=cmid, uploaded_bytes=size)
