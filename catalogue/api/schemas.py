"""The request bodies and answers of ``/api/v1``, as pydantic models.

They are the API's contract in one place: ``catalogue.api.openapi`` turns them into the
OpenAPI document's schemas, the views read their simple JSON bodies through them
(``Body.parse``), and under ``TESTING`` every JSON answer is checked against its model, so
the document cannot say something the code does not do. The views still render plain
dicts (their keys and types are what clients such as ``lms_sync`` read); a model only
checks and describes them. Bodies whose rules live in a service (metadata, review answers,
usage reports, uploads) are described here and checked there, with the service's codes.

Answers forbid unknown keys: a key added to a view must be added here too. Enumerations
come from ``catalogue.domain`` and ``scorm_builder.vocabulary``, never restated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    PlainValidator,
    RootModel,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    create_model,
)

from catalogue.domain import (
    CRITERIA,
    GATES,
    TIMESTAMP_PATTERN,
    AssignmentState,
    Recommendation,
    ResourceType,
    State,
    timestamp,
)
from catalogue.errors import Invalid
from catalogue.search.feed import DEFAULT_LIMIT, MAX_LIMIT
from catalogue.search.query import DEFAULT_PER_PAGE, MAX_PER_PAGE, Sort
from catalogue.services import offline_results
from catalogue.services.resources import TEXT_FIELDS
from catalogue.services.usage_report import MAX_ACTIVITIES, MAX_NAME_LENGTH, MAX_URL_LENGTH
from scorm_builder.validate.findings import Severity
from scorm_builder.vocabulary import AUTHOR_FIELDS, GRADES, LANGUAGES, LICENCE_IDS

Json = dict[str, Any]


class OneOf:
    """``Annotated[str, OneOf(values)]``: text that is one of ``values`` (an enum's values,
    a vocabulary's ids), inline in the schema as ``enum`` so a reader sees the choices."""

    def __init__(self, values: Iterable[object]) -> None:
        self.values = [str(value) for value in values]

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        """The schema of ``Literal[*values]``: validated as one, written as an ``enum``."""
        choices: Any = Literal.__getitem__(tuple(self.values))
        return handler.generate_schema(choices)


#: Every moment the API writes, in one format (``catalogue.domain.timestamp``).
TIMESTAMP: Json = {
    "type": "string",
    "format": "date-time",
    "pattern": TIMESTAMP_PATTERN,
    "description": "UTC, with microseconds: YYYY-MM-DDTHH:MM:SS.ffffffZ",
    "examples": [timestamp(datetime(2026, 9, 1, 8, 30, tzinfo=UTC))],
}
_Stamp = Annotated[str, StringConstraints(pattern=TIMESTAMP_PATTERN)]
Timestamp = Annotated[_Stamp, WithJsonSchema(TIMESTAMP)]
MaybeTimestamp = Annotated[_Stamp | None, WithJsonSchema({**TIMESTAMP, "type": ["string", "null"]})]

#: A moment the API reads: any ISO 8601 date and time (UTC when it has no offset).
MOMENT_IN: Json = {
    "type": "string",
    "format": "date-time",
    "description": "ISO 8601, e.g. as the API writes moments; without an offset, UTC",
    "examples": [timestamp(datetime(2026, 9, 1, 8, 30, tzinfo=UTC))],
}


def _moment(value: object) -> datetime | None:
    """Read as ``datetime.fromisoformat`` does (a bare date too), as the services expect."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise ValueError("not an ISO 8601 date") from None


Moment = Annotated[datetime | None, PlainValidator(_moment), WithJsonSchema(MOMENT_IN)]
MaybeMoment = Annotated[
    datetime | None,
    PlainValidator(_moment),
    WithJsonSchema({**MOMENT_IN, "type": ["string", "null"]}),
]
UuidText = Annotated[str, WithJsonSchema({"type": "string", "format": "uuid"})]
Grade = Annotated[int, Field(ge=GRADES[0], le=GRADES[-1])]
Month = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}$")]


def _optional(**constraints: Any) -> Any:
    """A field that may be left out (``Field(None)``), typed ``Any`` so that it can stand
    for a type that is not nullable: what a client may omit is not thereby null."""
    return Field(None, **constraints)


class Model(BaseModel):
    """An answer: every key it may have, none other."""

    model_config = ConfigDict(extra="forbid")


# ---- errors -------------------------------------------------------------------------------


class ErrorDetail(Model):
    code: str = Field(description="stable, for programs")
    message: str = Field(
        description="for people, in the caller's language (Content-Language names it): "
        "the locale cookie, else Accept-Language (kk, ru or en), else Kazakh"
    )
    details: Any = Field(
        None,
        description="package_invalid and not_a_zip: {findings: [Finding]}; "
        "metadata_invalid: {fields: {name: problem}}, each problem in the message's "
        "language; invalid_query: {parameter}",
    )


class Error(Model):
    """Every refusal: a stable code for programs and a message for people in their
    language (``catalogue.errors``, ``catalogue.error_texts``)."""

    error: ErrorDetail


# ---- resources ----------------------------------------------------------------------------


class Person(Model):
    """A name for everyone; the e-mail only for those who work on the resource."""

    name: str
    email: str | None = _optional(description="only for those who work on it")


class Finding(Model):
    """A validator finding, rendered in the caller's language (Accept-Language)."""

    rule: str = Field(examples=["ZIP-NO-MANIFEST"])
    severity: Annotated[str, OneOf(Severity)]
    entry: str = Field("", description="the zip entry, if any")
    line: int | None = None
    message: str = Field(description="in the caller's language")
    hint: str = ""


class Package(Model):
    sha256: str
    size: int
    name: str
    url: str


class Validation(Model):
    valid: bool
    findings: list[Finding]


class Metadata(Model):
    """A version's metadata as stored: the author's fields and what the package says."""

    title: str = Field(description="in the resource's language")
    title_kk: str
    title_ru: str
    title_en: str
    description_kk: str
    description_ru: str
    description_en: str
    language: str
    subject: str = Field(examples=["physics"])
    grades: list[int]
    resource_type: Annotated[str, OneOf(ResourceType)]
    keywords: list[str]
    learning_minutes: int | None
    license: str
    rights_holder: str
    copyright_attested: bool
    accessibility: list[str] = Field(examples=[["captions", "alt_text"]])
    offline_ready: bool
    scorm_version: str = Field(examples=["2004 4th Edition", "1.2"])


def _text(name: str) -> Any:
    """An optional author's text field, as long as ``TEXT_FIELDS`` lets it be."""
    return _optional(max_length=TEXT_FIELDS[name])


class MetadataChanges(BaseModel):
    """Any of the author's fields; at least one title must remain. Checked by
    ``catalogue.services.resources`` (422 metadata_invalid, each field's problem)."""

    model_config = ConfigDict(extra="forbid")

    title_kk: str = _text("title_kk")
    title_ru: str = _text("title_ru")
    title_en: str = _text("title_en")
    description_kk: str = _text("description_kk")
    description_ru: str = _text("description_ru")
    description_en: str = _text("description_en")
    language: Annotated[str, OneOf(LANGUAGES)] = _optional()
    subject: str = _optional(max_length=TEXT_FIELDS["subject"], examples=["physics"])
    grades: list[Grade] = _optional()
    resource_type: Annotated[str, OneOf(ResourceType)] = _optional()
    keywords: list[str] = _optional()
    learning_minutes: int | None = _optional(ge=1, le=10000)
    license: Annotated[str, OneOf(LICENCE_IDS)] = _optional()
    rights_holder: str = _text("rights_holder")
    copyright_attested: bool = _optional()


assert set(MetadataChanges.model_fields) == set(AUTHOR_FIELDS), "the author's fields changed"

#: The multipart form of an upload: the package, and fields that override the prefill.
UploadForm: type[BaseModel] = create_model(
    "UploadForm",
    __doc__="The package, and any of the author's fields (grades and keywords "
    "comma-separated); checked by catalogue.services.resources.",
    package=(
        Annotated[str, WithJsonSchema({"type": "string", "contentMediaType": "application/zip"})],
        ...,
    ),
    **{name: (str, _optional()) for name in AUTHOR_FIELDS},  # type: ignore[call-overload]
    coauthors=(str, _optional(description="e-mails, comma-separated")),
)


class Version(Model):
    number: int
    created_at: Timestamp
    frozen: bool = Field(description="submitted for review: immutable")
    frozen_at: MaybeTimestamp
    package: Package
    validation: Validation
    metadata: Metadata
    author_response: str


class Versions(Model):
    items: list[Version]


class Resource(Model):
    """A resource with its latest version; the authors' e-mails only for insiders."""

    uuid: UuidText
    state: Annotated[str, OneOf(State)]
    owner: Person
    coauthors: list[Person]
    created_at: Timestamp
    updated_at: Timestamp
    submitted_at: MaybeTimestamp
    published_at: MaybeTimestamp
    revision_due_at: MaybeTimestamp
    downloads: int
    versions: list[int] = Field(description="the numbers the caller may see")
    published_version: int | None = Field(
        description="the number of the version the public sees (null while none is): a "
        "newer one may be under review"
    )
    latest_version: Version = Field(description="the newest version the caller may see")
    links: dict[str, str] = Field(description="self, versions, package")


class Authors(Model):
    owner: Person
    coauthors: list[Person]


class CoauthorEmail(BaseModel):
    """The co-author's e-mail (also accepted as the query parameter ``email``)."""

    email: str = Field(json_schema_extra={"format": "email"})


class EmailQuery(BaseModel):
    email: str = Field(description="the co-author's e-mail")


class LastDecision(Model):
    action: str
    to_state: str | None
    reason: str
    at: Timestamp


class Feedback(Model):
    reviews_submitted: int
    last_decision: LastDecision | None


class LatestVersionSummary(Model):
    number: int
    frozen: bool
    created_at: Timestamp
    valid: bool


class MyResource(Model):
    uuid: UuidText
    title: str
    state: Annotated[str, OneOf(State)]
    role: Literal["owner", "coauthor"]
    updated_at: Timestamp
    revision_due_at: MaybeTimestamp
    downloads: int
    latest_version: LatestVersionSummary
    feedback: Feedback
    links: dict[str, str]


class MyResources(Model):
    items: list[MyResource]


# ---- search and the feed ------------------------------------------------------------------


class SearchQuery(BaseModel):
    """Repeat subject, grade, language, type or license to match any of the values; parsed
    by ``catalogue.search.query`` (422 invalid_query naming the parameter)."""

    q: str = _optional(description="words to find (Kazakh, Russian or English)")
    subject: list[str] = _optional(description="subject ids")
    grade: list[Grade] = _optional(description="grades")
    language: list[Annotated[str, OneOf(LANGUAGES)]] = _optional(description="languages")
    type: list[Annotated[str, OneOf(ResourceType)]] = _optional(description="resource types")
    license: list[Annotated[str, OneOf(LICENCE_IDS)]] = _optional(description="licences")
    offline: bool = _optional(description="offline-ready only")
    size_min: int = _optional(ge=0, description="package size at least (bytes)")
    size_max: int = _optional(ge=0, description="package size at most (bytes)")
    sort: Annotated[str, OneOf(Sort)] = _optional(
        description="order (relevance when q is given, else newest)"
    )
    page: int = Field(1, ge=1, description="page number, from 1")
    per_page: int = Field(DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE, description="results per page")


class SearchHit(Model):
    uuid: UuidText
    version: int
    title: str
    titles: dict[str, str]
    description: str
    language: str
    subject: str
    grades: list[int]
    resource_type: str
    license: str
    keywords: list[str]
    offline_ready: bool
    size: int
    scorm_version: str
    published_at: MaybeTimestamp
    downloads: int
    download_url: str


class FacetCount(Model):
    value: Any
    count: int
    size_min: int | None = _optional(description="the size facet's buckets only")
    size_max: int | None = None


class Facets(Model):
    subject: list[FacetCount]
    grade: list[FacetCount]
    language: list[FacetCount]
    type: list[FacetCount]
    license: list[FacetCount]
    offline: list[FacetCount]
    size: list[FacetCount]


class SearchResult(Model):
    total: int
    page: int
    per_page: int
    sort: Annotated[str, OneOf(Sort)]
    fuzzy: bool = Field(description="no exact match: similar words")
    suggestion: str | None = Field(
        description="no resource has every word: the query with its unknown words replaced "
        "by the closest words of the index (did you mean), else null"
    )
    items: list[SearchHit]
    facets: Facets


class FeedQuery(BaseModel):
    since: Moment = _optional(description="changes from this time on")
    cursor: str = _optional(description="where the previous page ended (from next)")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="page size")


