"""What a search asks for (``SearchQuery``) and what it finds (``SearchResult``), and the
parsing of the HTTP parameters into a query. Plain data, no I/O, no Flask.

Parameters: ``q``; the filters ``subject``, ``grade``, ``language``, ``type``, ``license``
(each may repeat: any of the values), ``offline`` (true/false), ``size_min``/``size_max``
(bytes, inclusive); ``sort`` (``relevance``, the default with ``q``; ``newest``, the
default without; ``downloads``); ``page`` and ``per_page`` (at most 100). A bad value is an
``InvalidQuery`` (422, code ``invalid_query``) naming the parameter.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from catalogue.errors import Invalid
from catalogue.search import text
from scorm_builder.vocabulary import GRADES, LANGUAGES, LICENCE_IDS, RESOURCE_TYPES

MIB = 1024 * 1024
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
#: Deeper pages cost the database more than they help anyone: narrow the search instead.
MAX_OFFSET = 10_000
MAX_QUERY_LENGTH = 200


class Sort(enum.StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    DOWNLOADS = "downloads"


@dataclass(frozen=True)
class SizeBucket:
    name: str
    min: int
    max: int | None  # inclusive; None: no upper bound


SIZE_BUCKETS = (
    SizeBucket("under_10mb", 0, 10 * MIB - 1),
    SizeBucket("10_100mb", 10 * MIB, 100 * MIB - 1),
    SizeBucket("over_100mb", 100 * MIB, None),
)


class InvalidQuery(Invalid):
    code = "invalid_query"


@dataclass(frozen=True)
class SearchQuery:
    """A search of the published resources. Empty filters do not filter."""

    text: str = ""
    subjects: tuple[str, ...] = ()
    grades: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()
    resource_types: tuple[str, ...] = ()
    licenses: tuple[str, ...] = ()
    offline: bool | None = None
    size_min: int | None = None
    size_max: int | None = None
    sort: Sort | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def terms(self) -> tuple[str, ...]:
        return text.terms(self.text)

    @property
    def order(self) -> Sort:
        """The sort in effect: relevance needs words to be relevant to."""
        if self.sort is None or (self.sort is Sort.RELEVANCE and not self.terms):
            return Sort.RELEVANCE if self.terms else Sort.NEWEST
        return self.sort

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Hit:
    """One published resource found, described by its latest version."""

    uuid: str
    version: int
    title: str
    titles: Mapping[str, str]
    description: str
    language: str
    subject: str
    grades: tuple[int, ...]
    resource_type: str
    license: str
    keywords: tuple[str, ...]
    offline_ready: bool
    size: int
    scorm_version: str
    published_at: datetime
    downloads: int


@dataclass(frozen=True)
class FacetCount:
    value: str | int | bool
    count: int
    size_min: int | None = None  # size buckets only: the filter that selects the bucket
    size_max: int | None = None


@dataclass(frozen=True)
class Facets:
    """Counts over every resource the query finds (not only the page)."""

    subject: tuple[FacetCount, ...] = ()
    grade: tuple[FacetCount, ...] = ()
    language: tuple[FacetCount, ...] = ()
    type: tuple[FacetCount, ...] = ()
    license: tuple[FacetCount, ...] = ()
    offline: tuple[FacetCount, ...] = ()
    size: tuple[FacetCount, ...] = ()


@dataclass(frozen=True)
class SearchResult:
    total: int
    items: tuple[Hit, ...]
    facets: Facets = field(default_factory=Facets)
    fuzzy: bool = False  # no word matched, so titles similar to the query were found
    #: No document has every word: the query with its unknown words replaced by the
    #: index's closest ones ("did you mean"), or None.
    suggestion: str | None = None


# ---- parsing the HTTP parameters -----------------------------------------------------

Params = Mapping[str, Sequence[str]]


def parse_query(params: Params) -> SearchQuery:
    """A ``SearchQuery`` from request parameters (each name to its list of values)."""
    query_text = _single(params, "q") or ""
    if len(query_text) > MAX_QUERY_LENGTH:
        raise _bad("q", f"at most {MAX_QUERY_LENGTH} characters")
    per_page = _integer(params, "per_page", 1, MAX_PER_PAGE)
    page = _integer(params, "page", 1, None)
    query = SearchQuery(
        text=query_text.strip(),
        subjects=tuple(_strings(params, "subject", 64)),
        grades=tuple(_grade(value) for value in params.get("grade", ())),
        languages=_choices(params, "language", LANGUAGES),
        resource_types=_choices(params, "type", tuple(RESOURCE_TYPES)),
        licenses=_choices(params, "license", LICENCE_IDS),
        offline=_boolean(params, "offline"),
        size_min=_integer(params, "size_min", 0, None),
        size_max=_integer(params, "size_max", 0, None),
        sort=Sort(sort) if (sort := _choice(params, "sort", tuple(Sort))) else None,
        page=page or 1,
        per_page=per_page or DEFAULT_PER_PAGE,
    )
    if query.size_min is not None and query.size_max is not None:
        if query.size_min > query.size_max:
            raise _bad("size_max", "must not be less than size_min")
    if query.offset >= MAX_OFFSET:
        raise _bad("page", f"pages end at result {MAX_OFFSET}: narrow the search instead")
    return query


def _bad(name: str, problem: str) -> InvalidQuery:
    return InvalidQuery(f"{name}: {problem}", details={"parameter": name})


def _single(params: Params, name: str) -> str | None:
    values = params.get(name, ())
    if len(values) > 1:
        raise _bad(name, "give it once")
    return values[0] if values else None


def _strings(params: Params, name: str, longest: int) -> list[str]:
    values = [value.strip() for value in params.get(name, ())]
    for value in values:
        if not value or len(value) > longest:
            raise _bad(name, f"between 1 and {longest} characters")
    return values


def _choices(params: Params, name: str, allowed: Sequence[str]) -> tuple[str, ...]:
    values = _strings(params, name, 64)
    for value in values:
        if value not in allowed:
            raise _bad(name, f"{value!r} is not one of {', '.join(allowed)}")
    return tuple(values)


def _choice(params: Params, name: str, allowed: Sequence[str]) -> str | None:
    value = _single(params, name)
    if value is not None and value not in allowed:
        raise _bad(name, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _integer(params: Params, name: str, least: int, most: int | None) -> int | None:
    value = _single(params, name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 15:
        raise _bad(name, "a whole number")
    number = int(value)
    if number < least or (most is not None and number > most):
        bounds = f"from {least} to {most}" if most is not None else f"at least {least}"
        raise _bad(name, bounds)
    return number


def _grade(value: str) -> int:
    if not value.isascii() or not value.isdigit() or int(value) not in GRADES:
        raise _bad("grade", f"a grade from {GRADES[0]} to {GRADES[-1]}")
    return int(value)


def _boolean(params: Params, name: str) -> bool | None:
    value = _single(params, name)
    if value is None:
        return None
    lowered = value.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise _bad(name, "true or false")
