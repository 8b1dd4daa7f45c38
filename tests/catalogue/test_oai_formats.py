"""The two metadata formats: simple Dublin Core (``oai_dc``) and IEEE LOM (``lom``), the
latter valid against our LOM schema (``schemas/scorm2004_4th/lom.xsd``, the one our SCORM
2004 packages are checked by)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from catalogue.oai.formats.lom import iso_duration
from scorm_builder.vocabulary import licence_url
from tests.support.catalogue import add_resource, add_user
from tests.support.oai import NS, Catalogue, add_catalogue, harvest, oai_get, oai_id

REPO = Path(__file__).resolve().parents[2]
LOM_XSD = REPO / "schemas" / "scorm2004_4th" / "lom.xsd"
DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
LOM = "http://ltsc.ieee.org/xsd/LOM"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC_ELEMENTS = {
    "title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
    "format", "identifier", "source", "language", "relation", "coverage", "rights",
}  # fmt: skip
L = {"lom": LOM}


@pytest.fixture
def catalogue(app: Flask) -> Catalogue:
    return add_catalogue(app)


@pytest.fixture(scope="module")
def lom_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(LOM_XSD)))


def metadata(client: FlaskClient, uuid: str, prefix: str) -> etree._Element:
    root = oai_get(client, verb="GetRecord", metadataPrefix=prefix, identifier=oai_id(uuid))
    found = root.find("oai:GetRecord/oai:record/oai:metadata", NS)
    assert found is not None and len(found) == 1
    return found[0]


def dc(record: etree._Element, element: str) -> list[tuple[str | None, str]]:
    """``(xml:lang, text)`` of each ``dc:<element>``, in order."""
    return [(e.get(XML_LANG), e.text or "") for e in record.iterfind(f"{{{DC}}}{element}")]


def texts(record: etree._Element, path: str) -> list[str]:
    return [e.text or "" for e in record.iterfind(path, L)]


def strings(record: etree._Element, path: str) -> list[tuple[str | None, str]]:
    return [(e.get("language"), e.text or "") for e in record.iterfind(f"{path}/lom:string", L)]


# ---- oai_dc ------------------------------------------------------------------------------


def test_dublin_core_of_a_kazakh_lesson(client: FlaskClient, catalogue: Catalogue) -> None:
    record = metadata(client, catalogue.newton, "oai_dc")
    assert record.tag == f"{{{OAI_DC}}}dc"
    assert {etree.QName(e).namespace for e in record} == {DC}
    assert {etree.QName(e).localname for e in record} <= DC_ELEMENTS
    assert dc(record, "title") == [("kk", "Ньютон заңдары"), ("ru", "Законы Ньютона")]
    assert dc(record, "creator") == [(None, "Айгүл Серікқызы"), (None, "Иван Петров")]
    assert dc(record, "subject") == [
        ("kk", "Физика"), ("ru", "Физика"), ("en", "Physics"), ("kk", "күш"), ("kk", "масса"),
    ]  # fmt: skip
    assert dc(record, "description") == [
        ("kk", "7-сынып, физика: күш, масса, үдеу"),
        ("ru", "7 класс, физика: сила, масса, ускорение"),
    ]
    assert dc(record, "date") == [(None, "2024-09-02")]
    assert dc(record, "type") == [(None, "InteractiveResource"), ("kk", "сабақ")]
    assert dc(record, "format") == [(None, "application/zip")]
    assert dc(record, "identifier") == [
        (None, f"http://localhost/resources/{catalogue.newton}"),
        (None, f"http://localhost/api/v1/resources/{catalogue.newton}/package"),
    ]
    assert dc(record, "language") == [(None, "kk")]
    assert dc(record, "rights") == [
        (None, "https://creativecommons.org/licenses/by/4.0/"),
        (None, "© Ақтөбе облыстық білім басқармасы"),
    ]


def test_dublin_core_puts_the_resources_own_language_first(
    client: FlaskClient, catalogue: Catalogue
) -> None:
    record = metadata(client, catalogue.fractions, "oai_dc")
    assert dc(record, "title") == [("ru", "Обыкновенные дроби"), ("kk", "Жай бөлшектер")]
    assert dc(record, "description") == [("ru", "Тест по математике для 5–6 классов")]
    assert dc(record, "language") == [(None, "ru")]
    assert dc(record, "type") == [(None, "InteractiveResource"), ("kk", "тест")]
    assert ("ru", "дроби") in dc(record, "subject")


def test_dublin_core_of_a_video_lecture_in_the_public_domain(
    client: FlaskClient, catalogue: Catalogue
) -> None:
    record = metadata(client, catalogue.chemistry, "oai_dc")
    assert dc(record, "title") == [("kk", "Химиялық реакциялар"), ("en", "Chemical reactions")]
    assert dc(record, "type")[0] == (None, "MovingImage")
    assert dc(record, "rights") == [(None, "https://creativecommons.org/publicdomain/zero/1.0/")]


@pytest.mark.parametrize(
    "licence, url",
    [
        ("CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
        ("CC-BY-NC-ND-4.0", "https://creativecommons.org/licenses/by-nc-nd/4.0/"),
        ("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
        ("public-domain", "https://creativecommons.org/publicdomain/mark/1.0/"),
        ("all-rights-reserved", None),
    ],
)
def test_licence_addresses(licence: str, url: str | None) -> None:
    assert licence_url(licence) == url


# ---- lom ---------------------------------------------------------------------------------


def test_every_lom_record_is_valid(
    client: FlaskClient, catalogue: Catalogue, lom_schema: etree.XMLSchema
) -> None:
    pages = harvest(client, verb="ListRecords", metadataPrefix="lom")
    records = [r for page in pages for r in page.iterfind(".//oai:metadata/lom:lom", NS | L)]
    assert len(records) == 3  # the taken-down one is a deleted header, without metadata
    for record in records:
        standalone = etree.fromstring(etree.tostring(record))
        assert lom_schema.validate(standalone), lom_schema.error_log


def test_lom_of_a_lesson(client: FlaskClient, catalogue: Catalogue) -> None:
    record = metadata(client, catalogue.newton, "lom")
    identifiers = [
        (i.findtext("lom:catalog", namespaces=L), i.findtext("lom:entry", namespaces=L))
        for i in record.iterfind("lom:general/lom:identifier", L)
    ]
    assert identifiers == [
        ("URI", f"http://localhost/resources/{catalogue.newton}"),
        ("URI", f"urn:uuid:{catalogue.newton}"),
    ]
    assert strings(record, "lom:general/lom:title") == [
        ("kk", "Ньютон заңдары"),
        ("ru", "Законы Ньютона"),
    ]
    assert texts(record, "lom:general/lom:language") == ["kk"]
    assert strings(record, "lom:general/lom:keyword") == [("kk", "күш"), ("kk", "масса")]
    assert strings(record, "lom:lifeCycle/lom:version") == [("x-none", "1")]
    assert texts(record, "lom:lifeCycle/lom:contribute/lom:role/lom:value") == ["author"] * 2
    entities = texts(record, "lom:lifeCycle/lom:contribute/lom:entity")
    assert [e.splitlines()[2] for e in entities] == ["FN:Айгүл Серікқызы", "FN:Иван Петров"]
    assert all(e.startswith("BEGIN:VCARD\nVERSION:3.0\n") for e in entities)
    assert texts(record, "lom:technical/lom:format") == ["application/zip"]
    assert texts(record, "lom:technical/lom:location") == [
        f"http://localhost/api/v1/resources/{catalogue.newton}/package"
    ]
    assert texts(record, "lom:technical/lom:size") == []  # no package stored
    assert texts(record, "lom:educational/lom:learningResourceType/lom:value") == ["narrative text"]
    assert texts(record, "lom:educational/lom:context/lom:value") == ["school"]
    assert texts(record, "lom:educational/lom:typicalLearningTime/lom:duration") == ["PT45M"]
    assert texts(record, "lom:rights/lom:cost/lom:value") == ["no"]
    assert texts(record, "lom:rights/lom:copyrightAndOtherRestrictions/lom:value") == ["yes"]
    assert strings(record, "lom:rights/lom:description") == [
        ("en", "CC-BY-4.0: https://creativecommons.org/licenses/by/4.0/")
    ]


def test_lom_classifies_by_subject_and_grade(client: FlaskClient, catalogue: Catalogue) -> None:
    record = metadata(client, catalogue.fractions, "lom")
    purposes = texts(record, "lom:classification/lom:purpose/lom:value")
    assert purposes == ["discipline", "educational level"]
    discipline, level = record.iterfind("lom:classification", L)
    assert strings(discipline, "lom:taxonPath/lom:source") == [("en", "Sandyq subjects")]
    assert texts(discipline, "lom:taxonPath/lom:taxon/lom:id") == ["mathematics"]
    assert strings(discipline, "lom:taxonPath/lom:taxon/lom:entry") == [
        ("kk", "Математика"), ("ru", "Математика"), ("en", "Mathematics"),
    ]  # fmt: skip
    assert texts(level, "lom:taxonPath/lom:taxon/lom:id") == ["5", "6"]
    assert strings(level, "lom:taxonPath/lom:taxon/lom:entry")[:3] == [
        ("kk", "5-сынып"), ("ru", "5 класс"), ("en", "Grade 5"),
    ]  # fmt: skip
    assert set(strings(level, "lom:taxonPath/lom:source")) == {("en", "Kazakhstan school grades")}
    assert texts(record, "lom:educational/lom:learningResourceType/lom:value") == ["exam"]
    assert texts(record, "lom:educational/lom:typicalLearningTime/lom:duration") == ["PT1H30M"]
    assert texts(record, "lom:general/lom:language") == ["ru"]


def test_lom_of_a_public_domain_video(client: FlaskClient, catalogue: Catalogue) -> None:
    record = metadata(client, catalogue.chemistry, "lom")
    assert texts(record, "lom:educational/lom:learningResourceType/lom:value") == ["lecture"]
    assert texts(record, "lom:rights/lom:copyrightAndOtherRestrictions/lom:value") == ["no"]
    assert texts(record, "lom:educational/lom:typicalLearningTime/lom:duration") == []


def test_lom_gives_the_package_size(
    app: Flask, client: FlaskClient, tmp_path: Path, lom_schema: etree.XMLSchema
) -> None:
    package = tmp_path / "сабақ.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
    uuid = add_resource(app, add_user(app, "a@mektep.kz"), package=package)
    record = metadata(client, uuid, "lom")
    assert texts(record, "lom:technical/lom:size") == [str(package.stat().st_size)]
    assert lom_schema.validate(etree.fromstring(etree.tostring(record))), lom_schema.error_log


@pytest.mark.parametrize(
    "minutes, duration", [(5, "PT5M"), (45, "PT45M"), (60, "PT1H"), (90, "PT1H30M"), (600, "PT10H")]
)
def test_learning_time_as_an_iso_duration(minutes: int, duration: str) -> None:
    assert iso_duration(minutes) == duration
