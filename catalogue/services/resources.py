"""Resources and their versions: submitting a package, reading, editing, co-authors.

Who may see a resource is decided in one place (``readable``): a published resource is
public (its latest version only); in any other state it is visible to its authors, the
council chair, administrators and the reviewers assigned to it. To anyone else it does not
exist: 404, never 403, so its existence does not leak.

An upload is streamed into a private temporary file under ``MAX_UPLOAD_BYTES``, validated
and read there, and only a valid package reaches the content-addressed storage; a refused
upload leaves no row, no stored file and no temporary file behind.

Validation findings are stored as data (rule, severity, entry, line, values) and become
sentences in the reader's language only when rendered (``render_findings``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

from flask import current_app
from sqlalchemy import func, select, update

from catalogue.auth import Principal, writable
from catalogue.db import db
from catalogue.errors import (
    CatalogueError,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    TooLarge,
    Unauthenticated,
)
from catalogue.models import (
    AssignmentState,
    AuditEvent,
    Download,
    Resource,
    ResourceAuthor,
    ResourceType,
    ResourceVersion,
    Review,
    ReviewAssignment,
    Role,
    State,
    User,
    utcnow,
)
from catalogue.services.review import check_conflicts
from catalogue.storage import StoredTooLarge, storage
from scorm_builder.package_info import PackageMetadata
from scorm_builder.validate import Finding, Report, Severity, validate_package
from scorm_builder.validate.messages import Lang, render
from scorm_builder.vocabulary import AUTHOR_FIELDS, GRADES, LANGUAGES, LICENCE_IDS

DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024
_CHUNK = 1024 * 1024

#: The text fields an author sets (on upload, or with PATCH while the version is not
#: frozen), with their longest length; ``METADATA_FIELDS`` are all of the author's fields.
TEXT_FIELDS: Mapping[str, int | None] = MappingProxyType(
    {
        "title_kk": 500,
        "title_ru": 500,
        "title_en": 500,
        "description_kk": None,
        "description_ru": None,
        "description_en": None,
        "rights_holder": 300,
        "subject": 64,
    }
)
METADATA_FIELDS = AUTHOR_FIELDS
assert set(TEXT_FIELDS) <= set(METADATA_FIELDS)
#: Audit events whose reason is the council's word to the author (``me/resources``).
DECISION_STATES = ("draft", "revision_requested", "approved", "rejected")


@dataclass(frozen=True)
class Upload:
    """A package as it arrives: its bytes and the name it had on the author's computer."""

    stream: IO[bytes]
    filename: str


@dataclass(frozen=True)
class Visible:
    """A resource as the caller may see it: ``insider`` (author, chair, admin, assigned
    reviewer) sees every version; anyone else sees a published resource's latest one."""

    resource: Resource
    insider: bool

    @property
    def versions(self) -> list[ResourceVersion]:
        resource = self.resource
        return list(resource.versions) if self.insider else [resource.latest]

    def version(self, number: int | None) -> ResourceVersion:
        if number is None:
            return self.resource.latest
        found = next((v for v in self.versions if v.number == number), None)
        if found is None:
            raise NotFound(f"the resource has no version {number}", code="version_not_found")
        return found


@dataclass(frozen=True)
class Feedback:
    """What the council has said so far, for the author's list of resources."""

    reviews_submitted: int
    last_decision: AuditEvent | None


# ---- reading -------------------------------------------------------------------------


def is_insider(resource: Resource, who: Principal) -> bool:
    user = who.user
    if user is None or who.read_only:
        return False
    if user.id in resource.author_ids or who.has_role(Role.CHAIR, Role.ADMIN):
        return True
    assigned = db.session.scalar(
        select(func.count())
        .select_from(ReviewAssignment)
        .where(
            ReviewAssignment.resource_id == resource.id,
            ReviewAssignment.reviewer_id == user.id,
            ReviewAssignment.state.not_in([AssignmentState.DECLINED, AssignmentState.REMOVED]),
        )
    )
    return bool(assigned)


def readable(uuid: str, who: Principal) -> Visible:
    """The resource if the caller may see it; otherwise 404, whether or not it exists."""
    resource = db.session.scalar(select(Resource).where(Resource.uuid == uuid.strip().lower()))
    if resource is not None:
        insider = is_insider(resource, who)
        if insider or resource.state is State.PUBLISHED:
            return Visible(resource, insider)
    raise NotFound(f"there is no resource {uuid}", code="resource_not_found")


