"""The catalogue app on both databases: it starts, migrates from empty, and answers /healthz."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalogue import create_app
from catalogue.db import db
from catalogue.models import AuditEvent, Resource, ResourceVersion, Role, State
from tests.support.catalogue import add_user


def test_healthz(client: FlaskClient, app: Flask) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    with app.app_context():
        assert response.json == {"status": "ok", "database": db.engine.dialect.name}


def test_healthz_when_the_database_is_gone(tmp_path: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": "postgresql+psycopg://nobody:x@127.0.0.1:1/none",
            "DATA_DIR": str(tmp_path),
            "SECRET_KEY": "x",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "unavailable"


def test_migrations_build_every_table(app: Flask) -> None:
    with app.app_context():
        tables = set(sa.inspect(db.engine).get_table_names())
    expected = {"users", "user_roles", "api_tokens", "resources", "resource_versions"}
    assert expected | {"review_assignments", "reviews", "audit_events", "downloads"} <= tables


def test_kazakh_text_round_trips_and_the_audit_log_is_append_only(app: Flask) -> None:
    teacher = add_user(app, "mugalim@example.kz", Role.TEACHER, name="Әлия Нұрланова")
    with app.app_context():
        resource = Resource(owner_id=teacher.id, state=State.DRAFT)
        resource.versions.append(
            ResourceVersion(
                number=1,
                created_by_id=teacher.id,
                package_sha256="0" * 64,
                package_size=1,
                title_kk="Ньютон заңдары: күш, масса, үдеу (ӘҒҚҢӨҰҮҺІ)",
            )
        )
        db.session.add(resource)
        db.session.flush()
        event = AuditEvent(resource_id=resource.id, action="create", reason="Жаңа ресурс")
        db.session.add(event)
        db.session.commit()
        stored = db.session.scalar(sa.select(ResourceVersion))
        assert stored is not None and stored.title == "Ньютон заңдары: күш, масса, үдеу (ӘҒҚҢӨҰҮҺІ)"
        event.reason = "өзгертілген"
        try:
            db.session.commit()
        except RuntimeError as error:
            assert "append-only" in str(error)
        else:
            raise AssertionError("an audit event was changed")


def test_a_relative_data_folder_holds_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``sandyq serve --data-dir instance`` (what ``make run`` does) from any folder."""
    monkeypatch.chdir(tmp_path)
    app = create_app({"DATA_DIR": "instance", "SECRET_KEY": "x", "TESTING": True})
    assert app.config["DATA_DIR"] == str(tmp_path / "instance")
    with app.app_context():
        db.create_all()
    assert (tmp_path / "instance" / "catalogue.sqlite3").exists()
