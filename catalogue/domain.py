"""The catalogue's vocabulary: roles, token scopes, the review's states and answers, the
rubric, and UTC time. Plain Python: no Flask, no SQLAlchemy, no I/O.

The models store these values (``catalogue.models`` re-exports every name, so the rest of
the tree may keep importing them from there) and the review's state machine
(``catalogue.workflow``) reasons with them without knowing about the database.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import overload

from scorm_builder import vocabulary


class Role(enum.StrEnum):
    TEACHER = "teacher"
    REVIEWER = "reviewer"
    CHAIR = "chair"
    ADMIN = "admin"


class TokenScope(enum.StrEnum):
    SYNC = "sync"  # read-only: the published feed and package downloads
    API = "api"  # acts as its user, with the user's roles
    RESULTS = "results"  # what sync may, and reporting learners' use back from Moodle


#: Tokens that change nothing in the catalogue (a results token only adds usage reports).
READ_ONLY_SCOPES = frozenset({TokenScope.SYNC, TokenScope.RESULTS})


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    REVISION_REQUESTED = "revision_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    WITHDRAWN = "withdrawn"


class ResourceType(enum.StrEnum):
    LESSON = "lesson"
    TEST = "test"
    VIDEO_LECTURE = "video_lecture"
    COURSE = "course"
    VIRTUAL_LAB = "virtual_lab"
    OTHER = "other"


class AssignmentState(enum.StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SUBMITTED = "submitted"
    REMOVED = "removed"


class Recommendation(enum.StrEnum):
    APPROVE = "approve"
    MINOR_REVISION = "minor_revision"
    MAJOR_REVISION = "major_revision"
    REJECT = "reject"


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


#: The gates a review must pass (a failed gate blocks approval) and the criteria scored 0-3.
GATES = ("legal_child_safety", "copyright_licences", "no_factual_errors")
CRITERIA = (
    "curriculum_alignment",
    "pedagogy",
    "assessment_quality",
    "accessibility",
    "technical_quality",
    "language_quality",
)
LICENSES = vocabulary.LICENCE_IDS  # the vocabulary's, in its order


# ---- time: every moment is UTC ------------------------------------------------------------

#: How the API writes every moment (``timestamp``): UTC, always with the microseconds the
#: database keeps, and "Z", e.g. ``2026-09-01T08:30:00.000000Z``. One fixed width, so the
#: text sorts as the moments do and a moment sent back (``since``) loses nothing.
TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime; a naive one is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@overload
def timestamp(moment: datetime) -> str: ...
@overload
def timestamp(moment: None) -> None: ...
@overload
def timestamp(moment: datetime | None) -> str | None: ...
def timestamp(moment: datetime | None) -> str | None:
    """The API's text for ``moment`` (see ``TIMESTAMP_PATTERN``), or None for no moment."""
    if moment is None:
        return None
    # isoformat, not strftime: strftime does not pad a year before 1000 to four digits.
    return as_utc(moment).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
