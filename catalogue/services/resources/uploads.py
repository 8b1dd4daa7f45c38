"""A package upload to a new version: streamed into a private temporary file under
``MAX_UPLOAD_BYTES``, validated and read there, and only a valid package reaches the
content-addressed storage; a refused upload leaves no row, no stored file and no temporary
file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app

from catalogue.errors import Invalid, TooLarge
from catalogue.models import Resource, ResourceVersion, User
from catalogue.services.resources.findings import render_findings, stored_findings
from catalogue.services.resources.metadata import apply_fields, package_metadata, prefill_version
from catalogue.storage import StoredTooLarge, storage
from scorm_builder.package_info import PackageMetadata
from scorm_builder.validate import Report, Severity, validate_package
from scorm_builder.validate.messages import Lang
from scorm_builder.zipsafe import ZipLimits

DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A package as it arrives: its bytes and the name it had on the author's computer."""

    stream: IO[bytes]
    filename: str


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
    # the zip limits of the configuration (ZIP_MAX_*_BYTES, from SANDYQ_ZIP_* by default)
    report = validate_package(path, limits=ZipLimits.from_config(current_app.config))
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


def new_version(
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
        prefill_version(version, found, previous, offline_ready=report.offline_ready)
        apply_fields(version, fields)
        version.package_sha256, version.package_size = _store(path, limit)
    resource.versions.append(version)
    return version