class FeedEntry(Model):
    uuid: UuidText
    version: int
    title: str
    language: str
    subject: str
    grades: list[int]
    sha256: str
    size: int
    scorm_version: str
    download_url: str
    published_at: MaybeTimestamp
    state: Literal["published", "unpublished"]
    changed_at: Timestamp


class Feed(Model):
    """A page of the feed, oldest change first."""

    items: list[FeedEntry]
    next: str | None = Field(description="the next page (null: last)")


# ---- statistics ---------------------------------------------------------------------------


class MonthlyDownloads(Model):
    resource: UuidText
    month: Month
    downloads: int


class ResourceCounts(Model):
    """Counts; subject, grade and language of each latest version."""

    total: int
    by_state: dict[str, int]
    by_subject: dict[str, int]
    by_grade: dict[str, int]
    by_language: dict[str, int]


class Turnaround(Model):
    median_days: float | None
    count: int


class Stats(Model):
    resources: ResourceCounts
    review_turnaround: dict[str, Turnaround] = Field(
        description="median days per stage, from the audit log"
    )
    downloads: list[MonthlyDownloads]


class DownloadsQuery(BaseModel):
    resource: UuidText = _optional(description="the resource's UUID (else: all of them)")


class AllDownloads(Model):
    items: list[MonthlyDownloads]


