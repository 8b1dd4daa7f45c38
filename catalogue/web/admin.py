"""Stub: replaced by the admin pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from catalogue.models import Role
from catalogue.web.pages import roles

bp = Blueprint("admin", __name__)


@bp.get("/admin/users")
@roles(Role.ADMIN)
def users() -> str:
    return render_template("errors.html", status=200, message="")


@bp.get("/admin/tokens")
@roles(Role.ADMIN)
def tokens() -> str:
    return render_template("errors.html", status=200, message="")
