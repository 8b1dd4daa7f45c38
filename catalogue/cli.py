"""The catalogue's commands in the ``sandyq`` CLI: ``serve``, ``users``, ``tokens``, ``db``
(``db check``: the database and the package storage agree).

They are registered through the ``sandyq.commands`` entry point group, so the builder's
CLI lists them without importing the catalogue. Each command builds the app from the
environment (``SANDYQ_DATABASE_URL``, ``SANDYQ_DATA_DIR``) and the ``--data-dir`` option.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from flask import Flask
from sqlalchemy import select

from catalogue import create_app
from catalogue.db import db
from catalogue.errors import CatalogueError, NotFound
from catalogue.models import Job, ResourceVersion, Role, TokenScope
from catalogue.services import accounts
from catalogue.storage import storage
from scorm_builder.vocabulary import DEFAULT_LANGUAGE, LANGUAGES

ROLE_NAMES = [role.value for role in Role]
data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="SANDYQ_DATA_DIR",
    default=Path("instance"),
    show_default=True,
    help="Where the SQLite database, packages and outbox live.",
)


def make_app(data_dir: Path, **config: Any) -> Flask:
    return create_app({"DATA_DIR": str(data_dir), **config})


def upgrade_database(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@data_dir_option
@click.option("--demo", is_flag=True, help="Seed demo users, a sync token and sample packages.")
def serve_command(host: str, port: int, data_dir: Path, demo: bool) -> None:
    """Run the catalogue (the database is migrated first).

    This server is for a school or a test; in production run it under a WSGI server:
    gunicorn -w 4 'catalogue:create_app()'.
    """
    app = make_app(data_dir)
    upgrade_database(app)
    from catalogue.jobs import start_worker

    start_worker(app)  # jobs left queued or running by a previous run resume now
    if demo:
        from catalogue.demo import seed_demo

        with app.app_context():
            credentials = seed_demo(data_dir)
        click.echo("Demo accounts (also in demo-credentials.json):")
        for user in credentials["users"]:
            click.echo(f"  {user['email']:28} {user['password']:16} {', '.join(user['roles'])}")
        click.echo(f"  sync token: {credentials['sync_token']}")
    click.echo(f"Sandyq catalogue on http://{host}:{port}/  (data in {data_dir.resolve()})")
    app.run(host=host, port=port, threaded=True, debug=False, use_reloader=False)


@click.group("db")
def db_group() -> None:
    """The catalogue's database."""


@db_group.command("upgrade")
@data_dir_option
def db_upgrade(data_dir: Path) -> None:
    """Create or migrate the database to the newest schema."""
    app = make_app(data_dir)
    upgrade_database(app)
    with app.app_context():
        click.echo(f"database at the newest schema ({db.engine.url.render_as_string()})")


#: A stored file or a temporary one younger than this may belong to an upload still under
#: way (its row is committed after the file is stored), so it is never called an orphan.
CHECK_GRACE_SECONDS = 3600


