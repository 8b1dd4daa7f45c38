"""Namespaces of WordprocessingML, DrawingML, VML and OMML, and a helper to spell tags."""

from __future__ import annotations

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
V = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"

NSMAP: dict[str, str] = {
    "w": W, "r": R, "m": M, "wp": WP, "a": A, "pic": PIC, "v": V, "o": OFFICE, "mc": MC,
    "adec": ADEC, "wps": WPS,
}  # fmt: skip


def qn(tag: str) -> str:
    """``w:p`` -> ``{http://...}p``."""
    prefix, _, local = tag.partition(":")
    return f"{{{NSMAP[prefix]}}}{local}"


def local_name(tag: object) -> str:
    """The local part of an lxml tag; empty for comments and processing instructions."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(tag: object) -> str:
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].partition("}")[0]


def is_on(element: etree._Element | None) -> bool:
    """A WordprocessingML toggle (``<w:b/>``, ``<w:b w:val="0"/>``) read as a boolean."""
    if element is None:
        return False
    value = element.get(qn("w:val"))
    return value is None or value.lower() not in ("0", "false", "off", "none")
