"""Reading any SCORM package from outside: manifest, LOM metadata, SCOs and files.

The one reader of packages Sandyq did not just write: ``sandyq inspect`` summarises what
it returns, the validator attaches it to its report (``Report.info``), and the catalogue
prefills an uploaded package's resource from its ``metadata``. It goes through
``scorm_builder.zipsafe`` (entries checked once, nothing inflated past its cap) and the
hardened XML parser, and it never fails on a broken package: what cannot be read is left
empty and listed in ``problems``; ``sandyq validate`` says what is wrong.

The LOM record is read in either binding SCORM uses (IMS Metadata 1.2.1 ``langstring
xml:lang``, IEEE LOM ``string language``), inline in the manifest's ``<metadata>`` or in the
file its ``<location>`` names (else the first ``<metadata>`` record anywhere in the
manifest). The subject and grades come from the classifications our writer makes
(``scorm_builder/writers/lom.py``: purpose *discipline* and *educational level*, the taxon
id being the subject or the grade number), our taxonomies first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from scorm_builder.namespaces import XML
from scorm_builder.package_info import (
    HTML_SUFFIXES,
    MAX_SCANNED_HTML,
    SUBJECT_TAXONOMY,
    FileInfo,
    PackageMetadata,
    ScoInfo,
    accessibility,
    clean,
    file_kind,
    guess_kind,
)
from scorm_builder.vocabulary import GRADES, LANGUAGES
from scorm_builder.xmlsafe import XmlSafetyError, parse_xml
from scorm_builder.zipsafe import SafeZip, ZipLimits, ZipProblem, ZipSafetyError, printable

__all__ = [
    "LangString",
    "LomRecord",
    "ManifestInfo",
    "PackageInfo",
    "describe_package",
    "read_package",
]

MANIFEST = "imsmanifest.xml"
#: What a package's scripts mention -> what it reports, for packages that are not ours.
_REPORTS = (
    ("completion", r"cmi\.(core\.lesson_status|completion_status)"),
    ("success (passed/failed)", r"cmi\.success_status|[\"']passed[\"']"),
    ("score", r"cmi\.(core\.)?score\.raw"),
    ("interactions (answers)", r"cmi\.interactions"),
    ("bookmark", r"cmi\.(core\.lesson_location|location)"),
    ("suspend data", r"cmi\.suspend_data"),
    ("session time", r"cmi\.(core\.)?session_time"),
)
_CONFIG = re.compile(rb'<script type="application/json" id="sandyq-config">(.*?)</script>', re.S)
_SCANNED_SCRIPT = 4 << 20


# ---- what the reader returns ------------------------------------------------------------


@dataclass(frozen=True)
class LangString:
    """A LOM text in one language: ``language`` is its tag as written (``kk-KZ``, or None)."""

    language: str | None
    text: str


@dataclass(frozen=True)
class LomRecord:
    """The package's LOM record as written: texts keep their language tags."""

    title: tuple[LangString, ...] = ()
    description: tuple[LangString, ...] = ()
    language: str | None = None
    keywords: tuple[tuple[LangString, ...], ...] = ()
    subject: str | None = None
    grades: tuple[int, ...] = ()


@dataclass(frozen=True)
class ManifestInfo:
    """What ``imsmanifest.xml`` says.

    ``scorm_version`` is its ``<schemaversion>`` as written; ``scos`` the items of the
    default organization with their resources (SCOs and assets, as ``sandyq inspect`` lists
    them); ``sco_launches`` the launch files of every resource of type SCO.
    """

    identifier: str | None = None
    scorm_version: str | None = None
    organization: str | None = None
    scos: tuple[ScoInfo, ...] = ()
    sco_launches: tuple[str, ...] = ()
    lom: LomRecord | None = None


