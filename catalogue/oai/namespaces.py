"""Every XML namespace the OAI-PMH responses use, with the schema each one is checked by.

One module, so that the envelope, the formats and the tests agree on every URI.
"""

from __future__ import annotations

from scorm_builder.namespaces import LOM_2004, XML, XSI

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"

OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC = "http://purl.org/dc/elements/1.1/"

#: IEEE 1484.12.3 (the LOM XML binding): the namespace our SCORM 2004 manifests use too.
LOM = LOM_2004
LOM_SCHEMA = "http://ltsc.ieee.org/xsd/lomv1.0/lom.xsd"

__all__ = [
    "DC",
    "LOM",
    "LOM_SCHEMA",
    "OAI",
    "OAI_DC",
    "OAI_DC_SCHEMA",
    "OAI_IDENTIFIER",
    "OAI_IDENTIFIER_SCHEMA",
    "OAI_SCHEMA",
    "XML",
    "XSI",
]


def schema_location(namespace: str, schema: str) -> str:
    return f"{namespace} {schema}"
