"""The one hardened XML parser: every XML byte Sandyq reads from a stranger goes through here.

Packages, manifests and documents come from anyone, so the parser never loads a DTD,
never expands an entity and never touches the network; a document that declares a
DOCTYPE is refused before lxml sees it. Encodings are checked first as well: a manifest
that says one thing and is written in another is a classic way for an LMS to mangle
Kazakh letters silently.

Errors are typed, and each carries the line when there is one, so the validator can map
them onto its rules and the readers can show them to a teacher as they are.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from lxml import etree

from scorm_builder.errors import ScormError

__all__ = [
    "XmlBomError",
    "XmlDoctypeError",
    "XmlEncodingError",
    "XmlSafetyError",
    "XmlSyntaxError",
    "declared_encoding",
    "parse_xml",
    "sniff_bom",
]


class XmlSafetyError(ScormError):
    """An XML document that Sandyq refuses to parse, or cannot parse."""


@dataclass
class XmlDoctypeError(XmlSafetyError):
    """The document declares a DOCTYPE (and with it, possibly entities or a remote DTD)."""


@dataclass
class XmlEncodingError(XmlSafetyError):
    """The document is not UTF-8, or its bytes do not match the encoding it declares."""

    encoding: str = ""


@dataclass
class XmlBomError(XmlSafetyError):
    """The byte order mark says one encoding and the XML declaration another."""

    bom: str = ""
    declared: str = ""


@dataclass
class XmlSyntaxError(XmlSafetyError):
    """The document is not well-formed XML."""

    reason: str = ""


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF8, "UTF-8"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)

_DECLARATION = re.compile(rb"^<\?xml\s[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=False,
        remove_pis=False,
    )


def sniff_bom(data: bytes) -> tuple[str | None, int]:
    """The encoding named by a leading byte order mark and the mark's length, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None, 0


def _utf16_ish(data: bytes) -> bool:
    """UTF-16 without a BOM still starts ``<`` ``\\0`` or ``\\0`` ``<``."""
    return data[:2] in (b"<\x00", b"\x00<")


def declared_encoding(data: bytes) -> str | None:
    """The encoding named in the XML declaration of UTF-8-compatible bytes, upper-cased."""
    match = _DECLARATION.match(data)
    return match.group(1).decode("ascii").upper() if match else None


def _normalise(name: str) -> str:
    return name.upper().replace("_", "-").replace("UTF8", "UTF-8")


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _find_doctype(data: bytes) -> int | None:
    """Offset of a DOCTYPE in the prolog (before the root element), or None."""
    pos = 0
    while pos < len(data):
        match = _PROLOG_ITEM.match(data, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
    if _DOCTYPE.match(data, pos):
        return pos
    return None


def _check_encoding(data: bytes, source: str) -> bytes:
    """Refuse anything but UTF-8 (with or without a BOM) and return the bytes after the BOM."""
    bom, bom_length = sniff_bom(data)
    body = data[bom_length:]
    if bom in ("UTF-16", "UTF-32") or (bom is None and _utf16_ish(data)):
        encoding = bom or "UTF-16"
        declared = None
        if bom is not None:
            try:
                declared = declared_encoding(data.decode(_codec(data)).encode("utf-8"))
            except UnicodeDecodeError:
                declared = None
        if declared is not None and _normalise(declared) not in (encoding, "UTF-16", "UTF-32"):
            raise XmlBomError(
                f"the byte order mark says {encoding} but the declaration says {declared}",
                file=source,
                line=1,
                hint="save the file as UTF-8 without a byte order mark",
                bom=encoding,
                declared=declared,
            )
        raise XmlEncodingError(
            f"the file is written in {encoding}, not UTF-8",
            file=source,
            line=1,
            hint="save the file as UTF-8",
            encoding=encoding,
        )
    declared = declared_encoding(body)
    if bom == "UTF-8" and declared is not None and _normalise(declared) != "UTF-8":
        raise XmlBomError(
            f"the byte order mark says UTF-8 but the declaration says {declared}",
            file=source,
            line=1,
            hint='write encoding="UTF-8" in the declaration, or remove the byte order mark',
            bom="UTF-8",
            declared=declared,
        )
    if declared is not None and _normalise(declared) != "UTF-8":
        raise XmlEncodingError(
            f"the declaration names the encoding {declared}, not UTF-8",
            file=source,
            line=1,
            hint='save the file as UTF-8 and write encoding="UTF-8"',
            encoding=declared,
        )
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise XmlEncodingError(
            "the file is declared as UTF-8 but holds bytes that are not UTF-8",
            file=source,
            line=_line_at(body, error.start),
            hint="save the file as UTF-8",
            encoding="UTF-8",
        ) from error
    return body


def _codec(data: bytes) -> str:
    bom, _ = sniff_bom(data)
    if bom == "UTF-32":
        return "utf-32"
    return "utf-16"


def parse_xml(data: bytes, *, source: str = "") -> etree._ElementTree:
    """Parse UTF-8 XML safely and return the tree, or raise an `XmlSafetyError` with a line.

    ``source`` names the document in error messages (a file or zip entry).
    """
    body = _check_encoding(data, source)
    doctype_at = _find_doctype(body)
    if doctype_at is not None:
        raise XmlDoctypeError(
            "the document declares a DOCTYPE (DTD); DTDs and entities are not allowed",
            file=source,
            line=_line_at(body, doctype_at),
            hint="remove the <!DOCTYPE ...> declaration",
        )
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        raise XmlSyntaxError(
            f"the document is not well-formed XML: {error.msg}",
            file=source,
            line=line,
            hint="check that every tag is closed and every attribute is quoted",
            reason=str(error.msg),
        ) from error
    tree = root.getroottree()
    doctype: str = tree.docinfo.doctype  # type: ignore[union-attr]
    if doctype:  # belt and braces: never let a DTD through
        raise XmlDoctypeError(
            "the document declares a DOCTYPE (DTD); DTDs and entities are not allowed",
            file=source,
            line=1,
            hint="remove the <!DOCTYPE ...> declaration",
        )
    return tree
