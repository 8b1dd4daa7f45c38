"""What the repository hands to the verbs and the metadata formats: plain, frozen data.

``Header`` is the OAI header (identifier, datestamp, sets, deleted or not); ``Description``
is what the formats say about a resource, taken from its published version. Neither knows
about SQLAlchemy or XML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from catalogue.models import ResourceType


@dataclass(frozen=True)
class Header:
    identifier: str
    #: When the record last changed, aware UTC with full precision (tokens need it).
    datestamp: datetime
    set_specs: tuple[str, ...]
    deleted: bool


@dataclass(frozen=True)
class Description:
    uuid: str
    #: ``(language, text)`` for each language the resource has a title (description) in.
    titles: tuple[tuple[str, str], ...]
    descriptions: tuple[tuple[str, str], ...]
    language: str
    subject: str
    grades: tuple[int, ...]
    keywords: tuple[str, ...]
    resource_type: ResourceType
    learning_minutes: int | None
    license: str
    rights_holder: str
    #: The owner first, then the co-authors.
    authors: tuple[str, ...]
    version: int
    package_size: int
    scorm_version: str
    published_at: datetime | None
    page_url: str
    package_url: str


@dataclass(frozen=True)
class Record:
    header: Header
    description: Description
