"""What the OAI-PMH tests share: a small catalogue, a request helper, a structural check of
every response, and the app served over real HTTP for sickle.

The official OAI-PMH XSD lives at openarchives.org, out of reach offline, so
``check_response`` checks what the schema and spec section 3.2 would: the root element and
its namespace, ``responseDate``, ``request``, then one verb element or errors. Its own tests
are at the bottom.

The catalogue (``add_catalogue``), in datestamp order, four exposed resources:

============ ========================= =========================================
newton        published 2024-09-02T08:00:00.25   physics, grade 7, kk+ru, a co-author
fractions     published 2024-09-02T08:00:00.75   mathematics 5-6, Russian test, 90 min
chemistry     published 2024-10-15T12:30:00      chemistry 8, video lecture, CC0
taken_down    unpublished 2024-11-01T10:00:00    physics 9 (published 2024-09-05)
============ ========================= =========================================

and one resource in each state that must never show: draft, submitted, under review,
approved, rejected, withdrawn (each with a ``published_at``, to prove the state decides).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from werkzeug.serving import make_server

from catalogue.db import db
from catalogue.models import AuditEvent, Resource, ResourceAuthor, ResourceType, State
from tests.support.catalogue import add_resource, add_user

OAI = "http://www.openarchives.org/OAI/2.0/"
NS = {"oai": OAI}
REPOSITORY_ID = "sandyq.kz"
PAGE_SIZE = 2

NEWTON_AT = datetime(2024, 9, 2, 8, 0, 0, 250000, tzinfo=UTC)
FRACTIONS_AT = datetime(2024, 9, 2, 8, 0, 0, 750000, tzinfo=UTC)
CHEMISTRY_AT = datetime(2024, 10, 15, 12, 30, tzinfo=UTC)
TAKEN_DOWN_PUBLISHED_AT = datetime(2024, 9, 5, 9, 0, tzinfo=UTC)
TAKEN_DOWN_AT = datetime(2024, 11, 1, 10, 0, tzinfo=UTC)

HIDDEN_STATES = (
    State.DRAFT,
    State.SUBMITTED,
    State.UNDER_REVIEW,
    State.APPROVED,
    State.REJECTED,
    State.WITHDRAWN,
)
ERROR_CODES = {
    "badArgument",
    "badResumptionToken",
    "badVerb",
    "cannotDisseminateFormat",
    "idDoesNotExist",
    "noMetadataFormats",
    "noRecordsMatch",
    "noSetHierarchy",
}
VERB_ARGUMENTS = {"verb", "identifier", "metadataPrefix", "from", "until", "set", "resumptionToken"}
DATESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@dataclass(frozen=True)
class Catalogue:
    newton: str
    fractions: str
    chemistry: str
    taken_down: str
    hidden: dict[State, str]

    @property
    def in_datestamp_order(self) -> list[str]:
        return [self.newton, self.fractions, self.chemistry, self.taken_down]


def oai_id(uuid: str) -> str:
    return f"oai:{REPOSITORY_ID}:{uuid}"


def add_catalogue(app: Flask) -> Catalogue:
    """The catalogue above, with pages of ``PAGE_SIZE`` so that lists come in two pages."""
    app.config["OAI_PAGE_SIZE"] = PAGE_SIZE
    owner = add_user(app, "aigul@mektep.kz", name="Айгүл Серікқызы")
    coauthor = add_user(app, "ivan@mektep.kz", name="Иван Петров")
    newton = add_resource(
        app,
        owner,
        published_at=NEWTON_AT,
        title_ru="Законы Ньютона",
        description_ru="7 класс, физика: сила, масса, ускорение",
        learning_minutes=45,
        rights_holder="Ақтөбе облыстық білім басқармасы",
    )
    fractions = add_resource(
        app,
        owner,
        published_at=FRACTIONS_AT,
        title_kk="Жай бөлшектер",
        title_ru="Обыкновенные дроби",
        description_kk="",
        description_ru="Тест по математике для 5–6 классов",
        language="ru",
        subject="mathematics",
        grades=[5, 6],
        keywords=["дроби"],
        resource_type=ResourceType.TEST,
        learning_minutes=90,
    )
    chemistry = add_resource(
        app,
        owner,
        published_at=CHEMISTRY_AT,
        title_kk="Химиялық реакциялар",
        title_en="Chemical reactions",
        description_kk="Бейнедәріс\x0b: тотығу мен тотықсыздану",
        subject="chemistry",
        grades=[8],
        keywords=[],
        resource_type=ResourceType.VIDEO_LECTURE,
        license="CC0-1.0",
    )
    taken_down = add_resource(
        app, owner, State.UNPUBLISHED, title_kk="Архимед заңы", grades=[9], keywords=[]
    )
    hidden = {
        state: add_resource(app, owner, state, title_kk=f"Жасырын ({state.value})")
        for state in HIDDEN_STATES
    }
    with app.app_context():
        resources = {r.uuid: r for r in db.session.query(Resource)}
        resources[newton].coauthor_rows.append(ResourceAuthor(user_id=coauthor.id))
        resources[taken_down].published_at = TAKEN_DOWN_PUBLISHED_AT
        for uuid in hidden.values():
            resources[uuid].published_at = NEWTON_AT
        db.session.add(
            AuditEvent(
                resource_id=resources[taken_down].id,
                version_number=1,
                action="unpublish",
                from_state=State.PUBLISHED.value,
                to_state=State.UNPUBLISHED.value,
                reason="Авторлық құқық туралы шағым",
                at=TAKEN_DOWN_AT,
            )
        )
        db.session.commit()
    return Catalogue(newton, fractions, chemistry, taken_down, hidden)


# ---- requests and the structural check ---------------------------------------------------


def oai_get(client: FlaskClient, **arguments: str) -> etree._Element:
    """GET /oai with these arguments; the checked document's root."""
    response = client.get("/oai", query_string=arguments)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    return check_response(response.data)