def _authored(uuid: str, who: Principal, *, owner_only: bool = False) -> Resource:
    """The resource, for a change by one of its authors (or only its owner)."""
    if who.user is None:
        raise Unauthenticated("sign in or send a bearer token")
    writable(who)
    resource = readable(uuid, who).resource
    if who.user.id not in resource.author_ids:
        raise Forbidden("only the resource's authors may change it", code="not_author")
    if owner_only and who.user.id != resource.owner_id:
        raise Forbidden("only the resource's owner may change its authors", code="not_owner")
    return resource


def record_download(visible: Visible, version: ResourceVersion, who: Principal) -> None:
    """Count a download of a published resource's latest version (the published one).

    The counter is raised by one UPDATE in the database, not through the ORM, so that
    concurrent downloads neither lose counts nor trip the resource's ``lock_version``.
    """
    resource = visible.resource
    if resource.state is not State.PUBLISHED or version.number != resource.latest.number:
        return
    db.session.add(
        Download(
            resource_id=resource.id,
            version_number=version.number,
            via_token_id=who.token.id if who.token is not None else None,
        )
    )
    db.session.execute(
        update(Resource)
        .where(Resource.id == resource.id)
        # a download changes nothing about the resource: keep ``updated_at`` (Moodle sync
        # and the published feed read it) from moving with the counter
        .values(downloads=Resource.downloads + 1, updated_at=Resource.updated_at)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def my_resources(who: Principal) -> list[tuple[Resource, Feedback]]:
    """The caller's resources (owned or co-authored), most recently changed first."""
    if who.user is None:
        raise Unauthenticated("sign in or send a bearer token")
    user_id = who.user.id
    coauthored = select(ResourceAuthor.resource_id).where(ResourceAuthor.user_id == user_id)
    resources = list(
        db.session.scalars(
            select(Resource)
            .where((Resource.owner_id == user_id) | Resource.id.in_(coauthored))
            .order_by(Resource.updated_at.desc(), Resource.id.desc())
        )
    )
    ids = [r.id for r in resources]
    reviews: dict[int, int] = {
        resource_id: int(count)
        for resource_id, count in db.session.execute(
            select(ReviewAssignment.resource_id, func.count(Review.id))
            .join(Review, Review.assignment_id == ReviewAssignment.id)
            .where(ReviewAssignment.resource_id.in_(ids), Review.submitted_at.is_not(None))
            .group_by(ReviewAssignment.resource_id)
        )
    }
    decisions: dict[int, AuditEvent] = {}
    for event in db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.resource_id.in_(ids),
            AuditEvent.from_state.is_not(None),
            AuditEvent.from_state != AuditEvent.to_state,
            AuditEvent.to_state.in_(DECISION_STATES),
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    ):
        decisions[event.resource_id] = event
    return [(r, Feedback(reviews.get(r.id, 0), decisions.get(r.id))) for r in resources]


# ---- findings -----------------------------------------------------------------------


def stored_findings(report: Report) -> list[dict[str, Any]]:
    """The report's findings as language-neutral data, for the version's ``validation``."""
    return [
        {
            "rule": f.rule,
            "severity": f.severity.value,
            "entry": f.entry,
            "line": f.line,
            "params": dict(f.params),
        }
        for f in report.findings
    ]


def render_findings(stored: Sequence[Mapping[str, Any]], lang: Lang) -> list[dict[str, Any]]:
    """Stored findings with their message and hint in ``lang``."""
    rendered = []
    for data in stored:
        finding = Finding(
            rule=str(data["rule"]),
            severity=Severity(data["severity"]),
            entry=str(data.get("entry") or ""),
            line=data.get("line"),
            params=MappingProxyType(dict(data.get("params") or {})),
        )
        try:
            text = render(finding, lang)
            message, hint = text.message, text.hint
        except KeyError:  # a rule this validator no longer knows
            message, hint = finding.rule, ""
        rendered.append(
            {
                "rule": finding.rule,
                "severity": finding.severity.value,
                "entry": finding.entry,
                "line": finding.line,
                "message": message,
                "hint": hint,
            }
        )
    return rendered


# ---- metadata fields ---------------------------------------------------------------


