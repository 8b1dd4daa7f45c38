"""The one way this package adds XML elements: lxml, with text made safe for XML 1.0.

Titles and descriptions come from teachers' forms and may hold control characters that
XML 1.0 forbids (lxml refuses them); they are dropped here, and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def qname(namespace: str, local: str) -> str:
    return f"{{{namespace}}}{local}"


def sub(
    parent: etree._Element,
    namespace: str,
    local: str,
    text: str | None = None,
    attributes: Mapping[str, str] | None = None,
) -> etree._Element:
    element = etree.SubElement(parent, qname(namespace, local))
    if text is not None:
        element.text = xml_text(text)
    for name, value in (attributes or {}).items():
        element.set(name, xml_text(value))
    return element
