"""Stage 4: XSD validation against the project's ``schemas/`` folder.

Each schema set is built once per process (building the SCORM 2004 set with LOM takes a
moment) and validation reuses the lxml tree parsed in stage 2, so findings carry the
line of the offending element. Schemas are read from the local folder only: no location
hints from the manifest, no network.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import xmlschema
from lxml import etree

from scorm_builder.errors import ScormError
from scorm_builder.schemas import schema_dir
from scorm_builder.validate.findings import MANIFEST, Finding, finding

__all__ = ["SchemaUnavailableError", "check_xsd", "load_schema", "schema_dir"]

#: The file in each schema set that imports every namespace of the set.
DRIVER = "_all.xsd"
#: Errors past this many are summarised by the first ones: one broken element often
#: cascades, and a council reads the first few anyway.
MAX_XSD_FINDINGS = 50


class SchemaUnavailableError(ScormError):
    """The XSDs are missing or broken: an installation problem, not the package's."""


@cache
def load_schema(schema_set: str, folder: Path | None = None) -> xmlschema.XMLSchemaBase:
    """The built schema of ``schema_set`` (``scorm12``, ``scorm2004_3rd``, ``scorm2004_4th``)."""
    driver = (folder or schema_dir()) / schema_set / DRIVER
    if not driver.is_file():
        raise SchemaUnavailableError(
            f"the XSD schemas are missing: {driver}",
            file=str(driver),
            hint="reinstall sandyq, or run it from a checkout that has the schemas/ folder",
        )
    try:
        return xmlschema.XMLSchema10(str(driver), allow="sandbox", defuse="always")
    except (xmlschema.XMLSchemaException, OSError) as error:
        raise SchemaUnavailableError(
            f"the XSD schemas cannot be built: {error}".splitlines()[0],
            file=str(driver),
            hint="reinstall sandyq",
        ) from error


def _line(error: xmlschema.XMLSchemaValidationError) -> int | None:
    """The line of the offending element: the unexpected child itself, not its parent."""
    if isinstance(error, xmlschema.XMLSchemaChildrenValidationError):
        child = error.invalid_child
        line = getattr(child, "sourceline", None)
        if isinstance(line, int):
            return line
    line = error.sourceline
    return line if isinstance(line, int) else None


def check_xsd(tree: etree._ElementTree, schema_set: str) -> list[Finding]:
    """XSD findings for the manifest, each with the line of its element."""
    schema = load_schema(schema_set)
    findings: list[Finding] = []
    # The tree is already in memory: no URL to resolve, and the schema's sandbox does not
    # apply to it, so wrap it in a resource that may load nothing.
    resource = xmlschema.XMLResource(tree, allow="none", defuse="always")
    for error in schema.iter_errors(resource, use_location_hints=False):
        if len(findings) >= MAX_XSD_FINDINGS:
            break
        reason = " ".join((error.reason or str(error.message)).split())
        if reason.startswith("IDREF"):
            continue  # ORG-DEFAULT-MISSING and REF-UNRESOLVED say it with the right line
        findings.append(
            finding("XSD", MANIFEST, _line(error), reason=reason, path=error.path or "")
        )
    return findings
