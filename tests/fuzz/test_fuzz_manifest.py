"""Fuzzing the manifest parser: generated ``imsmanifest.xml`` (the SCORM and LOM elements,
hostile attribute values, wrong nesting, random text and bytes) in an otherwise valid
package, read by ``read_package`` and checked by ``validate_package``. Both list what is
wrong and never raise, so any exception is a crash."""

from __future__ import annotations

from html import escape

from hypothesis import given
from hypothesis import strategies as st

from scorm_builder.package_reader import read_package
from scorm_builder.validate.pipeline import validate_package
from scorm_builder.validate.report import to_text
from tests.fuzz import fuzz_settings
from tests.support.validator_fixtures import MANIFEST, package_12, with_manifest_bytes

#: How many tests share this target's budget of inputs (tests/fuzz/test_budget.py).
TESTS_IN_TARGET = 3
FUZZ = fuzz_settings(TESTS_IN_TARGET)

NAMESPACES = (
    'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2" '
    'xmlns:imsss="http://www.imsglobal.org/xsd/imsss" '
    'xmlns:lom="http://ltsc.ieee.org/xsd/LOM" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)
TAGS = (
    "metadata", "schema", "schemaversion", "organizations", "organization", "item",
    "title", "resources", "resource", "file", "dependency", "adlcp:masteryscore",
    "adlcp:location", "adlcp:prerequisites", "adlcp:datafromlms", "adlcp:maxtimeallowed",
    "imsss:sequencing", "imsss:objectives", "lom:lom", "lom:general", "lom:title",
    "lom:string", "lom:description", "lom:keyword", "lom:language", "lom:classification",
    "lom:taxonPath", "lom:taxon", "lom:entry", "lom:educational", "lom:typicalAgeRange",
    "lom:rights", "lom:lifeCycle", "lom:contribute", "lom:entity", "lom:technical",
    "lom:format", "lom:purpose", "lom:value", "lom:source", "manifest", "bogus",
)  # fmt: skip
ATTRIBUTES = (
    "identifier", "identifierref", "href", "type", "adlcp:scormtype", "adlcp:scormType",
    "default", "isvisible", "parameters", "xml:base", "xml:lang", "language", "version",
    "structure", "xsi:schemaLocation",
)  # fmt: skip
VALUES = (
    "", "res1", "res2", "common", "org1", "item1", "index.html", "page2.html",
    "missing.html", "../outside.html", "/etc/passwd", "C:\\x.html", "http://example.kz/a",
    "javascript:alert(1)", "a%20b.html", "index.html?x=1#y", "sco", "asset", "SCO",
    "webcontent", "1.2", "2004 4th Edition", "ADL SCORM", "true", "false", "kk", "ru",
    "ru-RU", "x-none", "-1", "101", "0.5", "NaN", "99999999999999999999", "Қазақ тілі",
    "images/", "./", "%", "&", "<", "\u202e", "\U0001f600",
)  # fmt: skip
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


def _element(tag: str, attributes: list[tuple[str, str]], children: list[str]) -> str:
    attrs = "".join(f' {name}="{escape(value)}"' for name, value in dict(attributes).items())
    return f"<{tag}{attrs}>{''.join(children)}</{tag}>"


_LEAF = st.one_of(_TEXT.map(lambda text: escape(text, quote=False)), st.sampled_from(VALUES))
manifest_xml = st.recursive(
    _LEAF,
    lambda inner: st.builds(
        _element,
        st.sampled_from(TAGS),
        st.lists(st.tuples(st.sampled_from(ATTRIBUTES), st.sampled_from(VALUES)), max_size=3),
        st.lists(inner, max_size=4),
    ),
    max_leaves=40,
)


def manifest(children: list[str], identifier: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest identifier="{escape(identifier)}" {NAMESPACES}>{"".join(children)}</manifest>'
    ).encode()


@FUZZ
@given(st.lists(manifest_xml, max_size=5), st.sampled_from(VALUES))
def test_read_package_on_generated_manifests(children: list[str], identifier: str) -> None:
    info = read_package(with_manifest_bytes(package_12(), manifest(children, identifier)))
    assert MANIFEST in {file.path for file in info.files}


@FUZZ
@given(st.lists(manifest_xml, max_size=5), st.sampled_from(VALUES))
def test_validate_package_on_generated_manifests(children: list[str], identifier: str) -> None:
    report = validate_package(with_manifest_bytes(package_12(), manifest(children, identifier)))
    assert all(finding.rule for finding in report.findings)
    assert to_text([report], "kk")


@FUZZ
@given(st.binary(max_size=300))
def test_a_manifest_of_any_bytes(data: bytes) -> None:
    package = with_manifest_bytes(package_12(), data)
    assert read_package(package).manifest is None or data.strip()
    assert to_text([validate_package(package)], "ru")
