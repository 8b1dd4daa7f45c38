"""Configuration: embedded defaults, then ``SANDYQ_*`` environment variables, then the test's
mapping. The embedded default is a SQLite file and package storage under the data folder.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULT_DATA_DIR = Path("instance")


def configure(app: Flask, overrides: Mapping[str, Any] | None = None) -> None:
    data_dir = Path(os.environ.get("SANDYQ_DATA_DIR", str(DEFAULT_DATA_DIR))).resolve()
    if overrides and "DATA_DIR" in overrides:
        data_dir = Path(overrides["DATA_DIR"]).resolve()
    app.config.from_mapping(
        DATA_DIR=str(data_dir),
        SECRET_KEY=None,
        DATABASE_URL=None,
        MAX_CONTENT_LENGTH=512 * 1024 * 1024,
        PAGE_SIZE=50,
        AUTO_PUBLISH=False,
        REVIEW_DAYS=14,
        REVISION_DAYS=30,
        # A reminder of an overdue review or revision goes out at most once this often.
        REVIEW_REMINDER_INTERVAL_HOURS=72,
        NOTIFIER="outbox",
        SMTP_HOST="localhost",
        SMTP_PORT=25,
        SMTP_FROM="sandyq@localhost",
        PUBLIC_URL=None,
        # Background jobs (catalogue.jobs): "thread" (in-process; "inline" when TESTING),
        # "rq" (Redis at REDIS_URL, jobs run by `sandyq worker`) or "inline".
        JOBS_BACKEND=None,
        JOBS_STALE_SECONDS=60,
        JOBS_HEARTBEAT_SECONDS=None,
        JOBS_POLL_SECONDS=0.5,
        JOBS_TIMEOUT_SECONDS=3600,
        JOBS_QUEUE="sandyq",
        REDIS_URL="redis://127.0.0.1:6379/0",
        # Cookies: Secure (browsers accept them from http://127.0.0.1 and localhost too;
        # a school server reached over plain http on its LAN sets
        # SANDYQ_SESSION_COOKIE_SECURE=false), HttpOnly, SameSite=Lax.
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        # A response sets the session cookie only when it changed the session: otherwise a
        # slow answer (a favicon) carrying the session as it was could overwrite one that
        # changed meanwhile, e.g. losing the preview key a launch token is bound to.
        SESSION_REFRESH_EACH_REQUEST=False,
        # Package previews (catalogue.web.common.preview): how long a link works; it is
        # bound to the signed-in session that got it, then to the browser.
        PREVIEW_TOKEN_MINUTES=30,
    )
    app.config.from_prefixed_env("SANDYQ")
    if overrides:
        app.config.update(overrides)
    # absolute, so that a relative --data-dir means the same folder to every part (a
    # relative SQLite path would otherwise be taken relative to Flask's instance folder)
    data_dir = Path(app.config["DATA_DIR"]).resolve()
    app.config["DATA_DIR"] = str(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{data_dir / 'catalogue.sqlite3'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _persistent_secret(data_dir)


def _persistent_secret(data_dir: Path) -> str:
    """A random secret kept in the data folder, so sessions survive a restart."""
    path = data_dir / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()
