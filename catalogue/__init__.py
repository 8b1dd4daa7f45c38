"""The national catalogue of digital educational resources (Flask + SQLAlchemy).

``create_app(config)`` builds an app: configuration from defaults, ``SANDYQ_*`` environment
variables and ``config``; then the database, storage and notifier wire themselves in, and
the blueprints listed in ``catalogue.blueprints`` are registered. Nothing happens at import.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from importlib import import_module
from typing import Any

from flask import Flask, Response, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

from catalogue import db as database
from catalogue import i18n, jobs, notify, public_cache, ratelimit, storage
from catalogue.blueprints import BLUEPRINTS
from catalogue.config import configure
from catalogue.error_texts import error_text
from catalogue.errors import CatalogueError, Conflict, TooManyRequests, Unauthenticated
from catalogue.web.common import labels, pages, security

log = logging.getLogger(__name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    configure(app, config)
    database.init_app(app)
    storage.init_app(app)
    notify.init_app(app)
    jobs.init_app(app)
    i18n.init_app(app)
    ratelimit.init_app(app)
    public_cache.init_app(app)
    security.init_app(app)
    app.context_processor(pages.template_context)
    labels.register(app)
    for path in BLUEPRINTS:
        module, _, name = path.partition(":")
        app.register_blueprint(getattr(import_module(module), name))
    _register_error_handlers(app)
    return app


#: Werkzeug's errors the catalogue names with its own codes; the others are named after the
#: error itself ("Unsupported Media Type": ``unsupported_media_type``).
HTTP_CODES = {413: "too_large", 404: "not_found", 405: "method_not_allowed"}
#: The code of a form or request refused by the CSRF check.
CSRF_CODE = "csrf_failed"


def http_error_code(error: HTTPException) -> str:
    """The stable code of a werkzeug error, as the JSON answer gives it."""
    status = error.code or 500
    return HTTP_CODES.get(status, (error.name or "error").lower().replace(" ", "_"))


def _json_error(code: str, status: int, details: Any = None) -> tuple[Response, int]:
    """``{"error": {"code", "message", "details"}}`` with ``message`` in the caller's
    language (the pages' locale: the locale cookie, else Accept-Language, else Kazakh),
    which ``Content-Language`` names."""
    body: dict[str, Any] = {"code": code, "message": error_text(code)}
    if details is not None:
        body["details"] = details
    answer = jsonify({"error": body})
    answer.headers["Content-Language"] = str(get_locale() or i18n.DEFAULT_LOCALE)
    return answer, status


def _register_error_handlers(app: Flask) -> None:
    def page(status: int, message: str) -> tuple[str, int]:
        return render_template("errors.html", status=status, message=message), status

    @app.errorhandler(CatalogueError)
    def catalogue_error(
        error: CatalogueError,
    ) -> tuple[Response | str, int] | tuple[str, int, dict[str, str]] | WerkzeugResponse:
        database.db.session.rollback()
        # The English developer text is for the log (and the CLI), not for the caller.
        log.info(
            "%s %s refused (%s %s): %s",
            request.method,
            request.path,
            error.status,
            error.code,
            error.message,
        )
        if not pages.wants_html():
            answer, status = _json_error(error.code, error.status, error.details)
            if isinstance(error, TooManyRequests):
                answer.headers["Retry-After"] = str(error.retry_after)
            return answer, status
        if isinstance(error, Unauthenticated):
            return redirect(url_for("account.login", next=request.full_path.rstrip("?")))
        body, status = page(error.status, pages.error_message(error))
        if isinstance(error, TooManyRequests):
            return body, status, {"Retry-After": str(error.retry_after)}
        return body, status

    @app.errorhandler(StaleDataError)
    def stale(error: StaleDataError) -> tuple[Response | str, int]:
        database.db.session.rollback()
        conflict = Conflict("someone else changed this resource at the same time; reload and retry")
        log.info("%s %s: %s (%s)", request.method, request.path, conflict.message, error)
        if pages.wants_html():
            return page(conflict.status, pages.error_message(conflict))
        return _json_error(conflict.code, conflict.status)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[Response | str, int]:
        log.info("%s %s refused (CSRF): %s", request.method, request.path, error.description)
        if pages.wants_html():
            return page(400, error_text(CSRF_CODE))
        return _json_error(CSRF_CODE, 400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        status = error.code or 500
        if pages.wants_html():
            return page(status, "")
        code = http_error_code(error)
        level = logging.WARNING if status >= 500 else logging.INFO
        log.log(level, "%s %s: %s %s", request.method, request.path, status, error.description)
        return _json_error(code, status)
