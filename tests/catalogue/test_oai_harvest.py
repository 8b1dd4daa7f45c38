"""A real harvester: sickle (the OAI-PMH client from PyPI) against the app served over HTTP
on loopback, by GET and by POST. Every verb, a list across resumption tokens, selective
harvesting, and a deleted record."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from lxml import etree
from sickle import Sickle, oaiexceptions
from sickle.iterator import OAIResponseIterator

from tests.support.oai import Catalogue, add_catalogue, oai_id, serving

LOM_XSD = Path(__file__).resolve().parents[2] / "schemas" / "scorm2004_4th" / "lom.xsd"
LOM = "http://ltsc.ieee.org/xsd/LOM"


@dataclass(frozen=True)
class Harvest:
    sickle: Any  # sickle ships no type hints
    endpoint: str
    catalogue: Catalogue


@pytest.fixture(params=["GET", "POST"])
def harvester(request: pytest.FixtureRequest, app: Flask) -> Iterator[Harvest]:
    catalogue = add_catalogue(app)
    with serving(app) as endpoint:
        yield Harvest(Sickle(endpoint, http_method=request.param, timeout=30), endpoint, catalogue)


def test_identify(harvester: Harvest) -> None:
    identify = harvester.sickle.Identify()
    assert identify.repositoryName == "Sandyq: сандық білім беру ресурстарының каталогы"
    assert identify.baseURL == harvester.endpoint
    assert identify.protocolVersion == "2.0"
    assert identify.deletedRecord == "persistent"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.earliestDatestamp == "2024-09-02T08:00:00Z"


def test_list_metadata_formats(harvester: Harvest) -> None:
    everything = [f.metadataPrefix for f in harvester.sickle.ListMetadataFormats()]
    assert everything == ["oai_dc", "lom"]
    for uuid in (harvester.catalogue.newton, harvester.catalogue.taken_down):
        formats = harvester.sickle.ListMetadataFormats(identifier=oai_id(uuid))
        assert [(f.metadataPrefix, f.metadataNamespace) for f in formats] == [
            ("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
            ("lom", LOM),
        ]


def test_list_sets(harvester: Harvest) -> None:
    names = {s.setSpec: s.setName for s in harvester.sickle.ListSets()}
    assert names["subject:physics"] == "Физика"
    assert names["subject:history_kz"] == "Қазақстан тарихы"
    assert names["grade:9"] == "9-сынып"


def test_list_identifiers_across_resumption_tokens(harvester: Harvest) -> None:
    headers = harvester.sickle.ListIdentifiers(metadataPrefix="oai_dc")
    first = next(headers)
    token = headers.resumption_token
    assert token.token and token.cursor == "0" and token.complete_list_size == "4"
    harvested = [first, *headers]
    assert headers.resumption_token.token is None  # the empty token closed the list
    assert headers.resumption_token.cursor == "2"
    expected = [oai_id(uuid) for uuid in harvester.catalogue.in_datestamp_order]
    assert [h.identifier for h in harvested] == expected
    assert [h.deleted for h in harvested] == [False, False, False, True]
    assert harvested[0].setSpecs == ["subject:physics", "grade:7"]


def test_list_identifiers_by_set_and_dates(harvester: Harvest) -> None:
    catalogue = harvester.catalogue
    physics = harvester.sickle.ListIdentifiers(
        metadataPrefix="lom", set="subject:physics", **{"from": "2024-09-01"}, until="2024-12-31"
    )
    assert [(h.identifier, h.deleted) for h in physics] == [
        (oai_id(catalogue.newton), False),
        (oai_id(catalogue.taken_down), True),
    ]
    september = harvester.sickle.ListIdentifiers(
        metadataPrefix="oai_dc", **{"from": "2024-09-02T08:00:00Z"}, until="2024-09-02T08:00:00Z"
    )
    assert [h.identifier for h in september] == [
        oai_id(catalogue.newton),
        oai_id(catalogue.fractions),
    ]
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        harvester.sickle.ListIdentifiers(metadataPrefix="oai_dc", set="grade:11")


def test_list_records_in_dublin_core(harvester: Harvest) -> None:
    records = list(harvester.sickle.ListRecords(metadataPrefix="oai_dc"))
    assert len(records) == 4
    newton, fractions, chemistry, taken_down = records
    assert newton.metadata["title"] == ["Ньютон заңдары", "Законы Ньютона"]
    assert newton.metadata["creator"] == ["Айгүл Серікқызы", "Иван Петров"]
    assert fractions.metadata["language"] == ["ru"]
    assert chemistry.metadata["type"][0] == "MovingImage"
    assert taken_down.deleted and taken_down.header.deleted
    assert taken_down.header.datestamp == "2024-11-01T10:00:00Z"
    assert not hasattr(taken_down, "metadata") or not taken_down.metadata


def test_list_records_in_lom(harvester: Harvest) -> None:
    schema = etree.XMLSchema(etree.parse(str(LOM_XSD)))
    records = list(harvester.sickle.ListRecords(metadataPrefix="lom", ignore_deleted=True))
    assert len(records) == 3
    for record in records:
        lom = record.xml.find(f".//{{{LOM}}}lom")
        assert lom is not None
        assert schema.validate(etree.fromstring(etree.tostring(lom))), schema.error_log
    title = records[0].xml.find(f".//{{{LOM}}}general/{{{LOM}}}title/{{{LOM}}}string")
    assert title is not None and title.text == "Ньютон заңдары"


def test_get_record(harvester: Harvest) -> None:
    catalogue = harvester.catalogue
    record = harvester.sickle.GetRecord(
        identifier=oai_id(catalogue.fractions), metadataPrefix="oai_dc"
    )
    assert record.header.identifier == oai_id(catalogue.fractions)
    assert record.header.datestamp == "2024-09-02T08:00:00Z"
    assert record.metadata["title"] == ["Обыкновенные дроби", "Жай бөлшектер"]
    deleted = harvester.sickle.GetRecord(
        identifier=oai_id(catalogue.taken_down), metadataPrefix="lom"
    )
    assert deleted.deleted


def test_errors_reach_the_harvester(harvester: Harvest) -> None:
    sickle, catalogue = harvester.sickle, harvester.catalogue
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        sickle.GetRecord(
            identifier=oai_id(catalogue.hidden[next(iter(catalogue.hidden))]),
            metadataPrefix="oai_dc",
        )
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        sickle.ListRecords(metadataPrefix="marc21")
    with pytest.raises(oaiexceptions.BadArgument):
        sickle.ListRecords(
            metadataPrefix="oai_dc", **{"from": "2024-09-01"}, until="2024-09-30T00:00:00Z"
        )
    with pytest.raises(oaiexceptions.BadResumptionToken):
        sickle.ListRecords(resumptionToken="not-ours")
    with pytest.raises(oaiexceptions.BadVerb):
        OAIResponseIterator(sickle, {"verb": "ListEverything"})
