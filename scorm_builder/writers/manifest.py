"""The manifest parts both SCORM versions share: organization, items, resources, files.

The two writers differ in namespaces, the metadata binding, the name of the scormType
attribute and the sequencing they add; ``ManifestDialect`` names those differences so
that this module builds the rest once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from scorm_builder.model import Course, Metadata
from scorm_builder.namespaces import XSI
from scorm_builder.render import RenderedPackage
from scorm_builder.writers.common import (
    item_id,
    organization_id,
    resource_id,
    shared_resource_id,
)


@dataclass(frozen=True)
class ManifestDialect:
    """What a SCORM version changes in the manifest."""

    nsmap: dict[str | None, str]
    schema_locations: tuple[tuple[str, str], ...]
    schemaversion: str
    scorm_type_attribute: str
    lom: Callable[[Metadata], etree._Element]

    @property
    def cp(self) -> str:
        return self.nsmap[None]

    def element(
        self, parent: etree._Element | None, name: str, text: str | None = None
    ) -> etree._Element:
        tag = f"{{{self.cp}}}{name}"
        if parent is None:
            return etree.Element(tag, nsmap=self.nsmap)  # type: ignore[arg-type]
        node = etree.SubElement(parent, tag)
        if text is not None:
            node.text = text
        return node


def build_manifest(
    course: Course,
    rendered: RenderedPackage,
    dialect: ManifestDialect,
    extra_files: tuple[str, ...],
) -> tuple[etree._Element, etree._Element, dict[str, etree._Element]]:
    """The manifest tree; returns (manifest, organization, items by SCO key) for extensions."""
    metadata = course.metadata
    manifest = dialect.element(None, "manifest")
    manifest.set("identifier", metadata.identifier)
    manifest.set("version", metadata.version)
    manifest.set(
        f"{{{XSI}}}schemaLocation",
        " ".join(f"{namespace} {location}" for namespace, location in dialect.schema_locations),
    )
    meta = dialect.element(manifest, "metadata")
    dialect.element(meta, "schema", "ADL SCORM")
    dialect.element(meta, "schemaversion", dialect.schemaversion)
    meta.append(dialect.lom(metadata))

    organizations = dialect.element(manifest, "organizations")
    organizations.set("default", organization_id(metadata))
    organization = dialect.element(organizations, "organization")
    organization.set("identifier", organization_id(metadata))
    dialect.element(organization, "title", metadata.title)
    items: dict[str, etree._Element] = {}
    for sco in rendered.scos:
        item = dialect.element(organization, "item")
        item.set("identifier", item_id(metadata, sco.key))
        item.set("identifierref", resource_id(metadata, sco.key))
        item.set("isvisible", "true")
        dialect.element(item, "title", sco.title)
        items[sco.key] = item

    resources = dialect.element(manifest, "resources")
    for sco in rendered.scos:
        resource = dialect.element(resources, "resource")
        resource.set("identifier", resource_id(metadata, sco.key))
        resource.set("type", "webcontent")
        resource.set(dialect.scorm_type_attribute, "sco")
        resource.set("href", sco.launch)
        for path in sco.files:
            dialect.element(resource, "file").set("href", path)
        dialect.element(resource, "dependency").set("identifierref", shared_resource_id(metadata))
    shared = dialect.element(resources, "resource")
    shared.set("identifier", shared_resource_id(metadata))
    shared.set("type", "webcontent")
    shared.set(dialect.scorm_type_attribute, "asset")
    for path in sorted({*rendered.shared, *extra_files}):
        dialect.element(shared, "file").set("href", path)
    return manifest, organization, items