class MonthDownloads(Model):
    month: Month
    downloads: int


class ResourceDownloads(Model):
    resource: UuidText
    total: int
    months: list[MonthDownloads]


class DownloadStats(RootModel[AllDownloads | ResourceDownloads]):
    """Every resource's downloads per month, or one resource's."""


# ---- usage --------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UsageSite(_Strict):
    url: str = Field(
        max_length=MAX_URL_LENGTH,
        description="http(s), no user, query or fragment; the site's identity (scheme and "
        "host lower-cased, no trailing slash)",
        examples=["https://moodle.school.kz"],
    )
    name: str = Field(max_length=MAX_NAME_LENGTH)


class UsageCourse(_Strict):
    id: int = Field(ge=1)
    name: str = Field(max_length=MAX_NAME_LENGTH)


class UsageActivity(_Strict):
    resource: UuidText
    version: int | None = _optional(ge=1)
    course: UsageCourse
    learners: int = Field(ge=0, description="learners who attempted")
    completed: int = Field(ge=0, description="<= learners")
    passed: int = Field(ge=0, description="<= learners")
    attempts: int = Field(ge=0)
    score_mean: float | None = _optional(ge=0, le=100)
    score_median: float | None = _optional(ge=0, le=100)
    time_seconds: int | None = _optional(ge=0, description="time spent, summed over learners")


