"""Simple Dublin Core (``oai_dc``), the format every OAI-PMH repository must offer.

Titles and descriptions carry ``xml:lang`` per language; ``dc:subject`` holds the subject's
names, then the keywords; ``dc:type`` the DCMI type, then our own term in Kazakh;
``dc:identifier`` the resource page, then the package; ``dc:rights`` the licence's address.
"""

from __future__ import annotations

from lxml import etree

from catalogue.models import ResourceType
from catalogue.oai.namespaces import DC, OAI_DC, OAI_DC_SCHEMA, XML, XSI, schema_location
from catalogue.oai.records import Description
from catalogue.oai.sets import SUBJECTS, subject_names
from catalogue.oai.xmltree import qname, sub

#: The DCMI Type Vocabulary term, and the glossary's Kazakh word, for each resource type.
_TYPES: dict[ResourceType, tuple[str, str]] = {
    ResourceType.LESSON: ("InteractiveResource", "сабақ"),
    ResourceType.TEST: ("InteractiveResource", "тест"),
    ResourceType.VIDEO_LECTURE: ("MovingImage", "бейнедәріс"),
    ResourceType.COURSE: ("InteractiveResource", "курс"),
    ResourceType.VIRTUAL_LAB: ("InteractiveResource", "виртуалды зертхана"),
    ResourceType.OTHER: ("InteractiveResource", "басқа"),
}


def license_url(license_id: str) -> str | None:
    """The licence's canonical address; ``None`` for all rights reserved."""
    if license_id.startswith("CC-") and license_id.endswith("-4.0"):
        return f"https://creativecommons.org/licenses/{license_id[3:-4].lower()}/4.0/"
    if license_id == "CC0-1.0":
        return "https://creativecommons.org/publicdomain/zero/1.0/"
    if license_id == "public-domain":
        return "https://creativecommons.org/publicdomain/mark/1.0/"
    return None


def write(description: Description) -> etree._Element:
    d = description
    root = etree.Element(qname(OAI_DC, "dc"), nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    root.set(qname(XSI, "schemaLocation"), schema_location(OAI_DC, OAI_DC_SCHEMA))
    for language, title in d.titles:
        _dc(root, "title", title, language)
    for author in d.authors:
        _dc(root, "creator", author)
    if d.subject:
        if d.subject in SUBJECTS:
            for language, name in subject_names(d.subject).items():
                _dc(root, "subject", name, language)
        else:
            _dc(root, "subject", d.subject)
    for keyword in d.keywords:
        _dc(root, "subject", keyword, d.language)
    for language, text in d.descriptions:
        _dc(root, "description", text, language)
    if d.published_at is not None:
        _dc(root, "date", d.published_at.date().isoformat())
    dcmi_type, own_type = _TYPES[d.resource_type]
    _dc(root, "type", dcmi_type)
    _dc(root, "type", own_type, "kk")
    _dc(root, "format", "application/zip")
    _dc(root, "identifier", d.page_url)
    _dc(root, "identifier", d.package_url)
    if d.language:
        _dc(root, "language", d.language)
    _dc(root, "rights", license_url(d.license) or "All rights reserved")
    if d.rights_holder:
        _dc(root, "rights", f"© {d.rights_holder}")
    return root


def _dc(root: etree._Element, element: str, text: str, language: str | None = None) -> None:
    attributes = {qname(XML, "lang"): language} if language else None
    sub(root, DC, element, text, attributes)
