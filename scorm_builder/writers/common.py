"""What both SCORM writers share: stable identifiers, schema files, serialization."""

from __future__ import annotations

from lxml import etree

from scorm_builder.model import Metadata
from scorm_builder.schemas import schema_dir


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
    """A human sentence for the rights description, with the licence's address."""
    if license_id.startswith("CC-") and license_id.endswith("-4.0"):
        code = license_id[3:-4].lower()
        return f"{license_id}: https://creativecommons.org/licenses/{code}/4.0/"
    if license_id == "CC0-1.0":
        return "CC0-1.0: https://creativecommons.org/publicdomain/zero/1.0/"
    if license_id == "public-domain":
        return "Public domain"
    return "All rights reserved; used with permission"


def vcard(name: str) -> str:
    """A minimal vCard 3.0 for a LOM contributor; special characters escaped per RFC 2426."""
    escaped = name.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return f"BEGIN:VCARD\nVERSION:3.0\nFN:{escaped}\nN:{escaped};;;;\nEND:VCARD"
