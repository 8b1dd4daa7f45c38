"""What the validator reports: findings as data, and the report of one package.

A finding stores its rule id and the values its sentence needs, never the sentence
itself: `scorm_builder.validate.messages` renders it in Kazakh, Russian or English only
when it is printed. Severities belong to the rules (`SEVERITIES`); the one exception is
offline readiness, which ``--offline`` raises from a warning to an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from scorm_builder.package_reader import PackageInfo

__all__ = ["MANIFEST", "SEVERITIES", "Finding", "Report", "Severity", "finding"]

#: The entry every SCORM package has at its root.
MANIFEST = "imsmanifest.xml"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


E, W = Severity.ERROR, Severity.WARNING

#: Every rule the validator knows, with its usual severity.
SEVERITIES: Mapping[str, Severity] = MappingProxyType(
    {
        # the zip archive
        "ZIP-NOT-ZIP": E,
        "ZIP-NO-MANIFEST": E,
        "ZIP-MANIFEST-NESTED": E,
        "ZIP-MANIFEST-CASE": E,
        "ZIP-TRAVERSAL": E,
        "ZIP-ABSOLUTE": E,
        "ZIP-BACKSLASH": E,
        "ZIP-SYMLINK": E,
        "ZIP-ENCRYPTED": E,
        "ZIP-NAME-ENCODING": E,
        "ZIP-DUPLICATE": E,
        "ZIP-TOO-MANY": E,
        "ZIP-TOO-LARGE": E,
        "ZIP-RATIO": E,
        "ZIP-UNREADABLE": E,
        "ZIP-ENTRY-TOO-LARGE": E,
        "ZIP-SIZE-MISMATCH": E,
        "ZIP-CRC": E,
        "ZIP-CASE-CLASH": E,
        "ZIP-FILE-FOLDER": E,
        "ZIP-NAME-TOO-LONG": E,
        "ZIP-CONTROL-CHAR": E,
        "ZIP-RESERVED-NAME": W,
        # the manifest as XML
        "XML-DTD": E,
        "XML-ENCODING": E,
        "XML-BOM": E,
        "XML-MALFORMED": E,
        # SCORM version
        "VERSION-UNKNOWN": E,
        "SCHEMAVERSION-MISSING": E,
        "SCHEMAVERSION-VARIANT": E,
        "SCHEMAVERSION-UNKNOWN": E,
        "SCHEMAVERSION-MISMATCH": E,
        # the XSDs
        "XSD": E,
        # what the XSDs miss
        "ID-DUPLICATE": E,
        "ORG-MISSING": E,
        "ORG-DEFAULT-MISSING": E,
        "REF-UNRESOLVED": E,
        "ITEM-NO-RESOURCE": E,
        "SCORMTYPE-MISSING": E,
        "SCORMTYPE-CASE": E,
        "SCORMTYPE-VALUE": E,
        "FILE-MISSING": E,
        "FILE-CASE": E,
        "LAUNCH-NOT-HTML": E,
        "METADATA-MISSING": E,
        "MASTERYSCORE-RANGE": E,
        "DATAFROMLMS-LENGTH": E,
        "MAXTIME-FORMAT": E,
        "TIMELIMITACTION-VALUE": E,
        "PREREQUISITES-LENGTH": E,
        "NS-PREFIX": E,
        "NS-UNKNOWN": E,
        "XML-BASE": E,
        # offline readiness
        "OFFLINE-REMOTE": W,
    }
)


@dataclass(frozen=True)
class Finding:
    """One problem: which rule, how bad, where (zip entry and line) and the message's values."""

    rule: str
    severity: Severity
    entry: str = ""
    line: int | None = None
    params: Mapping[str, str | int] = field(default_factory=lambda: MappingProxyType({}))


def finding(
    rule: str,
    entry: str = "",
    line: int | None = None,
    *,
    severity: Severity | None = None,
    **params: str | int,
) -> Finding:
    """A finding of ``rule`` with the rule's usual severity unless one is given."""
    return Finding(
        rule=rule,
        severity=severity if severity is not None else SEVERITIES[rule],
        entry=entry,
        line=line,
        params=MappingProxyType(dict(params)),
    )


@dataclass(frozen=True)
class Report:
    """The result of validating one package.

    ``info`` is what the package says about itself (``scorm_builder.package_reader``:
    manifest, LOM metadata, SCOs, files), read from the same archive and manifest the
    stages checked; None when the file is not a zip. Findings never depend on it.
    """

    package: str
    findings: tuple[Finding, ...]
    scorm_version: str | None = None
    info: PackageInfo | None = field(default=None, compare=False, repr=False)

    @property
    def valid(self) -> bool:
        """A package is valid when nothing is an error; warnings are allowed."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def offline_ready(self) -> bool:
        """True when the package loads nothing from the internet (no ``OFFLINE-REMOTE``,
        which the validator reports with and without ``--offline``) and could be read."""
        return self.info is not None and not any(f.rule == "OFFLINE-REMOTE" for f in self.findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)
