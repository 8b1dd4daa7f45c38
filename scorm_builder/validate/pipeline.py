"""The validator's stages in order, each run once on what the previous one produced.

archive (zipcheck) → manifest XML (xmlcheck) → version → XSD → structure, files,
SCORM 1.2 limits, Moodle quirks → offline readiness. A stage that leaves nothing to check
(not a zip, no manifest, malformed XML) ends the run for the manifest stages; offline
readiness still looks at the files whenever the archive is safe to read. What the package
says about itself (``Report.info``) is read by ``scorm_builder.package_reader`` from the same
open archive and parsed manifest.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from scorm_builder.package_reader import describe_package
from scorm_builder.validate.files import check_files
from scorm_builder.validate.findings import MANIFEST, Finding, Report
from scorm_builder.validate.limits12 import check_limits_12
from scorm_builder.validate.manifest import Manifest
from scorm_builder.validate.moodle import check_moodle
from scorm_builder.validate.offline import check_offline
from scorm_builder.validate.structure import check_structure
from scorm_builder.validate.version import detect_version
from scorm_builder.validate.xmlcheck import parse_manifest
from scorm_builder.validate.xsdcheck import check_xsd
from scorm_builder.validate.zipcheck import open_package
from scorm_builder.zipsafe import SafeZip, ZipLimits

__all__ = ["validate_package"]


def _manifest_stages(
    package: SafeZip,
) -> tuple[etree._ElementTree | None, str | None, list[Finding]]:
    tree, findings = parse_manifest(package)
    if tree is None:
        return None, None, findings
    detected, found = detect_version(tree)
    findings += found
    if detected.version is None or detected.schema_set is None:
        return tree, None, findings
    findings += check_xsd(tree, detected.schema_set)
    manifest = Manifest(tree, "1.2" if detected.version == "1.2" else "2004")
    findings += check_structure(manifest)
    findings += check_files(manifest, package.names)
    findings += check_limits_12(manifest)
    findings += check_moodle(manifest)
    return tree, detected.version, sorted(findings, key=lambda f: f.line or 0)


def validate_package(
    source: Path | bytes, *, offline: bool = False, limits: ZipLimits | None = None
) -> Report:
    """Validate one SCORM package (a path or the zip's bytes) and return its report.

    ``offline`` makes remote loads errors instead of warnings. ``limits`` are the zip's
    caps; None means the defaults with the ``SANDYQ_ZIP_*`` environment variables on top
    (`ZipLimits.from_env`), which raises `ZipLimitsError` when one is not a number. Raises
    `scorm_builder.validate.xsdcheck.SchemaUnavailableError` only when the installation
    lacks its XSDs; everything wrong with the package itself is a finding.
    """
    name = "" if isinstance(source, bytes) else str(source)
    package, findings = open_package(source, ZipLimits.from_env() if limits is None else limits)
    if package is None:
        return Report(name, tuple(findings))
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    with package:
        version: str | None = None
        tree: etree._ElementTree | None = None
        if not package.archive_unsafe:
            # A manifest the zip stage refused (a lying size, a bad CRC ...) is not read.
            if MANIFEST in package and not package.unsafe(MANIFEST):
                tree, version, found = _manifest_stages(package)
                findings += found
            findings += check_offline(package, offline=offline)
        info = describe_package(package, tree, path=name, zip_bytes=size)
    return Report(name, tuple(findings), version, info)
