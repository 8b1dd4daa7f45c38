"""``PUT /api/v1/usage``: a Moodle site reports how its learners use the catalogue's
resources (counts and aggregates only, never a learner).

Only a results token may call it: the report is written by the sync, a program, and a
person's session or API token has no business in it. The body is checked by
``catalogue.services.usage_report`` and stored by ``catalogue.services.usage``; it is
idempotent per site and day (PUT): sending the same day again replaces that day.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, request

from catalogue.api import schemas
from catalogue.api.openapi import TOKEN, documented
from catalogue.auth import token_scope_required
from catalogue.errors import (
    CatalogueError,
    Conflict,
    Forbidden,
    Invalid,
    TooLarge,
    Unauthenticated,
)
from catalogue.models import TokenScope
from catalogue.services import usage as service
from catalogue.services.usage_report import parse_report

bp = Blueprint("api_usage", __name__, url_prefix="/api/v1")

Json = dict[str, Any]

#: 10,000 activities with long course names fit well within this; the app's limit is for
#: package uploads and far too large for a JSON body that is parsed in memory.
MAX_BODY_BYTES = 16 * 1024 * 1024


@bp.put("/usage")
@documented(
    "Report learners' use of resources from a Moodle site (results token)",
    description="Only a results token (sandyq tokens create --scope results); any other "
    "caller gets 403 results_token_required. Replaces all of the site's entries for the "
    "period in one transaction, so sending again is harmless. A problem answers 422 "
    "usage_invalid naming each entry (details.fields, e.g. activities[3].completed: more "
    "than learners).",
    operation_id="reportUsage",
    security=TOKEN,
    body=schemas.UsageReport,
    responses={200: schemas.UsageStored},
    errors=(CatalogueError, Unauthenticated, Forbidden, Conflict, TooLarge, Invalid),
)
@token_scope_required(TokenScope.RESULTS)
def report() -> Json:
    request.max_content_length = MAX_BODY_BYTES
    today = datetime.now(UTC).date()
    stored = service.store(parse_report(_json_body(), today))
    return {
        "site": {"url": stored.site.url, "name": stored.site.name},
        "period": stored.period.isoformat(),
        "stored": stored.stored,
        "unknown_resources": list(stored.unknown_resources),
    }


def _json_body() -> object:
    """The decoded body; a body too deeply nested for the decoder is as bad as broken JSON."""
    if not request.is_json:
        raise CatalogueError("send JSON (Content-Type: application/json)", code="bad_json")
    try:
        return json.loads(request.get_data(cache=False))
    except (ValueError, RecursionError):
        raise CatalogueError("the body is not valid JSON", code="bad_json") from None
