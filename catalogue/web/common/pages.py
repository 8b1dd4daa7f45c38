"""What every page area shares: who may open a page, and service errors in the visitor's
language.

Each view is marked with who may open it (``public``, ``signed_in`` or ``roles(...)``);
the mark is kept on the view as ``sandyq_access`` so a test can walk every page and check
that anonymous visitors are sent to sign in and signed-in visitors without the role get 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit

from flask import abort, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from catalogue.auth import Principal, principal
from catalogue.error_texts import error_text
from catalogue.errors import CatalogueError
from catalogue.models import Role

P = ParamSpec("P")
R = TypeVar("R")

PUBLIC = "public"
SIGNED_IN = "signed_in"


def public(view: Callable[P, R]) -> Callable[P, R]:
    view.sandyq_access = PUBLIC  # type: ignore[attr-defined]
    return view


def signed_in(view: Callable[P, R]) -> Callable[P, R | Response]:
    return _guard(view, ())


def roles(*needed: Role) -> Callable[[Callable[P, R]], Callable[P, R | Response]]:
    """The visitor must hold one of ``needed``; anonymous visitors are sent to sign in."""

    def decorator(view: Callable[P, R]) -> Callable[P, R | Response]:
        return _guard(view, needed)

    return decorator


def _guard(view: Callable[P, R], needed: tuple[Role, ...]) -> Callable[P, R | Response]:
    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        who = principal()
        if not who.authenticated or who.token is not None:
            return redirect(url_for("account.login", next=request.full_path.rstrip("?")))
        if needed and not who.has_role(*needed):
            abort(403)
        return view(*args, **kwargs)

    wrapped.sandyq_access = tuple(role.value for role in needed) or SIGNED_IN  # type: ignore[attr-defined]
    return wrapped


def me() -> Principal:
    """The signed-in visitor (views guarded by ``signed_in``/``roles`` only)."""
    return principal()


def safe_next(target: str | None, default: str = "/") -> str:
    """A same-site path to go back to after sign-in, never another host."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


# ---- service errors, in the visitor's language ------------------------------------------


def error_message(error: CatalogueError) -> str:
    """The error in the visitor's language, from the table the API shares
    (``catalogue.error_texts``); never the English developer text."""
    return error_text(error.code)


def flash_error(error: CatalogueError) -> None:
    flash(error_message(error), "error")


def flash_done(message: str) -> None:
    flash(message, "success")


def back(default_endpoint: str, **values: Any) -> Response:
    """Redirect to the page that posted the form (or ``default_endpoint``)."""
    return redirect(safe_next(request.form.get("next"), url_for(default_endpoint, **values)))


# ---- what every template sees ---------------------------------------------------------


def template_context() -> dict[str, object]:
    from flask_babel import get_locale

    from catalogue.i18n import LANGUAGE_NAMES

    who = principal()
    return {
        "who": who,
        "Role": Role,
        "languages": LANGUAGE_NAMES,
        "current_locale": str(get_locale() or "kk"),
    }


def wants_html() -> bool:
    """Pages answer errors with a page; the API, OAI-PMH and health check with their formats."""
    return not request.path.startswith(("/api/", "/oai", "/healthz"))