@dataclass(frozen=True)
class PackageInfo:
    """A package read from outside.

    ``files`` are its entries in archive order; ``zip_bytes`` the size of the zip;
    ``page_kinds`` the kinds of pages (``page``, ``quiz``, ``video``) our player's
    configuration lists in its SCOs; ``reports`` what it tells the LMS (empty when not
    asked for); ``problems`` what stopped the reader (zip safety problems, a missing or
    unreadable manifest). ``manifest`` is None when there is no readable manifest.
    """

    path: str
    zip_bytes: int = 0
    files: tuple[FileInfo, ...] = ()
    problems: tuple[str, ...] = ()
    manifest: ManifestInfo | None = None
    page_kinds: frozenset[str] = field(default_factory=frozenset)
    accessibility: tuple[str, ...] = ()
    reports: tuple[str, ...] = ()

    @property
    def total_bytes(self) -> int:
        """The package's size unpacked."""
        return sum(file.size for file in self.files)

    @property
    def scorm_version(self) -> str | None:
        return self.manifest.scorm_version if self.manifest is not None else None

    @property
    def metadata(self) -> PackageMetadata:
        """What the catalogue prefills from; empty when there is no readable manifest."""
        manifest = self.manifest
        if manifest is None:
            return PackageMetadata()
        lom = manifest.lom or LomRecord()
        language = _language(lom.language)
        default = language or "kk"
        return PackageMetadata(
            titles=_by_language(lom.title, default),
            descriptions=_by_language(lom.description, default),
            language=language,
            keywords=tuple(dict.fromkeys(s.text for keyword in lom.keywords for s in keyword)),
            subject=lom.subject,
            grades=lom.grades,
            scorm_version=manifest.scorm_version,
            accessibility=self.accessibility,
            kind=guess_kind(
                len(manifest.sco_launches), self.page_kinds, (f.path for f in self.files)
            ),
        )


# ---- reading ----------------------------------------------------------------------------


def read_package(source: Path | bytes, *, limits: ZipLimits | None = None) -> PackageInfo:
    """Everything the package at ``source`` (a path or the zip's bytes) says about itself,
    including what it reports to the LMS; problems are listed, never raised.

    The archive is opened exactly as the validator opens it (every entry inflated once,
    counted and CRC-checked, under ``limits``: None means `ZipLimits.from_env`), so what
    ``sandyq inspect`` reads is what ``sandyq validate`` checked."""
    name = "" if isinstance(source, bytes) else str(source)
    try:
        archive = SafeZip.open(source, ZipLimits.from_env() if limits is None else limits)
    except ZipSafetyError as error:
        return PackageInfo(path=name, problems=(error.message,))
    zip_bytes = len(source) if isinstance(source, bytes) else source.stat().st_size
    with archive:
        problems: list[str] = [_problem_text(problem) for problem in archive.problems]
        tree: etree._ElementTree | None = None
        if MANIFEST not in archive:
            problems.append("no imsmanifest.xml at the root")
        elif archive.unsafe(MANIFEST):
            problems.append("imsmanifest.xml is not safe to read")
        else:
            try:
                tree = parse_xml(archive.read(MANIFEST), source=MANIFEST)
            except (ZipSafetyError, XmlSafetyError) as error:
                problems.append(error.message)
        return describe_package(
            archive, tree, path=name, zip_bytes=zip_bytes, problems=problems, reports=True
        )


def _problem_text(problem: ZipProblem) -> str:
    """A zip problem as one line: its kind and the entry, control characters escaped."""
    if not problem.entry:
        return problem.kind
    return f"{problem.kind}: {printable(problem.entry)}"


def describe_package(
    archive: SafeZip,
    tree: etree._ElementTree | None,
    *,
    path: str,
    zip_bytes: int,
    problems: Sequence[str] = (),
    reports: bool = False,
) -> PackageInfo:
    """The ``PackageInfo`` of an opened archive whose manifest is ``tree`` (None when it has
    none that parses), for a caller that has both already (the validator). ``reports``
    also works out what the package reports to the LMS, which may mean reading every
    script; the files are only read when there is a manifest."""
    files = tuple(
        FileInfo(name, archive.size_of(name), file_kind(name))
        for name in archive.names
        if name in archive
    )
    base = PackageInfo(path=path, zip_bytes=zip_bytes, files=files, problems=tuple(problems))
    if tree is None or archive.archive_unsafe:
        return base
    root = tree.getroot()
    lom = _lom(archive, root)
    organization = _organization(root)
    scos = _scos(root, organization)
    launches = _sco_launches(root)
    configs = {
        launch: _config(archive, launch) for launch in {*launches, *(s.launch for s in scos)}
    }
    manifest = ManifestInfo(
        identifier=root.get("identifier"),
        scorm_version=clean(_text_at(root, "{*}metadata/{*}schemaversion")) or None,
        organization=_text(organization.find("{*}title")) if organization is not None else None,
        scos=scos,
        sco_launches=tuple(launches),
        lom=_lom_record(lom) if lom is not None else None,
    )
    return PackageInfo(
        path=path,
        zip_bytes=zip_bytes,
        files=files,
        problems=tuple(problems),
        manifest=manifest,
        page_kinds=frozenset(kind for launch in launches for kind in _kinds(configs[launch])),
        accessibility=accessibility(archive.names, _pages(archive)),
        reports=_reports(archive, [s.launch for s in scos], configs) if reports else (),
    )


