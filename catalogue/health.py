"""``GET /healthz``: 200 with JSON when the database answers, 503 otherwise."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from catalogue.db import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, Any], int]:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        return {"status": "unavailable", "database": str(error).splitlines()[0]}, 503
    return {"status": "ok", "database": db.engine.dialect.name}, 200
