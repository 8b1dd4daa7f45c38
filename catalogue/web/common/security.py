"""What keeps a browser session safe: CSRF tokens, cookie flags, response headers and
sign-in throttling.

Every state-changing request that rides on the session cookie must carry a CSRF token
(the ``csrf_token`` form field, or the ``X-CSRFToken`` header for scripts); requests with
``Authorization: Bearer`` carry no ambient credential and are exempt, as is OAI-PMH (it
reads nothing from the session). Tokens live as long as the session, so a reviewer who
spends two hours on a review does not lose it on submit.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request, session
from flask_wtf.csrf import CSRFProtect

from catalogue.ratelimit import quota

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_EXEMPT_PREFIXES = ("/oai",)

#: The catalogue's own pages load nothing from elsewhere and run no inline script.
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; "
    "script-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf.init_app(app)
    app.before_request(_check_csrf)
    app.after_request(_secure_headers)


def _check_csrf() -> None:
    if request.method not in UNSAFE_METHODS or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if request.headers.get("Authorization") or request.path.startswith(CSRF_EXEMPT_PREFIXES):
        return
    if request.path.startswith("/api/") and "user_id" not in session:
        return  # no credential rides along: the API answers 401 itself
    csrf.protect()


def _secure_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html" and "Content-Security-Policy" not in headers:
        # a response with its own policy (a package preview) decides its framing itself
        headers["Content-Security-Policy"] = PAGE_POLICY
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    return response


class LoginThrottle:
    """Failed sign-ins counted per address and per account (the ``login`` quota of
    ``catalogue.ratelimit``: ``LOGIN_LIMITS`` in ``RATELIMIT_STORAGE_URI``)."""

    @staticmethod
    def _keys(address: str, account: str) -> tuple[tuple[str, str], ...]:
        return (("address", address), ("account", account.strip().lower()))

    def allowed(self, address: str, account: str) -> bool:
        return quota("login").allowed(self._keys(address, account))

    def failed(self, address: str, account: str) -> None:
        quota("login").hit(self._keys(address, account))


def login_throttle() -> LoginThrottle:
    return LoginThrottle()