class UsageReport(_Strict):
    """A Moodle site's totals so far (cumulative, not since the last report) for each
    activity of a catalogue resource; counts and aggregates only, never a learner. Unknown
    fields are refused. Checked by ``catalogue.services.usage_report`` (422 usage_invalid,
    details.fields naming each entry)."""

    site: UsageSite
    period: str = Field(
        json_schema_extra={"format": "date"},
        description="the UTC day of the snapshot, YYYY-MM-DD, at most one day ahead; a "
        "second report of the same site and day replaces the first",
    )
    activities: list[UsageActivity] = Field(
        max_length=MAX_ACTIVITIES, description="one entry per course and resource"
    )


class StoredSite(Model):
    url: str
    name: str


class UsageStored(Model):
    site: StoredSite
    period: str = Field(json_schema_extra={"format": "date"})
    stored: int = Field(description="activities stored")
    unknown_resources: list[UuidText] = Field(
        description="UUIDs the catalogue does not know; their entries were left out, the "
        "rest stored"
    )


class OfflineResult(_Strict):
    """One pupil's use of one resource, as the library recorded it."""

    resource: UuidText
    version: int | None = _optional(ge=1, description="left out when the library did not know")
    pupil: str = Field(
        max_length=offline_results.MAX_PUPIL_LENGTH,
        pattern=r"^p-[0-9a-fA-F]+$",
        description="the library's random id for the pupil; checked, never stored",
        examples=["p-3f2a9c"],
    )
    name: str = _optional(
        max_length=offline_results.MAX_PUPIL_NAME_LENGTH,
        description="only when the teacher chose to include names; checked, never stored",
    )
    completed: bool
    passed: bool
    score: int | None = Field(ge=0, le=100, description="a whole percent, or null")
    last_played: str | None = Field(
        json_schema_extra={"format": "date"},
        description="YYYY-MM-DD, not after the export; null when the library kept no day",
        examples=["2026-12-07"],
    )


