"""Stub: replaced by the council pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from catalogue.models import Role
from catalogue.web.pages import roles

bp = Blueprint("council", __name__)


@bp.get("/council/reviews")
@roles(Role.REVIEWER)
def assignments() -> str:
    return render_template("errors.html", status=200, message="")