def check_response(body: bytes) -> etree._Element:
    """What the OAI-PMH schema and spec section 3.2 ask of every response."""
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    assert root.tag == f"{{{OAI}}}OAI-PMH", root.tag
    children = list(root)
    assert [etree.QName(c).localname for c in children[:2]] == ["responseDate", "request"]
    assert all(etree.QName(c).namespace == OAI for c in children)
    response_date = children[0].text or ""
    assert DATESTAMP.fullmatch(response_date), response_date
    moment = datetime.strptime(response_date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - moment) < timedelta(minutes=5)
    request = children[1]
    assert (request.text or "").startswith("http") and len(request) == 0
    assert set(request.attrib) <= VERB_ARGUMENTS, request.attrib
    rest = children[2:]
    assert rest, "neither a verb element nor an error"
    if all(etree.QName(c).localname == "error" for c in rest):
        assert all(c.get("code") in ERROR_CODES and (c.text or "").strip() for c in rest)
    else:
        assert len(rest) == 1, [c.tag for c in rest]
        assert etree.QName(rest[0]).localname == request.get("verb")
    for datestamp in root.iterfind(".//oai:header/oai:datestamp", NS):
        assert DATESTAMP.fullmatch(datestamp.text or ""), datestamp.text
    return root


def errors(root: etree._Element) -> list[str]:
    return [e.get("code", "") for e in root.iterfind("oai:error", NS)]


def identifiers(root: etree._Element) -> list[str]:
    return [e.text or "" for e in root.iterfind(".//oai:header/oai:identifier", NS)]


def resumption_token(root: etree._Element) -> etree._Element | None:
    return root.find(".//oai:resumptionToken", NS)


def token_text(root: etree._Element) -> str:
    """The text of the response's resumption token, which must be there."""
    token = resumption_token(root)
    assert token is not None, "no resumptionToken"
    return token.text or ""


def attributes(element: etree._Element | None) -> dict[str, str]:
    assert element is not None
    return {str(name): str(value) for name, value in element.attrib.items()}


def echoed(root: etree._Element) -> dict[str, str]:
    """The arguments the ``<request>`` element echoes."""
    return attributes(root.find("oai:request", NS))


def header_status(record: etree._Element) -> str | None:
    header = record.find("oai:header", NS)
    assert header is not None
    return header.get("status")


def harvest(client: FlaskClient, **arguments: str) -> list[etree._Element]:
    """Every response of a list request, following its resumption tokens to the end."""
    pages = [oai_get(client, **arguments)]
    while (token := resumption_token(pages[-1])) is not None and token.text:
        pages.append(oai_get(client, verb=arguments["verb"], resumptionToken=token.text))
        assert len(pages) < 50, "the resumption tokens never end"
    return pages


def harvested_identifiers(client: FlaskClient, **arguments: str) -> list[str]:
    """The identifiers a ListIdentifiers request yields over all its pages ([] if none)."""
    pages = harvest(client, verb="ListIdentifiers", **arguments)
    if errors(pages[0]) == ["noRecordsMatch"]:
        return []
    return [identifier for page in pages for identifier in identifiers(page)]


# ---- the app over real HTTP ----------------------------------------------------------------


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """The app on a free loopback port, in a thread; yields the OAI base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="oai-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}/oai"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


# ---- the check itself ------------------------------------------------------------------------