class OfflineResultsFile(_Strict):
    """An offline library's results file (docs/offline-library.md), sent as it was exported:
    the checksum covers every other field. Unknown fields are refused. Checked by
    ``catalogue.services.offline_results`` (422 offline_results_invalid, details.fields
    naming each entry)."""

    format: Literal["sandyq-offline-results/1"]
    library: UuidText = Field(description="the library's id")
    school: str = Field(
        max_length=offline_results.MAX_SCHOOL_LENGTH, description="what the teacher typed"
    )
    exported_at: str = Field(
        json_schema_extra={"format": "date-time"},
        description="ISO 8601 (the library writes it without fractions of a second); its "
        "UTC day is the day the totals are counted for",
        examples=[timestamp(datetime(2026, 12, 8, 10, tzinfo=UTC))],
    )
    results: list[OfflineResult] = Field(
        max_length=offline_results.MAX_RESULTS,
        description="one entry per resource, version and pupil",
    )
    checksum: str = Field(
        pattern=r"^sha256:[0-9a-fA-F]{64}$",
        description='the SHA-256 of json.dumps(every other field, sort_keys=True, separators=(",", '
        '":"), ensure_ascii=False) in UTF-8',
    )


class OfflineResultsTaken(Model):
    """What the file was counted as: one usage entry per resource, for the export's day."""

    library: UuidText
    school: str
    exported_at: Timestamp
    period: str = Field(json_schema_extra={"format": "date"}, description="the export's UTC day")
    taken_at: Timestamp
    entries: int = Field(description="the file's results")
    learners: int = Field(description="distinct pupils in the file")
    resources: int = Field(description="resources whose use the file counted")


# ---- the council's review -----------------------------------------------------------------


