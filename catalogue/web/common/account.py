"""Signing in and out, and choosing the interface language."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from catalogue.auth import password_matches, principal
from catalogue.db import db
from catalogue.i18n import LOCALE_COOKIE, LOCALES
from catalogue.models import Role, User
from catalogue.services import accounts
from catalogue.web.common.pages import flash_done, public, safe_next, signed_in
from catalogue.web.common.security import login_throttle

bp = Blueprint("account", __name__)

LOCALE_COOKIE_AGE = 365 * 24 * 3600


#: Where each role starts when sign-in was not asked for by a page: the first the user holds.
LANDINGS = (
    (Role.CHAIR, "chair.desk"),
    (Role.REVIEWER, "council.assignments"),
    (Role.TEACHER, "teacher.mine"),
    (Role.ADMIN, "admin.users"),
)


def landing(user: User) -> str:
    """The page a user's work starts on: the chair's desk, a reviewer's reviews, a teacher's
    own resources, the administrator's users; the home page for anyone else."""
    held = set(user.roles)
    return next((url_for(view) for role, view in LANDINGS if role in held), url_for("public.home"))


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> str | Response | tuple[str, int]:
    target = safe_next(request.values.get("next"), default="")
    if request.method == "GET":
        who = principal()
        if who.authenticated and who.user is not None:
            return redirect(target or landing(who.user))
        return render_template("account/login.html", next=target, email="")
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    address = request.remote_addr or "unknown"
    throttle = login_throttle()
    if not throttle.allowed(address, email):
        message = gettext("Too many failed attempts. Wait a few minutes and try again.")
        return render_template("account/login.html", next=target, email=email, error=message), 429
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None or not user.active or not password_matches(user, password):
        throttle.failed(address, email)
        message = gettext("The e-mail address or the password is wrong.")
        return render_template("account/login.html", next=target, email=email, error=message), 401
    session.clear()  # a fresh session (and CSRF token) for the signed-in visitor
    session["user_id"] = user.id
    session.permanent = True
    response = redirect(target or landing(user))
    if LOCALE_COOKIE not in request.cookies and user.locale in LOCALES:
        _remember_locale(response, user.locale)
    return response


@bp.post("/logout")
@signed_in
def logout() -> Response:
    session.clear()
    flash_done(gettext("You have signed out."))
    return redirect(url_for("public.home"))


@bp.get("/language/<code>")
@public
def language(code: str) -> Response:
    """Remember the visitor's language (and the user's, for the letters they get)."""
    response = redirect(safe_next(request.args.get("next")))
    if code in LOCALES:
        _remember_locale(response, code)
        user = principal().user
        if user is not None and principal().token is None:
            user.locale = code
            db.session.commit()
    return response


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account() -> str | Response | tuple[str, int]:
    """One's own account: who one is, and a new password (the current one first)."""
    user = principal().user
    assert user is not None
    if request.method == "GET":
        return render_template("account/account.html", user=user, errors={})
    errors: dict[str, str] = {}
    current = request.form.get("current_password", "")
    new = request.form.get("new_password", "")
    address = request.remote_addr or "unknown"
    throttle = login_throttle()
    if not throttle.allowed(address, user.email):
        errors["current_password"] = gettext(
            "Too many failed attempts. Wait a few minutes and try again."
        )
    elif not password_matches(user, current):
        throttle.failed(address, user.email)
        errors["current_password"] = gettext("This is not your current password.")
    elif len(new) < accounts.MIN_PASSWORD_LENGTH:
        errors["new_password"] = gettext(
            "The password must have at least %(num)d characters.", num=accounts.MIN_PASSWORD_LENGTH
        )
    elif new != request.form.get("repeat_password", ""):
        errors["repeat_password"] = gettext("The two new passwords differ.")
    if errors:
        return render_template("account/account.html", user=user, errors=errors), 422
    accounts.set_password(user, user, new)
    flash_done(gettext("Your password is changed."))
    return redirect(url_for("account.account"))


def _remember_locale(response: Response, code: str) -> None:
    response.set_cookie(
        LOCALE_COOKIE,
        code,
        max_age=LOCALE_COOKIE_AGE,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
