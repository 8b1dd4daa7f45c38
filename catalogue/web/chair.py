"""Stub: replaced by the chair pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from catalogue.models import Role
from catalogue.web.pages import roles

bp = Blueprint("chair", __name__)


@bp.get("/chair")
@roles(Role.CHAIR)
def desk() -> str:
    return render_template("errors.html", status=200, message="")
