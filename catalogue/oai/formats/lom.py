"""IEEE LOM in its XML binding (1484.12.3, namespace ``http://ltsc.ieee.org/xsd/LOM``).

The same vocabulary choices as the LOM record inside our SCORM 2004 packages
(``scorm_builder.writers.lom``): LOMv1.0 sources, authors as vCards, the licence sentence
in rights, subject and grades as "discipline" and "educational level" classifications in
the "Sandyq subjects" and "Kazakhstan school grades" taxonomies. Here the record also
names where the package is (technical) and how it is used (educational); its language
strings carry every language the resource was described in.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from catalogue.models import ResourceType
from catalogue.oai.namespaces import LOM, LOM_SCHEMA, XSI, schema_location
from catalogue.oai.records import Description
from catalogue.oai.xmltree import qname, sub
from scorm_builder.vocabulary import UNRESTRICTED_LICENCES, Names, grade_names, subject_names
from scorm_builder.writers.common import license_text, vcard
from scorm_builder.writers.lom import GRADE_TAXONOMY, SUBJECT_TAXONOMY

#: LOMv1.0 learningResourceType (5.2) for each of our types; none fits a course or "other".
_LEARNING_RESOURCE_TYPES: dict[ResourceType, str] = {
    ResourceType.LESSON: "narrative text",
    ResourceType.TEST: "exam",
    ResourceType.VIDEO_LECTURE: "lecture",
    ResourceType.VIRTUAL_LAB: "simulation",
}


def iso_duration(minutes: int) -> str:
    """ISO 8601 duration: 45 -> PT45M, 90 -> PT1H30M, 60 -> PT1H."""
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def write(description: Description) -> etree._Element:
    d = description
    lom = etree.Element(qname(LOM, "lom"), nsmap={"lom": LOM, "xsi": XSI})
    lom.set(qname(XSI, "schemaLocation"), schema_location(LOM, LOM_SCHEMA))

    general = _sub(lom, "general")
    for catalog, entry in (("URI", d.page_url), ("URI", f"urn:uuid:{d.uuid}")):
        identifier = _sub(general, "identifier")
        _sub(identifier, "catalog", catalog)
        _sub(identifier, "entry", entry)
    _strings(general, "title", d.titles)
    if d.language:
        _sub(general, "language", d.language)
    if d.descriptions:
        _strings(general, "description", d.descriptions)
    for keyword in d.keywords:
        _strings(general, "keyword", [(d.language, keyword)])

    lifecycle = _sub(lom, "lifeCycle")
    _strings(lifecycle, "version", [("x-none", str(d.version))])
    for author in d.authors:
        contribute = _sub(lifecycle, "contribute")
        _vocabulary(contribute, "role", "author")
        _sub(contribute, "entity", vcard(author))

    _sub(_sub(lom, "metaMetadata"), "metadataSchema", "LOMv1.0")

    technical = _sub(lom, "technical")
    _sub(technical, "format", "application/zip")
    if d.package_size > 0:
        _sub(technical, "size", str(d.package_size))
    _sub(technical, "location", d.package_url)
    if d.scorm_version:
        _strings(technical, "otherPlatformRequirements", [("en", f"SCORM {d.scorm_version}")])

    educational = _sub(lom, "educational")
    if d.resource_type in _LEARNING_RESOURCE_TYPES:
        _vocabulary(educational, "learningResourceType", _LEARNING_RESOURCE_TYPES[d.resource_type])
    _vocabulary(educational, "context", "school")
    if d.learning_minutes:
        _sub(_sub(educational, "typicalLearningTime"), "duration", iso_duration(d.learning_minutes))
    if d.language:
        _sub(educational, "language", d.language)

    rights = _sub(lom, "rights")
    _vocabulary(rights, "cost", "no")
    restricted = "no" if d.license in UNRESTRICTED_LICENCES else "yes"  # 6.2
    _vocabulary(rights, "copyrightAndOtherRestrictions", restricted)
    _strings(rights, "description", [("en", license_text(d.license))])

    if d.subject:
        subject = [(d.subject, subject_names(d.subject))]
        _classification(lom, "discipline", SUBJECT_TAXONOMY, subject)
    if d.grades:
        grades = [(str(grade), grade_names(grade)) for grade in d.grades]
        _classification(lom, "educational level", GRADE_TAXONOMY, grades)
    return lom


def _sub(parent: etree._Element, local: str, text: str | None = None) -> etree._Element:
    return sub(parent, LOM, local, text)


def _strings(parent: etree._Element, local: str, texts: Sequence[tuple[str, str]]) -> None:
    """A LangString: one ``<string language="..">`` per language."""
    holder = _sub(parent, local)
    for language, text in texts:
        string = _sub(holder, "string", text)
        if language:
            string.set("language", language)


def _vocabulary(parent: etree._Element, local: str, value: str) -> None:
    holder = _sub(parent, local)
    _sub(holder, "source", "LOMv1.0")
    _sub(holder, "value", value)


def _classification(
    lom: etree._Element, purpose: str, taxonomy: str, taxa: list[tuple[str, Names]]
) -> None:
    """One classification, with a taxon path per taxon (as our packages write it)."""
    classification = _sub(lom, "classification")
    _vocabulary(classification, "purpose", purpose)
    for taxon_id, names in taxa:
        path = _sub(classification, "taxonPath")
        _strings(path, "source", [("en", taxonomy)])
        taxon = _sub(path, "taxon")
        _sub(taxon, "id", taxon_id)
        _strings(taxon, "entry", list(names.items()))
