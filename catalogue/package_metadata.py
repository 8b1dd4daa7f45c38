"""What a SCORM package says about itself, to prefill a resource version's metadata.

Read from the manifest's LOM record, in either binding SCORM uses (IMS Metadata 1.2
``langstring xml:lang`` or IEEE LOM ``string language``; inline or in a file named by
``<location>``): titles and descriptions per language, the language, keywords, and the
subject and grades from the classifications our builder writes
(``scorm_builder/writers/lom.py``: purpose *discipline* and *educational level*, the
taxon id being the subject or the grade number). Measured from the files: the SCORM
version, accessibility (captions: the package has ``.vtt`` files; alt text: every
``<img>`` in its HTML has an ``alt``), offline readiness (no ``OFFLINE-REMOTE`` finding)
and a guess of the resource type. A broken package never raises: what cannot be read is
left empty, and the validator says what is wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from lxml import etree

from catalogue.models import ResourceType
from scorm_builder.validate import Report, validate_package
from scorm_builder.xmlsafe import XmlSafetyError, parse_xml
from scorm_builder.zipsafe import SafeZip, ZipSafetyError

LANGUAGES = ("kk", "ru", "en")
SUBJECT_TAXONOMY = "Sandyq subjects"
GRADE_TAXONOMY = "Kazakhstan school grades"
CAPTIONS = "captions"
ALT_TEXT = "alt_text"

_HTML = (".html", ".htm", ".xhtml")
_VIDEO = (".mp4", ".webm", ".m4v", ".mov", ".ogv")
#: HTML files larger than this are not scanned for images (generated pages rarely are).
_MAX_HTML = 4 * 1024**2
_CONFIG = re.compile(rb'<script type="application/json" id="sandyq-config">(.*?)</script>', re.S)


@dataclass(frozen=True)
class PackageMetadata:
    """The prefill for a version; empty values mean the package does not say."""

    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    language: str | None = None
    keywords: tuple[str, ...] = ()
    subject: str | None = None
    grades: tuple[int, ...] = ()
    scorm_version: str | None = None
    accessibility: tuple[str, ...] = ()
    offline_ready: bool = False
    resource_type: ResourceType = ResourceType.LESSON


def read_package_metadata(path: Path, report: Report | None = None) -> PackageMetadata:
    """The metadata of the package at ``path``. ``report`` is its validation report when the
    caller already has one (offline readiness only needs its ``OFFLINE-REMOTE`` findings,
    which the validator reports in both modes); otherwise the package is validated here."""
    if report is None:
        report = validate_package(path, offline=True)
    offline_ready = not any(f.rule == "OFFLINE-REMOTE" for f in report.findings)
    try:
        archive = SafeZip.open(path)
    except ZipSafetyError:
        return PackageMetadata(offline_ready=False)
    with archive:
        if archive.archive_unsafe or "imsmanifest.xml" not in archive:
            return PackageMetadata(offline_ready=offline_ready)
        root = _parse(archive, "imsmanifest.xml")
        if root is None:
            return PackageMetadata(offline_ready=offline_ready)
        lom = _lom(archive, root)
        language = _language(_first_text(lom, "{*}general/{*}language"))
        default = language or "kk"
        subject, grades = _classifications(lom)
        return PackageMetadata(
            titles=_strings(lom, "{*}general/{*}title", default),
            descriptions=_strings(lom, "{*}general/{*}description", default),
            language=language,
            keywords=_keywords(lom),
            subject=subject,
            grades=grades,
            scorm_version=_first_text(root, "{*}metadata/{*}schemaversion"),
            accessibility=_accessibility(archive),
            offline_ready=offline_ready,
            resource_type=_guess_type(archive, root),
        )


# ---- the manifest and its LOM --------------------------------------------------------


def _parse(archive: SafeZip, name: str) -> etree._Element | None:
    try:
        return parse_xml(archive.read(name), source=name).getroot()
    except (ZipSafetyError, XmlSafetyError, KeyError):
        return None


def _lom(archive: SafeZip, root: etree._Element) -> etree._Element | None:
    """The inline LOM record, else the one in the file the manifest's metadata names."""
    inline = root.find("{*}metadata/{*}lom")
    if inline is not None:
        return inline
    location = _first_text(root, "{*}metadata/{*}location")
    if location and location in archive:
        external = _parse(archive, location)
        if external is not None:
            return external if _local(external) == "lom" else external.find(".//{*}lom")
    return None


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _first_text(parent: etree._Element | None, path: str) -> str | None:
    if parent is None:
        return None
    found = parent.find(path)
    return _clean(found.text) or None if found is not None else None


def _language(tag: str | None) -> str | None:
    """``kk``, ``ru`` or ``en`` for a language tag such as ``kk-KZ``; else None."""
    primary = (tag or "").strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else None


def _langstrings(holder: etree._Element) -> Iterator[tuple[str | None, str]]:
    """(language tag, text) of each ``langstring`` (IMS MD) or ``string`` (IEEE) child."""
    for child in holder:
        if _local(child) in ("langstring", "string"):
            tag = child.get("{http://www.w3.org/XML/1998/namespace}lang") or child.get("language")
            text = _clean(child.text)
            if text:
                yield tag, text


