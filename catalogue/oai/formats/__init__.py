"""The metadata formats we disseminate, one module and one line each (like pandoc's writers).

Every exposed item is available in every format, so ListMetadataFormats never answers
``noMetadataFormats``. A new format (say, ``oai_lom`` profiles or ``qdc``) is one module
with a ``write(description) -> element`` and one line in ``METADATA_FORMATS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from catalogue.oai.errors import CannotDisseminateFormat
from catalogue.oai.formats import lom, oai_dc
from catalogue.oai.namespaces import LOM, LOM_SCHEMA, OAI_DC, OAI_DC_SCHEMA
from catalogue.oai.records import Description


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    write: Callable[[Description], etree._Element]


METADATA_FORMATS: dict[str, MetadataFormat] = {
    f.prefix: f
    for f in (
        MetadataFormat("oai_dc", OAI_DC_SCHEMA, OAI_DC, oai_dc.write),
        MetadataFormat("lom", LOM_SCHEMA, LOM, lom.write),
    )
}


def metadata_format(prefix: str) -> MetadataFormat:
    """The format for ``prefix``, or ``cannotDisseminateFormat`` naming the ones we have."""
    found = METADATA_FORMATS.get(prefix)
    if found is None:
        known = ", ".join(METADATA_FORMATS)
        raise CannotDisseminateFormat(f"no metadata format '{prefix}' here; use one of {known}")
    return found
