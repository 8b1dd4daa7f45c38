"""The OAI-PMH response document (spec section 3.2): ``<OAI-PMH>`` with ``responseDate``,
``request``, then either the verb's element or one or more ``<error>`` elements.

Also the pieces every list shares: ``<header>`` and ``<resumptionToken>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from lxml import etree

from catalogue.oai.errors import OaiError
from catalogue.oai.namespaces import OAI, OAI_SCHEMA, XSI, schema_location
from catalogue.oai.protocol import format_datestamp
from catalogue.oai.records import Header
from catalogue.oai.xmltree import qname, sub


def envelope(
    response_date: datetime, base_url: str, arguments: Mapping[str, str] | None
) -> etree._Element:
    """The document's root. ``arguments`` become the ``<request>`` element's attributes;
    ``None`` after ``badVerb``/``badArgument``, when only the base URL may be given."""
    namespaces: dict[str | None, str] = {None: OAI, "xsi": XSI}
    # lxml-stubs forget that None names the default namespace.
    root = etree.Element(qname(OAI, "OAI-PMH"), nsmap=namespaces)  # type: ignore[arg-type]
    root.set(qname(XSI, "schemaLocation"), schema_location(OAI, OAI_SCHEMA))
    sub(root, OAI, "responseDate", format_datestamp(response_date))
    sub(root, OAI, "request", base_url, dict(arguments or {}))
    return root


def add_error(root: etree._Element, error: OaiError) -> None:
    sub(root, OAI, "error", error.message, {"code": error.code})


def add_header(parent: etree._Element, header: Header) -> None:
    status = {"status": "deleted"} if header.deleted else None
    element = sub(parent, OAI, "header", attributes=status)
    sub(element, OAI, "identifier", header.identifier)
    sub(element, OAI, "datestamp", format_datestamp(header.datestamp))
    for spec in header.set_specs:
        sub(element, OAI, "setSpec", spec)


def add_resumption_token(
    parent: etree._Element, token: str | None, complete_list_size: int, cursor: int
) -> None:
    """``token=None`` writes the empty element that closes a list sent in pages."""
    attributes = {"completeListSize": str(complete_list_size), "cursor": str(cursor)}
    sub(parent, OAI, "resumptionToken", token or "", attributes)


def serialize(root: etree._Element) -> bytes:
    """UTF-8 with a declaration; Kazakh letters stay letters (no character references)."""
    body = etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + bytes(body)
