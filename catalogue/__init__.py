"""The national catalogue of digital educational resources (Flask + SQLAlchemy).

``create_app(config)`` builds an app: configuration from defaults, ``SANDYQ_*`` environment
variables and ``config``; then the database, storage and notifier wire themselves in, and
the blueprints listed in ``catalogue.blueprints`` are registered. Nothing happens at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from flask import Flask, Response, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

from catalogue import db as database
from catalogue import i18n, jobs, notify, ratelimit, storage
from catalogue.blueprints import BLUEPRINTS
from catalogue.config import configure
from catalogue.errors import CatalogueError, Conflict, TooManyRequests, Unauthenticated
from catalogue.web.common import labels, pages, security


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    configure(app, config)
    database.init_app(app)
    storage.init_app(app)
    notify.init_app(app)
    jobs.init_app(app)
    i18n.init_app(app)
    ratelimit.init_app(app)
    security.init_app(app)
    app.context_processor(pages.template_context)
    labels.register(app)
    for path in BLUEPRINTS:
        module, _, name = path.partition(":")
        app.register_blueprint(getattr(import_module(module), name))
    _register_error_handlers(app)
    return app


def _register_error_handlers(app: Flask) -> None:
    def page(status: int, message: str) -> tuple[str, int]:
        return render_template("errors.html", status=status, message=message), status

    @app.errorhandler(CatalogueError)
    def catalogue_error(
        error: CatalogueError,
    ) -> tuple[Response | str, int] | tuple[str, int, dict[str, str]] | WerkzeugResponse:
        database.db.session.rollback()
        if not pages.wants_html():
            answer = jsonify(error.to_json())
            if isinstance(error, TooManyRequests):
                answer.headers["Retry-After"] = str(error.retry_after)
            return answer, error.status
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
        if pages.wants_html():
            return page(conflict.status, pages.error_message(conflict))
        return jsonify(conflict.to_json()), conflict.status

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[Response | str, int]:
        if pages.wants_html():
            return page(400, pages.CSRF_MESSAGE)
        body = {"error": {"code": "csrf_failed", "message": error.description}}
        return jsonify(body), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        status = error.code or 500
        if pages.wants_html():
            return page(status, "")
        code = {413: "too_large", 404: "not_found", 405: "method_not_allowed"}.get(
            status, (error.name or "error").lower().replace(" ", "_")
        )
        body = {"error": {"code": code, "message": error.description or error.name}}
        return jsonify(body), status
