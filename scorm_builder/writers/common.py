"""What both SCORM writers share: stable identifiers, schema files, serialization."""

from __future__ import annotations

from lxml import etree

from scorm_builder.model import Metadata
from scorm_builder.schemas import schema_dir
from scorm_builder.vocabulary import licence_url


def organization_id(metadata: Metadata) -> str:
    """Stable identifiers: the course identifier and the position, never random."""
    return f"ORG-{metadata.identifier}"


def item_id(metadata: Metadata, sco_key: str) -> str:
    return f"ITEM-{metadata.identifier}-{sco_key}"


def resource_id(metadata: Metadata, sco_key: str) -> str:
    return f"RES-{metadata.identifier}-{sco_key}"


def shared_resource_id(metadata: Metadata) -> str:
    return f"RES-{metadata.identifier}-shared"


def schema_files(set_name: str) -> dict[str, bytes]:
    """The XSD files a package of this version carries at its root (drivers ``_*`` stay out)."""
    folder = schema_dir() / set_name
    files = {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and not path.name.startswith(("_", "."))
        and path.suffix in (".xsd", ".dtd")
    }
    if not files:
        raise FileNotFoundError(f"no XSD files in {folder}; the installation is incomplete")
    return files


def serialize(root: etree._Element) -> bytes:
    """UTF-8 XML with a declaration, indented, the same bytes for the same tree."""
    etree.indent(root, space="  ")
    body = etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + bytes(body)


def license_text(license_id: str) -> str:
    """A human sentence for the rights description, with the licence's address from the
    vocabulary (the public domain's is the Public Domain Mark, as OAI-PMH gives it)."""
    address = licence_url(license_id)
    if address is None:
        return "All rights reserved; used with permission"
    return f"{license_id}: {address}"


def vcard(name: str) -> str:
    """A minimal vCard 3.0 for a LOM contributor; special characters escaped per RFC 2426."""
    escaped = name.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return f"BEGIN:VCARD\nVERSION:3.0\nFN:{escaped}\nN:{escaped};;;;\nEND:VCARD"
