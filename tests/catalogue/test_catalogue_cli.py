"""`sandyq db upgrade`, `users add`, `tokens create/list/revoke` on both databases."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner

from scorm_builder.cli import main


def run(database: str, data_dir: Path, *arguments: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(
        main,
        list(arguments) + ["--data-dir", str(data_dir)],
        input=stdin,
        env={"SANDYQ_DATABASE_URL": database},
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_upgrade_from_empty_then_users_and_tokens(empty_database: str, tmp_path: Path) -> None:
    run(empty_database, tmp_path, "db", "upgrade")
    engine = sa.create_engine(empty_database)
    with engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
        head = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    assert {"users", "resources", "resource_versions", "audit_events"} <= tables
    assert head
    run(empty_database, tmp_path, "db", "upgrade")  # a second run changes nothing

    output = run(
        empty_database,
        tmp_path,
        "users",
        "add",
        "Tөraga@Example.kz",
        "--role",
        "chair",
        "--role",
        "reviewer",
        "--name",
        "Қайрат Төрағасы",
        "--password-stdin",
        stdin="өте-құпия-сөз\n",
    )
    assert "tөraga@example.kz: chair, reviewer" in output
    token = run(
        empty_database,
        tmp_path,
        "tokens",
        "create",
        "--user",
        "tөraga@example.kz",
        "--scope",
        "sync",
    )
    token = token.strip()
    assert token.startswith("sq_") and len(token) > 40
    listing = run(empty_database, tmp_path, "tokens", "list")
    assert token not in listing and token[:10] in listing and "active" in listing
    token_id = listing.split("\t")[0]
    run(empty_database, tmp_path, "tokens", "revoke", token_id)
    assert "revoked" in run(empty_database, tmp_path, "tokens", "list")


def test_a_results_token_for_the_moodle_sync(empty_database: str, tmp_path: Path) -> None:
    """One token for the whole sync: it reads the feed and reports learners' use."""
    run(empty_database, tmp_path, "db", "upgrade")
    run(empty_database, tmp_path, "users", "add", "admin@sandyq.kz", "--role", "admin")
    create = ("tokens", "create", "--user", "admin@sandyq.kz", "--scope", "results")
    token = run(empty_database, tmp_path, *create, "--name", "Moodle, мектеп № 42").strip()
    assert token.startswith("sq_")
    assert "\tresults\tadmin@sandyq.kz\tactive" in run(empty_database, tmp_path, "tokens", "list")

    from catalogue import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": empty_database, "DATA_DIR": str(tmp_path)})
    client, bearer = app.test_client(), {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/published", headers=bearer).status_code == 200
    report = {"site": {"url": "https://moodle.kz", "name": "42"}, "period": "2026-01-05"}
    answer = client.put("/api/v1/usage", json={**report, "activities": []}, headers=bearer)
    assert answer.status_code == 200 and answer.json["stored"] == 0
    with app.app_context():
        from catalogue.db import db

        db.engine.dispose()


def test_users_add_refuses_a_short_password(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "users",
            "add",
            "a@b.kz",
            "--role",
            "teacher",
            "--password-stdin",
            "--data-dir",
            str(tmp_path),
        ],
        input="qysqa\n",
    )
    assert result.exit_code == 2 and "10 characters" in result.output