def _words(value: object) -> list[str]:
    """A list from a JSON list or a comma-separated form field."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        raise ValueError("give a list, or words separated by commas")
    return [str(item).strip() for item in items if str(item).strip()]


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "on"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "0", "no", "off", ""):
        return False
    raise ValueError("give true or false")


def _clean_field(name: str, value: object) -> object:
    """One field's value in the model's type; ``ValueError`` says what is wrong."""
    if name in TEXT_FIELDS:
        text = "" if value is None else value
        if not isinstance(text, str):
            raise ValueError("give text")
        limit = TEXT_FIELDS[name]
        text = text.strip().lower() if name == "subject" else text.strip()
        if limit is not None and len(text) > limit:
            raise ValueError(f"at most {limit} characters")
        return text
    if name == "language":
        if value not in LANGUAGES:
            raise ValueError("one of " + ", ".join(LANGUAGES))
        return value
    if name == "grades":
        grades = []
        for word in _words(value):
            if not word.isdigit() or int(word) not in GRADES:
                raise ValueError(f"grades are whole numbers from {GRADES[0]} to {GRADES[-1]}")
            grades.append(int(word))
        return sorted(set(grades))
    if name == "resource_type":
        try:
            return ResourceType(str(value))
        except ValueError:
            raise ValueError("one of " + ", ".join(t.value for t in ResourceType)) from None
    if name == "keywords":
        return list(dict.fromkeys(word[:100] for word in _words(value)))
    if name == "learning_minutes":
        if value is None or value == "":
            return None
        text = str(value).strip()
        if isinstance(value, bool) or not text.isdigit() or not 1 <= int(text) <= 10_000:
            raise ValueError("minutes, a whole number from 1 to 10000")
        return int(text)
    if name == "license":
        if value not in LICENCE_IDS:
            raise ValueError("one of " + ", ".join(LICENCE_IDS))
        return value
    if name == "copyright_attested":
        return _boolean(value)
    raise ValueError("unknown field")


def clean_metadata(raw: Mapping[str, object]) -> dict[str, object]:
    """The fields of ``raw`` checked and converted; 422 listing every bad field."""
    fields: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name, value in raw.items():
        try:
            fields[name] = _clean_field(name, value)
        except ValueError as error:
            errors[name] = str(error)
    if errors:
        raise Invalid(
            "some metadata fields are not acceptable: " + ", ".join(sorted(errors)),
            code="metadata_invalid",
            details={"fields": errors},
        )
    return fields


def _apply(version: ResourceVersion, fields: Mapping[str, object]) -> None:
    for name, value in fields.items():
        setattr(version, name, value)
    if not (version.title_kk or version.title_ru or version.title_en):
        raise Invalid(
            "give a title in at least one language (title_kk, title_ru or title_en)",
            code="metadata_invalid",
            details={"fields": {"title": "a title in kk, ru or en is required"}},
        )


def package_metadata(report: Report) -> PackageMetadata:
    """What a validated package says about itself (``Report.info``, read by
    ``scorm_builder.package_reader``); empty for a file that is not a zip."""
    return report.info.metadata if report.info is not None else PackageMetadata()


def prefill(found: PackageMetadata, *, offline_ready: bool) -> dict[str, Any]:
    """What a package says about itself as the fields of a resource version: the result of
    a build or validation job, which the teacher's page turns into a new resource."""
    fields: dict[str, Any] = {}
    for language in LANGUAGES:
        fields[f"title_{language}"] = found.titles.get(language, "")[:500]
        fields[f"description_{language}"] = found.descriptions.get(language, "")
    fields.update(
        language=found.language or "",
        subject=found.subject or "",
        grades=list(found.grades),
        keywords=[keyword[:100] for keyword in found.keywords],
        resource_type=ResourceType(found.kind).value,
        scorm_version=(found.scorm_version or "")[:32],
        accessibility=list(found.accessibility),
        offline_ready=offline_ready,
    )
    return fields


def _prefill(
    version: ResourceVersion,
    found: PackageMetadata,
    previous: ResourceVersion | None,
    *,
    offline_ready: bool,
) -> None:
    """The previous version's metadata, then what the new package's manifest says; the
    measured facts (SCORM version, accessibility, offline readiness) come from the package.
    A new package needs a new copyright attestation, so that is never carried over."""
    if previous is not None:
        for name in METADATA_FIELDS:
            setattr(version, name, getattr(previous, name))
    else:
        version.resource_type = ResourceType(found.kind)
    for language, title in found.titles.items():
        setattr(version, f"title_{language}", title[:500])
    for language, description in found.descriptions.items():
        setattr(version, f"description_{language}", description)
    if found.language:
        version.language = found.language
    if found.subject:
        version.subject = found.subject
    if found.grades:
        version.grades = list(found.grades)
    if found.keywords:
        version.keywords = [keyword[:100] for keyword in found.keywords]
    version.copyright_attested = False
    version.scorm_version = (found.scorm_version or "")[:32]
    version.accessibility = list(found.accessibility)
    version.offline_ready = offline_ready


