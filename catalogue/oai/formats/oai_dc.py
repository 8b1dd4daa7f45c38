"""Simple Dublin Core (``oai_dc``), the format every OAI-PMH repository must offer.

Titles and descriptions carry ``xml:lang`` per language; ``dc:subject`` holds the subject's
names, then the keywords; ``dc:type`` the DCMI type, then our own term in Kazakh (the
vocabulary's, in lower case); ``dc:identifier`` the resource page, then the package;
``dc:rights`` the licence's address. The words come from ``scorm_builder.vocabulary``.
"""

from __future__ import annotations

from lxml import etree

from catalogue.models import ResourceType
from catalogue.oai.namespaces import DC, OAI_DC, OAI_DC_SCHEMA, XML, XSI, schema_location
from catalogue.oai.records import Description
from catalogue.oai.xmltree import qname, sub
from scorm_builder.vocabulary import (
    RESOURCE_TYPES,
    SUBJECTS,
    licence_name,
    licence_url,
    subject_names,
)

#: The DCMI Type Vocabulary term of a resource type, where it is not "InteractiveResource".
_DCMI_TYPES: dict[ResourceType, str] = {ResourceType.VIDEO_LECTURE: "MovingImage"}


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
    _dc(root, "type", _DCMI_TYPES.get(d.resource_type, "InteractiveResource"))
    own_type = RESOURCE_TYPES.get(d.resource_type.value)
    _dc(root, "type", own_type.kk.lower() if own_type is not None else d.resource_type.value, "kk")
    _dc(root, "format", "application/zip")
    _dc(root, "identifier", d.page_url)
    _dc(root, "identifier", d.package_url)
    if d.language:
        _dc(root, "language", d.language)
    _dc(root, "rights", licence_url(d.license) or licence_name(d.license, "en"))
    if d.rights_holder:
        _dc(root, "rights", f"© {d.rights_holder}")
    return root


def _dc(root: etree._Element, element: str, text: str, language: str | None = None) -> None:
    attributes = {qname(XML, "lang"): language} if language else None
    sub(root, DC, element, text, attributes)
