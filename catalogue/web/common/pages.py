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
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response

from catalogue.auth import Principal, principal
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

ERROR_MESSAGES = {
    "too_many_requests": lazy_gettext(
        "You have sent many packages in a short time. Wait a while, then send this one again."
    ),
    "wrong_state": lazy_gettext("This cannot be done in the resource's current state."),
    "not_allowed": lazy_gettext("You may not do this."),
    "role_required": lazy_gettext("You do not have the role this needs."),
    "conflict_of_interest": lazy_gettext(
        "A conflict of interest: an author cannot review or decide on their own resource."
    ),
    "unknown_user": lazy_gettext("No user has this e-mail address."),
    "review_submitted": lazy_gettext("This review has already been submitted."),
    "resource_not_found": lazy_gettext("The resource was not found."),
    "not_your_assignment": lazy_gettext("This review is assigned to someone else."),
    "metadata_invalid": lazy_gettext("Some fields are not filled in correctly."),
    "metadata_incomplete": lazy_gettext(
        "Fill in the title, description, subject, grade, language and license first."
    ),
    "copyright_not_attested": lazy_gettext(
        "Confirm that you hold the rights to this material before submitting it."
    ),
    "version_pending": lazy_gettext("A new version is already waiting to be resubmitted."),
    "version_not_found": lazy_gettext("The resource has no such version."),
    "version_frozen": lazy_gettext("This version was submitted for review and cannot change."),
    "unknown_reviewer": lazy_gettext("The chosen person is not a council member."),
    "unknown_decision": lazy_gettext("Choose a decision."),
    "too_few_reviewers": lazy_gettext("At least two council members must review this resource."),
    "reviewer_ids_required": lazy_gettext("Choose at least one council member."),
    "review_incomplete": lazy_gettext("Answer every question of the rubric before submitting."),
    "reason_required": lazy_gettext("Give a reason."),
    "package_invalid": lazy_gettext("The package did not pass validation; see the findings."),
    "bad_file_name": lazy_gettext(
        "A file name is not acceptable: use a plain name without folders, like lesson.docx."
    ),
    "not_a_zip": lazy_gettext("The file is not a ZIP archive."),
    "too_large": lazy_gettext("The file is too large."),
    "not_owner": lazy_gettext("Only the resource's owner may do this."),
    "not_author": lazy_gettext("Only the resource's authors may do this."),
    "not_accepted": lazy_gettext("Accept the assignment first."),
    "not_a_reviewer": lazy_gettext("The chosen person is not a council member."),
    "not_a_coauthor": lazy_gettext("This person is not a co-author."),
    "no_conflict_required": lazy_gettext("Confirm that you have no conflict of interest."),
    "new_version_required": lazy_gettext("Upload a new version before resubmitting."),
    "invalid_review": lazy_gettext("The review is not filled in correctly."),
    "due_in_past": lazy_gettext("The due date must be in the future."),
    "already_assigned": lazy_gettext("This council member is already assigned."),
    "approve_with_failed_gate": lazy_gettext(
        "A review that fails a required criterion cannot recommend approval."
    ),
    "gate_failed": lazy_gettext("A reviewer found that a required criterion is not met."),
    "reviews_missing": lazy_gettext("Not every assigned reviewer has submitted a review yet."),
    "conflict": lazy_gettext("Someone else changed this at the same time; reload the page."),
}


CSRF_MESSAGE = lazy_gettext(
    "The form has expired or was sent from another site. Go back, reload the page and try again."
)


def error_message(error: CatalogueError) -> str:
    """The error in the visitor's language (the English text when the code is new)."""
    known = ERROR_MESSAGES.get(error.code)
    return str(known) if known is not None else error.message


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
