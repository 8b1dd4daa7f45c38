"""The teacher brings an offline library's results file: a small upload form on their area,
linked from "My resources".

The file is what the library's teacher page exported (``sandyq-results-<id>-<date>.json``).
It is checked and counted exactly as ``POST /api/v1/usage/offline`` does
(``catalogue.services.offline_results``, then ``usage.take_offline``): whole or not at all,
and once. The page then says how many pupils and resources it counted; a refusal comes
back at the file's field (and in the summary above the form) in the teacher's language,
with the entries it names.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime

from flask import redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime, gettext, ngettext
from werkzeug.wrappers import Response

from catalogue.db import db
from catalogue.error_texts import error_text
from catalogue.errors import CatalogueError
from catalogue.models import Role
from catalogue.services import usage
from catalogue.services.offline_results import parse_results
from catalogue.web.common.pages import flash_done, me, roles
from catalogue.web.teacher.base import bp

Page = str | Response | tuple[str, int]

#: A class's results file is some kilobytes; a whole school's, well under this.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: How many of a refusal's problems the page lists under the field.
PROBLEMS_SHOWN = 10


def _page(error: str = "", problems: Sequence[str] = (), status: int = 200) -> Page:
    page = render_template(
        "teacher/offline_results.html",
        error=error,
        problems=problems[:PROBLEMS_SHOWN],
        more=max(0, len(problems) - PROBLEMS_SHOWN),
        limit_mb=MAX_FILE_BYTES // 1024**2,
    )
    return (page, status) if status != 200 else page


@bp.route("/my/offline-results", methods=["GET", "POST"])
@roles(Role.TEACHER)
def offline_results() -> Page:
    if request.method == "GET":
        return _page()
    part = request.files.get("results")
    if part is None or not part.filename:
        return _page(gettext("Choose the results file the library exported (.json)."), status=422)
    if not part.filename.lower().endswith(".json"):
        message = gettext(
            "Choose a .json file: the results file the library exported, like "
            "sandyq-results-….json."
        )
        return _page(message, status=422)
    part.stream.seek(0, os.SEEK_END)
    if part.stream.tell() > MAX_FILE_BYTES:
        message = gettext(
            "The file is larger than %(size)s MB, which no library's results file is. Choose "
            "the file the library exported.",
            size=MAX_FILE_BYTES // 1024**2,
        )
        return _page(message, status=422)
    part.stream.seek(0)
    try:
        body = json.loads(part.stream.read())
    except (ValueError, RecursionError):
        message = gettext("This is not a library's results file: it is not JSON.")
        return _page(message, status=422)
    try:
        results = parse_results(body, datetime.now(UTC))
        taken = usage.take_offline(results, me().user_id)
    except CatalogueError as error:
        db.session.rollback()
        return _page(_refusal(error), _problems(error), error.status)
    pupils = ngettext("%(num)s pupil", "%(num)s pupils", taken.learners)
    counted = ngettext("%(num)s resource", "%(num)s resources", taken.resources)
    flash_done(
        gettext(
            "The results are counted: %(pupils)s, %(resources)s, as of %(date)s. Their "
            "authors see them in each resource's use.",
            pupils=pupils,
            resources=counted,
            date=format_date(taken.period, "long"),
        )
    )
    return redirect(url_for("teacher.offline_results"))


def _refusal(error: CatalogueError) -> str:
    """Why the file was refused, in the teacher's words."""
    details = error.details if isinstance(error.details, dict) else {}
    if error.code == "offline_results_already_taken" and "taken_at" in details:
        when = datetime.fromisoformat(str(details["taken_at"]))
        return str(
            gettext(
                "This results file was counted already, on %(date)s. Each file is counted once.",
                date=format_datetime(when, "medium"),
            )
        )
    return error_text(error.code)


def _problems(error: CatalogueError) -> list[str]:
    """What the refusal names: each problem as the service says it (``results[3].score:
    more than 100``), or the resources the catalogue does not know; for the teacher to
    check in the library, or to pass on to whoever looks after it."""
    details = error.details if isinstance(error.details, dict) else {}
    fields, unknown = details.get("fields"), details.get("resources")
    if error.code == "offline_results_unknown_resources" and isinstance(unknown, list):
        return [str(uuid) for uuid in unknown]  # the resources, not each of their entries
    if error.code == "offline_results_invalid" and isinstance(fields, dict):
        return [f"{where}: {problem}" for where, problem in fields.items()]
    return []
