"""What the sync knows about a Moodle site: plain frozen dataclasses, no I/O.

``MoodleClient`` builds them from web-service answers; the planner compares them with
the catalogue. Field names follow Moodle's, except where Moodle is inconsistent: here
``visible`` is always a bool and ``section`` is always the section *number*.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SiteInfo:
    sitename: str
    siteurl: str
    release: str
    version: str
    userid: int
    username: str
    #: Names of the web-service functions the token may call.
    functions: frozenset[str]
    uploadfiles: bool
    downloadfiles: bool

    def missing(self, needed: frozenset[str] | set[str]) -> list[str]:
        """The needed functions the service does not offer, sorted."""
        return sorted(set(needed) - self.functions)


@dataclass(frozen=True)
class RemoteCategory:
    id: int
    name: str
    idnumber: str
    parent: int


@dataclass(frozen=True)
class RemoteCourse:
    id: int
    shortname: str
    fullname: str
    idnumber: str
    categoryid: int
    visible: bool
    lang: str


@dataclass(frozen=True)
class RemoteScorm:
    """What ``local_sandyq_create_scorm``/``_update_scorm`` report about the activity."""

    cmid: int
    instanceid: int
    #: SHA-1 of the package zip as Moodle stored it: compare with the catalogue's.
    sha1hash: str
    revision: int


@dataclass(frozen=True)
class SyncedModule:
    """One SCORM activity that the ``local_sandyq`` plugin created (``get_synced``)."""

    cmid: int
    instanceid: int
    courseid: int
    section: int
    idnumber: str
    name: str
    sha1hash: str
    visible: bool
    revision: int


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    filepath: str
    filesize: int
    itemid: int
    contextid: int
    userid: int


@dataclass(frozen=True)
class UploadResult:
    """The draft area a ``webservice/upload.php`` request filled."""

    itemid: int
    files: tuple[UploadedFile, ...]


@dataclass(frozen=True)
class ActivityUse:
    """How learners used one synced activity (``local_sandyq_get_results``): counts and
    aggregates only, never who."""

    courseid: int
    course_name: str
    cmid: int
    idnumber: str
    name: str
    learners: int
    completed: int
    passed: int
    attempts: int
    score_mean: float | None
    score_median: float | None
    time_seconds: int
