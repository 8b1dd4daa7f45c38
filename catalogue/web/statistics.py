"""Stub: replaced by the statistics page."""

from __future__ import annotations

from flask import Blueprint, render_template

from catalogue.models import Role
from catalogue.web.pages import roles

bp = Blueprint("statistics", __name__)


@bp.get("/statistics")
@roles(Role.CHAIR, Role.ADMIN)
def overview() -> str:
    return render_template("errors.html", status=200, message="")
