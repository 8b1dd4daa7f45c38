"""What anyone can open: the home page, the search with facets, and a resource's page.

The pages are plain HTML forms and links (no script needed), small enough for a school's
shared line: a page of search results is twenty resources, the facets are counted by the
search index. Who may see a resource is the service's call (``readable``): a hidden one
is a 404 page whether or not it exists.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode
from uuid import UUID

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import format_decimal, gettext, lazy_gettext, ngettext
from flask_babel.speaklater import LazyString
from jinja2 import TemplateNotFound
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as WerkzeugResponse

from catalogue import public_cache
from catalogue import search as search_index
from catalogue.api.search import public_base
from catalogue.auth import principal
from catalogue.db import db
from catalogue.errors import NotFound
from catalogue.models import ResourceVersion
from catalogue.oai.settings import OaiSettings
from catalogue.search import Hit, InvalidQuery, SearchQuery, SearchResult, Sort
from catalogue.search.query import MAX_OFFSET, MAX_QUERY_LENGTH
from catalogue.services import resources as service
from catalogue.storage import storage
from catalogue.web.common.labels import (
    LANGUAGES as LANGUAGE_LABELS,
)
from catalogue.web.common.labels import (
    LICENSE_NAMES,
    LICENSE_URLS,
    RESOURCE_TYPES,
    alphabetical,
    grade_name,
    locale_code,
    subject_name,
)
from catalogue.web.common.pages import public
from catalogue.web.common.preview import preview_url
from catalogue.web.common.usage import may_see_usage, usage_panel
from scorm_builder.vocabulary import LANGUAGES, LICENCE_IDS

bp = Blueprint("public", __name__)

NEWEST_ON_HOME = 6
#: The search page's filters, in the order the page shows them.
FACETS = ("subject", "grade", "language", "type", "license")
SEARCH_PARAMETERS = ("q", "sort", "page", *FACETS)
SORTS: dict[str, LazyString] = {
    Sort.RELEVANCE: lazy_gettext("Best match"),
    Sort.NEWEST: lazy_gettext("Newest first"),
    Sort.DOWNLOADS: lazy_gettext("Most downloaded"),
}
FACET_LEGENDS: dict[str, LazyString] = {
    "subject": lazy_gettext("Subject"),
    "grade": lazy_gettext("Grade"),
    "language": lazy_gettext("Language"),
    "type": lazy_gettext("Type"),
    "license": lazy_gettext("License"),
}


# ---- words and numbers in the visitor's language -------------------------------------


@dataclass(frozen=True)
class Localized:
    """A text and the language it is written in (for the element's ``lang``)."""

    text: str
    lang: str


def in_visitor_language(texts: Mapping[str, str]) -> Localized:
    """The text in the visitor's language, else in Kazakh, Russian or English."""
    code = locale_code()
    for language in (code, *LANGUAGES):
        if texts.get(language):
            return Localized(texts[language], language)
    return Localized("", code)


def version_texts(version: ResourceVersion, field: str) -> dict[str, str]:
    return {language: getattr(version, f"{field}_{language}") or "" for language in LANGUAGES}


def hit_title(hit: Hit) -> Localized:
    shown = in_visitor_language(hit.titles)
    return shown if shown.text else Localized(hit.title, hit.language)


def grades_text(grades: Iterable[int]) -> str:
    return ", ".join(grade_name(grade) for grade in sorted(grades))


def facet_label(facet: str, value: str | int | bool) -> str:
    text = str(value)
    if facet == "subject":
        return subject_name(text)
    if facet == "grade":
        return grade_name(text)
    if facet == "language":
        return str(LANGUAGE_LABELS.get(text, text))
    if facet == "type":
        return str(RESOURCE_TYPES.get(text, text))
    if facet == "license":
        return str(LICENSE_NAMES.get(text, text))
    return text


@bp.context_processor
def _helpers() -> dict[str, object]:
    return {
        "grades_text": grades_text,
        "hit_title": hit_title,
        "facet_label": facet_label,
        "license_deeds": LICENSE_URLS,
    }


# ---- home ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectCount:
    code: str
    name: str
    count: int


@bp.get("/")
@public
@public_cache.cached
def home() -> str:
    """The newest resources and the subjects, from one search (its facets are cached)."""
    found = search_index.search(
        db.session(), SearchQuery(sort=Sort.NEWEST, per_page=NEWEST_ON_HOME)
    )
    subjects = sorted(
        (
            SubjectCount(str(facet.value), subject_name(str(facet.value)), facet.count)
            for facet in found.facets.subject
            if facet.value
        ),
        key=lambda subject: alphabetical(subject.name),
    )
    return render_template("public/home.html", newest=found.items, subjects=subjects, found=found)


# ---- search -------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str
    legend: str
    options: tuple[FacetOption, ...]


@dataclass(frozen=True)
class ActiveFilter:
    legend: str
    label: str
    remove_url: str


@dataclass(frozen=True)
class Pages:
    number: int
    count: int
    previous_url: str | None
    next_url: str | None


def search_parameters(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """The parameters the page knows, without the empty ones a form sends for blank fields."""
    kept: MultiDict[str, str] = MultiDict()
    for name in SEARCH_PARAMETERS:
        for value in args.getlist(name):
            if value.strip():
                kept.add(name, value)
    return kept


def search_url(params: MultiDict[str, str], **changes: str | None) -> str:
    """This search with some parameters changed (``None`` drops one); page 1 unless given."""
    values: dict[str, list[str]] = {name: params.getlist(name) for name in params}
    values.pop("page", None)
    for name, value in changes.items():
        values.pop(name, None)
        if value is not None:
            values[name] = [value]
    return _search_link(values)


def without(params: MultiDict[str, str], name: str, value: str) -> str:
    values = {key: params.getlist(key) for key in params if key != "page"}
    values[name] = [kept for kept in values.get(name, []) if kept != value]
    return _search_link(values)


def _search_link(values: Mapping[str, Sequence[str]]) -> str:
    pairs = [(name, value) for name, listed in values.items() for value in listed]
    base = url_for("public.search")
    return f"{base}?{urlencode(pairs)}" if pairs else base


def _order(facet: str, values: Iterable[str]) -> list[str]:
    known: Sequence[str]
    if facet == "grade":
        return sorted(set(values), key=int)
    if facet == "subject":
        return sorted(set(values), key=lambda code: alphabetical(subject_name(str(code))))
    known = {"language": LANGUAGES, "type": tuple(RESOURCE_TYPES), "license": LICENCE_IDS}[facet]
    present = set(values)
    return [value for value in known if value in present] + sorted(present - set(known))


def facet_groups(result: SearchResult, params: MultiDict[str, str]) -> list[FacetGroup]:
    """Each filter's values with their counts; a chosen value stays even at zero, so it can
    be unchosen."""
    groups = []
    for facet in FACETS:
        counts = {str(count.value): count.count for count in getattr(result.facets, facet)}
        chosen = set(params.getlist(facet))
        values = _order(facet, [value for value in (*counts, *chosen) if value])
        options = tuple(
            FacetOption(value, facet_label(facet, value), counts.get(value, 0), value in chosen)
            for value in values
        )
        if options:
            groups.append(FacetGroup(facet, str(FACET_LEGENDS[facet]), options))
    return groups


def active_filters(params: MultiDict[str, str]) -> list[ActiveFilter]:
    return [
        ActiveFilter(
            str(FACET_LEGENDS[facet]), facet_label(facet, value), without(params, facet, value)
        )
        for facet in FACETS
        for value in params.getlist(facet)
    ]


def pages(query: SearchQuery, total: int, params: MultiDict[str, str]) -> Pages:
    last = max(1, min(math.ceil(total / query.per_page), math.ceil(MAX_OFFSET / query.per_page)))
    number = query.page
    previous_url = search_url(params, page=str(min(number - 1, last))) if number > 1 else None
    next_url = search_url(params, page=str(number + 1)) if number < last else None
    return Pages(number, last, previous_url, next_url)


@bp.get("/search", endpoint="search")
@public
@public_cache.cached
def search_page() -> tuple[str, int]:
    params = search_parameters(request.args)
    problem = ""
    try:
        query = search_index.parse_query(params.to_dict(flat=False))
    except InvalidQuery as error:
        parameter = (error.details or {}).get("parameter", "")
        problem = gettext(
            "The search could not be understood (%(parameter)s). Change it and try again.",
            parameter=parameter,
        )
        query = SearchQuery(text=params.get("q", "")[:MAX_QUERY_LENGTH].strip())
        params = MultiDict([("q", query.text)]) if query.text else MultiDict()
    result = search_index.search(db.session(), query)
    summary = ngettext(
        "%(count)s resource found",
        "%(count)s resources found",
        result.total,
        count=format_decimal(result.total),
    )
    return (
        render_template(
            "public/search.html",
            query=query,
            result=result,
            summary=summary,
            problem=problem,
            groups=facet_groups(result, params),
            active=active_filters(params),
            pages=pages(query, result.total, params),
            sorts=SORTS,
            sort=params.get("sort", ""),
            clear_url=search_url(params, **dict.fromkeys(FACETS)),
            suggestion_url=search_url(params, q=result.suggestion) if result.suggestion else "",
        ),
        422 if problem else 200,
    )


# ---- a resource ---------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    version: ResourceVersion
    latest: bool
    shown: bool
    page_url: str
    package_url: str


def _preview_ready() -> bool:
    """The preview macro is another area's; the page works before it exists."""
    try:
        current_app.jinja_env.get_template("_preview.html")
    except TemplateNotFound:
        return False
    return True


@bp.get("/resources/<uuid:uuid>/versions/<int:number>/preview")
@public
def preview_frame(uuid: UUID, number: int) -> WerkzeugResponse:
    """Where a resource page's preview frame starts: a redirect to the package under a
    launch token minted now, for this browser's session. The page itself carries no token,
    so it is the same for every visitor and may be kept (``catalogue.public_cache``)."""
    visible = service.readable(str(uuid), principal())
    chosen = visible.version(number)
    if not storage().exists(chosen.package_sha256):
        raise NotFound("the package file is missing from storage", code="package_file_missing")
    answer = redirect(preview_url(chosen.package_sha256))
    answer.headers["Cache-Control"] = "no-store"
    return answer


@bp.get("/resources/<uuid:uuid>")
@public
@public_cache.cached
def resource(uuid: UUID) -> str:
    who = principal()
    visible = service.readable(str(uuid), who)
    chosen = visible.version(request.args.get("version", type=int))
    item = visible.resource
    page_url = url_for("public.resource", uuid=item.uuid)
    rows = [
        VersionRow(
            version=version,
            latest=version.number == item.latest.number,
            shown=version.number == chosen.number,
            page_url=url_for("public.resource", uuid=item.uuid, version=version.number),
            package_url=url_for(
                "api_resources.version_package", uuid=item.uuid, number=version.number
            ),
        )
        for version in reversed(visible.versions)
    ]
    has_package = storage().exists(chosen.package_sha256)
    oai = OaiSettings.from_config(current_app.config, request.url_root)
    published = item.is_public
    return render_template(
        "public/resource.html",
        visible=visible,
        item=item,
        version=chosen,
        title=in_visitor_language(version_texts(chosen, "title")),
        description=in_visitor_language(version_texts(chosen, "description")),
        authors=[item.owner, *item.coauthors],
        versions=rows,
        package_url=next(row.package_url for row in rows if row.shown) if has_package else None,
        can_preview=has_package and _preview_ready(),
        usage=usage_panel(item) if may_see_usage(item, who) else None,
        canonical=public_base() + page_url,
        oai_identifier=oai.identifier(item.uuid) if published else None,
        oai_record_url=url_for(
            "oai.endpoint",
            verb="GetRecord",
            metadataPrefix="oai_dc",
            identifier=oai.identifier(item.uuid),
        )
        if published
        else None,
    )
