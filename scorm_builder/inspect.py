"""``inspect``: what is inside any SCORM package, in words a Moodle administrator reads.

It reads as much as it can and never fails on a broken package (``sandyq validate``
says what is wrong): version, organization and SCOs with their launch files and mastery
scores, the files by kind and size, the LOM metadata, and what the package will report
to the LMS. For Sandyq's own packages the last comes from the player's configuration;
for others, from the data-model elements their scripts mention.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from scorm_builder.xmlsafe import XmlSafetyError, parse_xml
from scorm_builder.zipsafe import SafeZip, ZipSafetyError

_KINDS = {
    "page": (".html", ".htm", ".xhtml"),
    "script": (".js", ".mjs"),
    "style": (".css",),
    "image": (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"),
    "video": (".mp4", ".webm", ".m4v", ".mov", ".ogv"),
    "audio": (".mp3", ".m4a", ".ogg", ".wav"),
    "captions": (".vtt", ".srt"),
    "schema": (".xsd", ".dtd"),
}
#: Data-model elements -> what they report, for packages that are not ours.
_REPORTS = (
    ("completion", r"cmi\.(core\.lesson_status|completion_status)"),
    ("success (passed/failed)", r"cmi\.success_status|[\"']passed[\"']"),
    ("score", r"cmi\.(core\.)?score\.raw"),
    ("interactions (answers)", r"cmi\.interactions"),
    ("bookmark", r"cmi\.(core\.lesson_location|location)"),
    ("suspend data", r"cmi\.suspend_data"),
    ("session time", r"cmi\.(core\.)?session_time"),
)
_SCHEMAVERSION = re.compile(r"<(?:\w+:)?schemaversion>\s*([^<]+?)\s*<", re.IGNORECASE)


@dataclass(frozen=True)
class ScoSummary:
    identifier: str
    title: str
    launch: str
    scorm_type: str
    mastery_score: str | None
    files: int


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


def inspect_package(path: Path) -> PackageSummary:
    """A summary of the package at ``path``; problems are listed, never raised."""
    try:
        archive = SafeZip.open(path)
    except ZipSafetyError as error:
        return PackageSummary(package=str(path), scorm_version=None, problems=(error.message,))
    with archive:
        problems: list[str] = [problem.kind for problem in archive.problems]
        sizes = {name: archive.size_of(name) for name in archive.names if name in archive}
        counts: Counter[str] = Counter()
        kind_bytes: Counter[str] = Counter()
        for name, size in sizes.items():
            kind = _kind_of(name)
            counts[kind] += 1
            kind_bytes[kind] += size
        base = PackageSummary(
            package=str(path),
            scorm_version=None,
            file_count=len(sizes),
            total_bytes=sum(sizes.values()),
            zip_bytes=path.stat().st_size,
            by_kind={kind: (counts[kind], kind_bytes[kind]) for kind in sorted(counts)},
            largest=tuple(sorted(sizes.items(), key=lambda item: -item[1])[:5]),
        )
        if "imsmanifest.xml" not in archive:
            return _with(base, problems=(*problems, "no imsmanifest.xml at the root"))
        try:
            data = archive.read("imsmanifest.xml")
            tree = parse_xml(data, source="imsmanifest.xml")
        except (ZipSafetyError, XmlSafetyError) as error:
            return _with(base, problems=(*problems, error.message))
        return _describe(base, tree, data, archive, problems)


def _with(summary: PackageSummary, **changes: object) -> PackageSummary:
    from dataclasses import replace

    return replace(summary, **changes)  # type: ignore[arg-type]


def _kind_of(name: str) -> str:
    lower = name.lower()
    for kind, suffixes in _KINDS.items():
        if lower.endswith(suffixes):
            return kind
    return "manifest" if lower == "imsmanifest.xml" else "other"


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    text = " ".join(str(element.xpath("string()")).split())
    return text or None


def _describe(
    base: PackageSummary,
    tree: etree._ElementTree,
    data: bytes,
    archive: SafeZip,
    problems: list[str],
) -> PackageSummary:
    root = tree.getroot()
    match = _SCHEMAVERSION.search(data.decode("utf-8", errors="replace"))
    version = match.group(1) if match else None
    lom = root.find(".//{*}metadata/{*}lom")
    resources = {r.get("identifier"): r for r in root.iter("{*}resource")}
    organizations = root.find("{*}organizations")
    default = organizations.get("default") if organizations is not None else None
    organization = next(
        (o for o in root.iter("{*}organization") if o.get("identifier") == default),
        next(root.iter("{*}organization"), None),
    )
    scos = []
    if organization is not None:
        for item in organization.iter("{*}item"):
            resource = resources.get(item.get("identifierref"))
            if resource is None:
                continue
            scorm_type = next(
                (
                    str(value)
                    for key, value in resource.attrib.items()
                    if str(key).lower().endswith("scormtype")
                ),
                "",
            )
            mastery = item.find("{*}masteryscore")
            measure = item.find(".//{*}primaryObjective/{*}minNormalizedMeasure")
            scos.append(
                ScoSummary(
                    identifier=item.get("identifier", ""),
                    title=_text(item.find("{*}title")) or "",
                    launch=(resource.get("href") or "") + (item.get("parameters") or ""),
                    scorm_type=scorm_type,
                    mastery_score=_percent(_text(mastery), _text(measure)),
                    files=len(resource.findall("{*}file")),
                )
            )
    keywords = (
        tuple(text for text in (_text(k) for k in lom.findall("{*}general/{*}keyword")) if text)
        if lom is not None
        else ()
    )
    return _with(
        base,
        scorm_version=version,
        title=_text(lom.find("{*}general/{*}title")) if lom is not None else None,
        description=_text(lom.find("{*}general/{*}description")) if lom is not None else None,
        language=_text(lom.find("{*}general/{*}language")) if lom is not None else None,
        keywords=keywords,
        organization=_text(organization.find("{*}title")) if organization is not None else None,
        scos=tuple(scos),
        reports=_reports(archive, [sco.launch for sco in scos]),
        problems=tuple(problems),
    )


def _percent(mastery: str | None, measure: str | None) -> str | None:
    """A 1.2 mastery score (0-100) or a 2004 normalized measure (0-1), as a percentage."""
    try:
        if mastery is not None:
            return f"{float(mastery):g}%"
        if measure is not None:
            return f"{float(measure) * 100:g}%"
    except ValueError:
        return mastery or measure
    return None


def _reports(archive: SafeZip, launches: list[str]) -> tuple[str, ...]:
    """What the package tells the LMS: from our player's config, or the scripts' elements."""
    ours = [name for name in launches if name in archive and "sandyq/runtime.js" in archive]
    if ours:
        reports = {"completion", "bookmark", "suspend data", "session time"}
        for launch in ours:
            config = _sandyq_config(archive.read(launch))
            pages = config.get("pages")
            kinds = {
                page.get("kind", "page")
                for page in (pages if isinstance(pages, list) else [])
                if isinstance(page, dict)
            }
            if config.get("graded"):
                reports |= {"score", "success (passed/failed)", "interactions (answers)"}
            if "video" in kinds:
                reports.add("video watched (progress)")
        return tuple(sorted(reports))
    text = ""
    for name in archive.names:
        if name.lower().endswith((".js", ".html", ".htm")) and archive.size_of(name) < 4 << 20:
            try:
                text += archive.read(name).decode("utf-8", errors="replace")
            except ZipSafetyError:
                continue
    return tuple(label for label, pattern in _REPORTS if re.search(pattern, text))


def _sandyq_config(shell: bytes) -> dict[str, object]:
    match = re.search(
        rb'<script type="application/json" id="sandyq-config">(.*?)</script>', shell, re.S
    )
    if not match:
        return {}
    try:
        value = json.loads(match.group(1))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def format_summary(summary: PackageSummary) -> str:
    """The summary as text for a terminal."""
    lines = [f"{summary.package}", f"  SCORM version: {summary.scorm_version or 'unknown'}"]
    for label, value in (
        ("title", summary.title),
        ("description", summary.description),
        ("language", summary.language),
        ("keywords", ", ".join(summary.keywords) or None),
        ("organization", summary.organization),
    ):
        if value:
            lines.append(f"  {label}: {value}")
    lines.append(f"  SCOs and assets ({len(summary.scos)}):")
    for sco in summary.scos:
        mastery = f", mastery score {sco.mastery_score}" if sco.mastery_score else ""
        lines.append(
            f"    - {sco.title} [{sco.scorm_type or '?'}] -> {sco.launch} "
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
                f"{posixpath.basename(name)} ({size / 1024:.0f} KB)"
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