@dataclass
class StorageCheck:
    """What ``check_storage`` found: rows whose file is missing (``version <id>`` and the
    SHA-256), stored files no row names, temporary files of writes that never finished."""

    missing: list[tuple[str, str]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    leftovers: list[Path] = field(default_factory=list)
    removed: int = 0

    @property
    def consistent(self) -> bool:
        return not self.missing and not self.orphans and not self.leftovers


def referenced_packages() -> dict[str, str]:
    """Every SHA-256 a row names, with who names it: a resource version, or a job whose
    result (a build or a check not yet made into a resource) is in storage."""
    named: dict[str, str] = {}
    for version_id, sha256 in db.session.execute(
        select(ResourceVersion.id, ResourceVersion.package_sha256)
    ):
        named.setdefault(sha256, f"version {version_id}")
    for job_id, result in db.session.execute(select(Job.id, Job.result)):
        built = (result or {}).get("sha256")
        if isinstance(built, str) and built:
            named.setdefault(built, f"job {job_id}")
    return named


def check_storage(
    app: Flask, *, fix: bool = False, grace: float = CHECK_GRACE_SECONDS
) -> StorageCheck:
    """Compare the rows with the stored files (a process killed mid-upload or mid-build
    leaves a file without its row, or half a file); with ``fix``, remove those files. A row
    whose file is missing is only reported: no command can bring the package back."""
    found = StorageCheck()
    with app.app_context():
        stored = storage()
        named = referenced_packages()
        for sha256, who in sorted(named.items(), key=lambda item: item[1]):
            try:
                present = stored.exists(sha256)
            except ValueError:  # not a SHA-256 at all
                present = False
            if not present:
                found.missing.append((who, sha256))
        found.orphans = [
            sha256
            for sha256 in stored.stored()
            if sha256 not in named and stored.age(sha256) > grace
        ]
        staging = Path(app.config["DATA_DIR"]) / "uploads"
        now = time.time()
        staged = [
            path
            for path in sorted(staging.glob("upload-*.zip"))
            if now - path.stat().st_mtime > grace
        ]
        found.leftovers = stored.leftovers(grace) + staged
        if fix:
            for sha256 in found.orphans:
                found.removed += stored.delete(sha256)
            for path in found.leftovers:
                path.unlink(missing_ok=True)
                found.removed += 1
    return found


@db_group.command("check")
@data_dir_option
@click.option("--fix", is_flag=True, help="Remove stored files no row names, and leftovers.")
@click.option(
    "--grace",
    type=float,
    default=CHECK_GRACE_SECONDS,
    show_default=True,
    help="Seconds a new file may wait for its row (an upload in progress).",
)
def db_check(data_dir: Path, fix: bool, grace: float) -> None:
    """Check that every package a row names is stored and every stored file is named.

    Exits 1 while anything disagrees (after --fix: while a row's file is missing).
    """
    app = make_app(data_dir)
    found = check_storage(app, fix=fix, grace=grace)
    for who, sha256 in found.missing:
        click.echo(f"missing\t{who}\t{sha256}")
    for sha256 in found.orphans:
        click.echo(f"orphan\t{sha256}" + ("\tremoved" if fix else ""))
    for path in found.leftovers:
        click.echo(f"leftover\t{path}" + ("\tremoved" if fix else ""))
    fine = not found.missing if fix else found.consistent
    click.echo("database and storage agree" if found.consistent else "they disagree")
    if not fine:
        raise SystemExit(1)


@click.group("users")
def users_group() -> None:
    """People who use the catalogue and their roles."""


@users_group.command("add")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLE_NAMES))
@click.option("--name", default="", help="Full name, e.g. 'Әлия Нұрланова'.")
@click.option("--locale", default=DEFAULT_LANGUAGE, type=click.Choice(LANGUAGES))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@data_dir_option
def users_add(
    email: str, roles: tuple[str, ...], name: str, locale: str, password_stdin: bool, data_dir: Path
) -> None:
    """Add a user (or give an existing one more roles)."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    if password is not None and len(password) < accounts.MIN_PASSWORD_LENGTH:
        raise click.UsageError(
            f"the password must have at least {accounts.MIN_PASSWORD_LENGTH} characters"
        )
    app = make_app(data_dir)
    with app.app_context():
        wanted = accounts.parse_roles(roles)
        try:
            user = accounts.user_by_email(email)
            if user is None:
                user = accounts.create_user(
                    None, email, name=name, locale=locale, roles=wanted, password=password
                )
            else:
                accounts.grant_roles(None, user, wanted)
                if password:
                    accounts.set_password(None, user, password)
        except CatalogueError as error:
            raise click.UsageError(error.message) from error
        click.echo(f"{user.email}: {', '.join(sorted(r.value for r in user.roles))}")


@click.group("tokens")
def tokens_group() -> None:
    """API tokens: the Moodle sync (read-only) and other API clients."""


@tokens_group.command("create")
@click.option("--user", "email", required=True, help="Whose token it is.")
@click.option("--scope", required=True, type=click.Choice([s.value for s in TokenScope]))
@click.option("--name", default="", help="What it is for, e.g. 'Moodle of school 42'.")
@data_dir_option
def tokens_create(email: str, scope: str, name: str, data_dir: Path) -> None:
    """Create a token; it is printed once and only its hash is kept."""
    app = make_app(data_dir)
    with app.app_context():
        user = accounts.user_by_email(email)
        if user is None:
            raise click.UsageError(f"no user {email}: add them with `sandyq users add`")
        try:
            _, secret = accounts.create_token(None, user, TokenScope(scope), name)
        except CatalogueError as error:
            raise click.UsageError(error.message) from error
    click.echo(secret)


@tokens_group.command("list")
@data_dir_option
def tokens_list(data_dir: Path) -> None:
    """Every token: id, prefix, scope, owner, state (never the token itself)."""
    app = make_app(data_dir)
    with app.app_context():
        for token in sorted(accounts.tokens(), key=lambda row: row.id):
            state = "revoked" if token.revoked_at else "active"
            click.echo(
                f"{token.id}\t{token.prefix}…\t{token.scope.value}\t{token.user.email}\t{state}"
            )


@tokens_group.command("revoke")
@click.argument("token_id", type=int)
@data_dir_option
def tokens_revoke(token_id: int, data_dir: Path) -> None:
    """Revoke a token by its id (see `sandyq tokens list`)."""
    app = make_app(data_dir)
    with app.app_context():
        try:
            accounts.revoke_token(None, token_id)
        except NotFound:
            raise click.UsageError(f"no token with id {token_id}") from None
        click.echo(json.dumps({"id": token_id, "revoked": True}))
