"""Stage 1: the archive. Zip safety problems become findings, and the manifest is found."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType

from scorm_builder.validate.findings import MANIFEST, SEVERITIES, Finding, finding
from scorm_builder.zipsafe import (
    DEFAULT_LIMITS,
    SafeZip,
    ZipLimits,
    ZipNotZipError,
    ZipProblem,
    printable,
)

__all__ = ["open_package"]

_RULES = {
    "too-many-entries": "ZIP-TOO-MANY",
    "too-large": "ZIP-TOO-LARGE",
    "ratio": "ZIP-RATIO",
    "traversal": "ZIP-TRAVERSAL",
    "absolute": "ZIP-ABSOLUTE",
    "backslash": "ZIP-BACKSLASH",
    "symlink": "ZIP-SYMLINK",
    "encrypted": "ZIP-ENCRYPTED",
    "not-utf8-name": "ZIP-NAME-ENCODING",
    "duplicate": "ZIP-DUPLICATE",
    "entry-too-large": "ZIP-ENTRY-TOO-LARGE",
    "size-mismatch": "ZIP-SIZE-MISMATCH",
    "bad-crc": "ZIP-CRC",
    "unreadable": "ZIP-UNREADABLE",
    "case-clash": "ZIP-CASE-CLASH",
    "file-folder": "ZIP-FILE-FOLDER",
    "reserved-name": "ZIP-RESERVED-NAME",
    "name-too-long": "ZIP-NAME-TOO-LONG",
    "control-char": "ZIP-CONTROL-CHAR",
}


def _finding(problem: ZipProblem) -> Finding:
    rule = _RULES[problem.kind]
    # names quoted in a message (the other of a clash ...) are escaped like the entry is
    details = {k: printable(v) if isinstance(v, str) else v for k, v in problem.details.items()}
    return Finding(rule, SEVERITIES[rule], problem.entry, None, MappingProxyType(details))


def _manifest_findings(package: SafeZip) -> Iterator[Finding]:
    if MANIFEST in package:
        return
    candidates = [n for n in package.names if n.rsplit("/", 1)[-1].lower() == MANIFEST]
    at_root = [n for n in candidates if "/" not in n]
    if at_root:
        yield finding("ZIP-MANIFEST-CASE", at_root[0], name=at_root[0])
    elif candidates:
        nested = min(candidates, key=lambda n: n.count("/"))
        folder = nested.rsplit("/", 1)[0]
        yield finding("ZIP-MANIFEST-NESTED", nested, folder=folder)
    else:
        yield finding("ZIP-NO-MANIFEST")


def open_package(
    source: Path | bytes, limits: ZipLimits = DEFAULT_LIMITS
) -> tuple[SafeZip | None, list[Finding]]:
    """The opened archive (None if it is not a zip) and the findings about it."""
    try:
        package = SafeZip.open(source, limits)
    except ZipNotZipError:
        return None, [finding("ZIP-NOT-ZIP")]
    findings = [_finding(p) for p in package.problems]
    if not package.archive_unsafe:
        findings.extend(_manifest_findings(package))
    return package, findings
