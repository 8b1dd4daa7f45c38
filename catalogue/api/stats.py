"""``/api/v1/stats``: the catalogue's numbers for the council chair and administrators, and
a resource's downloads per month for its authors too."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from catalogue.api import schemas
from catalogue.api.openapi import documented
from catalogue.auth import login_required, principal, roles_required
from catalogue.errors import Forbidden, NotFound, Unauthenticated
from catalogue.models import Role
from catalogue.services import resources as resource_service
from catalogue.services import stats as service

bp = Blueprint("api_stats", __name__, url_prefix="/api/v1")

Json = dict[str, Any]


def _monthly(rows: list[service.MonthlyDownloads]) -> list[Json]:
    return [{"resource": r.resource_uuid, "month": r.month, "downloads": r.downloads} for r in rows]


@bp.get("/stats")
@documented(
    "Downloads per month, review turnaround, counts (chair, admin)",
    operation_id="stats",
    responses={200: schemas.Stats},
    errors=(Unauthenticated, Forbidden),
)
@roles_required(Role.CHAIR, Role.ADMIN)
def stats() -> Json:
    counts = service.resource_counts()
    return {
        "resources": {
            "total": counts.total,
            "by_state": counts.by_state,
            "by_subject": counts.by_subject,
            "by_grade": counts.by_grade,
            "by_language": counts.by_language,
        },
        "review_turnaround": {
            name: {"median_days": stage.median_days, "count": stage.count}
            for name, stage in service.review_turnaround().items()
        },
        "downloads": _monthly(service.monthly_downloads()),
    }


@bp.get("/stats/downloads")
@documented(
    "Downloads per month: of one resource (its authors too), or of all",
    operation_id="downloadStats",
    query=schemas.DownloadsQuery,
    responses={200: schemas.DownloadStats},
    errors=(Unauthenticated, Forbidden, NotFound),
)
@login_required
def downloads() -> Json:
    """Per month: every resource's (chair, admin), or one resource's (also its authors)."""
    who = principal()
    council = who.has_role(Role.CHAIR, Role.ADMIN)
    uuid = request.args.get("resource")
    if uuid is None:
        if not council:
            raise Forbidden("this needs the role chair, admin", code="role_required")
        return {"items": _monthly(service.monthly_downloads())}
    resource = resource_service.readable(uuid, who).resource
    if not council and (who.user is None or who.user.id not in resource.author_ids):
        raise Forbidden(
            "a resource's downloads are for its authors, the chair and administrators",
            code="not_author",
        )
    rows = service.monthly_downloads(resource.id)
    return {
        "resource": resource.uuid,
        "total": resource.downloads,
        "months": [{"month": r.month, "downloads": r.downloads} for r in rows],
    }
