"""``GET /api/v1/resources``: search the published resources, with facets.

Anyone may search (a token is not needed and not checked). Parameters are described in
``catalogue.search.query``; a bad one answers 422 with code ``invalid_query``. Registering
this blueprint is all the wiring search needs: it installs the index's session events.
"""

from __future__ import annotations

from typing import Any

import click
from flask import Blueprint, current_app, request
from flask.blueprints import BlueprintSetupState

from catalogue import public_cache, search
from catalogue.api import schemas
from catalogue.api.openapi import PUBLIC, documented
from catalogue.db import db
from catalogue.domain import timestamp
from catalogue.errors import Invalid
from catalogue.search import FacetCount, Hit, SearchResult

bp = Blueprint("api_search", __name__, url_prefix="/api/v1", cli_group="search")

Json = dict[str, Any]


@bp.record_once
def _wire(state: BlueprintSetupState) -> None:
    search.init_app(state.app)  # type: ignore[arg-type]  # sansio App: always a Flask here


def public_base() -> str:
    """The catalogue's public address: ``PUBLIC_URL``, else the one this request used."""
    configured = current_app.config.get("PUBLIC_URL")
    return str(configured or request.url_root).rstrip("/")


def package_url(uuid: str) -> str:
    return f"{public_base()}/api/v1/resources/{uuid}/package"


def hit_json(hit: Hit) -> Json:
    return {
        "uuid": hit.uuid,
        "version": hit.version,
        "title": hit.title,
        "titles": dict(hit.titles),
        "description": hit.description,
        "language": hit.language,
        "subject": hit.subject,
        "grades": list(hit.grades),
        "resource_type": hit.resource_type,
        "license": hit.license,
        "keywords": list(hit.keywords),
        "offline_ready": hit.offline_ready,
        "size": hit.size,
        "scorm_version": hit.scorm_version,
        "published_at": timestamp(hit.published_at),
        "downloads": hit.downloads,
        "download_url": package_url(hit.uuid),
    }


def _facet_json(count: FacetCount) -> Json:
    body: Json = {"value": count.value, "count": count.count}
    if count.size_min is not None:
        body["size_min"] = count.size_min
        body["size_max"] = count.size_max
    return body


def result_json(result: SearchResult, query: search.SearchQuery) -> Json:
    facets = result.facets
    return {
        "total": result.total,
        "page": query.page,
        "per_page": query.per_page,
        "sort": query.order.value,
        "fuzzy": result.fuzzy,
        "suggestion": result.suggestion,
        "items": [hit_json(hit) for hit in result.items],
        "facets": {
            name: [_facet_json(count) for count in getattr(facets, name)]
            for name in ("subject", "grade", "language", "type", "license", "offline", "size")
        },
    }


@bp.get("/resources")
@documented(
    "Search the published resources, with facets",
    description="Repeat subject, grade, language, type or license to match any of the "
    "values. A bad parameter answers 422 invalid_query.",
    operation_id="searchResources",
    security=PUBLIC,
    query=schemas.SearchQuery,
    responses={200: schemas.SearchResult},
    errors=(Invalid,),
)
@public_cache.cached
def find() -> Json:
    query = search.parse_query(request.args.to_dict(flat=False))
    return result_json(search.search(db.session(), query), query)


@bp.cli.command("rebuild")
def rebuild_command() -> None:
    """Rebuild the search index and the published feed from the resources."""
    count = search.rebuild(db.session())
    db.session.commit()
    click.echo(f"{count} published resources indexed")