def _text_or_empty(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


#: Text where null means none given, as the review's bodies have always taken it.
Text = Annotated[str, PlainValidator(_text_or_empty), WithJsonSchema({"type": ["string", "null"]})]


class Body(BaseModel):
    """A JSON body a view reads through its model: strict types, unknown keys ignored.

    A wrong value answers 422 ``invalid_<field>`` with ``must`` saying what it must be,
    the codes and messages the review's clients have always had."""

    model_config = ConfigDict(strict=True, extra="ignore")

    #: What each field must be, for the message; "text" unless said.
    must: ClassVar[Mapping[str, str]] = {}

    @classmethod
    def parse(cls, data: Mapping[str, object]) -> Self:
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            where = error.errors()[0]["loc"]
            name = str(where[0]) if where else "body"
            problem = cls.must.get(name, "text")
            raise Invalid(f"{name} must be {problem}", code=f"invalid_{name}") from None


class Reason(Body):
    reason: Text = ""


class Decision(Body):
    decision: Text = Field(
        "", description="request_revision, approve or reject (else 422 unknown_decision)"
    )
    reason: Text = ""


class Resubmission(Body):
    must: ClassVar[Mapping[str, str]] = {"same_reviewers": "true or false"}

    response: Text = Field("", description="the author's answer to the council")
    same_reviewers: bool = True


class AssignReviewers(Body):
    must: ClassVar[Mapping[str, str]] = {
        "reviewer_ids": "a list of user ids",
        "due_at": "an ISO 8601 date",
    }

    reviewer_ids: list[int]
    due_at: MaybeMoment = None


class Acceptance(Body):
    must: ClassVar[Mapping[str, str]] = {"no_conflict": "true or false"}

    no_conflict: bool | None = Field(
        None, description="true: no conflict of interest (else 422 no_conflict_required)"
    )


class ReviewAnswers(BaseModel):
    """Gates yes/no (a failed gate blocks approval), criteria 0-3 or null (not applicable);
    a draft may be partial, a submitted review may not. Checked by
    ``catalogue.services.review`` (422 invalid_review listing every problem)."""

    model_config = ConfigDict(extra="forbid")

    gates: dict[str, bool | None] = _optional(description="gates: " + ", ".join(GATES))
    scores: dict[str, Annotated[int, Field(ge=0, le=3)] | None] = _optional(
        description="criteria: " + ", ".join(CRITERIA)
    )
    recommendation: Annotated[str, OneOf(Recommendation)] | None = None
    comment_to_author: str = _optional()
    comment_to_chair: str = _optional()


class Member(Model):
    """A council member or author, by id and name."""

    id: int
    name: str


class Transitioned(Model):
    """A resource after a step of the review."""

    uuid: UuidText
    state: Annotated[str, OneOf(State)]
    version: int
    reviews_anonymous: bool
    submitted_at: MaybeTimestamp
    published_at: MaybeTimestamp
    revision_due_at: MaybeTimestamp


class ReviewAssignment(Model):
    id: int
    resource: UuidText
    title: str
    resource_state: Annotated[str, OneOf(State)]
    version: int
    reviewer: Member | None
    state: Annotated[str, OneOf(AssignmentState)]
    assigned_at: Timestamp
    due_at: MaybeTimestamp
    overdue: bool
    responded_at: MaybeTimestamp
    no_conflict_declared: bool
    decline_reason: str
    last_reminded_at: MaybeTimestamp = Field(
        description="when the reviewer was last reminded of the overdue review"
    )


class Assignments(Model):
    assignments: list[ReviewAssignment]


class Assigned(Model):
    """What assigning made, and the resource's state after it: ``under_review`` once it has
    two reviewers (the review starts by itself)."""

    assignments: list[ReviewAssignment]
    resource_state: Annotated[str, OneOf(State)]


class Review(Model):
    assignment_id: int
    gates: dict[str, bool | None]
    scores: dict[str, int | None]
    recommendation: Annotated[str, OneOf(Recommendation)] | None
    comment_to_author: str
    comment_to_chair: str
    updated_at: Timestamp
    submitted_at: MaybeTimestamp


class Change(Model):
    before: Any
    after: Any


class Changes(Model):
    """What changed since the version this reviewer reviewed before."""

    from_version: int
    to_version: int
    metadata: dict[str, Change]
    package_changed: bool
    author_response: str


class ReviewWork(Model):
    assignment: ReviewAssignment
    review: Review | None
    changes: Changes | None


class VisibleReview(Model):
    """A review as the caller may read it: authors see anonymous comments only."""

    version: int
    reviewer: Member | None
    comment_to_author: str
    submitted_at: MaybeTimestamp
    assignment_id: int | None = None
    gates: dict[str, bool | None] | None = None
    scores: dict[str, int | None] | None = None
    recommendation: Annotated[str, OneOf(Recommendation)] | None = None
    comment_to_chair: str | None = None
    counts: bool | None = _optional(description="the chair: whether it counts")


class Reviews(Model):
    reviews: list[VisibleReview]


class AuditEvent(Model):
    at: Timestamp
    version: int | None
    actor: Member | None
    action: str
    from_state: str | None
    to_state: str | None
    reason: str
    details: dict[str, Any]


class AuditLog(Model):
    events: list[AuditEvent]


class OverdueRevision(Model):
    resource: UuidText
    title: str
    version: int
    revision_due_at: MaybeTimestamp
    last_reminded_at: MaybeTimestamp = Field(
        description="when the authors were last reminded of the overdue revision"
    )
    authors: list[Member | None]


class Overdue(Model):
    assignments: list[ReviewAssignment]
    revisions: list[OverdueRevision]


class Reminders(Model):
    sent: int = Field(description="reminders sent")
