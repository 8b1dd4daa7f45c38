"""Stage 5a: what the XSDs miss in the manifest's structure.

Unique identifiers, the default organization, references that resolve, leaf items with
resources, and ``scormtype``/``scormType`` written exactly (Moodle folds case, other LMSs
do not, and the XSD only says "attribute not allowed").
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from scorm_builder.validate.findings import MANIFEST, Finding, finding
from scorm_builder.validate.manifest import Manifest, line_of

__all__ = ["check_structure"]

SCORM_TYPES = ("sco", "asset")


def _identifiers(manifest: Manifest) -> Iterator[Finding]:
    first: dict[str, int | None] = {}
    kinds = ("organization", "item", "resource")
    tags = {manifest.cp_tag(k) for k in kinds}
    for element in manifest.elements:
        if element.tag not in tags:
            continue
        identifier = element.get("identifier")
        if identifier is None:
            continue
        if identifier in first:
            yield finding(
                "ID-DUPLICATE",
                MANIFEST,
                line_of(element),
                id=identifier,
                first_line=first[identifier] or 0,
            )
        else:
            first[identifier] = line_of(element)


def _organizations(manifest: Manifest) -> Iterator[Finding]:
    organizations = manifest.organizations
    if organizations is None:
        return  # the XSD reports a missing <organizations>
    orgs = organizations.findall(manifest.cp_tag("organization"))
    if not orgs:
        yield finding("ORG-MISSING", MANIFEST, line_of(organizations))
        return
    default = organizations.get("default")
    if default is not None and default not in {o.get("identifier") for o in orgs}:
        yield finding("ORG-DEFAULT-MISSING", MANIFEST, line_of(organizations), id=default)


def _references(manifest: Manifest) -> Iterator[Finding]:
    item_tag = manifest.cp_tag("item")
    for item in manifest.all("item"):
        ref = item.get("identifierref")
        if ref is not None and ref not in manifest.resource_ids:
            yield finding("REF-UNRESOLVED", MANIFEST, line_of(item), ref=ref)
        is_leaf = item.find(item_tag) is None
        if is_leaf and not ref:
            yield finding(
                "ITEM-NO-RESOURCE", MANIFEST, line_of(item), id=item.get("identifier", "")
            )
    for dependency in manifest.all("dependency"):
        ref = dependency.get("identifierref")
        if ref is not None and ref not in manifest.resource_ids:
            yield finding("REF-UNRESOLVED", MANIFEST, line_of(dependency), ref=ref)


def _written(element: etree._Element, attribute: str) -> str:
    """How an attribute name appears in the file, with its prefix."""
    name = etree.QName(attribute)
    if name.namespace is None:
        return name.localname
    prefixes = [p for p, uri in element.nsmap.items() if uri == name.namespace and p]
    return f"{prefixes[0]}:{name.localname}" if prefixes else name.localname


def _scorm_type(manifest: Manifest) -> Iterator[Finding]:
    local = "scormtype" if manifest.family == "1.2" else "scormType"
    exact = f"{{{manifest.adlcp}}}{local}"
    for resource in manifest.resources:
        line = line_of(resource)
        names = [str(a) for a in resource.attrib if etree.QName(a).localname.lower() == "scormtype"]
        if not names:
            yield finding("SCORMTYPE-MISSING", MANIFEST, line, expected=f"adlcp:{local}")
            continue
        if exact not in names:
            found = _written(resource, names[0])
            yield finding("SCORMTYPE-CASE", MANIFEST, line, found=found, expected=f"adlcp:{local}")
        value = resource.get(exact if exact in names else names[0], "")
        if value not in SCORM_TYPES:
            expected = value.strip().lower() if value.strip().lower() in SCORM_TYPES else "sco"
            yield finding("SCORMTYPE-VALUE", MANIFEST, line, value=value, expected=expected)


def check_structure(manifest: Manifest) -> list[Finding]:
    """Findings about identifiers, organizations, references and scormtype."""
    return [
        *_identifiers(manifest),
        *_organizations(manifest),
        *_references(manifest),
        *_scorm_type(manifest),
    ]