# ---- the manifest -----------------------------------------------------------------------


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _text(element: etree._Element | None) -> str | None:
    """All the text inside ``element``, whitespace collapsed; None when there is none."""
    if element is None:
        return None
    return clean(str(element.xpath("string()"))) or None


def _text_at(parent: etree._Element | None, path: str) -> str | None:
    if parent is None:
        return None
    found = parent.find(path)
    return found.text if found is not None else None


def _parse(archive: SafeZip, name: str) -> etree._Element | None:
    try:
        return parse_xml(archive.read(name), source=name).getroot()
    except (ZipSafetyError, XmlSafetyError, KeyError):
        return None


def _lom(archive: SafeZip, root: etree._Element) -> etree._Element | None:
    """The manifest's own LOM record, else the one in the file its metadata names, else
    the first record of any ``<metadata>`` in the manifest."""
    inline = root.find("{*}metadata/{*}lom")
    if inline is not None:
        return inline
    location = clean(_text_at(root, "{*}metadata/{*}location"))
    if location and location in archive:
        external = _parse(archive, location)
        if external is not None:
            found = external if _local(external) == "lom" else external.find(".//{*}lom")
            if found is not None:
                return found
    return root.find(".//{*}metadata/{*}lom")


def _organization(root: etree._Element) -> etree._Element | None:
    organizations = root.find("{*}organizations")
    default = organizations.get("default") if organizations is not None else None
    return next(
        (o for o in root.iter("{*}organization") if o.get("identifier") == default),
        next(root.iter("{*}organization"), None),
    )


def _scorm_type(resource: etree._Element) -> str:
    return next(
        (str(v) for k, v in resource.attrib.items() if str(k).lower().endswith("scormtype")),
        "",
    )


def _scos(root: etree._Element, organization: etree._Element | None) -> tuple[ScoInfo, ...]:
    if organization is None:
        return ()
    resources = {r.get("identifier"): r for r in root.iter("{*}resource")}
    scos = []
    for item in organization.iter("{*}item"):
        resource = resources.get(item.get("identifierref"))
        if resource is None:
            continue
        mastery = item.find("{*}masteryscore")
        measure = item.find(".//{*}primaryObjective/{*}minNormalizedMeasure")
        scos.append(
            ScoInfo(
                identifier=item.get("identifier", ""),
                title=_text(item.find("{*}title")) or "",
                launch=(resource.get("href") or "") + (item.get("parameters") or ""),
                scorm_type=_scorm_type(resource),
                mastery_score=_percent(_text(mastery), _text(measure)),
                files=len(resource.findall("{*}file")),
            )
        )
    return tuple(scos)


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


def _sco_launches(root: etree._Element) -> list[str]:
    return [
        resource.get("href") or ""
        for resource in root.iter("{*}resource")
        if _scorm_type(resource).lower() == "sco"
    ]


# ---- the LOM record ---------------------------------------------------------------------


def _langstrings(holder: etree._Element) -> Iterator[LangString]:
    """Each non-empty ``langstring`` (IMS MD) or ``string`` (IEEE) child of ``holder``."""
    for child in holder:
        if _local(child) in ("langstring", "string"):
            tag = child.get(f"{{{XML}}}lang") or child.get("language")
            text = clean(child.text)
            if text:
                yield LangString(tag, text)


def _strings_of(holder: etree._Element) -> tuple[LangString, ...]:
    """The texts of a LOM element; one written without langstrings is untagged text."""
    strings = tuple(_langstrings(holder))
    if strings:
        return strings
    text = _text(holder)
    return (LangString(None, text),) if text else ()


def _texts(lom: etree._Element, path: str) -> tuple[LangString, ...]:
    holder = lom.find(path)
    return _strings_of(holder) if holder is not None else ()


