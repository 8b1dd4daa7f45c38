"""The database: one SQLAlchemy instance for the app, typed declarative models, migrations.

Constraint names follow one naming convention so that Alembic migrations are identical on
SQLite and PostgreSQL; SQLite migrations run in batch mode (``render_as_batch``).
"""

from __future__ import annotations

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

#: The execution option of a bulk UPDATE that raises counters and changes nothing else
#: (the download counter): what follows the resources' content (the search index) copies
#: the new counts instead of reindexing them.
COUNTERS_ONLY = "sandyq.counters_only"
migrate = Migrate(render_as_batch=True, compare_type=True)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: object, connection_record: object) -> None:
    """SQLite: enforce foreign keys and wait on a busy database instead of failing."""
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def init_app(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()))


def _migrations_dir() -> object:
    from pathlib import Path

    return Path(__file__).resolve().parent / "migrations"
