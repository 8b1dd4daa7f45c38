"""The administrator's pages: people and their roles, and API tokens.

Every change goes through ``catalogue.services.accounts`` (shared with the ``sandyq users``
and ``sandyq tokens`` commands), which keeps the rules and writes the log line. A new
token's secret is shown once, on the page that answers the form, and is never stored
(that page is not cached, and there is no redirect that would need to carry it).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString
from werkzeug.wrappers import Response

from catalogue.errors import CatalogueError
from catalogue.i18n import LANGUAGE_NAMES
from catalogue.models import Role, TokenScope, User
from catalogue.services import accounts
from catalogue.web.common.pages import back, error_message, flash_done, me, roles

bp = Blueprint("admin", __name__)

Page = str | tuple[str, int]

SCOPES: dict[str, LazyString] = {
    TokenScope.API: lazy_gettext("API: acts as its user, with the user's roles"),
    TokenScope.SYNC: lazy_gettext("Sync: reads the published resources only (for Moodle)"),
    TokenScope.RESULTS: lazy_gettext(
        "Sync with results: reads the published resources and reports how learners use them, "
        "counts only (for Moodle)"
    ),
}

#: Which form field an error belongs to, to show it next to that field.
FIELDS = {
    "email_invalid": "email",
    "email_taken": "email",
    "unknown_user": "email",
    "password_too_short": "password",
    "unknown_role": "roles",
    "unknown_locale": "locale",
    "name_too_long": "name",
    "cannot_demote_self": "roles",
    "unknown_scope": "scope",
    "token_name_too_long": "name",
    "user_inactive": "email",
}


def message(error: CatalogueError) -> str:
    if error.code == "password_too_short":
        return str(
            gettext(
                "The password must have at least %(count)s characters.",
                count=accounts.MIN_PASSWORD_LENGTH,
            )
        )
    return error_message(error)  # the one table of catalogue.error_texts


def field_errors(error: CatalogueError) -> dict[str, str]:
    return {FIELDS.get(error.code, "form"): message(error)}


def _actor() -> User:
    actor = me().user
    assert actor is not None  # the views are for signed-in administrators
    return actor


def _chosen_roles() -> list[str]:
    return request.form.getlist("roles")


@bp.context_processor
def _helpers() -> dict[str, object]:
    return {
        "scopes": SCOPES,
        "language_names": LANGUAGE_NAMES,
        "all_roles": list(Role),
        "min_password": accounts.MIN_PASSWORD_LENGTH,
    }


# ---- users --------------------------------------------------------------------------


@bp.get("/admin/users")
@roles(Role.ADMIN)
def users() -> str:
    text = request.args.get("q", "").strip()
    found = accounts.find_users(text)
    return render_template(
        "admin/users.html", users=found, q=text, limited=len(found) >= accounts.USERS_SHOWN
    )


@bp.get("/admin/users/new")
@roles(Role.ADMIN)
def new_user() -> str:
    return render_template("admin/new_user.html", form={"locale": "kk"}, chosen=[], errors={})


@bp.post("/admin/users/new")
@roles(Role.ADMIN)
def create_user() -> Page | Response:
    form = {name: request.form.get(name, "") for name in ("email", "name", "locale")}
    chosen = _chosen_roles()
    try:
        created = accounts.create_user(
            _actor(),
            form["email"],
            name=form["name"],
            locale=form["locale"] or "kk",
            roles=accounts.parse_roles(chosen),
            password=request.form.get("password", ""),
        )
    except CatalogueError as error:
        page = render_template(
            "admin/new_user.html", form=form, chosen=chosen, errors=field_errors(error)
        )
        return page, 422
    flash_done(gettext("The account of %(email)s was created.", email=created.email))
    return redirect(url_for("admin.user", user_id=created.id))


def _user_page(target: User, errors: Mapping[str, str] | None = None, status: int = 200) -> Page:
    page = render_template(
        "admin/user.html",
        target=target,
        tokens=accounts.tokens(target.id),
        errors=dict(errors or {}),
        is_self=target.id == _actor().id,
    )
    return (page, status) if status != 200 else page


@bp.get("/admin/users/<int:user_id>")
@roles(Role.ADMIN)
def user(user_id: int) -> Page:
    return _user_page(accounts.get_user(user_id))


@bp.post("/admin/users/<int:user_id>/roles")
@roles(Role.ADMIN)
def set_roles(user_id: int) -> Page | Response:
    target = accounts.get_user(user_id)
    try:
        accounts.set_roles(_actor(), target, accounts.parse_roles(_chosen_roles()))
    except CatalogueError as error:
        return _user_page(target, field_errors(error), 422)
    flash_done(gettext("The roles of %(email)s were saved.", email=target.email))
    return redirect(url_for("admin.user", user_id=target.id))


@bp.post("/admin/users/<int:user_id>/deactivate")
@roles(Role.ADMIN)
def deactivate(user_id: int) -> Page | Response:
    target = accounts.get_user(user_id)
    try:
        accounts.set_active(_actor(), target, False)
    except CatalogueError as error:
        return _user_page(target, {"active": message(error)}, 422)
    flash_done(gettext("The account of %(email)s was deactivated.", email=target.email))
    return redirect(url_for("admin.user", user_id=target.id))


@bp.post("/admin/users/<int:user_id>/reactivate")
@roles(Role.ADMIN)
def reactivate(user_id: int) -> Response:
    target = accounts.set_active(_actor(), accounts.get_user(user_id), True)
    flash_done(gettext("The account of %(email)s was reactivated.", email=target.email))
    return redirect(url_for("admin.user", user_id=target.id))


@bp.post("/admin/users/<int:user_id>/password")
@roles(Role.ADMIN)
def set_password(user_id: int) -> Page | Response:
    target = accounts.get_user(user_id)
    try:
        accounts.set_password(_actor(), target, request.form.get("password", ""))
    except CatalogueError as error:
        return _user_page(target, field_errors(error), 422)
    flash_done(gettext("A new password was set for %(email)s.", email=target.email))
    return redirect(url_for("admin.user", user_id=target.id))


# ---- tokens -------------------------------------------------------------------------


def _tokens_page(form: Mapping[str, str], errors: Mapping[str, str], status: int = 200) -> Page:
    page = render_template(
        "admin/tokens.html", tokens=accounts.tokens(), form=dict(form), errors=dict(errors)
    )
    return (page, status) if status != 200 else page


@bp.get("/admin/tokens")
@roles(Role.ADMIN)
def tokens() -> Page:
    owner = request.args.get("user", type=int)
    found = accounts.get_user(owner) if owner is not None else None
    form = {"email": found.email if found is not None else "", "scope": "", "name": ""}
    return _tokens_page(form, {})


@bp.post("/admin/tokens")
@roles(Role.ADMIN)
def create_token() -> Page | Response:
    form = {name: request.form.get(name, "") for name in ("email", "scope", "name")}
    try:
        owner = accounts.user_by_email(form["email"])
        if owner is None:
            raise CatalogueError("no user has this e-mail address", code="unknown_user")
        row, secret = accounts.create_token(_actor(), owner, form["scope"], form["name"])
    except CatalogueError as error:
        return _tokens_page(form, field_errors(error), 422)
    response = make_response(render_template("admin/token_created.html", token=row, secret=secret))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/admin/tokens/<int:token_id>/revoke")
@roles(Role.ADMIN)
def revoke_token(token_id: int) -> Response:
    token = accounts.revoke_token(_actor(), token_id)
    flash_done(
        gettext(
            "The token %(prefix)s… of %(email)s was revoked.",
            prefix=token.prefix,
            email=token.user.email,
        )
    )
    return back("admin.tokens")
