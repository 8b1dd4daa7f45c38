"""The course's LOM record, in the two XML bindings SCORM uses.

SCORM 1.2 embeds IMS Metadata 1.2.1 (``imsmd:``, lower-case names, ``langstring`` with
``xml:lang``, vocabularies as langstrings); SCORM 2004 embeds IEEE LOM (``lom:``,
camelCase names, ``string`` with ``language``, plain vocabularies). ``_Binding`` holds
those differences; ``_lom`` writes the one record both carry: title, description,
language, keywords, version, authors, licence, and subject and grades as classifications.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from scorm_builder.model import Metadata
from scorm_builder.namespaces import IMSMD_12, LOM_2004, XML
from scorm_builder.package_info import GRADE_TAXONOMY, SUBJECT_TAXONOMY
from scorm_builder.vocabulary import grade_name
from scorm_builder.writers.common import license_text, vcard

__all__ = ["GRADE_TAXONOMY", "SUBJECT_TAXONOMY", "ieee_lom", "imsmd_lom"]


@dataclass(frozen=True)
class _Binding:
    prefix: str
    namespace: str
    names: dict[str, str]
    imsmd: bool

    def sub(self, parent: etree._Element, key: str, text: str | None = None) -> etree._Element:
        element = etree.SubElement(parent, f"{{{self.namespace}}}{self.names.get(key, key)}")
        if text is not None:
            element.text = text
        return element

    def text(self, parent: etree._Element, key: str, text: str, language: str) -> None:
        """A language-tagged text element, ``key`` holding one ``langstring``/``string``."""
        holder = self.sub(parent, key)
        if self.imsmd:
            self.sub(holder, "langstring", text).set(f"{{{XML}}}lang", language)
        else:
            self.sub(holder, "string", text).set("language", language)

    def vocabulary(self, parent: etree._Element, key: str, value: str) -> None:
        """A LOMv1.0 vocabulary value (IMS MD spells its values capitalised)."""
        holder = self.sub(parent, key)
        if self.imsmd:
            self.text(holder, "source", "LOMv1.0", "x-none")
            spelled = value if value in ("yes", "no") else value.title()
            self.text(holder, "value", spelled, "x-none")
        else:
            self.sub(holder, "source", "LOMv1.0")
            self.sub(holder, "value", value)


_IMSMD = _Binding("imsmd", IMSMD_12, {}, imsmd=True)
_IEEE = _Binding(
    "lom",
    LOM_2004,
    {
        "lifecycle": "lifeCycle",
        "metametadata": "metaMetadata",
        "metadatascheme": "metadataSchema",
        "copyrightandotherrestrictions": "copyrightAndOtherRestrictions",
        "taxonpath": "taxonPath",
    },
    imsmd=False,
)


def imsmd_lom(metadata: Metadata) -> etree._Element:
    """IMS Metadata 1.2.1 ``<imsmd:lom>`` for a SCORM 1.2 manifest."""
    return _lom(metadata, _IMSMD)


def ieee_lom(metadata: Metadata) -> etree._Element:
    """IEEE LOM (1484.12.3 XML binding) ``<lom:lom>`` for a SCORM 2004 manifest."""
    return _lom(metadata, _IEEE)


def _lom(metadata: Metadata, b: _Binding) -> etree._Element:
    language = metadata.language
    lom = etree.Element(f"{{{b.namespace}}}lom", nsmap={b.prefix: b.namespace})
    general = b.sub(lom, "general")
    if b.imsmd:
        b.sub(general, "identifier", metadata.identifier)
    else:
        identifier = b.sub(general, "identifier")
        b.sub(identifier, "catalog", "sandyq")
        b.sub(identifier, "entry", metadata.identifier)
    b.text(general, "title", metadata.title, language)
    b.sub(general, "language", language)
    if metadata.description:
        b.text(general, "description", metadata.description, language)
    for keyword in metadata.keywords:
        b.text(general, "keyword", keyword, language)

    lifecycle = b.sub(lom, "lifecycle")
    b.text(lifecycle, "version", metadata.version, "x-none")
    for author in metadata.authors:
        contribute = b.sub(lifecycle, "contribute")
        b.vocabulary(contribute, "role", "author")
        if b.imsmd:
            b.sub(b.sub(contribute, "centity"), "vcard", vcard(author))
        else:
            b.sub(contribute, "entity", vcard(author))

    metametadata = b.sub(lom, "metametadata")
    b.sub(metametadata, "metadatascheme", "ADL SCORM 1.2" if b.imsmd else "LOMv1.0")
    b.sub(metametadata, "language", language)
    b.sub(b.sub(lom, "technical"), "format", "text/html")
    if not b.imsmd:
        educational = b.sub(lom, "educational")
        b.vocabulary(educational, "context", "school")
        b.sub(educational, "language", language)

    rights = b.sub(lom, "rights")
    b.vocabulary(rights, "cost", "no")
    b.vocabulary(rights, "copyrightandotherrestrictions", "yes")
    b.text(rights, "description", license_text(metadata.license), "en")

    if metadata.subject:
        subject = [(metadata.subject, metadata.subject, "en")]
        _classification(lom, b, "discipline", SUBJECT_TAXONOMY, subject)
    if metadata.grades:
        grades = [(str(grade), grade_name(grade, language), language) for grade in metadata.grades]
        _classification(lom, b, "educational level", GRADE_TAXONOMY, grades)
    return lom


def _classification(
    lom: etree._Element,
    b: _Binding,
    purpose: str,
    taxonomy: str,
    taxa: Sequence[tuple[str, str, str]],
) -> None:
    """One classification; a taxon path per taxon (IMS MD allows one taxon per path)."""
    classification = b.sub(lom, "classification")
    b.vocabulary(classification, "purpose", purpose)
    for taxon_id, label, language in taxa:
        path = b.sub(classification, "taxonpath")
        b.text(path, "source", taxonomy, "en")
        taxon = b.sub(path, "taxon")
        b.sub(taxon, "id", taxon_id)
        b.text(taxon, "entry", label, language)
