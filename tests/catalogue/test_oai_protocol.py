"""OAI-PMH 2.0 at /oai, read as raw XML: the verbs, what is exposed, datestamps and
selective harvesting, resumption tokens, and every error condition (spec sections 3-4).

The catalogue is ``add_catalogue`` in ``test_oai_support``: four exposed resources (three
published, one taken down) and one resource in each state that must never show.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalogue.db import db
from catalogue.models import AuditEvent, Resource, State
from tests.support.catalogue import add_resource, add_user
from tests.support.oai import (
    NS,
    Catalogue,
    add_catalogue,
    attributes,
    check_response,
    echoed,
    errors,
    harvest,
    harvested_identifiers,
    header_status,
    identifiers,
    oai_get,
    oai_id,
    resumption_token,
    token_text,
)


@pytest.fixture
def catalogue(app: Flask) -> Catalogue:
    return add_catalogue(app)


def ids(*uuids: str) -> list[str]:
    return [oai_id(uuid) for uuid in uuids]


# ---- Identify, GET and POST, the request element ---------------------------------------------


def test_identify(client: FlaskClient, catalogue: Catalogue) -> None:
    root = oai_get(client, verb="Identify")
    assert echoed(root) == {"verb": "Identify"}
    identify = root.find("oai:Identify", NS)
    assert identify is not None

    def text(name: str) -> str | None:
        return identify.findtext(f"oai:{name}", namespaces=NS)

    assert text("repositoryName") == "Sandyq: сандық білім беру ресурстарының каталогы"
    assert text("baseURL") == "http://localhost/oai"
    assert text("protocolVersion") == "2.0"
    assert text("adminEmail") == "oai@sandyq.kz"
    assert text("earliestDatestamp") == "2024-09-02T08:00:00Z"  # newton, seconds dropped
    assert text("deletedRecord") == "persistent"
    assert text("granularity") == "YYYY-MM-DDThh:mm:ssZ"
    scheme = "{http://www.openarchives.org/OAI/2.0/oai-identifier}"
    description = identify.find(f"oai:description/{scheme}oai-identifier", NS)
    assert description is not None
    assert description.findtext(f"{scheme}repositoryIdentifier") == "sandyq.kz"
    assert description.findtext(f"{scheme}delimiter") == ":"
    assert (description.findtext(f"{scheme}sampleIdentifier") or "").startswith("oai:sandyq.kz:")


def test_identify_follows_the_config(app: Flask, client: FlaskClient) -> None:
    app.config.update(
        OAI_REPOSITORY_ID="oer.edu.kz",
        OAI_REPOSITORY_NAME="Ақтөбе сандық ресурстары",
        OAI_ADMIN_EMAILS=["oai@oer.edu.kz", "admin@oer.edu.kz"],
        PUBLIC_URL="https://oer.edu.kz/",
    )
    owner = add_user(app, "a@mektep.kz")
    uuid = add_resource(app, owner)
    root = oai_get(client, verb="Identify")
    assert root.findtext("oai:request", namespaces=NS) == "https://oer.edu.kz/oai"
    assert root.findtext("oai:Identify/oai:baseURL", namespaces=NS) == "https://oer.edu.kz/oai"
    assert root.findtext("oai:Identify/oai:repositoryName", namespaces=NS) == (
        "Ақтөбе сандық ресурстары"
    )
    emails = [e.text for e in root.iterfind("oai:Identify/oai:adminEmail", NS)]
    assert emails == ["oai@oer.edu.kz", "admin@oer.edu.kz"]
    listed = oai_get(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifiers(listed) == [f"oai:oer.edu.kz:{uuid}"]


def test_an_empty_repository_still_identifies_itself(client: FlaskClient) -> None:
    root = oai_get(client, verb="Identify")
    assert root.findtext("oai:Identify/oai:earliestDatestamp", namespaces=NS) == (
        "1970-01-01T00:00:00Z"
    )
    assert errors(oai_get(client, verb="ListRecords", metadataPrefix="oai_dc")) == [
        "noRecordsMatch"
    ]


def test_post_answers_as_get_does(client: FlaskClient, catalogue: Catalogue) -> None:
    arguments = {"verb": "ListIdentifiers", "metadataPrefix": "lom", "set": "subject:physics"}
    response = client.post("/oai", data=arguments)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    posted = check_response(response.data)
    assert echoed(posted) == arguments
    assert identifiers(posted) == identifiers(oai_get(client, **arguments))
    assert identifiers(posted) == ids(catalogue.newton, catalogue.taken_down)


def test_the_request_element_echoes_every_argument(
    client: FlaskClient, catalogue: Catalogue
) -> None:
    arguments = {
        "verb": "ListRecords",
        "metadataPrefix": "oai_dc",
        "from": "2024-09-01",
        "until": "2024-09-30",
        "set": "grade:7",
    }
    root = oai_get(client, **arguments)
    assert echoed(root) == arguments
    assert root.findtext("oai:request", namespaces=NS) == "http://localhost/oai"


def test_kazakh_text_goes_out_as_utf8(client: FlaskClient, catalogue: Catalogue) -> None:
    body = client.get(
        "/oai",
        query_string={
            "verb": "GetRecord",
            "metadataPrefix": "oai_dc",
            "identifier": oai_id(catalogue.newton),
        },
    ).data
    assert "Ньютон заңдары".encode() in body
    assert "Айгүл Серікқызы".encode() in body
    assert b"&#" not in body


def test_characters_xml_forbids_are_dropped(client: FlaskClient, catalogue: Catalogue) -> None:
    root = oai_get(
        client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(catalogue.chemistry)
    )
    description = root.findtext(".//{http://purl.org/dc/elements/1.1/}description", namespaces=NS)
    assert description == "Бейнедәріс: тотығу мен тотықсыздану"


# ---- what is exposed ---------------------------------------------------------------------------


def test_published_and_taken_down_resources_only(client: FlaskClient, catalogue: Catalogue) -> None:
    harvested = harvested_identifiers(client, metadataPrefix="oai_dc")
    assert harvested == ids(*catalogue.in_datestamp_order)
    for state, uuid in catalogue.hidden.items():
        root = oai_get(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(uuid))
        assert errors(root) == ["idDoesNotExist"], state
        root = oai_get(client, verb="ListMetadataFormats", identifier=oai_id(uuid))
        assert errors(root) == ["idDoesNotExist"], state


def test_a_taken_down_resource_is_a_deleted_record(
    client: FlaskClient, catalogue: Catalogue
) -> None:
    root = oai_get(
        client, verb="GetRecord", metadataPrefix="lom", identifier=oai_id(catalogue.taken_down)
    )
    record = root.find("oai:GetRecord/oai:record", NS)
    assert record is not None
    header = record.find("oai:header", NS)
    assert header is not None and header.get("status") == "deleted"
    assert header.findtext("oai:datestamp", namespaces=NS) == "2024-11-01T10:00:00Z"
    assert [s.text for s in header.iterfind("oai:setSpec", NS)] == ["subject:physics", "grade:9"]
    assert record.find("oai:metadata", NS) is None

    pages = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    records = [r for page in pages for r in page.iterfind(".//oai:record", NS)]
    deleted = [r for r in records if header_status(r) == "deleted"]
    assert len(records) == 4 and len(deleted) == 1
    assert deleted[0].find("oai:metadata", NS) is None
    live = [r for r in records if r not in deleted]
    assert all(header_status(r) is None for r in live)
    assert all(r.find("oai:metadata", NS) is not None for r in live)


def test_without_an_audit_event_a_taken_down_record_dates_from_its_last_update(
    app: Flask, client: FlaskClient
) -> None:
    owner = add_user(app, "a@mektep.kz")
    uuid = add_resource(app, owner, State.UNPUBLISHED)
    before = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    with app.app_context():
        resource = db.session.query(Resource).filter_by(uuid=uuid).one()
        resource.published_at = datetime(2024, 1, 10, tzinfo=UTC)
        db.session.commit()
    root = oai_get(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(uuid))
    datestamp = root.findtext(".//oai:header/oai:datestamp", namespaces=NS) or ""
    stamped = datetime.strptime(datestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before <= stamped <= datetime.now(UTC)


def test_a_republished_record_dates_from_its_republication(
    app: Flask, client: FlaskClient, catalogue: Catalogue
) -> None:
    republished = datetime(2025, 2, 3, 4, 5, 6, tzinfo=UTC)
    with app.app_context():
        resource = db.session.query(Resource).filter_by(uuid=catalogue.newton).one()
        db.session.add(
            AuditEvent(
                resource_id=resource.id,
                action="republish",
                from_state=State.UNPUBLISHED.value,
                to_state=State.PUBLISHED.value,
                reason="Шағым қаралды",
                at=republished,
            )
        )
        db.session.commit()
    root = oai_get(
        client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(catalogue.newton)
    )
    assert root.findtext(".//oai:datestamp", namespaces=NS) == "2025-02-03T04:05:06Z"
    harvested = harvested_identifiers(client, metadataPrefix="oai_dc")
    assert harvested[-1] == oai_id(catalogue.newton)  # it moves to the end of the order


# ---- selective harvesting ------------------------------------------------------------------


@pytest.mark.parametrize(
    "window, expected",
    [
        ({"from": "2024-09-02", "until": "2024-09-02"}, ["newton", "fractions"]),
        (
            {"from": "2024-09-02T08:00:00Z", "until": "2024-09-02T08:00:00Z"},
            ["newton", "fractions"],
        ),
        ({"from": "2024-09-02T08:00:01Z"}, ["chemistry", "taken_down"]),
        ({"until": "2024-10-15T12:30:00Z"}, ["newton", "fractions", "chemistry"]),
        ({"until": "2024-10-15T12:29:59Z"}, ["newton", "fractions"]),
        ({"from": "2024-10-16"}, ["taken_down"]),
        ({"from": "2024-11-01T10:00:00Z", "until": "2024-11-01T10:00:00Z"}, ["taken_down"]),
        (
            {"from": "2024-01-01", "until": "2099-12-31"},
            ["newton", "fractions", "chemistry", "taken_down"],
        ),
    ],
)
def test_from_and_until_are_inclusive_in_both_granularities(
    client: FlaskClient, catalogue: Catalogue, window: dict[str, str], expected: list[str]
) -> None:
    harvested = harvested_identifiers(client, metadataPrefix="oai_dc", **window)
    assert harvested == ids(*(getattr(catalogue, name) for name in expected))


@pytest.mark.parametrize(
    "set_spec, expected",
    [
        ("subject:physics", ["newton", "taken_down"]),
        ("subject:mathematics", ["fractions"]),
        ("grade:5", ["fractions"]),
        ("grade:8", ["chemistry"]),
        ("subject", ["newton", "fractions", "chemistry", "taken_down"]),
        ("grade", ["newton", "fractions", "chemistry", "taken_down"]),
        ("subject:astronomy", []),
        ("grade:12", []),
        ("grade:07", []),
        ("колледж", []),
    ],
)
def test_sets_select_records(
    client: FlaskClient, catalogue: Catalogue, set_spec: str, expected: list[str]
) -> None:
    harvested = harvested_identifiers(client, metadataPrefix="lom", set=set_spec)
    assert harvested == ids(*(getattr(catalogue, name) for name in expected))


def test_a_header_names_the_leaf_sets(client: FlaskClient, catalogue: Catalogue) -> None:
    root = oai_get(
        client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(catalogue.fractions)
    )
    specs = [s.text for s in root.iterfind(".//oai:header/oai:setSpec", NS)]
    assert specs == ["subject:mathematics", "grade:5", "grade:6"]


def test_list_sets_names_subjects_and_grades_in_kazakh(
    client: FlaskClient, catalogue: Catalogue
) -> None:
    root = oai_get(client, verb="ListSets")
    sets = {
        s.findtext("oai:setSpec", namespaces=NS): s.findtext("oai:setName", namespaces=NS)
        for s in root.iterfind("oai:ListSets/oai:set", NS)
    }
    assert len(sets) == len(root.findall("oai:ListSets/oai:set", NS))  # each spec once
    assert sets["subject"] == "Пәндер" and sets["grade"] == "Сыныптар"
    assert sets["subject:physics"] == "Физика"
    assert sets["subject:kazakh_literature"] == "Қазақ әдебиеті"
    assert sets["grade:7"] == "7-сынып"
    # Grades 0-12, the vocabulary's (this list used to stop at 11, while search went to 12).
    assert {f"grade:{n}" for n in range(0, 13)} <= set(sets)
    assert sets["grade:0"] == "Мектепалды даярлық сыныбы"  # never "0-сынып"
    assert resumption_token(root) is None


def test_list_sets_adds_subjects_outside_the_glossary(
    app: Flask, client: FlaskClient, catalogue: Catalogue
) -> None:
    add_resource(app, add_user(app, "a@mektep.kz"), subject="astronomy", grades=[12])
    root = oai_get(client, verb="ListSets")
    sets = {
        s.findtext("oai:setSpec", namespaces=NS): s.findtext("oai:setName", namespaces=NS)
        for s in root.iterfind("oai:ListSets/oai:set", NS)
    }
    assert sets["subject:astronomy"] == "astronomy" and sets["grade:12"] == "12-сынып"


def test_list_metadata_formats(client: FlaskClient, catalogue: Catalogue) -> None:
    expected = [
        (
            "oai_dc",
            "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            "http://www.openarchives.org/OAI/2.0/oai_dc/",
        ),
        ("lom", "http://ltsc.ieee.org/xsd/lomv1.0/lom.xsd", "http://ltsc.ieee.org/xsd/LOM"),
    ]
    for arguments in (
        {},
        {"identifier": oai_id(catalogue.newton)},
        {"identifier": oai_id(catalogue.taken_down)},
    ):
        root = oai_get(client, verb="ListMetadataFormats", **arguments)
        formats = [
            tuple(
                f.findtext(f"oai:{name}", namespaces=NS)
                for name in ("metadataPrefix", "schema", "metadataNamespace")
            )
            for f in root.iterfind("oai:ListMetadataFormats/oai:metadataFormat", NS)
        ]
        assert formats == expected, arguments


# ---- resumption tokens ---------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_lists_come_in_pages(client: FlaskClient, catalogue: Catalogue, verb: str) -> None:
    pages = harvest(client, verb=verb, metadataPrefix="oai_dc")
    assert len(pages) == 2
    first, last = (resumption_token(page) for page in pages)
    assert first is not None and first.text
    assert attributes(first) == {"completeListSize": "4", "cursor": "0"}  # no expirationDate
    assert last is not None and not last.text  # the empty token closes the list
    assert attributes(last) == {"completeListSize": "4", "cursor": "2"}
    assert echoed(pages[1]) == {
        "verb": verb,
        "resumptionToken": first.text,
    }
    for page in pages:  # the token is the last child of the list
        listing = page.find(f"oai:{verb}", NS)
        assert listing is not None and listing[-1].tag.endswith("resumptionToken")
        assert len(identifiers(page)) == 2
    assert [i for page in pages for i in identifiers(page)] == ids(*catalogue.in_datestamp_order)


def test_a_list_that_fits_one_page_has_no_token(client: FlaskClient, catalogue: Catalogue) -> None:
    root = oai_get(client, verb="ListRecords", metadataPrefix="oai_dc", set="subject:physics")
    assert len(identifiers(root)) == 2
    assert resumption_token(root) is None


def test_a_token_keeps_the_selection(client: FlaskClient, app: Flask, catalogue: Catalogue) -> None:
    app.config["OAI_PAGE_SIZE"] = 1
    pages = harvest(
        client,
        verb="ListIdentifiers",
        metadataPrefix="lom",
        set="subject:physics",
        until="2024-12-31",
    )
    assert [identifiers(page) for page in pages] == [
        ids(catalogue.newton),
        ids(catalogue.taken_down),
    ]
    token = resumption_token(pages[-1])
    assert token is not None and token.attrib["completeListSize"] == "2"


def test_a_record_published_during_a_harvest_is_not_lost(
    app: Flask, client: FlaskClient, catalogue: Catalogue
) -> None:
    first = oai_get(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    late = add_resource(app, add_user(app, "late@mektep.kz"), title_kk="Жаңа сабақ")
    rest = harvest(
        client,
        verb="ListIdentifiers",
        resumptionToken=token_text(first),
    )
    harvested = identifiers(first) + [i for page in rest for i in identifiers(page)]
    assert harvested == ids(*catalogue.in_datestamp_order, late)


def test_pages_split_records_of_the_same_second_and_moment(
    app: Flask, client: FlaskClient, catalogue: Catalogue
) -> None:
    """One record a page: the boundaries fall inside one second (newton, fractions) and
    between two records of the very same moment, which the resource id orders."""
    app.config["OAI_PAGE_SIZE"] = 1
    owner = add_user(app, "twins@mektep.kz")
    moment = datetime(2024, 10, 15, 12, 30, tzinfo=UTC)  # chemistry's too
    twins = [add_resource(app, owner, published_at=moment, title_kk=f"Егіз {n}") for n in (1, 2)]
    pages = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert [len(identifiers(page)) for page in pages] == [1] * 6
    assert [token_text(page) != "" for page in pages] == [True] * 5 + [False]
    cursors = [attributes(resumption_token(page))["cursor"] for page in pages]
    assert cursors == ["0", "1", "2", "3", "4", "5"]
    harvested = [i for page in pages for i in identifiers(page)]
    c = catalogue
    assert harvested == ids(c.newton, c.fractions, c.chemistry, *twins, c.taken_down)


@pytest.mark.parametrize("token", ["", "abc", "eyJ2IjoiTGlzdFJlY29yZHMifQ.forged", "0" * 500])
def test_a_token_we_did_not_issue_is_refused(
    client: FlaskClient, catalogue: Catalogue, token: str
) -> None:
    root = oai_get(client, verb="ListRecords", resumptionToken=token)
    assert errors(root) == ["badResumptionToken"]
    request = root.find("oai:request", NS)
    assert request is not None and request.get("resumptionToken") == token


def test_an_edited_token_is_refused(client: FlaskClient, catalogue: Catalogue) -> None:
    first = oai_get(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = token_text(first)
    edited = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert errors(oai_get(client, verb="ListRecords", resumptionToken=edited)) == [
        "badResumptionToken"
    ]
    other_verb = oai_get(client, verb="ListIdentifiers", resumptionToken=token)
    assert errors(other_verb) == ["badResumptionToken"]


def test_list_sets_has_no_tokens(client: FlaskClient, catalogue: Catalogue) -> None:
    root = oai_get(client, verb="ListSets", resumptionToken="anything")
    assert errors(root) == ["badResumptionToken"]


# ---- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "verb=Nonsense",
        "verb=identify",
        "verb=Identify&verb=Identify",
        "verb=ListRecords&verb=ListIdentifiers&metadataPrefix=oai_dc",
        "metadataPrefix=oai_dc",
    ],
)
def test_bad_verb(client: FlaskClient, catalogue: Catalogue, query: str) -> None:
    root = check_response(client.get(f"/oai?{query}").data)
    assert errors(root) == ["badVerb"]
    assert echoed(root) == {}


@pytest.mark.parametrize(
    "query",
    [
        "verb=ListRecords",
        "verb=ListIdentifiers&set=grade:7",
        "verb=GetRecord&metadataPrefix=oai_dc",
        "verb=GetRecord&identifier=oai:sandyq.kz:x",
        "verb=Identify&identifier=oai:sandyq.kz:x",
        "verb=ListSets&set=grade:7",
        "verb=ListMetadataFormats&metadataPrefix=oai_dc",
        "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=lom",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&from=2024-02-01",
        "verb=ListRecords&metadataPrefix=oai_dc&colour=blue",
        "verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc",
        "verb=ListIdentifiers&set=grade:7&resumptionToken=abc",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2024-13-01",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-30",
        "verb=ListRecords&metadataPrefix=oai_dc&from=yesterday",
        "verb=ListRecords&metadataPrefix=oai_dc&from=",
        "verb=ListRecords&metadataPrefix=oai_dc&until=2024-09-02T08:00:00",
        "verb=ListRecords&metadataPrefix=oai_dc&until=2024-09-02T08:00Z",
        "verb=ListRecords&metadataPrefix=oai_dc&until=2024-09-02T08:00:00.5Z",
        "verb=ListRecords&metadataPrefix=oai_dc&until=2024-09-02T08:00:00%2B05:00",
        "verb=ListRecords&metadataPrefix=oai_dc&from=२०२४-09-02",
        "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2024-09-01&until=2024-09-30T00:00:00Z",
    ],
)
def test_bad_argument(client: FlaskClient, catalogue: Catalogue, query: str) -> None:
    root = check_response(client.get(f"/oai?{query}").data)
    assert errors(root) == ["badArgument"], query
    assert echoed(root) == {}


def test_bad_argument_by_post_too(client: FlaskClient, catalogue: Catalogue) -> None:
    response = client.post("/oai", data={"verb": "GetRecord", "identifier": "x", "extra": "y"})
    assert errors(check_response(response.data)) == ["badArgument"]


@pytest.mark.parametrize(
    "arguments",
    [
        {"verb": "ListRecords", "metadataPrefix": "marc21"},
        {"verb": "ListIdentifiers", "metadataPrefix": "OAI_DC"},
        {"verb": "ListRecords", "metadataPrefix": ""},
        {"verb": "GetRecord", "metadataPrefix": "mods", "identifier": "oai:sandyq.kz:x"},
    ],
)
def test_cannot_disseminate_format(
    client: FlaskClient, catalogue: Catalogue, arguments: dict[str, str]
) -> None:
    root = oai_get(client, **arguments)
    assert errors(root) == ["cannotDisseminateFormat"]
    assert echoed(root) == arguments


@pytest.mark.parametrize(
    "identifier",
    [
        "oai:sandyq.kz:00000000-0000-4000-8000-000000000000",
        "oai:other.kz:{newton}",
        "{newton}",
        "oai:sandyq.kz:{newton_upper}",
        "oai:sandyq.kz:",
        "oai:sandyq.kz:'; DROP TABLE resources; --",
        "",
    ],
)
def test_id_does_not_exist(client: FlaskClient, catalogue: Catalogue, identifier: str) -> None:
    identifier = identifier.format(newton=catalogue.newton, newton_upper=catalogue.newton.upper())
    for verb, more in (("GetRecord", {"metadataPrefix": "oai_dc"}), ("ListMetadataFormats", {})):
        root = oai_get(client, verb=verb, identifier=identifier, **more)
        assert errors(root) == ["idDoesNotExist"], (verb, identifier)
        request = root.find("oai:request", NS)
        assert request is not None and request.get("identifier") == identifier


@pytest.mark.parametrize(
    "arguments",
    [
        {"from": "2030-01-01"},
        {"until": "2000-01-01"},
        {"from": "2024-10-01", "until": "2024-09-01"},  # from after until: an empty list
        {"set": "subject:astronomy"},
        {"set": "grade:5", "from": "2024-10-01"},
    ],
)
def test_no_records_match(
    client: FlaskClient, catalogue: Catalogue, arguments: dict[str, str]
) -> None:
    for verb in ("ListIdentifiers", "ListRecords"):
        root = oai_get(client, verb=verb, metadataPrefix="oai_dc", **arguments)
        assert errors(root) == ["noRecordsMatch"]
        assert echoed(root) == {
            "verb": verb,
            "metadataPrefix": "oai_dc",
            **arguments,
        }


def test_other_http_methods_are_not_oai(client: FlaskClient) -> None:
    assert client.put("/oai", data={"verb": "Identify"}).status_code == 405