# ---- uploads ------------------------------------------------------------------------


def upload_limit() -> int:
    return int(current_app.config.get("MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def _too_large(limit: int) -> TooLarge:
    return TooLarge(
        f"the package is larger than {limit / 1024**2:g} MB, the largest the catalogue takes",
        details={"limit_bytes": limit},
    )


@contextmanager
def _staged(upload: Upload, limit: int) -> Iterator[Path]:
    """The upload in a private temporary file, removed on the way out whatever happens."""
    folder = Path(current_app.config["DATA_DIR"]) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, prefix="upload-", suffix=".zip")
    path = Path(name)
    try:
        size = 0
        with os.fdopen(handle, "wb") as out:
            while chunk := upload.stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                out.write(chunk)
        yield path
    finally:
        path.unlink(missing_ok=True)


def _checked(path: Path, lang: Lang) -> tuple[Report, PackageMetadata]:
    """The package's report and metadata; 422 when it is not a zip or has errors."""
    report = validate_package(path)
    findings = stored_findings(report)
    not_zip = [f for f in findings if f["rule"] == "ZIP-NOT-ZIP"]
    if not_zip:
        rendered = render_findings(not_zip, lang)[0]
        raise Invalid(
            f"{rendered['message']} {rendered['hint']}",
            code="not_a_zip",
            details={"findings": render_findings(not_zip, lang)},
        )
    if not report.valid:
        errors = report.count(Severity.ERROR)
        raise Invalid(
            f"the package is not a valid SCORM package ({errors} error(s)); "
            "see details.findings for what to fix",
            code="package_invalid",
            details={"findings": render_findings(findings, lang)},
        )
    return report, package_metadata(report)


def _store(path: Path, limit: int) -> tuple[str, int]:
    with path.open("rb") as stream:
        try:
            return storage().put(stream, limit=limit)
        except StoredTooLarge:
            raise _too_large(limit) from None


def _new_version(
    resource: Resource,
    who: User,
    upload: Upload,
    fields: Mapping[str, object],
    lang: Lang,
) -> ResourceVersion:
    """Version n+1 of ``resource`` from the upload: staged, validated, prefilled, then the
    author's fields on top; the package is stored only when everything else is in order."""
    previous = resource.versions[-1] if resource.versions else None
    limit = upload_limit()
    with _staged(upload, limit) as path:
        report, found = _checked(path, lang)
        version = ResourceVersion(
            number=previous.number + 1 if previous else 1,
            created_by_id=who.id,
            package_name=(upload.filename or "package.zip")[:255],
            validation={"valid": report.valid, "findings": stored_findings(report)},
        )
        _prefill(version, found, previous, offline_ready=report.offline_ready)
        _apply(version, fields)
        version.package_sha256, version.package_size = _store(path, limit)
    resource.versions.append(version)
    return version


def _coauthor_users(emails: Sequence[str], owner_id: int) -> list[User]:
    wanted = list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
    users = {
        u.email.lower(): u
        for u in db.session.scalars(select(User).where(func.lower(User.email).in_(wanted)))
        if u.active
    }
    unknown = [email for email in wanted if email not in users]
    if unknown:
        raise Invalid(
            "no catalogue user has the e-mail " + ", ".join(unknown),
            code="unknown_user",
            details={"emails": unknown},
        )
    return [users[email] for email in wanted if users[email].id != owner_id]


def _audit(
    resource: Resource,
    who: User,
    action: str,
    *,
    from_state: str | None = "",
    details: dict[str, Any] | None = None,
) -> None:
    """Append an audit event; as everywhere in the log, an action that does not change the
    state records the current state on both sides (``from_state=None``: a creation)."""
    state = resource.state.value
    db.session.add(
        AuditEvent(
            resource_id=resource.id,
            version_number=resource.latest.number,
            actor_id=who.id,
            action=action,
            from_state=state if from_state == "" else from_state,
            to_state=state,
            details=details or {},
        )
    )


def submit(
    who: Principal,
    upload: Upload,
    raw_fields: Mapping[str, object],
    coauthor_emails: Sequence[str],
    lang: Lang,
) -> Resource:
    """A new resource in draft with version 1 from the uploaded package."""
    if who.user is None:
        raise Unauthenticated("sign in or send a bearer token")
    writable(who)
    user = who.user
    fields = clean_metadata(raw_fields)
    coauthors = _coauthor_users(coauthor_emails, user.id)
    resource = Resource(owner_id=user.id, state=State.DRAFT)
    resource.coauthor_rows = [ResourceAuthor(user_id=c.id) for c in coauthors]
    _new_version(resource, user, upload, fields, lang)
    db.session.add(resource)
    db.session.flush()
    _audit(resource, user, "create", from_state=None)
    db.session.commit()
    return resource


# ---- changes by the authors ---------------------------------------------------------


def edit_metadata(uuid: str, who: Principal, raw_fields: Mapping[str, object]) -> Resource:
    """Change the latest version's metadata while it is not frozen."""
    resource = _authored(uuid, who)
    version = resource.latest
    editable = resource.state in (State.DRAFT, State.REVISION_REQUESTED)
    if not editable or version.frozen_at is not None:
        hint = (
            " upload a new version first"
            if resource.state is State.REVISION_REQUESTED
            else f" a {resource.state.value} resource's metadata is fixed"
        )
        raise Conflict(
            f"version {version.number} is frozen (it was submitted for review);{hint}",
            code="version_frozen",
        )
    fields = clean_metadata(raw_fields)
    _apply(version, fields)
    resource.updated_at = utcnow()  # the resource's lock_version guards against a submit
    assert who.user is not None
    _audit(resource, who.user, "edit_metadata", details={"fields": sorted(fields)})
    db.session.commit()
    return resource


def add_version(
    uuid: str,
    who: Principal,
    upload: Upload,
    raw_fields: Mapping[str, object],
    lang: Lang,
) -> ResourceVersion:
    """Version n+1 in answer to the council's revision request (frozen on resubmit)."""
    resource = _authored(uuid, who)
    if resource.state is not State.REVISION_REQUESTED:
        raise Conflict(
            f"a new version can be uploaded only when a revision is requested; "
            f"the resource is {resource.state.value}",
            code="wrong_state",
        )
    if resource.latest.frozen_at is None:
        raise Conflict(
            f"version {resource.latest.number} is already waiting to be resubmitted; "
            "edit it, or resubmit it",
            code="version_pending",
        )
    fields = clean_metadata(raw_fields)
    assert who.user is not None
    version = _new_version(resource, who.user, upload, fields, lang)
    resource.updated_at = utcnow()
    db.session.flush()
    _audit(resource, who.user, "new_version")
    db.session.commit()
    return version


def _user_by_email(email: str) -> User:
    user: User | None = db.session.scalar(
        select(User).where(func.lower(User.email) == email.strip().lower())
    )
    if user is None or not user.active:
        raise Invalid(
            f"no catalogue user has the e-mail {email}",
            code="unknown_user",
            details={"emails": [email]},
        )
    return user


def add_coauthor(uuid: str, who: Principal, email: str) -> Resource:
    """Add a co-author (the owner only); the council then re-checks conflicts of interest."""
    resource = _authored(uuid, who, owner_only=True)
    if not email.strip():
        raise CatalogueError("give the co-author's e-mail", code="email_missing")
    user = _user_by_email(email)
    if user.id in resource.author_ids:
        return resource
    resource.coauthor_rows.append(ResourceAuthor(user_id=user.id))
    resource.updated_at = utcnow()
    assert who.user is not None
    _audit(resource, who.user, "add_coauthor", details={"user_id": user.id})
    db.session.flush()
    check_conflicts(resource, who)  # drops assigned reviewers who are now authors
    db.session.commit()
    return resource


def remove_coauthor(uuid: str, who: Principal, email: str) -> Resource:
    resource = _authored(uuid, who, owner_only=True)
    user = _user_by_email(email)
    row = next((r for r in resource.coauthor_rows if r.user_id == user.id), None)
    if row is None:
        raise NotFound(f"{email} is not a co-author of this resource", code="not_a_coauthor")
    resource.coauthor_rows.remove(row)
    resource.updated_at = utcnow()
    assert who.user is not None
    _audit(resource, who.user, "remove_coauthor", details={"user_id": user.id})
    db.session.commit()
    return resource
