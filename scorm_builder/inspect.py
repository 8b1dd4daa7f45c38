"""``inspect``: what is inside any SCORM package, in words a Moodle administrator reads.

A view of what ``scorm_builder.package_reader`` reads (it never fails on a broken package;
``sandyq validate`` says what is wrong): version, organization and SCOs with their launch
files and mastery scores, the files by kind and size, the LOM metadata, and what the
package will report to the LMS. For Sandyq's own packages the last comes from the player's
configuration; for others, from the data-model elements their scripts mention.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from scorm_builder.package_info import ScoInfo
from scorm_builder.package_reader import LangString, PackageInfo, read_package
from scorm_builder.zipsafe import ZipLimits, printable

#: One SCO or asset of the summary (the reader's ``ScoInfo``).
ScoSummary = ScoInfo


@dataclass(frozen=True)
class PackageSummary:
    package: str
    scorm_version: str | None
    title: str | None = None
    description: str | None = None
    language: str | None = None
    keywords: tuple[str, ...] = ()
    organization: str | None = None
    scos: tuple[ScoSummary, ...] = ()
    file_count: int = 0
    total_bytes: int = 0
    zip_bytes: int = 0
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)
    largest: tuple[tuple[str, int], ...] = ()
    reports: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def inspect_package(path: Path, *, limits: ZipLimits | None = None) -> PackageSummary:
    """A summary of the package at ``path``; problems are listed, never raised."""
    return summarize(read_package(path, limits=limits))


def _joined(strings: tuple[LangString, ...]) -> str | None:
    return " ".join(string.text for string in strings) or None


def summarize(info: PackageInfo) -> PackageSummary:
    """The summary ``sandyq inspect`` prints of what the reader found."""
    counts: Counter[str] = Counter()
    kind_bytes: Counter[str] = Counter()
    for file in info.files:
        counts[file.kind] += 1
        kind_bytes[file.kind] += file.size
    sizes = [(file.path, file.size) for file in info.files]
    manifest = info.manifest
    lom = manifest.lom if manifest is not None else None
    return PackageSummary(
        package=info.path,
        scorm_version=info.scorm_version,
        title=_joined(lom.title) if lom is not None else None,
        description=_joined(lom.description) if lom is not None else None,
        language=lom.language if lom is not None else None,
        keywords=tuple(_joined(keyword) or "" for keyword in lom.keywords) if lom else (),
        organization=manifest.organization if manifest is not None else None,
        scos=manifest.scos if manifest is not None else (),
        file_count=len(info.files),
        total_bytes=info.total_bytes,
        zip_bytes=info.zip_bytes,
        by_kind={kind: (counts[kind], kind_bytes[kind]) for kind in sorted(counts)},
        largest=tuple(sorted(sizes, key=lambda item: -item[1])[:5]),
        reports=info.reports,
        problems=info.problems,
    )


def format_summary(summary: PackageSummary) -> str:
    """The summary as text for a terminal."""
    lines = [printable(summary.package), f"  SCORM version: {summary.scorm_version or 'unknown'}"]
    for label, value in (
        ("title", summary.title),
        ("description", summary.description),
        ("language", summary.language),
        ("keywords", ", ".join(summary.keywords) or None),
        ("organization", summary.organization),
    ):
        if value:
            lines.append(f"  {label}: {printable(value)}")
    lines.append(f"  SCOs and assets ({len(summary.scos)}):")
    for sco in summary.scos:
        mastery = f", mastery score {sco.mastery_score}" if sco.mastery_score else ""
        lines.append(
            f"    - {printable(sco.title)} [{printable(sco.scorm_type or '?')}] -> "
            f"{printable(sco.launch)} "
            f"({sco.files} files{mastery})"
        )
    lines.append(
        f"  files: {summary.file_count}, {summary.total_bytes / 1024:.0f} KB unpacked, "
        f"{summary.zip_bytes / 1024:.0f} KB zipped"
    )
    for kind, (count, size) in summary.by_kind.items():
        lines.append(f"    {kind}: {count} files, {size / 1024:.0f} KB")
    if summary.largest:
        lines.append(
            "  largest: "
            + ", ".join(
                f"{printable(posixpath.basename(name))} ({size / 1024:.0f} KB)"
                for name, size in summary.largest
            )
        )
    lines.append("  reports to the LMS: " + (", ".join(summary.reports) or "nothing found"))
    for problem in summary.problems:
        lines.append(f"  problem: {problem} (run `sandyq validate` for details)")
    return "\n".join(lines)


def summary_json(summary: PackageSummary) -> dict[str, object]:
    from dataclasses import asdict

    return asdict(summary)
