"""The six verbs (spec section 4). Each checks what the request asks for, raising an
``OaiError`` before it writes anything, then adds its element to the response's root.

ListIdentifiers and ListRecords answer in pages of ``OAI_PAGE_SIZE``, ordered by datestamp
then resource; a page that is not the last ends with a resumption token (``tokens``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from catalogue.oai import tokens
from catalogue.oai.envelope import add_header, add_resumption_token
from catalogue.oai.errors import BadResumptionToken, IdDoesNotExist, NoRecordsMatch
from catalogue.oai.formats import METADATA_FORMATS, metadata_format
from catalogue.oai.namespaces import OAI, OAI_IDENTIFIER, OAI_IDENTIFIER_SCHEMA, XSI
from catalogue.oai.namespaces import schema_location as location
from catalogue.oai.protocol import (
    GRANULARITY,
    PROTOCOL_VERSION,
    RESUMPTION_TOKEN,
    OaiRequest,
    format_datestamp,
    selection,
)
from catalogue.oai.records import Description, Record
from catalogue.oai.repository import Repository
from catalogue.oai.sets import all_sets, parse_set_spec
from catalogue.oai.settings import OaiSettings
from catalogue.oai.xmltree import qname, sub

#: Identify's earliestDatestamp while nothing is exposed yet: a lower bound of any datestamp.
EMPTY_REPOSITORY_EARLIEST = "1970-01-01T00:00:00Z"
SAMPLE_UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"


@dataclass(frozen=True)
class Context:
    settings: OaiSettings
    repository: Repository


Verb = Callable[[OaiRequest, Context, etree._Element], None]


def identify(request: OaiRequest, context: Context, root: etree._Element) -> None:
    settings = context.settings
    earliest = context.repository.earliest_datestamp()
    element = sub(root, OAI, "Identify")
    sub(element, OAI, "repositoryName", settings.repository_name)
    sub(element, OAI, "baseURL", settings.base_url)
    sub(element, OAI, "protocolVersion", PROTOCOL_VERSION)
    for email in settings.admin_emails:
        sub(element, OAI, "adminEmail", email)
    sub(
        element,
        OAI,
        "earliestDatestamp",
        EMPTY_REPOSITORY_EARLIEST if earliest is None else format_datestamp(earliest),
    )
    sub(element, OAI, "deletedRecord", "persistent")
    sub(element, OAI, "granularity", GRANULARITY)
    namespaces: dict[str | None, str] = {None: OAI_IDENTIFIER}
    description = sub(element, OAI, "description")
    tag = qname(OAI_IDENTIFIER, "oai-identifier")
    scheme = etree.SubElement(description, tag, nsmap=namespaces)  # type: ignore[arg-type]
    scheme.set(qname(XSI, "schemaLocation"), location(OAI_IDENTIFIER, OAI_IDENTIFIER_SCHEMA))
    sub(scheme, OAI_IDENTIFIER, "scheme", "oai")
    sub(scheme, OAI_IDENTIFIER, "repositoryIdentifier", settings.repository_id)
    sub(scheme, OAI_IDENTIFIER, "delimiter", ":")
    sub(scheme, OAI_IDENTIFIER, "sampleIdentifier", settings.identifier(SAMPLE_UUID))


def list_metadata_formats(request: OaiRequest, context: Context, root: etree._Element) -> None:
    identifier = request.get("identifier")
    if identifier is not None:
        _find(context, identifier)
    element = sub(root, OAI, "ListMetadataFormats")
    for found in METADATA_FORMATS.values():
        entry = sub(element, OAI, "metadataFormat")
        sub(entry, OAI, "metadataPrefix", found.prefix)
        sub(entry, OAI, "schema", found.schema)
        sub(entry, OAI, "metadataNamespace", found.namespace)


def list_sets(request: OaiRequest, context: Context, root: etree._Element) -> None:
    if request.get(RESUMPTION_TOKEN) is not None:
        raise BadResumptionToken("ListSets comes whole in one response; it has no tokens")
    element = sub(root, OAI, "ListSets")
    for found in all_sets(*context.repository.facets_in_use()):
        entry = sub(element, OAI, "set")
        sub(entry, OAI, "setSpec", found.spec)
        sub(entry, OAI, "setName", found.name)


def list_identifiers(request: OaiRequest, context: Context, root: etree._Element) -> None:
    _list(request, context, root, with_metadata=False)


def list_records(request: OaiRequest, context: Context, root: etree._Element) -> None:
    _list(request, context, root, with_metadata=True)


def get_record(request: OaiRequest, context: Context, root: etree._Element) -> None:
    found_format = metadata_format(request.require("metadataPrefix"))
    record = _find(context, request.require("identifier"))
    _add_record(sub(root, OAI, "GetRecord"), record, found_format.write)


VERBS: dict[str, Verb] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
    "GetRecord": get_record,
}


def _find(context: Context, identifier: str) -> Record:
    uuid = context.settings.uuid_of(identifier)
    record = None if uuid is None else context.repository.find(uuid)
    if record is None:
        raise IdDoesNotExist(f"there is no item '{identifier}' in this repository")
    return record


def _list(request: OaiRequest, context: Context, root: etree._Element, with_metadata: bool) -> None:
    settings, repository = context.settings, context.repository
    token = request.get(RESUMPTION_TOKEN)
    if token is not None:
        state = tokens.decode(token, settings.secret, request.verb)
        wanted, after, cursor = state.selection, state.after, state.cursor
    else:
        wanted, after, cursor = selection(request), None, 0
    write = metadata_format(wanted.metadata_prefix).write
    sets = None
    if wanted.set_spec is not None:
        sets = parse_set_spec(wanted.set_spec)
        if sets is None:
            raise NoRecordsMatch(f"there is no set '{wanted.set_spec}' (ListSets names them)")

    rows = repository.page(wanted.window, sets, after, settings.page_size + 1)
    if not rows:
        raise NoRecordsMatch("no records match these arguments")
    more = len(rows) > settings.page_size
    rows = rows[: settings.page_size]

    element = sub(root, OAI, request.verb)
    for _, record in rows:
        if with_metadata:
            _add_record(element, record, write)
        else:
            add_header(element, record.header)
    if more or token is not None:
        next_token = None
        if more:
            state = tokens.ResumptionState(request.verb, wanted, rows[-1][0], cursor + len(rows))
            next_token = tokens.encode(state, settings.secret)
        add_resumption_token(element, next_token, repository.count(wanted.window, sets), cursor)


def _add_record(
    parent: etree._Element, record: Record, write: Callable[[Description], etree._Element]
) -> None:
    element = sub(parent, OAI, "record")
    add_header(element, record.header)
    if not record.header.deleted:
        sub(element, OAI, "metadata").append(write(record.description))
