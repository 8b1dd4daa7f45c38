"""SCORM 2004 writer (3rd and 4th edition): IMS CP 1.1.4, ADL CP/SEQ/NAV, IMS SS, IEEE LOM.

Sequencing is the simplest that lets any LMS play the course as the teacher ordered it:
``flow`` and ``choice`` on, content reports completion and success itself
(``completionSetByContent``, ``objectiveSetByContent``), and no objective is global.
"""

from __future__ import annotations

from functools import partial

from lxml import etree

from scorm_builder.model import Course, Edition
from scorm_builder.namespaces import (
    ADLCP_2004,
    ADLNAV_2004,
    ADLSEQ_2004,
    IMSCP_2004,
    IMSSS_2004,
    LOM_2004,
    NSMAP_2004,
)
from scorm_builder.render import RenderedPackage
from scorm_builder.schemas import SCHEMA_SETS, SCHEMA_VERSIONS
from scorm_builder.writers.common import schema_files, serialize
from scorm_builder.writers.format import WriterFormat
from scorm_builder.writers.lom import ieee_lom
from scorm_builder.writers.manifest import ManifestDialect, build_manifest

_SCHEMA_LOCATIONS = (
    (IMSCP_2004, "imscp_v1p1.xsd"),
    (ADLCP_2004, "adlcp_v1p3.xsd"),
    (ADLSEQ_2004, "adlseq_v1p3.xsd"),
    (ADLNAV_2004, "adlnav_v1p3.xsd"),
    (IMSSS_2004, "imsss_v1p0.xsd"),
    (LOM_2004, "lom.xsd"),
)


def _dialect(edition: int) -> ManifestDialect:
    return ManifestDialect(
        nsmap=NSMAP_2004,
        schema_locations=_SCHEMA_LOCATIONS,
        schemaversion=SCHEMA_VERSIONS[("2004", edition)],
        scorm_type_attribute=f"{{{ADLCP_2004}}}scormType",
        lom=ieee_lom,
    )


def _sequencing(parent: etree._Element) -> etree._Element:
    return etree.SubElement(parent, f"{{{IMSSS_2004}}}sequencing")


def _primary_objective(sequencing: etree._Element, item_id: str, mastery: int) -> None:
    """Tells the LMS the passing score (``cmi.scaled_passing_score``); content judges it."""
    objectives = etree.SubElement(sequencing, f"{{{IMSSS_2004}}}objectives")
    primary = etree.SubElement(objectives, f"{{{IMSSS_2004}}}primaryObjective")
    primary.set("objectiveID", f"{item_id}-passed")
    primary.set("satisfiedByMeasure", "false")
    measure = etree.SubElement(primary, f"{{{IMSSS_2004}}}minNormalizedMeasure")
    measure.text = f"{mastery / 100:.2f}"


def write(course: Course, rendered: RenderedPackage, *, edition: Edition) -> dict[str, bytes]:
    """The manifest and the schema files of a SCORM 2004 package of ``edition``."""
    schemas = schema_files(SCHEMA_SETS[("2004", edition)])
    manifest, organization, items = build_manifest(
        course, rendered, _dialect(edition), tuple(schemas)
    )
    organization.set(f"{{{ADLSEQ_2004}}}objectivesGlobalToSystem", "false")
    for sco in rendered.scos:
        item = items[sco.key]
        sequencing = _sequencing(item)
        if sco.mastery_score is not None:
            _primary_objective(sequencing, item.get("identifier", ""), sco.mastery_score)
        delivery = etree.SubElement(sequencing, f"{{{IMSSS_2004}}}deliveryControls")
        delivery.set("completionSetByContent", "true")
        delivery.set("objectiveSetByContent", "true")
    control = etree.SubElement(_sequencing(organization), f"{{{IMSSS_2004}}}controlMode")
    control.set("choice", "true")
    control.set("flow", "true")
    return {"imsmanifest.xml": serialize(manifest), **schemas}


def _format(edition: Edition, ordinal: str) -> WriterFormat:
    return WriterFormat(
        id=f"scorm2004-{edition}",
        label=f"SCORM 2004 {edition}{ordinal} Edition",
        suffix=f"scorm2004-{edition}{ordinal}",
        scorm="2004",
        edition=edition,
        schema_set=SCHEMA_SETS[("2004", edition)],
        schemaversion=SCHEMA_VERSIONS[("2004", edition)],
        write=partial(write, edition=edition),
    )


THIRD_EDITION = _format(3, "rd")
FOURTH_EDITION = _format(4, "th")
