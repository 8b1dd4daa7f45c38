"""Sandyq's own SCORM schemas, checked against hand-written manifests and ADL's XSDs.

Every fixture under ``fixtures/manifests/<set>/`` is named ``valid-*.xml`` or
``invalid-*.xml``. An invalid one breaks exactly one rule and says so in its
first comment: ``<!-- breaks: <rule>; expect: <text in the lxml error> -->``.

For each fixture, our set must give the expected verdict with both lxml and
xmlschema, and ADL's official set (from the npm package, see official_xsd.py)
must agree, except where our schemas are knowingly stricter or the official
set cannot judge; those cases are listed below with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from tests.support.official_xsd import (
    EDITIONS,
    official_dir,
    official_schema,
    our_schema,
    our_schema_path,
    our_xmlschema,
    strip_lom,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "manifests"
SETS = {"scorm12": "1.2", "scorm2004_3rd": "2004-3", "scorm2004_4th": "2004-4"}

#: Our schemas reject these on purpose; ADL's XSDs accept them.
STRICTER_THAN_OFFICIAL = {
    "scorm12/invalid-masteryscore-150.xml": (
        "SCORM 1.2 CAM/RTE: mastery score is a decimal 0..100; ADL's XSD only caps its length"
    ),
    "scorm2004_3rd/invalid-item-without-title.xml": (
        "SCORM 2004 CAM 3.4.1.13: an item has exactly one title; the IMS CP XSD leaves it optional"
    ),
    "scorm2004_4th/invalid-item-without-title.xml": (
        "SCORM 2004 CAM 3.4.1.13: an item has exactly one title; the IMS CP XSD leaves it optional"
    ),
}

#: The npm copy of the official 2004 sets has no lom.xsd, so it cannot judge LOM.
OFFICIAL_CANNOT_JUDGE = {
    "scorm2004_4th/invalid-lom-language-tag.xml": "LOM; the npm official set has no lom.xsd",
}


def _fixtures() -> list[pytest.param]:
    return [
        pytest.param(folder, path, id=f"{folder}/{path.name}")
        for folder in SETS
        for path in sorted((FIXTURES / folder).glob("*.xml"))
    ]


def _expected_valid(path: Path) -> bool:
    assert path.name.startswith(("valid-", "invalid-")), (
        f"{path.name}: name it valid-* or invalid-*"
    )
    return path.name.startswith("valid-")


def _expected_error(path: Path) -> str:
    match = re.search(r"<!-- breaks: .+?; expect: (.+?) -->", path.read_text(encoding="utf-8"))
    assert match, f"{path.name}: first comment must say '<!-- breaks: ...; expect: ... -->'"
    return match.group(1)


@pytest.mark.parametrize("edition", EDITIONS)
def test_schema_set_loads_offline_with_both_libraries(edition: str) -> None:
    our_schema(edition)
    our_xmlschema(edition)


@pytest.mark.parametrize("folder", SETS)
def test_schema_files_import_each_other_locally(folder: str) -> None:
    directory = our_schema_path(SETS[folder]).parent
    for xsd in directory.glob("*.xsd"):
        for location in re.findall(r'schemaLocation="([^"]+)"', xsd.read_text(encoding="utf-8")):
            assert "://" not in location, f"{xsd.name} imports {location} from the network"
            assert (directory / location).is_file(), f"{xsd.name} imports missing {location}"


@pytest.mark.parametrize("folder", SETS)
def test_driver_imports_every_shipped_schema(folder: str) -> None:
    driver = our_schema_path(SETS[folder])
    imported = set(re.findall(r'schemaLocation="([^"]+)"', driver.read_text(encoding="utf-8")))
    shipped = {xsd.name for xsd in driver.parent.glob("*.xsd") if not xsd.name.startswith("_")}
    assert imported == shipped


@pytest.mark.parametrize("folder", SETS)
def test_schema_locations_in_manifests_name_files_of_the_set(folder: str) -> None:
    directory = our_schema_path(SETS[folder]).parent
    for path in sorted((FIXTURES / folder).glob("valid-*.xml")):
        root = etree.parse(str(path)).getroot()
        hints = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", "").split()
        for location in hints[1::2]:
            assert (directory / location).is_file(), f"{path.name} names {location}"


@pytest.mark.parametrize("folder", SETS)
def test_each_set_has_enough_fixtures(folder: str) -> None:
    names = [path.name for path in (FIXTURES / folder).glob("*.xml")]
    assert sum(name.startswith("valid-") for name in names) >= 3
    assert sum(name.startswith("invalid-") for name in names) >= 8


@pytest.mark.parametrize(("folder", "path"), _fixtures())
def test_our_schema_with_lxml(folder: str, path: Path) -> None:
    schema = our_schema(SETS[folder])
    valid = schema.validate(etree.parse(str(path)))
    errors = "\n".join(str(error) for error in schema.error_log)
    assert valid is _expected_valid(path), errors
    if not valid:
        expected = _expected_error(path)
        assert expected in errors, f"rejected, but not for {expected!r}:\n{errors}"


@pytest.mark.parametrize(("folder", "path"), _fixtures())
def test_our_schema_with_xmlschema(folder: str, path: Path) -> None:
    errors = list(our_xmlschema(SETS[folder]).iter_errors(str(path)))
    assert (not errors) is _expected_valid(path), "\n".join(
        str(error.reason)
        for error in errors[:3]
        if isinstance(error, xmlschema.XMLSchemaValidationError)
    )


@pytest.mark.parametrize(
    ("folder", "path"),
    [param for param in _fixtures() if param.id not in OFFICIAL_CANNOT_JUDGE],
)
def test_official_schema_agrees(folder: str, path: Path) -> None:
    edition = SETS[folder]
    key = f"{folder}/{path.name}"
    assert official_dir(edition).is_dir(), "official XSDs not installed: run `make setup`"
    document = etree.parse(str(path))
    if edition != "1.2":
        document = strip_lom(document)
    schema = official_schema(edition)
    valid = schema.validate(document)
    if key in STRICTER_THAN_OFFICIAL:
        assert valid, "official set now rejects it too; drop it from STRICTER_THAN_OFFICIAL"
        return
    assert valid is _expected_valid(path), "\n".join(str(error) for error in schema.error_log)
