"""Stub: replaced by the public pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from catalogue.web.pages import public

bp = Blueprint("public", __name__)


@bp.get("/")
@public
def home() -> str:
    return render_template("errors.html", status=200, message="")


@bp.get("/search")
@public
def search() -> str:
    return render_template("errors.html", status=200, message="")
