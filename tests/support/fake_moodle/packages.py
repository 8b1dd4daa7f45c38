"""SCORM packages: a small one for tests (``make_scorm_zip``), and reading one the way
mod_scorm does when it makes or updates an activity.
"""

from __future__ import annotations

import html
import io
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from tests.support.fake_moodle.wire import MoodleException

# ---- packages ---------------------------------------------------------------------------

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MANIFEST1" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG1">
    <organization identifier="ORG1"><title>{title}</title>
      <item identifier="ITEM1" identifierref="RES1"><title>Lesson 1</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES1" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MANIFEST1" version="1.0"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="ORG1">
    <organization identifier="ORG1"><title>{title}</title>
      <item identifier="ITEM1" identifierref="RES1"><title>Lesson 1</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES1" type="webcontent" adlcp:scormType="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""


def make_scorm_zip(
    page: str = "Lesson 1",
    version: str = "1.2",
    *,
    organization: str = "Org",
    manifest: str | None = None,
    folder: str = "",
    size: int | None = None,
) -> bytes:
    """A small SCORM package (one organization, one SCO), the same bytes for the same
    arguments; ``page`` is the SCO's text, so different pages make different packages.

    ``manifest`` replaces the generated one (e.g. a broken one), ``folder`` puts
    everything in a subfolder (a classic packaging mistake), ``size`` pads the zip's
    comment to reach exactly that many bytes when the package is smaller.
    """
    if manifest is None:
        template = MANIFEST_12 if version == "1.2" else MANIFEST_2004
        manifest = template.format(title=html.escape(organization))
    page = f"<!doctype html><title>{html.escape(page)}</title>"

    def build(comment: bytes) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in (
                (folder + "imsmanifest.xml", manifest),
                (folder + "index.html", page),
            ):
                archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), text)
            archive.comment = comment
        return buffer.getvalue()

    data = build(b"")
    if size is not None and 0 < size - len(data) <= 65535:
        data = build(b"x" * (size - len(data)))
    return data


@dataclass
class PackageInfo:
    version: str
    #: (identifier, title, parent, organization, launch, scormtype) in manifest order.
    scoes: list[tuple[str, str, str, str, str, str]]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_package(data: bytes, filename: str) -> PackageInfo:
    """What mod_scorm reads from a package; ``invalidpackage`` when it cannot."""

    def refuse(reason: str) -> MoodleException:
        return MoodleException(
            "moodle_exception", "invalidpackage", f"Invalid SCORM package: {reason}"
        )

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise refuse(f"{filename} is not a zip file") from None
    if "imsmanifest.xml" not in archive.namelist():
        raise refuse("imsmanifest.xml not found at the root of the package")
    try:
        root = ElementTree.fromstring(archive.read("imsmanifest.xml"))
    except ElementTree.ParseError as exc:
        # In libxml's words, as PHP reports it: "Mismatched tag at line 2".
        reason = str(exc).split(":", 1)[0]
        raise refuse(f"imsmanifest.xml: {reason.capitalize()} at line {exc.position[0]}") from None
    schemaversion = next(
        (el.text or "" for el in root.iter() if _local(el.tag) == "schemaversion"), ""
    )
    version = "SCORM_1.2" if schemaversion.strip() in ("", "1.2") else "SCORM_1.3"
    resources = {el.get("identifier", ""): el for el in root.iter() if _local(el.tag) == "resource"}
    scoes: list[tuple[str, str, str, str, str, str]] = []

    def title_of(element: ElementTree.Element) -> str:
        return next((c.text or "" for c in element if _local(c.tag) == "title"), "")

    def walk(element: ElementTree.Element, parent: str, organization: str) -> None:
        for item in (c for c in element if _local(c.tag) == "item"):
            identifier = item.get("identifier", "")
            resource = resources.get(item.get("identifierref", ""))
            launch = resource.get("href", "") if resource is not None else ""
            kind = ""
            if resource is not None:
                kind = next(
                    (v for k, v in resource.attrib.items() if _local(k).lower() == "scormtype"),
                    "sco",
                ).lower()
            scoes.append((identifier, title_of(item), parent, organization, launch, kind))
            walk(item, identifier, organization)

    for organization in (el for el in root.iter() if _local(el.tag) == "organization"):
        identifier = organization.get("identifier", "")
        scoes.append((identifier, title_of(organization), "/", "", "", ""))
        walk(organization, identifier, identifier)
    if not any(launch for *_, launch, _kind in scoes):
        raise refuse("imsmanifest.xml names nothing to launch")
    return PackageInfo(version=version, scoes=scoes)
