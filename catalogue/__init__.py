"""The national catalogue of digital educational resources (Flask + SQLAlchemy).

``create_app(config)`` builds an app: configuration from defaults, ``SANDYQ_*`` environment
variables and ``config``; then the database, storage and notifier wire themselves in, and
the blueprints listed in ``catalogue.blueprints`` are registered. Nothing happens at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from flask import Flask, Response, jsonify
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from catalogue import db as database
from catalogue import notify, storage
from catalogue.blueprints import BLUEPRINTS
from catalogue.config import configure
from catalogue.errors import CatalogueError, Conflict


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    configure(app, config)
    database.init_app(app)
    storage.init_app(app)
    notify.init_app(app)
    for path in BLUEPRINTS:
        module, _, name = path.partition(":")
        app.register_blueprint(getattr(import_module(module), name))
    _register_error_handlers(app)
    return app


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CatalogueError)
    def catalogue_error(error: CatalogueError) -> tuple[Response, int]:
        database.db.session.rollback()
        return jsonify(error.to_json()), error.status

    @app.errorhandler(StaleDataError)
    def stale(error: StaleDataError) -> tuple[Response, int]:
        database.db.session.rollback()
        conflict = Conflict("someone else changed this resource at the same time; reload and retry")
        return jsonify(conflict.to_json()), conflict.status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        status = error.code or 500
        code = {413: "too_large", 404: "not_found", 405: "method_not_allowed"}.get(
            status, (error.name or "error").lower().replace(" ", "_")
        )
        body = {"error": {"code": code, "message": error.description or error.name}}
        return jsonify(body), status
