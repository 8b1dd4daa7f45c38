"""Stub: replaced by the teacher pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from catalogue.models import Role
from catalogue.web.pages import roles

bp = Blueprint("teacher", __name__)


@bp.get("/build")
@roles(Role.TEACHER)
def build() -> str:
    return render_template("errors.html", status=200, message="")


@bp.get("/upload")
@roles(Role.TEACHER)
def upload() -> str:
    return render_template("errors.html", status=200, message="")


@bp.get("/my/resources")
@roles(Role.TEACHER)
def mine() -> str:
    return render_template("errors.html", status=200, message="")
