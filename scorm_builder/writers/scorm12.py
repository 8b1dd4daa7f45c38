"""SCORM 1.2 writer: IMS CP 1.1.2 manifest with ADL CP 1.2 extensions and IMS MD 1.2.1.

``adlcp:masteryscore`` is written only for a SCO with a graded quiz: an LMS that sees
one judges passed/failed by it, which would be wrong for a lesson with nothing graded.
"""

from __future__ import annotations

from lxml import etree

from scorm_builder.model import Course
from scorm_builder.namespaces import ADLCP_12, IMSCP_12, IMSMD_12, NSMAP_12
from scorm_builder.render import RenderedPackage
from scorm_builder.schemas import SCHEMA_SETS, SCHEMA_VERSIONS
from scorm_builder.writers.common import schema_files, serialize
from scorm_builder.writers.format import WriterFormat
from scorm_builder.writers.lom import imsmd_lom
from scorm_builder.writers.manifest import ManifestDialect, build_manifest

DIALECT = ManifestDialect(
    nsmap=NSMAP_12,
    schema_locations=(
        (IMSCP_12, "imscp_rootv1p1p2.xsd"),
        (IMSMD_12, "imsmd_rootv1p2p1.xsd"),
        (ADLCP_12, "adlcp_rootv1p2.xsd"),
    ),
    schemaversion=SCHEMA_VERSIONS[("1.2", None)],
    scorm_type_attribute=f"{{{ADLCP_12}}}scormtype",
    lom=imsmd_lom,
)


def write(course: Course, rendered: RenderedPackage) -> dict[str, bytes]:
    """The manifest and the schema files of a SCORM 1.2 package."""
    schemas = schema_files(FORMAT.schema_set)
    manifest, _, items = build_manifest(course, rendered, DIALECT, tuple(schemas))
    for sco in rendered.scos:
        if sco.mastery_score is not None:
            mastery = etree.SubElement(items[sco.key], f"{{{ADLCP_12}}}masteryscore")
            mastery.text = str(sco.mastery_score)
    return {"imsmanifest.xml": serialize(manifest), **schemas}


FORMAT = WriterFormat(
    id="scorm12",
    label="SCORM 1.2",
    suffix="scorm12",
    scorm="1.2",
    edition=None,
    schema_set=SCHEMA_SETS[("1.2", None)],
    schemaversion=SCHEMA_VERSIONS[("1.2", None)],
    write=write,
)
