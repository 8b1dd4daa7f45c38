"""People and their API tokens: adding users, changing their roles, switching them off,
resetting passwords, issuing and revoking tokens.

The administrator's pages and the ``sandyq users``/``sandyq tokens`` commands both call
these, so a rule (the password length, an admin cannot lock themselves out) holds however
the change is made. Every change is written to the ``catalogue.accounts`` log with who made
it (``actor``; ``None`` is the command line), never with a password or a token.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import func, or_, select

from catalogue.auth import hash_password, new_token
from catalogue.db import db
from catalogue.errors import Conflict, Forbidden, Invalid, NotFound
from catalogue.i18n import LOCALES
from catalogue.models import ApiToken, Role, TokenScope, User, UserRole, utcnow

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10
MAX_EMAIL_LENGTH = 254
MAX_NAME_LENGTH = 200
MAX_TOKEN_NAME_LENGTH = 200
#: A page of the users list; narrow it with a search rather than paging through everyone.
USERS_SHOWN = 200


def _who(actor: User | None) -> str:
    return actor.email if actor is not None else "command line"


def _role_names(roles: Iterable[Role]) -> str:
    return ", ".join(sorted(role.value for role in roles)) or "none"


# ---- checking what was typed --------------------------------------------------------


def normal_email(email: str) -> str:
    """The address as stored (trimmed, lower case), or ``Invalid`` if it cannot be one."""
    cleaned = email.strip().lower()
    local, at, domain = cleaned.partition("@")
    if (
        not at
        or not local
        or "." not in domain
        or "@" in domain
        or any(ch.isspace() for ch in cleaned)
        or len(cleaned) > MAX_EMAIL_LENGTH
    ):
        raise Invalid(f"{email!r} is not an e-mail address", code="email_invalid")
    return cleaned


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            f"the password must have at least {MIN_PASSWORD_LENGTH} characters",
            code="password_too_short",
            details={"minimum": MIN_PASSWORD_LENGTH},
        )
    return password


def parse_roles(values: Iterable[str]) -> frozenset[Role]:
    names = {role.value for role in Role}
    unknown = sorted(set(values) - names)
    if unknown:
        raise Invalid(f"unknown role {', '.join(unknown)}", code="unknown_role")
    return frozenset(Role(value) for value in values)


def _check_name(name: str) -> str:
    cleaned = name.strip()
    if len(cleaned) > MAX_NAME_LENGTH:
        raise Invalid(f"the name is longer than {MAX_NAME_LENGTH} characters", code="name_too_long")
    return cleaned


def _check_locale(locale: str) -> str:
    if locale not in LOCALES:
        raise Invalid(f"the language must be one of {', '.join(LOCALES)}", code="unknown_locale")
    return locale


# ---- reading ------------------------------------------------------------------------


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def get_user(user_id: int) -> User:
    found = db.session.get(User, user_id)
    if found is None:
        raise NotFound(f"there is no user {user_id}", code="user_not_found")
    return found


def find_users(text: str = "") -> list[User]:
    """Users whose e-mail or name contains ``text`` (every user without it), by e-mail."""
    statement = select(User).order_by(User.email).limit(USERS_SHOWN)
    typed = text.strip()
    if typed:
        statement = statement.where(
            or_(
                func.lower(User.email).like(_contains(typed.lower()), escape="\\"),
                func.lower(User.name).like(_contains(typed.lower()), escape="\\"),
                # SQLite's lower() leaves Cyrillic alone: match the name as typed, too
                User.name.like(_contains(typed), escape="\\"),
            )
        )
    return list(db.session.scalars(statement))


def _contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def tokens(owner_id: int | None = None) -> list[ApiToken]:
    """Every token (or one user's), newest first; the secrets themselves are never kept."""
    statement = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if owner_id is not None:
        statement = statement.where(ApiToken.user_id == owner_id)
    return list(db.session.scalars(statement))


# ---- changing users -----------------------------------------------------------------


def create_user(
    actor: User | None,
    email: str,
    *,
    name: str = "",
    locale: str = "kk",
    roles: Iterable[Role] = (),
    password: str | None = None,
) -> User:
    """A new user; an address already in use is a ``Conflict`` (code ``email_taken``)."""
    address = normal_email(email)
    display_name = _check_name(name) or address.split("@")[0]
    language = _check_locale(locale)
    if password is not None:
        check_password(password)
    if user_by_email(address) is not None:
        raise Conflict(f"{address} already has an account", code="email_taken")
    created = User(email=address, name=display_name, locale=language)
    created.role_rows = [UserRole(role=role) for role in sorted(set(roles))]
    if password is not None:
        created.password_hash = hash_password(password)
    db.session.add(created)
    db.session.commit()
    log.info(
        "%s created user %s (id %s) with roles %s",
        _who(actor),
        created.email,
        created.id,
        _role_names(created.roles),
    )
    return created


def grant_roles(actor: User | None, target: User, roles: Iterable[Role]) -> User:
    """Add ``roles`` to the ones ``target`` has (the command line's ``users add``)."""
    return set_roles(actor, target, target.roles | frozenset(roles))


def set_roles(actor: User | None, target: User, roles: Iterable[Role]) -> User:
    """Give ``target`` exactly ``roles``; an administrator cannot drop their own."""
    wanted = frozenset(roles)
    before = target.roles
    if actor is not None and actor.id == target.id and Role.ADMIN in before:
        if Role.ADMIN not in wanted:
            raise Forbidden(
                "you cannot remove your own administrator role", code="cannot_demote_self"
            )
    if wanted == before:
        return target
    target.role_rows = [row for row in target.role_rows if row.role in wanted]
    target.role_rows.extend(UserRole(role=role) for role in sorted(wanted - before))
    db.session.commit()
    log.info(
        "%s changed the roles of %s from %s to %s",
        _who(actor),
        target.email,
        _role_names(before),
        _role_names(wanted),
    )
    return target


def set_active(actor: User | None, target: User, active: bool) -> User:
    """Switch an account off (it can no longer sign in or use its tokens) or back on."""
    if not active and actor is not None and actor.id == target.id:
        raise Forbidden("you cannot deactivate your own account", code="cannot_deactivate_self")
    if target.active == active:
        return target
    target.active = active
    db.session.commit()
    state = "reactivated" if active else "deactivated"
    log.info("%s %s user %s", _who(actor), state, target.email)
    return target


def set_password(actor: User | None, target: User, password: str) -> User:
    target.password_hash = hash_password(check_password(password))
    db.session.commit()
    log.info("%s set a new password for %s", _who(actor), target.email)
    return target


# ---- tokens -------------------------------------------------------------------------


def create_token(
    actor: User | None, owner: User, scope: TokenScope | str, name: str = ""
) -> tuple[ApiToken, str]:
    """A new token for ``owner`` and its secret, which is shown once and never stored."""
    try:
        chosen = TokenScope(scope)
    except ValueError:
        raise Invalid(f"unknown token scope {scope!r}", code="unknown_scope") from None
    label = name.strip()
    if len(label) > MAX_TOKEN_NAME_LENGTH:
        raise Invalid(
            f"the token's name is longer than {MAX_TOKEN_NAME_LENGTH} characters",
            code="token_name_too_long",
        )
    if not owner.active:
        raise Conflict(f"{owner.email} is deactivated", code="user_inactive")
    row, secret = new_token(owner, chosen, label)
    db.session.commit()
    log.info(
        "%s created %s token %s… (id %s) for %s",
        _who(actor),
        chosen.value,
        row.prefix,
        row.id,
        owner.email,
    )
    return row, secret


def revoke_token(actor: User | None, token_id: int) -> ApiToken:
    """Revoke a token at once; revoking it again changes nothing."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"there is no token {token_id}", code="token_not_found")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
        log.info(
            "%s revoked token %s… (id %s) of %s",
            _who(actor),
            token.prefix,
            token.id,
            token.user.email,
        )
    return token
