"""Typed errors of the catalogue, each with a stable ``code`` and an HTTP status.

Services raise them; the JSON error handler (registered by ``create_app``) answers
``{"error": {"code": ..., "message": ..., "details": ...}}`` with the status. ``message``
there is the code's text in the caller's language (``catalogue.error_texts``); the English
``message`` given here is the developer's, for the log and the CLI.
"""

from __future__ import annotations

from typing import Any


class CatalogueError(Exception):
    """The request is malformed: not JSON, or a part missing (400)."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return {"error": body}


class Unauthenticated(CatalogueError):
    """No credentials, or bad ones (401)."""

    status = 401
    code = "unauthenticated"


class Forbidden(CatalogueError):
    """The caller may not do this: a role, a token's scope or an author is needed (403)."""

    status = 403
    code = "forbidden"


class NotFound(CatalogueError):
    """No such thing, or not visible to the caller (404)."""

    status = 404
    code = "not_found"


class Conflict(CatalogueError):
    """The resource changed meanwhile, or the transition is not allowed from its state."""

    status = 409
    code = "conflict"


class TooLarge(CatalogueError):
    """The upload or body is too large (413)."""

    status = 413
    code = "too_large"


class TooManyRequests(CatalogueError):
    """Too many of these in too short a time (429); ``Retry-After`` says when to try again."""

    status = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int, details: Any = None) -> None:
        super().__init__(message, details=details)
        self.retry_after = retry_after


class Invalid(CatalogueError):
    """The request is well formed but its content is not acceptable (422)."""

    status = 422
    code = "invalid"
