"""Stage 5d: what Moodle silently mis-plays although the XSDs accept it.

Moodle's SCORM parser matches the prefixes ``adlcp:``, ``imsss:``, ``adlseq:`` and
``adlnav:`` literally (an ``ns0:`` bound to the right namespace is valid XML and still
ignored), and it honours ``xml:base`` only on <manifest>, <resources> and <resource>.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from scorm_builder.namespaces import (
    ADLCP_12,
    ADLCP_2004,
    ADLNAV_2004,
    ADLSEQ_2004,
    IMSSS_2004,
    REQUIRED_PREFIXES,
    XML,
    qname,
)
from scorm_builder.validate.findings import MANIFEST, Finding, finding
from scorm_builder.validate.manifest import Manifest, line_of

__all__ = ["check_moodle"]

_BASE = qname(XML, "base")
_BASE_ALLOWED = ("manifest", "resources", "resource")
_RESERVED: dict[str, dict[str, str]] = {
    "1.2": {"adlcp": ADLCP_12},
    "2004": {
        "adlcp": ADLCP_2004,
        "adlseq": ADLSEQ_2004,
        "adlnav": ADLNAV_2004,
        "imsss": IMSSS_2004,
    },
}


def _prefixes(manifest: Manifest) -> Iterator[Finding]:
    seen: set[tuple[str, str]] = set()

    def report(element: etree._Element, namespace: str, prefix: str) -> Iterator[Finding]:
        if (namespace, prefix) in seen:
            return
        seen.add((namespace, prefix))
        yield finding(
            "NS-PREFIX",
            MANIFEST,
            line_of(element),
            namespace=namespace,
            found=prefix or "xmlns",
            expected=REQUIRED_PREFIXES[namespace],
        )

    for element in manifest.elements:
        name = etree.QName(element)
        if name.namespace in REQUIRED_PREFIXES:
            if element.prefix != REQUIRED_PREFIXES[name.namespace]:
                yield from report(element, name.namespace, element.prefix or "")
        for attribute in element.attrib:
            namespace = etree.QName(attribute).namespace
            if namespace not in REQUIRED_PREFIXES:
                continue
            bound = [p for p, uri in element.nsmap.items() if uri == namespace and p]
            if REQUIRED_PREFIXES[namespace] not in bound:
                yield from report(element, namespace, bound[0] if bound else "")


def _unknown(manifest: Manifest) -> Iterator[Finding]:
    reserved = _RESERVED.get(manifest.family, {})
    for element in manifest.elements:
        parent = element.getparent()
        inherited = parent.nsmap if parent is not None else {}
        for prefix, uri in element.nsmap.items():
            if prefix in reserved and inherited.get(prefix) != uri and uri != reserved[prefix]:
                yield finding(
                    "NS-UNKNOWN",
                    MANIFEST,
                    line_of(element),
                    prefix=prefix,
                    namespace=uri,
                    expected=reserved[prefix],
                )


def _xml_base(manifest: Manifest) -> Iterator[Finding]:
    allowed = {manifest.cp_tag(local) for local in _BASE_ALLOWED}
    for element in manifest.elements:
        if element.get(_BASE) is not None and element.tag not in allowed:
            yield finding(
                "XML-BASE", MANIFEST, line_of(element), element=etree.QName(element).localname
            )


def check_moodle(manifest: Manifest) -> list[Finding]:
    """Findings about namespace prefixes and xml:base placement."""
    return [*_prefixes(manifest), *_unknown(manifest), *_xml_base(manifest)]