def _lom_record(lom: etree._Element) -> LomRecord:
    subject, grades = _classifications(lom)
    return LomRecord(
        title=_texts(lom, "{*}general/{*}title"),
        description=_texts(lom, "{*}general/{*}description"),
        language=clean(_text_at(lom, "{*}general/{*}language")) or None,
        keywords=tuple(
            strings
            for keyword in lom.findall("{*}general/{*}keyword")
            if (strings := _strings_of(keyword))
        ),
        subject=subject,
        grades=grades,
    )


def _vocabulary_value(element: etree._Element | None) -> str:
    """A LOM vocabulary value in either binding, lower-cased (IMS MD capitalises)."""
    if element is None:
        return ""
    return clean(str(element.xpath("string(*[local-name()='value'])"))).lower()


def _classifications(lom: etree._Element) -> tuple[str | None, tuple[int, ...]]:
    """The subject (discipline) and grades (educational level); our taxonomies first."""
    subjects: list[tuple[bool, str]] = []
    grades: list[int] = []
    for classification in lom.findall("{*}classification"):
        purpose = _vocabulary_value(classification.find("{*}purpose"))
        for path in classification:
            if _local(path).lower() != "taxonpath":
                continue
            source = clean(str(path.xpath("string(*[local-name()='source'])")))
            ids = [
                clean(part.text)
                for taxon in path
                if _local(taxon) == "taxon"
                for part in taxon
                if _local(part) == "id"
            ]
            if purpose == "discipline":
                subjects += [(source == SUBJECT_TAXONOMY, i.lower()[:64]) for i in ids if i]
            elif purpose == "educational level":
                grades += [int(i) for i in ids if i.isdigit() and int(i) in GRADES]
    ours = [subject for is_ours, subject in subjects if is_ours]
    candidates = ours or [subject for _, subject in subjects]
    return (candidates[0] if candidates else None), tuple(sorted(set(grades)))


def _language(tag: str | None) -> str | None:
    """``kk``, ``ru`` or ``en`` for a language tag such as ``kk-KZ``; else None."""
    primary = (tag or "").strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else None


def _by_language(strings: tuple[LangString, ...], default: str) -> dict[str, str]:
    """Text per language; an untagged (or ``x-none``) string is in the record's language."""
    found: dict[str, str] = {}
    for string in strings:
        tag = string.language
        language = _language(tag) or (default if not tag or tag == "x-none" else None)
        if language and language not in found:
            found[language] = string.text
    return found


# ---- measured from the files ------------------------------------------------------------


def _pages(archive: SafeZip) -> Iterator[str]:
    """The text of every HTML file small enough to scan."""
    for name in archive.names:
        if name.lower().endswith(HTML_SUFFIXES) and archive.size_of(name) <= MAX_SCANNED_HTML:
            try:
                yield archive.read(name).decode("utf-8", errors="replace")
            except ZipSafetyError:
                continue


def _config(archive: SafeZip, launch: str) -> dict[str, object]:
    """The configuration our player shell carries (``sandyq-config``); {} for others."""
    if launch not in archive:
        return {}
    try:
        match = _CONFIG.search(archive.read(launch, max_size=MAX_SCANNED_HTML))
        value = json.loads(match.group(1)) if match else {}
    except (ZipSafetyError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _kinds(config: dict[str, object]) -> set[str]:
    pages = config.get("pages")
    return {
        str(page.get("kind", "page"))
        for page in (pages if isinstance(pages, list) else [])
        if isinstance(page, dict)
    }


def _reports(
    archive: SafeZip, launches: list[str], configs: dict[str, dict[str, object]]
) -> tuple[str, ...]:
    """What the package tells the LMS: from our player's config, or the scripts' elements."""
    ours = [name for name in launches if name in archive and "sandyq/runtime.js" in archive]
    if ours:
        reports = {"completion", "bookmark", "suspend data", "session time"}
        for launch in ours:
            config = configs.get(launch, {})
            if config.get("graded"):
                reports |= {"score", "success (passed/failed)", "interactions (answers)"}
            if "video" in _kinds(config):
                reports.add("video watched (progress)")
        return tuple(sorted(reports))
    text = ""
    for name in archive.names:
        if name.lower().endswith((".js", ".html", ".htm")) and archive.size_of(name) < (
            _SCANNED_SCRIPT
        ):
            try:
                text += archive.read(name).decode("utf-8", errors="replace")
            except ZipSafetyError:
                continue
    return tuple(label for label, pattern in _REPORTS if re.search(pattern, text))
