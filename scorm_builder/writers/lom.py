"""The course's LOM record, in the two XML bindings SCORM uses.

SCORM 1.2 embeds IMS Metadata 1.2.1 (``imsmd:``, lower-case names, ``langstring``);
SCORM 2004 embeds IEEE LOM (``lom:``, camelCase names, ``string``). Both carry the same
facts: title, description, language, keywords, version, authors, licence, subject and
grades as classifications.
"""

from __future__ import annotations

from lxml import etree

from scorm_builder.model import Metadata
from scorm_builder.namespaces import IMSMD_12, LOM_2004, XML
from scorm_builder.writers.common import license_text, vcard

SUBJECT_TAXONOMY = "Sandyq subjects"
GRADE_TAXONOMY = "Kazakhstan school grades"
_GRADE_WORD = {"kk": "{grade}-сынып", "ru": "{grade} класс", "en": "Grade {grade}"}


def _sub(
    parent: etree._Element, namespace: str, name: str, text: str | None = None
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{namespace}}}{name}")
    if text is not None:
        element.text = text
    return element


def _grade_label(metadata: Metadata, grade: int) -> str:
    return _GRADE_WORD[metadata.language].format(grade=grade)


def imsmd_lom(metadata: Metadata) -> etree._Element:
    """IMS Metadata 1.2.1 ``<imsmd:lom>`` for a SCORM 1.2 manifest."""
    ns = IMSMD_12
    language = metadata.language

    def langstring(parent: etree._Element, text: str, lang: str = language) -> None:
        _sub(parent, ns, "langstring", text).set(f"{{{XML}}}lang", lang)

    def vocabulary(parent: etree._Element, name: str, value: str) -> None:
        holder = _sub(parent, ns, name)
        langstring(_sub(holder, ns, "source"), "LOMv1.0", "x-none")
        langstring(_sub(holder, ns, "value"), value, "x-none")

    lom = etree.Element(f"{{{ns}}}lom")
    general = _sub(lom, ns, "general")
    _sub(general, ns, "identifier", metadata.identifier)
    langstring(_sub(general, ns, "title"), metadata.title)
    _sub(general, ns, "language", language)
    if metadata.description:
        langstring(_sub(general, ns, "description"), metadata.description)
    for keyword in metadata.keywords:
        langstring(_sub(general, ns, "keyword"), keyword)
    lifecycle = _sub(lom, ns, "lifecycle")
    langstring(_sub(lifecycle, ns, "version"), metadata.version, "x-none")
    for author in metadata.authors:
        contribute = _sub(lifecycle, ns, "contribute")
        vocabulary(contribute, "role", "Author")
        _sub(_sub(contribute, ns, "centity"), ns, "vcard", vcard(author))
    metametadata = _sub(lom, ns, "metametadata")
    _sub(metametadata, ns, "metadatascheme", "ADL SCORM 1.2")
    _sub(metametadata, ns, "language", language)
    _sub(_sub(lom, ns, "technical"), ns, "format", "text/html")
    rights = _sub(lom, ns, "rights")
    vocabulary(rights, "cost", "no")
    vocabulary(rights, "copyrightandotherrestrictions", "yes")
    langstring(_sub(rights, ns, "description"), license_text(metadata.license), "en")
    if metadata.subject:
        classification = _sub(lom, ns, "classification")
        vocabulary(classification, "purpose", "Discipline")
        taxonpath = _sub(classification, ns, "taxonpath")
        langstring(_sub(taxonpath, ns, "source"), SUBJECT_TAXONOMY, "en")
        taxon = _sub(taxonpath, ns, "taxon")
        _sub(taxon, ns, "id", metadata.subject)
        langstring(_sub(taxon, ns, "entry"), metadata.subject, "en")
    if metadata.grades:
        classification = _sub(lom, ns, "classification")
        vocabulary(classification, "purpose", "Educational Level")
        for grade in metadata.grades:
            taxonpath = _sub(classification, ns, "taxonpath")
            langstring(_sub(taxonpath, ns, "source"), GRADE_TAXONOMY, "en")
            taxon = _sub(taxonpath, ns, "taxon")
            _sub(taxon, ns, "id", str(grade))
            langstring(_sub(taxon, ns, "entry"), _grade_label(metadata, grade))
    return lom


def ieee_lom(metadata: Metadata) -> etree._Element:
    """IEEE LOM (1484.12.3 XML binding) ``<lom:lom>`` for a SCORM 2004 manifest."""
    ns = LOM_2004
    language = metadata.language

    def string(parent: etree._Element, text: str, lang: str = language) -> None:
        _sub(parent, ns, "string", text).set("language", lang)

    def vocabulary(parent: etree._Element, name: str, value: str) -> None:
        holder = _sub(parent, ns, name)
        _sub(holder, ns, "source", "LOMv1.0")
        _sub(holder, ns, "value", value)

    lom = etree.Element(f"{{{ns}}}lom")
    general = _sub(lom, ns, "general")
    identifier = _sub(general, ns, "identifier")
    _sub(identifier, ns, "catalog", "sandyq")
    _sub(identifier, ns, "entry", metadata.identifier)
    string(_sub(general, ns, "title"), metadata.title)
    _sub(general, ns, "language", language)
    if metadata.description:
        string(_sub(general, ns, "description"), metadata.description)
    for keyword in metadata.keywords:
        string(_sub(general, ns, "keyword"), keyword)
    lifecycle = _sub(lom, ns, "lifeCycle")
    string(_sub(lifecycle, ns, "version"), metadata.version, "x-none")
    for author in metadata.authors:
        contribute = _sub(lifecycle, ns, "contribute")
        vocabulary(contribute, "role", "author")
        _sub(contribute, ns, "entity", vcard(author))
    metametadata = _sub(lom, ns, "metaMetadata")
    _sub(metametadata, ns, "metadataSchema", "LOMv1.0")
    _sub(metametadata, ns, "language", language)
    _sub(_sub(lom, ns, "technical"), ns, "format", "text/html")
    educational = _sub(lom, ns, "educational")
    vocabulary(educational, "context", "school")
    _sub(educational, ns, "language", language)
    rights = _sub(lom, ns, "rights")
    vocabulary(rights, "cost", "no")
    vocabulary(rights, "copyrightAndOtherRestrictions", "yes")
    string(_sub(rights, ns, "description"), license_text(metadata.license), "en")
    if metadata.subject:
        classification = _sub(lom, ns, "classification")
        vocabulary(classification, "purpose", "discipline")
        taxon_path = _sub(classification, ns, "taxonPath")
        string(_sub(taxon_path, ns, "source"), SUBJECT_TAXONOMY, "en")
        taxon = _sub(taxon_path, ns, "taxon")
        _sub(taxon, ns, "id", metadata.subject)
        string(_sub(taxon, ns, "entry"), metadata.subject, "en")
    if metadata.grades:
        classification = _sub(lom, ns, "classification")
        vocabulary(classification, "purpose", "educational level")
        for grade in metadata.grades:
            taxon_path = _sub(classification, ns, "taxonPath")
            string(_sub(taxon_path, ns, "source"), GRADE_TAXONOMY, "en")
            taxon = _sub(taxon_path, ns, "taxon")
            _sub(taxon, ns, "id", str(grade))
            string(_sub(taxon, ns, "entry"), _grade_label(metadata, grade))
    return lom