def _strings(lom: etree._Element | None, path: str, default: str) -> dict[str, str]:
    """Text per language; an untagged (or ``x-none``) string is in the record's language."""
    if lom is None:
        return {}
    holder = lom.find(path)
    found: dict[str, str] = {}
    if holder is None:
        return found
    for tag, text in _langstrings(holder):
        language = _language(tag) or (default if not tag or tag == "x-none" else None)
        if language and language not in found:
            found[language] = text
    return found


def _keywords(lom: etree._Element | None) -> tuple[str, ...]:
    """Every keyword in every language it is given in, each once, in order."""
    if lom is None:
        return ()
    words = (text for k in lom.findall("{*}general/{*}keyword") for _, text in _langstrings(k))
    return tuple(dict.fromkeys(words))


def _vocabulary_value(element: etree._Element | None) -> str:
    """A LOM vocabulary value in either binding, lower-cased (IMS MD capitalises)."""
    if element is None:
        return ""
    return _clean(str(element.xpath("string(*[local-name()='value'])"))).lower()


def _classifications(lom: etree._Element | None) -> tuple[str | None, tuple[int, ...]]:
    """The subject (discipline) and grades (educational level); our taxonomies first."""
    if lom is None:
        return None, ()
    subjects: list[tuple[bool, str]] = []
    grades: list[int] = []
    for classification in lom.findall("{*}classification"):
        purpose = _vocabulary_value(classification.find("{*}purpose"))
        for path in classification:
            if _local(path).lower() != "taxonpath":
                continue
            source = _clean(str(path.xpath("string(*[local-name()='source'])")))
            ids = [
                _clean(part.text)
                for taxon in path
                if _local(taxon) == "taxon"
                for part in taxon
                if _local(part) == "id"
            ]
            if purpose == "discipline":
                subjects += [(source == SUBJECT_TAXONOMY, i.lower()[:64]) for i in ids if i]
            elif purpose == "educational level":
                grades += [int(i) for i in ids if i.isdigit() and 0 <= int(i) <= 12]
    ours = [subject for is_ours, subject in subjects if is_ours]
    candidates = ours or [subject for _, subject in subjects]
    return (candidates[0] if candidates else None), tuple(sorted(set(grades)))


# ---- measured from the files ---------------------------------------------------------


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images = 0
        self.without_alt = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images += 1
            if not any(name == "alt" for name, _ in attrs):
                self.without_alt += 1


def _accessibility(archive: SafeZip) -> tuple[str, ...]:
    """``captions`` when the package has WebVTT files; ``alt_text`` when it has images and
    every one of them has an ``alt`` (an empty ``alt`` marks a decorative image, and counts)."""
    features: list[str] = []
    if any(name.lower().endswith(".vtt") for name in archive.names):
        features.append(CAPTIONS)
    images = _Images()
    for name in archive.names:
        if name.lower().endswith(_HTML) and archive.size_of(name) <= _MAX_HTML:
            try:
                images.feed(archive.read(name).decode("utf-8", errors="replace"))
            except ZipSafetyError:
                continue
    images.close()
    if images.images and not images.without_alt:
        features.append(ALT_TEXT)
    return tuple(features)


def _sco_launches(root: etree._Element) -> list[str]:
    launches = []
    for resource in root.iter("{*}resource"):
        kind = next(
            (str(v) for k, v in resource.attrib.items() if str(k).lower().endswith("scormtype")),
            "",
        )
        if kind.lower() == "sco":
            launches.append(resource.get("href") or "")
    return launches


def _page_kinds(archive: SafeZip, launches: list[str]) -> set[str]:
    """The kinds of pages (page, quiz, video) our player's configuration lists."""
    kinds: set[str] = set()
    for launch in launches:
        if launch not in archive:
            continue
        try:
            match = _CONFIG.search(archive.read(launch, max_size=_MAX_HTML))
            config = json.loads(match.group(1)) if match else {}
        except (ZipSafetyError, ValueError):
            continue
        pages = config.get("pages") if isinstance(config, dict) else None
        for page in pages if isinstance(pages, list) else []:
            if isinstance(page, dict):
                kinds.add(str(page.get("kind", "page")))
    return kinds


def _guess_type(archive: SafeZip, root: etree._Element) -> ResourceType:
    """Only quizzes make a test, several SCOs a course, a video part a video lecture.

    A course comes before a video lecture: a lesson, a recorded lecture and a test packed as
    three SCOs (``samples/physics-7-course``) is a course that happens to contain a video.
    It is only a guess; the author corrects it."""
    launches = _sco_launches(root)
    kinds = _page_kinds(archive, launches)
    if kinds == {"quiz"}:
        return ResourceType.TEST
    if len(launches) > 1:
        return ResourceType.COURSE
    if "video" in kinds or any(name.lower().endswith(_VIDEO) for name in archive.names):
        return ResourceType.VIDEO_LECTURE
    return ResourceType.LESSON
