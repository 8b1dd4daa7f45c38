"""Stage 2: the manifest as XML, parsed once by the hardened parser in `scorm_builder.xmlsafe`."""

from __future__ import annotations

from lxml import etree

from scorm_builder.validate.findings import MANIFEST, Finding, finding
from scorm_builder.xmlsafe import (
    XmlBomError,
    XmlDoctypeError,
    XmlEncodingError,
    XmlSafetyError,
    XmlSyntaxError,
    parse_xml,
)
from scorm_builder.zipsafe import SafeZip, ZipSafetyError

__all__ = ["MAX_MANIFEST_SIZE", "parse_manifest"]

#: A manifest of a big course is a few hundred kilobytes; anything past this is abuse.
MAX_MANIFEST_SIZE = 16 * 1024**2


def _finding(error: XmlSafetyError, entry: str) -> Finding:
    line = error.line
    if isinstance(error, XmlDoctypeError):
        return finding("XML-DTD", entry, line)
    if isinstance(error, XmlBomError):
        return finding("XML-BOM", entry, line, bom=error.bom, declared=error.declared)
    if isinstance(error, XmlEncodingError):
        return finding("XML-ENCODING", entry, line, encoding=error.encoding)
    reason = error.reason if isinstance(error, XmlSyntaxError) else error.message
    return finding("XML-MALFORMED", entry, line, reason=reason)


def parse_manifest(
    package: SafeZip, entry: str = MANIFEST
) -> tuple[etree._ElementTree | None, list[Finding]]:
    """The manifest's tree, or None and the finding that explains why there is none."""
    try:
        data = package.read(entry, MAX_MANIFEST_SIZE)
    except ZipSafetyError as error:
        return None, [finding("ZIP-UNREADABLE", entry, reason=error.message)]
    try:
        return parse_xml(data, source=entry), []
    except XmlSafetyError as error:
        return None, [_finding(error, entry)]
