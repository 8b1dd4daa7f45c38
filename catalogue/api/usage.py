"""``PUT /api/v1/usage``: a Moodle site reports how its learners use the catalogue's
resources (counts and aggregates only, never a learner); ``POST /api/v1/usage/offline``: an
offline library's results file is counted the same way.

Only a results token may report for a Moodle site: the report is written by the sync, a
program, and a person's session or API token has no business in it. The body is checked by
``catalogue.services.usage_report`` and stored by ``catalogue.services.usage``; it is
idempotent per site and day (PUT): sending the same day again replaces that day.

A results file is brought by a teacher (their session, or their API token), an
administrator, or the same results token (a script that collects the schools' files);
it is checked by ``catalogue.services.offline_results`` and taken once (its checksum).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, request

from catalogue.api import schemas
from catalogue.api.openapi import TOKEN, documented
from catalogue.auth import principal, token_scope_required
from catalogue.domain import timestamp
from catalogue.errors import (
    CatalogueError,
    Conflict,
    Forbidden,
    Invalid,
    TooLarge,
    Unauthenticated,
)
from catalogue.models import Role, TokenScope
from catalogue.services import usage as service
from catalogue.services.offline_results import parse_results
from catalogue.services.usage_report import parse_report

bp = Blueprint("api_usage", __name__, url_prefix="/api/v1")

Json = dict[str, Any]

#: 10,000 activities with long course names fit well within this; the app's limit is for
#: package uploads and far too large for a JSON body that is parsed in memory.
MAX_BODY_BYTES = 16 * 1024 * 1024
#: A results file of 100,000 entries (the most it may have) takes about 20 MB; names more.
MAX_OFFLINE_BYTES = 32 * 1024 * 1024
#: Who may bring a results file besides a results token: the people who run a library.
OFFLINE_ROLES = (Role.TEACHER, Role.ADMIN)


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


@bp.post("/usage/offline")
@documented(
    "Count an offline library's results file into the resources' use",
    description="The body is the file the library exported (sandyq-offline-results/1), as "
    "it is. A results token, or a teacher or administrator (session or API token); anyone "
    "else gets 403. Checked whole: a problem answers 422 offline_results_invalid naming "
    "each entry (details.fields, e.g. results[3].score: more than 100); a file changed "
    "after its export 422 offline_results_altered; entries of resources the catalogue "
    "never published 422 offline_results_unknown_resources (details.resources); the same "
    "file again 409 offline_results_already_taken (details.taken_at), and an older export "
    "of a day already counted 409 offline_results_outdated. A refused file changes nothing.",
    operation_id="takeOfflineResults",
    body=schemas.OfflineResultsFile,
    responses={201: schemas.OfflineResultsTaken},
    errors=(CatalogueError, Unauthenticated, Forbidden, Conflict, TooLarge, Invalid),
)
def offline() -> tuple[Json, int]:
    _may_bring_results()
    request.max_content_length = MAX_OFFLINE_BYTES
    results = parse_results(_json_body(), datetime.now(UTC))
    who = principal()
    taken = service.take_offline(results, who.user_id)
    return taken_json(taken), 201


def taken_json(taken: service.TakenOffline) -> Json:
    """What a results file was counted as (the API's answer; the page says it in words)."""
    return {
        "library": taken.library,
        "school": taken.school,
        "exported_at": timestamp(taken.exported_at),
        "period": taken.period.isoformat(),
        "taken_at": timestamp(taken.taken_at),
        "entries": taken.entries,
        "learners": taken.learners,
        "resources": taken.resources,
    }


def _may_bring_results() -> None:
    who = principal()
    if not who.authenticated:
        raise Unauthenticated("sign in, or send a results token: 'Authorization: Bearer <token>'")
    if who.token is not None and who.token.scope is TokenScope.RESULTS:
        return
    if who.token is not None and who.read_only:
        raise Forbidden(
            f"a {who.token.scope.value} token may not bring results files; a results token may",
            code="results_token_required",
        )
    if not who.has_role(*OFFLINE_ROLES):
        raise Forbidden("this needs the role teacher or admin", code="role_required")


def _json_body() -> object:
    """The decoded body; a body too deeply nested for the decoder is as bad as broken JSON."""
    if not request.is_json:
        raise CatalogueError("send JSON (Content-Type: application/json)", code="bad_json")
    try:
        return json.loads(request.get_data(cache=False))
    except (ValueError, RecursionError):
        raise CatalogueError("the body is not valid JSON", code="bad_json") from None
