"""Who is asking: a browser session or a bearer token, and what they may do.

``principal()`` is resolved once per request. API clients send
``Authorization: Bearer TOKEN``; only the token's SHA-256 is stored. A ``sync`` token can
read the published feed and download packages, nothing else; a ``results`` token can do the
same and also report learners' use from Moodle (so one token runs the whole sync); an
``api`` token acts as its user with the user's roles.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import request, session
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from catalogue.db import db
from catalogue.errors import Forbidden, Unauthenticated
from catalogue.models import READ_ONLY_SCOPES, ApiToken, Role, TokenScope, User, utcnow

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Principal:
    """The caller: a user (maybe through a token), or nobody."""

    user: User | None
    token: ApiToken | None = None

    @property
    def authenticated(self) -> bool:
        return self.user is not None

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    @property
    def read_only(self) -> bool:
        """A sync or results token: it may read what sync reads, and holds no role."""
        return self.token is not None and self.token.scope in READ_ONLY_SCOPES

    def has_role(self, *roles: Role) -> bool:
        if self.user is None or self.read_only:
            return False
        return self.user.has_role(*roles)


ANONYMOUS = Principal(None)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def password_matches(user: User, password: str) -> bool:
    return bool(user.password_hash) and check_password_hash(user.password_hash or "", password)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(user: User, scope: TokenScope, name: str = "") -> tuple[ApiToken, str]:
    """A new token row and the token itself (shown once; only its hash is kept)."""
    secret = "sq_" + secrets.token_urlsafe(32)
    row = ApiToken(
        user=user, scope=scope, name=name, token_hash=hash_token(secret), prefix=secret[:10]
    )
    db.session.add(row)
    return row, secret


def principal() -> Principal:
    """The caller of the current request, resolved once per request (kept in the WSGI
    environ, not in ``g``: ``g`` belongs to the app context, which can outlive a request)."""
    environ = request.environ
    if "sandyq.principal" not in environ:
        environ["sandyq.principal"] = _resolve()
    found: Principal = environ["sandyq.principal"]
    return found


def _resolve() -> Principal:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthenticated("use 'Authorization: Bearer <token>'", code="bad_authorization")
        token = db.session.scalar(
            select(ApiToken).where(ApiToken.token_hash == hash_token(value.strip()))
        )
        if token is None or token.revoked_at is not None or not token.user.active:
            raise Unauthenticated("the token is unknown or revoked", code="invalid_token")
        token.last_used_at = utcnow()
        return Principal(token.user, token)
    user_id = session.get("user_id")
    if isinstance(user_id, int):
        user = db.session.get(User, user_id)
        if user is not None and user.active:
            return Principal(user)
    return ANONYMOUS


def login_required(view: Callable[P, R]) -> Callable[P, R]:
    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if not principal().authenticated:
            raise Unauthenticated("sign in or send a bearer token")
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """The caller must hold one of ``roles`` (a sync token holds none)."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            who = principal()
            if not who.authenticated:
                raise Unauthenticated("sign in or send a bearer token")
            if not who.has_role(*roles):
                names = ", ".join(role.value for role in roles)
                raise Forbidden(f"this needs the role {names}", code="role_required")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def token_scope_required(scope: TokenScope) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """The caller must send a bearer token of ``scope``: the endpoint is for a program (the
    Moodle sync), not for a person, whatever their roles."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            who = principal()
            if not who.authenticated:
                raise Unauthenticated(
                    f"send a {scope.value} token: 'Authorization: Bearer <token>'"
                )
            if who.token is None or who.token.scope is not scope:
                raise Forbidden(
                    f"this needs a {scope.value} token (sandyq tokens create --scope "
                    f"{scope.value}); this caller has "
                    + (f"a {who.token.scope.value} token" if who.token else "no token"),
                    code=f"{scope.value}_token_required",
                )
            return view(*args, **kwargs)

        return wrapped

    return decorator


def writable(who: Principal) -> None:
    """Refuse writes through a read-only (sync or results) token."""
    if who.read_only and who.token is not None:
        message = (
            "a results token only reads and reports use"
            if who.token.scope is TokenScope.RESULTS
            else "a sync token is read-only"
        )
        raise Forbidden(message, code="read_only_token")
